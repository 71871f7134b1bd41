"""Event types (the 23 published names and their entities) and the exact JSON of payloads."""

from __future__ import annotations

from decimal import Decimal

import pytest

from strongroom.domain.events import (
    EntityName,
    EventType,
    Payload,
    encode_payload,
    entity_of,
    parse_event_type,
)


def test_there_are_23_event_types_with_their_published_names() -> None:
    names = [item.value for item in EventType]
    assert len(names) == len(set(names)) == 23
    assert sum(name.startswith("net.authorize.payment.") for name in names) == 9
    assert sum(name.startswith("net.authorize.customer.subscription.") for name in names) == 8
    assert sum(name.startswith("net.authorize.customer.paymentProfile.") for name in names) == 3
    assert EventType.SUBSCRIPTION_CANCELLED.value == "net.authorize.customer.subscription.cancelled"
    assert EventType.PRIOR_AUTH_CAPTURE_CREATED.value == "net.authorize.payment.priorAuthCapture.created"


@pytest.mark.parametrize(
    ("event_type", "entity"),
    [
        (EventType.AUTHCAPTURE_CREATED, EntityName.TRANSACTION),
        (EventType.FRAUD_HELD, EntityName.TRANSACTION),
        (EventType.CUSTOMER_DELETED, EntityName.CUSTOMER_PROFILE),
        (EventType.PAYMENT_PROFILE_UPDATED, EntityName.PAYMENT_PROFILE),
        (EventType.SUBSCRIPTION_EXPIRING, EntityName.SUBSCRIPTION),
    ],
)
def test_each_event_is_about_one_kind_of_record(event_type: EventType, entity: EntityName) -> None:
    assert entity_of(event_type) is entity


def test_names_parse_exactly() -> None:
    assert parse_event_type("net.authorize.customer.created") is EventType.CUSTOMER_CREATED
    for wrong in (
        "net.authorize.customer.Created",
        " net.authorize.customer.created",
        "net.authorize.customer.subscription.canceled",
        "",
    ):
        assert parse_event_type(wrong) is None


def test_payloads_keep_key_order_and_exact_amounts() -> None:
    payload: Payload = {
        "responseCode": 1,
        "authCode": "ABC123",
        "authAmount": Decimal("300.00"),
        "small": Decimal("0.10"),
        "ok": True,
        "none": None,
        "list": [{"id": "1"}, 2],
        "entityName": "transaction",
        "id": "60000000001",
    }
    assert encode_payload(payload) == (
        '{"responseCode":1,"authCode":"ABC123","authAmount":300.00,"small":0.10,"ok":true,'
        '"none":null,"list":[{"id":"1"},2],"entityName":"transaction","id":"60000000001"}'
    )


def test_payload_text_is_escaped_json() -> None:
    assert (
        encode_payload({"description": 'Quote " and \\ and\nline, café'})
        == '{"description":"Quote \\" and \\\\ and\\nline, café"}'
    )


def test_a_payload_amount_must_be_finite() -> None:
    with pytest.raises(ValueError, match="finite"):
        encode_payload({"amount": Decimal("NaN")})
