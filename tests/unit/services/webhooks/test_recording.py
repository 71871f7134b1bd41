"""What a change announces: fraud payloads (their filters, in the protocol's words, in the order
Authorize.Net writes them) and the subscription events derived from before and after a change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from strongroom.domain.events import EventType, encode_payload
from strongroom.domain.fraud import FraudAction
from strongroom.domain.subscriptions import (
    Interval,
    IntervalUnit,
    Pricing,
    Progress,
    Schedule,
    Subscription,
    SubscriptionStatus,
)
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.ports import TransactionRecord
from strongroom.services.webhooks.recording import (
    FRAUD_ACTIONS,
    fraud_list,
    subscription_events,
    subscription_payload_of,
    transaction_payload,
)

NOW = datetime(2030, 5, 1, 18, tzinfo=UTC)
E = EventType
St = SubscriptionStatus


def held_record(**changes: object) -> TransactionRecord:
    base = TransactionRecord(
        ref="60000000001",
        merchant_key=1,
        kind=TransactionKind.CHARGE,
        status=TransactionStatus.AUTHORIZED_HELD_FOR_REVIEW,
        amount=Decimal("600.00"),
        currency="USD",
        settle_amount=Decimal("600.00"),
        refunded=Decimal("0.00"),
        response_code=4,
        reason_code=253,
        auth_code="ABC123",
        avs_result="Y",
        card_code_result="",
        cavv_result="",
        payment_method="card",
        account_last4="1111",
        account_type="Visa",
        fingerprint="f",
        duplicate_key="d",
        submitted_at=NOW,
        invoice_number="INV-9",
        fraud_action=FraudAction.AUTHORIZE_AND_HOLD,
        fraud_filters=(("Big orders", FraudAction.AUTHORIZE_AND_HOLD), ("Watch list", FraudAction.REPORT)),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def subscription(
    total: int = 4, paid: int = 0, failed: int = 0, status: SubscriptionStatus = St.ACTIVE
) -> Subscription:
    return Subscription(
        ref="7000001",
        merchant_key=1,
        name="Gold plan",
        schedule=Schedule(Interval(1, IntervalUnit.MONTHS), date(2030, 5, 1), total),
        pricing=Pricing(Decimal("12.50")),
        status=status,
        profile_ref="500000001",
        payment_profile_ref="510000001",
        address_ref=None,
        payment_method="card",
        created_at=NOW,
        progress=Progress(paid + 1, failed),
    )


def test_every_fraud_action_has_its_protocol_word() -> None:
    assert set(FRAUD_ACTIONS) == set(FraudAction)
    assert FRAUD_ACTIONS[FraudAction.AUTHORIZE_AND_HOLD] == "authAndHold"
    assert set(FRAUD_ACTIONS.values()) <= {"reject", "decline", "hold", "authAndHold", "report"}


def test_a_fraud_payload_lists_the_filters_before_the_invoice_number() -> None:
    record = held_record()
    payload = transaction_payload(record, fraud=fraud_list(record))
    assert encode_payload(payload) == (
        '{"responseCode":4,"authCode":"ABC123","avsResponse":"Y","authAmount":600.00,'
        '"fraudList":[{"fraudFilter":"Big orders","fraudAction":"authAndHold"},'
        '{"fraudFilter":"Watch list","fraudAction":"report"}],'
        '"invoiceNumber":"INV-9","entityName":"transaction","id":"60000000001"}'
    )


def test_without_filters_there_is_no_fraud_list() -> None:
    record = held_record(fraud_filters=(), fraud_action=None, invoice_number=None)
    assert list(transaction_payload(record, fraud=fraud_list(record))) == [
        "responseCode",
        "authCode",
        "avsResponse",
        "authAmount",
        "entityName",
        "id",
    ]


def test_a_subscription_payload_carries_its_arb_status_and_profile() -> None:
    canceled = subscription(status=St.CANCELED)
    assert encode_payload(subscription_payload_of(canceled)) == (
        '{"name":"Gold plan","amount":12.50,"status":"canceled","profile":'
        '{"customerProfileId":500000001,"customerPaymentProfileId":510000001},'
        '"entityName":"subscription","id":"7000001"}'
    )


@pytest.mark.parametrize(
    ("before", "after", "announced"),
    [
        (None, subscription(total=4), ()),  # created: announced by the create itself
        (None, subscription(total=1), (E.SUBSCRIPTION_EXPIRING,)),  # one occurrence from the start
        (subscription(paid=1), subscription(paid=2), ()),
        (subscription(paid=2), subscription(paid=3), (E.SUBSCRIPTION_EXPIRING,)),  # next-to-last
        (subscription(paid=3), subscription(paid=4, status=St.EXPIRED), (E.SUBSCRIPTION_EXPIRED,)),
        (
            subscription(paid=1),
            subscription(paid=1, failed=1, status=St.SUSPENDED),
            (E.SUBSCRIPTION_FAILED, E.SUBSCRIPTION_SUSPENDED),
        ),
        (
            subscription(paid=1, failed=1, status=St.SUSPENDED),
            subscription(paid=1, failed=1, status=St.TERMINATED),
            (E.SUBSCRIPTION_TERMINATED,),
        ),
        (subscription(paid=1), subscription(paid=1, status=St.CANCELED), (E.SUBSCRIPTION_CANCELLED,)),
        (
            subscription(paid=1, failed=1, status=St.SUSPENDED),
            subscription(paid=1, failed=1),
            (),
        ),  # reactivated by an update: the update announces it
        (
            subscription(total=6, paid=2),
            subscription(total=3, paid=2),
            (E.SUBSCRIPTION_EXPIRING,),
        ),  # an update shortens the schedule to one more
        (
            subscription(paid=3, failed=1, status=St.SUSPENDED),
            subscription(paid=3, failed=1),
            (),
        ),  # one left already: said once, not again on reactivation
        (
            subscription(paid=2, failed=0),
            subscription(paid=2, failed=1, status=St.SUSPENDED),
            (E.SUBSCRIPTION_FAILED, E.SUBSCRIPTION_SUSPENDED),
        ),  # failing the next-to-last: 2 left
        (subscription(total=9999, paid=9997), subscription(total=9999, paid=9998), ()),  # ongoing
    ],
)
def test_what_a_subscription_change_announces(
    before: Subscription | None, after: Subscription, announced: tuple[EventType, ...]
) -> None:
    assert subscription_events(before, after) == announced
