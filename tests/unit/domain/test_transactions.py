"""The transaction state machine and money rules, table by table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from strongroom.domain.transactions import (
    TRANSITIONS,
    Action,
    Reason,
    TransactionKind,
    TransactionState,
    TransactionStatus,
    approved_status,
    capture_refusal,
    is_expired,
    next_status,
    refund_refusal,
    refundable,
    review_refusal,
    void_refusal,
)

S = TransactionStatus
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def state(
    kind: TransactionKind = TransactionKind.AUTHORIZATION,
    status: TransactionStatus = S.AUTHORIZED_PENDING_CAPTURE,
    amount: str = "100.00",
    settle: str = "0.00",
    refunded: str = "0.00",
    age: timedelta = timedelta(0),
    settled_age: timedelta | None = None,
    last4: str = "1111",
) -> TransactionState:
    return TransactionState(
        kind,
        status,
        Decimal(amount),
        Decimal(settle),
        Decimal(refunded),
        NOW - age,
        None if settled_age is None else NOW - settled_age,
        last4,
    )


# Written out by hand, independently of TRANSITIONS, so an accidental edit of the table fails.
EXPECTED = {
    ("authorized_pending_capture", "capture"): "captured_pending_settlement",
    ("authorized_pending_capture", "void"): "voided",
    ("authorized_pending_capture", "expire"): "expired",
    ("captured_pending_settlement", "void"): "voided",
    ("captured_pending_settlement", "settle"): "settled",
    ("refund_pending_settlement", "void"): "voided",
    ("refund_pending_settlement", "settle"): "refund_settled",
    ("settled", "refund"): "settled",
    ("held_for_review", "decline_review"): "declined",
    ("held_for_review", "void"): "voided",
    ("held_for_review", "expire"): "expired",
    ("authorized_held_for_review", "decline_review"): "declined",
    ("authorized_held_for_review", "void"): "voided",
    ("authorized_held_for_review", "expire"): "expired",
}


@pytest.mark.parametrize("status", list(TransactionStatus))
@pytest.mark.parametrize("action", list(Action))
def test_every_status_and_action(status: TransactionStatus, action: Action) -> None:
    expected = EXPECTED.get((status.value, action.value))
    result = next_status(status, action)
    assert (result.value if result else None) == expected


def test_the_table_has_nothing_unexpected() -> None:
    assert {(s.value, a.value): n.value for (s, a), n in TRANSITIONS.items()} == EXPECTED


def test_capture_rules() -> None:
    auth = state()
    assert capture_refusal(auth, None, NOW) is None
    assert capture_refusal(auth, Decimal("100.00"), NOW) is None
    assert capture_refusal(auth, Decimal("40.00"), NOW) is None  # partial capture
    over = capture_refusal(auth, Decimal("100.01"), NOW)
    assert over is not None
    assert over.reason_code == Reason.CAPTURE_EXCEEDS_AUTHORIZATION
    twice = capture_refusal(state(status=S.CAPTURED_PENDING_SETTLEMENT), None, NOW)
    assert twice is not None
    assert twice.reason_code == Reason.ALREADY_CAPTURED
    voided = capture_refusal(state(status=S.VOIDED), None, NOW)
    assert voided is not None
    assert voided.reason_code == Reason.ALREADY_VOIDED
    charge = capture_refusal(
        state(kind=TransactionKind.CHARGE, status=S.CAPTURED_PENDING_SETTLEMENT), None, NOW
    )
    assert charge is not None
    assert charge.reason_code == Reason.NOT_FOUND


def test_authorisations_expire_after_thirty_days() -> None:
    assert not is_expired(state(age=timedelta(days=30)), NOW)
    old = state(age=timedelta(days=30, seconds=1))
    assert is_expired(old, NOW)
    refusal = capture_refusal(old, None, NOW)
    assert refusal is not None
    assert refusal.reason_code == Reason.NOT_FOUND
    assert not is_expired(state(status=S.CAPTURED_PENDING_SETTLEMENT, age=timedelta(days=90)), NOW)


@pytest.mark.parametrize(
    "status",
    sorted(
        {
            S.AUTHORIZED_PENDING_CAPTURE,
            S.CAPTURED_PENDING_SETTLEMENT,
            S.REFUND_PENDING_SETTLEMENT,
            S.HELD_FOR_REVIEW,
            S.AUTHORIZED_HELD_FOR_REVIEW,
        }
    ),
)
def test_unsettled_transactions_can_be_voided(status: TransactionStatus) -> None:
    assert void_refusal(state(status=status)) is None


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (S.VOIDED, Reason.ALREADY_VOIDED),
        (S.SETTLED, Reason.CANNOT_VOID),
        (S.REFUND_SETTLED, Reason.CANNOT_VOID),
        (S.DECLINED, Reason.CANNOT_VOID),
        (S.EXPIRED, Reason.CANNOT_VOID),
    ],
)
def test_void_refusals(status: TransactionStatus, reason: int) -> None:
    refusal = void_refusal(state(status=status))
    assert refusal is not None
    assert refusal.reason_code == reason


def settled(refunded: str = "0.00", days: int = 1, last4: str = "1111") -> TransactionState:
    return state(
        kind=TransactionKind.CHARGE,
        status=S.SETTLED,
        settle="80.00",
        refunded=refunded,
        age=timedelta(days=days + 1),
        settled_age=timedelta(days=days),
        last4=last4,
    )


def test_refund_rules() -> None:
    assert refund_refusal(settled(), Decimal("80.00"), "1111", NOW) is None
    assert refund_refusal(settled("30.00"), Decimal("50.00"), "1111", NOW) is None
    assert refundable(settled("30.00")) == Decimal("50.00")
    cases = [
        (settled("30.00"), Decimal("50.01"), "1111", Reason.CREDITS_EXCEED_ORIGINAL),
        (settled(), Decimal("1.00"), "2222", Reason.NOT_ELIGIBLE_FOR_CREDIT),
        (settled(days=121), Decimal("1.00"), "1111", Reason.NOT_ELIGIBLE_FOR_CREDIT),
        (
            state(kind=TransactionKind.CHARGE, status=S.CAPTURED_PENDING_SETTLEMENT),
            Decimal("1.00"),
            "1111",
            Reason.NOT_ELIGIBLE_FOR_CREDIT,
        ),
        (
            state(kind=TransactionKind.REFUND, status=S.REFUND_SETTLED, settled_age=timedelta(1)),
            Decimal("1.00"),
            "1111",
            Reason.NOT_ELIGIBLE_FOR_CREDIT,
        ),
    ]
    for original, amount, last4, reason in cases:
        refusal = refund_refusal(original, amount, last4, NOW)
        assert refusal is not None, original
        assert refusal.reason_code == reason
    assert refund_refusal(settled(days=120), Decimal("1.00"), "1111", NOW) is None


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (TransactionKind.CHARGE, S.CAPTURED_PENDING_SETTLEMENT),
        (TransactionKind.CAPTURE_ONLY, S.CAPTURED_PENDING_SETTLEMENT),
        (TransactionKind.AUTHORIZATION, S.AUTHORIZED_PENDING_CAPTURE),
    ],
)
def test_an_approved_review_goes_where_the_request_was_headed(
    kind: TransactionKind, status: TransactionStatus
) -> None:
    assert approved_status(kind) is status


@pytest.mark.parametrize("status", list(TransactionStatus))
def test_only_held_transactions_can_be_reviewed(status: TransactionStatus) -> None:
    refusal = review_refusal(state(status=status))
    if status in (S.HELD_FOR_REVIEW, S.AUTHORIZED_HELD_FOR_REVIEW):
        assert refusal is None
    else:
        assert refusal is not None
        assert refusal.reason_code == Reason.NOT_FOUND
        assert refusal.message == "The transaction is not held for review."


@pytest.mark.parametrize(
    ("status", "lifetime"),
    [
        (S.HELD_FOR_REVIEW, timedelta(days=5)),
        (S.AUTHORIZED_HELD_FOR_REVIEW, timedelta(days=30)),
        (S.AUTHORIZED_PENDING_CAPTURE, timedelta(days=30)),
    ],
)
def test_holds_expire_after_their_review_time(status: TransactionStatus, lifetime: timedelta) -> None:
    assert not is_expired(state(status=status, age=lifetime), NOW)
    assert is_expired(state(status=status, age=lifetime + timedelta(seconds=1)), NOW)
