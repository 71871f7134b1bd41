"""Fraud webhook events end to end: a charge the merchant's filters hold (createTransaction
through the official SDK) announces fraud.held with its fraudList beside its created event;
updateHeldTransaction announces fraud.approved or fraud.declined. Delivered by the webhooks job
to a loopback receiver that checks every signature; another merchant's webhooks hear nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from strongroom.domain.fraud import FraudAction
from tests.api.builders import DECLINE_ZIP, text
from tests.api.fraud.test_holds import add, from_ip, held, over, update_held
from tests.api.live_server import LiveServer
from tests.api.rest_client import ALL_PAYMENT_EVENTS, create_webhook, deliver, history, rest
from tests.api.sdk import ApiMerchant, new_merchant
from tests.api.transactions.test_create_transaction import (
    AUTH_CAPTURE,
    AUTH_ONLY,
    Gateway,
    approved,
    failed,
    trans_id,
)
from tests.api.webhook_receiver import Receiver

A = FraudAction
PAYMENT = "net.authorize.payment."
HELD, APPROVED, DECLINED = (PAYMENT + "fraud.held", PAYMENT + "fraud.approved", PAYMENT + "fraud.declined")
FRAUD_EVENTS = [HELD, APPROVED, DECLINED]
EVERYTHING = [*ALL_PAYMENT_EVENTS, *FRAUD_EVENTS]


@pytest.fixture
def gateway(server: LiveServer, merchant: ApiMerchant) -> Gateway:
    return Gateway(server, merchant)


def listen(
    gateway: Gateway,
    receiver: Receiver,
    event_types: Sequence[str] = EVERYTHING,
    merchant: ApiMerchant | None = None,
) -> str:
    """A receiver endpoint registered as a webhook of `merchant` (the gateway's by default)."""
    owner = merchant or gateway.merchant
    url = receiver.endpoint(owner.signature_key)
    with rest(gateway.server, owner) as client:
        create_webhook(client, url, event_types)
    return url


def received(receiver: Receiver, url: str) -> list[tuple[str, dict[str, Any]]]:
    assert receiver.state(url).bad_signatures == 0
    return [(item.event_type, item.payload) for item in receiver.accepted(url)]


def fraud_list(name: str, action: str) -> list[dict[str, str]]:
    return [{"fraudFilter": name, "fraudAction": action}]


def test_a_held_charge_announces_fraud_held_with_its_filters(gateway: Gateway, receiver: Receiver) -> None:
    url = listen(gateway, receiver)
    add(gateway, over("500.00", A.HOLD))
    ref = trans_id(held(gateway.send(from_ip(AUTH_CAPTURE, "600.00", invoice="INV-H1")), "252"))
    assert receiver.state(url).attempts == 0  # nothing is sent from the request

    deliver(gateway.server)

    assert sorted(received(receiver, url), key=lambda item: item[0]) == [
        (
            PAYMENT + "authcapture.created",
            {
                "responseCode": 4,
                "authCode": "",
                "avsResponse": "P",
                "authAmount": 600.0,
                "invoiceNumber": "INV-H1",
                "entityName": "transaction",
                "id": ref,
            },
        ),
        (
            HELD,
            {
                "responseCode": 4,
                "authCode": "",
                "avsResponse": "P",
                "authAmount": 600.0,
                "fraudList": fraud_list("Over 500.00 hold", "hold"),
                "invoiceNumber": "INV-H1",
                "entityName": "transaction",
                "id": ref,
            },
        ),
    ]
    [notification] = [item for item in receiver.accepted(url) if item.event_type == HELD]
    # As Authorize.Net writes it: the fraudList after the amount, the amount as written.
    assert (
        b'"authAmount":600.00,"fraudList":[{"fraudFilter":"Over 500.00 hold",'
        b'"fraudAction":"hold"}],"invoiceNumber":"INV-H1"'
    ) in notification.body


def test_an_authorised_hold_lists_every_filter_that_fired(gateway: Gateway, receiver: Receiver) -> None:
    url = listen(gateway, receiver, [HELD])
    add(gateway, over("500.00", A.AUTHORIZE_AND_HOLD))
    add(gateway, over("100.00", A.REPORT))
    answer = held(gateway.send(from_ip(AUTH_ONLY, "600.00")), "253")

    deliver(gateway.server)

    [(kind, payload)] = received(receiver, url)
    assert kind == HELD
    assert payload == {
        "responseCode": 4,
        "authCode": text(answer, "authCode"),
        "avsResponse": "Y",
        "authAmount": 600.0,
        "fraudList": [
            {"fraudFilter": "Over 500.00 authorize-and-hold", "fraudAction": "authAndHold"},
            {"fraudFilter": "Over 100.00 report", "fraudAction": "report"},
        ],
        "entityName": "transaction",
        "id": trans_id(answer),
    }


def test_an_approved_hold_announces_fraud_approved(gateway: Gateway, receiver: Receiver) -> None:
    add(gateway, over("500.00", A.HOLD))
    ref = trans_id(held(gateway.send(from_ip(AUTH_CAPTURE, "600.00")), "252"))
    url = listen(gateway, receiver, FRAUD_EVENTS)  # from here on: the review alone

    answer = approved(update_held(gateway, "approve", ref))
    deliver(gateway.server)

    assert received(receiver, url) == [
        (
            APPROVED,
            {
                "responseCode": 1,
                "authCode": text(answer, "authCode"),
                "avsResponse": "Y",
                "authAmount": 600.0,
                "fraudList": fraud_list("Over 500.00 hold", "hold"),
                "entityName": "transaction",
                "id": ref,
            },
        )
    ]


@pytest.mark.parametrize("action", [A.HOLD, A.AUTHORIZE_AND_HOLD])
def test_a_declined_hold_announces_fraud_declined(
    gateway: Gateway, receiver: Receiver, action: FraudAction
) -> None:
    add(gateway, over("500.00", action))
    ref = trans_id(held(gateway.send(from_ip(AUTH_CAPTURE, "600.00")), "252" if action is A.HOLD else "253"))
    url = listen(gateway, receiver, FRAUD_EVENTS)

    update_held(gateway, "decline", ref)
    deliver(gateway.server)

    word = "hold" if action is A.HOLD else "authAndHold"
    assert received(receiver, url) == [
        (
            DECLINED,
            {
                "responseCode": 2,
                "authCode": "",
                "avsResponse": "P" if action is A.HOLD else "Y",
                "authAmount": 600.0,
                "fraudList": fraud_list(f"Over 500.00 {action}", word),
                "entityName": "transaction",
                "id": ref,
            },
        )
    ]


def test_an_approval_the_card_declines_announces_fraud_declined(gateway: Gateway, receiver: Receiver) -> None:
    add(gateway, over("5.00", A.HOLD))
    item = from_ip(AUTH_CAPTURE, "20.00")
    item.billTo.zip = DECLINE_ZIP
    ref = trans_id(held(gateway.send(item), "252"))
    url = listen(gateway, receiver, FRAUD_EVENTS)

    failed(update_held(gateway, "approve", ref), "2", "2")
    deliver(gateway.server)

    [(kind, payload)] = received(receiver, url)
    assert (kind, payload["responseCode"], payload["id"]) == (DECLINED, 2, ref)


def test_declines_refusals_and_repeated_reviews_announce_no_fraud_event(
    gateway: Gateway, receiver: Receiver
) -> None:
    url = listen(gateway, receiver, FRAUD_EVENTS)
    add(gateway, over("500.00", A.DECLINE))
    failed(gateway.send(from_ip(AUTH_CAPTURE, "600.00")), "2", "251")  # declined, not held
    plain = trans_id(approved(gateway.send(from_ip(AUTH_CAPTURE, "10.00"))))
    update_held(gateway, "approve", plain)  # refused: not held

    deliver(gateway.server)

    assert received(receiver, url) == []
    with rest(gateway.server, gateway.merchant) as client:
        assert history(client) == []


def test_a_review_is_announced_once(gateway: Gateway, receiver: Receiver) -> None:
    add(gateway, over("500.00", A.HOLD))
    ref = trans_id(held(gateway.send(from_ip(AUTH_CAPTURE, "600.00")), "252"))
    url = listen(gateway, receiver, FRAUD_EVENTS)
    approved(update_held(gateway, "approve", ref))
    update_held(gateway, "decline", ref)  # refused: reviewed already

    deliver(gateway.server)

    assert [kind for kind, _ in received(receiver, url)] == [APPROVED]


def test_another_merchants_webhooks_never_hear_of_a_hold(gateway: Gateway, receiver: Receiver) -> None:
    other = new_merchant(gateway.server, "Other shop")
    mine = listen(gateway, receiver)
    theirs = listen(gateway, receiver, merchant=other)
    add(gateway, over("500.00", A.HOLD))
    ref = trans_id(held(gateway.send(from_ip(AUTH_CAPTURE, "600.00")), "252"))
    approved(update_held(gateway, "approve", ref))
    add(Gateway(gateway.server, other), over("1.00", A.HOLD))
    their_ref = trans_id(held(Gateway(gateway.server, other).send(from_ip(AUTH_CAPTURE, "2.00")), "252"))

    deliver(gateway.server)

    assert sorted((kind, payload["id"]) for kind, payload in received(receiver, mine)) == sorted(
        [(PAYMENT + "authcapture.created", ref), (HELD, ref), (APPROVED, ref)]
    )
    assert sorted((kind, payload["id"]) for kind, payload in received(receiver, theirs)) == sorted(
        [(PAYMENT + "authcapture.created", their_ref), (HELD, their_ref)]
    )
