"""Capture, void and refund of stored transactions, and every reason they are refused for."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from strongroom.domain.money import Money
from strongroom.domain.transactions import (
    AUTHORIZATION_LIFETIME,
    REFUND_WINDOW,
    TransactionKind,
    TransactionStatus,
)
from strongroom.services.ports import Outcome, ProcessorResult
from strongroom.services.transactions.requests import (
    MaskedSource,
    OrderDetails,
    PaymentSource,
    RefundRequest,
    Settings,
    TransactionResult,
)
from tests.integration.payments.conftest import (
    ACCOUNT,
    MASTERCARD,
    Gateway,
    bank,
    card,
    charge,
    money,
)

K = TransactionKind
S = TransactionStatus
NO_ORDER = OrderDetails()


def authorize(gateway: Gateway, amount: str = "20.00") -> str:
    return gateway.approved(charge(amount, kind=K.AUTHORIZATION)).ref


def capture(
    gateway: Gateway, ref: str, amount: str | None = None, order: OrderDetails = NO_ORDER
) -> TransactionResult:
    return gateway.payments.capture(gateway.merchant, ref, money(amount) if amount else None, order)


def void(gateway: Gateway, ref: str) -> TransactionResult:
    return gateway.payments.void(gateway.merchant, ref)


def refund(
    gateway: Gateway,
    ref: str | None,
    amount: str = "5.00",
    source: PaymentSource | None = None,
    *,
    test: bool = False,
) -> TransactionResult:
    return gateway.payments.refund(
        gateway.merchant,
        RefundRequest(
            ref,
            money(amount),
            source or MaskedSource("XXXX1111"),
            settings=Settings(duplicate_window=0, test_request=test),
        ),
    )


def codes(result: TransactionResult) -> tuple[int, int]:
    return result.response_code, result.reason_code


# --------------------------------------------------------------------------- capture


def test_capture_in_full_moves_the_authorization_to_captured(gateway: Gateway) -> None:
    ref = authorize(gateway)

    result = capture(gateway, ref)

    assert codes(result) == (1, 1)
    assert result.record is not None
    assert result.record.ref == ref
    stored = gateway.stored(ref)
    assert (stored.status, stored.settle_amount) == (S.CAPTURED_PENDING_SETTLEMENT, Decimal("20.00"))
    assert stored.updated_at == gateway.clock.now()
    kind, request = gateway.processor.follow_ups[-1]
    assert kind == "capture"
    assert request.processor_reference == stored.processor_reference
    assert request.amount == money("20.00")


def test_a_partial_capture_settles_less(gateway: Gateway) -> None:
    ref = authorize(gateway)

    assert codes(capture(gateway, ref, "12.50")) == (1, 1)
    assert gateway.stored(ref).settle_amount == Decimal("12.50")


def test_capture_up_to_the_authorized_amount_exactly(gateway: Gateway) -> None:
    assert codes(capture(gateway, authorize(gateway), "20.00")) == (1, 1)


def test_capturing_more_than_authorized_is_reason_47(gateway: Gateway) -> None:
    ref = authorize(gateway)

    assert codes(capture(gateway, ref, "20.01")) == (3, 47)
    assert gateway.stored(ref).status is S.AUTHORIZED_PENDING_CAPTURE


def test_capturing_twice_is_reason_311_and_changes_nothing(gateway: Gateway) -> None:
    ref = authorize(gateway)
    capture(gateway, ref, "5.00")

    result = capture(gateway, ref)

    assert codes(result) == (1, 311)
    assert result.message == "This transaction has already been captured."
    assert result.record is not None
    assert result.record.settle_amount == Decimal("5.00")
    assert gateway.stored(ref).settle_amount == Decimal("5.00")
    assert [kind for kind, _ in gateway.processor.follow_ups] == ["capture"]


def test_capturing_a_voided_authorization_is_reason_310(gateway: Gateway) -> None:
    ref = authorize(gateway)
    void(gateway, ref)

    assert codes(capture(gateway, ref)) == (1, 310)


@pytest.mark.parametrize("kind", [K.CHARGE, K.CAPTURE_ONLY])
def test_only_authorizations_are_captured(gateway: Gateway, kind: TransactionKind) -> None:
    ref = gateway.approved(charge(kind=kind, auth_code="ABC123")).ref

    assert codes(capture(gateway, ref)) == (3, 16)


def test_capturing_an_unknown_transaction_is_reason_16(gateway: Gateway) -> None:
    assert codes(capture(gateway, "99999999999")) == (3, 16)


def test_capturing_another_merchants_authorization_is_reason_16(gateway: Gateway) -> None:
    ref = authorize(gateway)
    other, _ = gateway.app.services.merchants.create("Other shop")

    result = gateway.payments.capture(other, ref, None, NO_ORDER)

    assert codes(result) == (3, 16)
    assert gateway.stored(ref).status is S.AUTHORIZED_PENDING_CAPTURE


def test_a_declined_authorization_cannot_be_captured(gateway: Gateway) -> None:
    result = gateway.charge(charge(kind=K.AUTHORIZATION, zip_code="46282"))
    assert result.record is not None

    assert codes(capture(gateway, result.record.ref)) == (3, 16)


@pytest.mark.parametrize("amount", ["0.00", "-1.00", "1.001"])
def test_capture_amounts_must_be_valid(gateway: Gateway, amount: str) -> None:
    assert codes(capture(gateway, authorize(gateway), amount)) == (3, 5)


def test_a_zero_dollar_authorization_cannot_be_captured(gateway: Gateway) -> None:
    assert codes(capture(gateway, authorize(gateway, "0.00"))) == (3, 5)


def test_an_authorization_is_capturable_for_30_days(gateway: Gateway) -> None:
    ref = authorize(gateway)
    gateway.clock.advance(AUTHORIZATION_LIFETIME)

    assert codes(capture(gateway, ref)) == (1, 1)


def test_after_30_days_an_authorization_expires_and_cannot_be_captured(gateway: Gateway) -> None:
    ref = authorize(gateway)
    gateway.clock.advance(AUTHORIZATION_LIFETIME + timedelta(seconds=1))
    assert gateway.payments.get(gateway.merchant, ref).status is S.EXPIRED  # read as expired
    assert gateway.stored(ref).status is S.AUTHORIZED_PENDING_CAPTURE  # not yet written

    result = capture(gateway, ref)

    assert codes(result) == (3, 16)
    assert gateway.stored(ref).status is S.EXPIRED  # the attempt moved it
    assert gateway.processor.follow_ups == []


def test_an_expired_authorization_cannot_be_voided(gateway: Gateway) -> None:
    ref = authorize(gateway)
    gateway.clock.advance(AUTHORIZATION_LIFETIME + timedelta(days=1))

    assert codes(void(gateway, ref)) == (3, 327)
    assert gateway.stored(ref).status is S.EXPIRED


def test_re_submitted_order_details_go_with_the_capture(gateway: Gateway) -> None:
    ref = authorize(gateway)

    result = capture(gateway, ref, order=OrderDetails(invoice_number="INV-CAP"))

    assert result.record is not None
    assert result.record.invoice_number == "INV-CAP"
    assert gateway.stored(ref).invoice_number == "INV-CAP"


def test_a_processor_refusing_a_capture_changes_nothing(gateway: Gateway) -> None:
    ref = authorize(gateway)
    gateway.processor.force_next(gateway.merchant.key, ProcessorResult(Outcome.ERROR, 16))

    assert codes(capture(gateway, ref)) == (3, 16)
    assert gateway.stored(ref).status is S.AUTHORIZED_PENDING_CAPTURE
    assert codes(capture(gateway, ref)) == (1, 1)


# --------------------------------------------------------------------------- void


@pytest.mark.parametrize(
    ("kind", "capture_first"),
    [
        (K.AUTHORIZATION, False),
        (K.AUTHORIZATION, True),
        (K.CHARGE, False),
        (K.CAPTURE_ONLY, False),
    ],
)
def test_unsettled_transactions_can_be_voided(
    gateway: Gateway, kind: TransactionKind, capture_first: bool
) -> None:
    ref = gateway.approved(charge(kind=kind, auth_code="ABC123")).ref
    if capture_first:
        capture(gateway, ref)

    result = void(gateway, ref)

    assert codes(result) == (1, 1)
    assert result.record is not None
    assert result.record.status is S.VOIDED
    assert gateway.stored(ref).status is S.VOIDED
    assert gateway.processor.follow_ups[-1][0] == "void"


def test_voiding_twice_is_reason_310(gateway: Gateway) -> None:
    ref = gateway.approved().ref
    void(gateway, ref)

    result = void(gateway, ref)

    assert codes(result) == (1, 310)
    assert result.message == "This transaction has already been voided."


def test_a_settled_transaction_cannot_be_voided(gateway: Gateway) -> None:
    ref = gateway.settled_charge().ref

    assert codes(void(gateway, ref)) == (3, 327)
    assert gateway.stored(ref).status is S.SETTLED


def test_a_declined_transaction_cannot_be_voided(gateway: Gateway) -> None:
    result = gateway.charge(charge(zip_code="46282"))
    assert result.record is not None

    assert codes(void(gateway, result.record.ref)) == (3, 327)


def test_voiding_an_unknown_transaction_is_reason_16(gateway: Gateway) -> None:
    assert codes(void(gateway, "99999999999")) == (3, 16)


# --------------------------------------------------------------------------- refund


def test_a_refund_is_a_new_transaction_crediting_the_settled_one(gateway: Gateway) -> None:
    original = gateway.settled_charge("30.00")
    gateway.clock.advance(timedelta(days=3))

    result = refund(gateway, original.ref, "12.00")

    assert codes(result) == (1, 1)
    record = result.record
    assert record is not None
    assert record.ref != original.ref
    assert (record.kind, record.status) == (K.REFUND, S.REFUND_PENDING_SETTLEMENT)
    assert (record.amount, record.settle_amount) == (Decimal("12.00"), Decimal("12.00"))
    assert record.ref_trans_ref == original.ref
    assert (record.account_last4, record.account_type) == ("1111", "Visa")
    assert gateway.stored(record.ref) == record
    credited = gateway.stored(original.ref)
    assert (credited.status, credited.refunded) == (S.SETTLED, Decimal("12.00"))
    with gateway.units(write=False) as uow:
        assert [item.ref for item in uow.transactions.refunds_of(gateway.merchant.key, original.ref)] == [
            record.ref
        ]


def test_several_partial_refunds_up_to_the_settled_amount(gateway: Gateway) -> None:
    ref = gateway.settled_charge("30.00").ref

    assert codes(refund(gateway, ref, "10.00")) == (1, 1)
    assert codes(refund(gateway, ref, "20.00")) == (1, 1)
    assert codes(refund(gateway, ref, "0.01")) == (3, 55)
    assert gateway.stored(ref).refunded == Decimal("30.00")


def test_refunding_more_than_was_settled_is_reason_55(gateway: Gateway) -> None:
    ref = gateway.settled_charge("30.00").ref

    result = refund(gateway, ref, "30.01")

    assert codes(result) == (3, 55)
    assert result.record is None
    assert gateway.stored(ref).refunded == Decimal("0.00")


def test_a_partially_captured_authorization_refunds_what_was_captured(gateway: Gateway) -> None:
    ref = authorize(gateway, "20.00")
    capture(gateway, ref, "15.00")
    gateway.settle(ref)

    assert codes(refund(gateway, ref, "15.01")) == (3, 55)
    assert codes(refund(gateway, ref, "15.00")) == (1, 1)


@pytest.mark.parametrize("settle", [False, True])
def test_refunding_an_unsettled_transaction_is_reason_54(gateway: Gateway, settle: bool) -> None:
    ref = authorize(gateway)
    if settle:
        capture(gateway, ref)

    result = refund(gateway, ref)

    assert codes(result) == (3, 54)
    assert "void" in result.message


def test_refunds_are_accepted_for_120_days_after_settlement(gateway: Gateway) -> None:
    ref = gateway.settled_charge().ref
    gateway.clock.advance(REFUND_WINDOW)

    assert codes(refund(gateway, ref)) == (1, 1)


def test_refunding_later_than_120_days_after_settlement_is_reason_54(gateway: Gateway) -> None:
    ref = gateway.settled_charge().ref
    gateway.clock.advance(REFUND_WINDOW + timedelta(seconds=1))

    assert codes(refund(gateway, ref)) == (3, 54)


@pytest.mark.parametrize("source", [MaskedSource("XXXX0015"), MaskedSource("0015"), card(MASTERCARD), bank()])
def test_refunding_to_another_account_is_reason_54(gateway: Gateway, source: PaymentSource) -> None:
    ref = gateway.settled_charge().ref

    assert codes(refund(gateway, ref, source=source)) == (3, 54)


@pytest.mark.parametrize("source", [MaskedSource("1111"), MaskedSource("XXXX1111"), card()])
def test_the_last_four_digits_name_the_account(gateway: Gateway, source: PaymentSource) -> None:
    assert codes(refund(gateway, gateway.settled_charge().ref, source=source)) == (1, 1)


def test_a_bank_debit_is_refunded_to_its_account(gateway: Gateway) -> None:
    ref = gateway.settled_charge("50.00", bank()).ref

    result = refund(gateway, ref, "50.00", MaskedSource("XXXX" + ACCOUNT[-4:]))

    assert codes(result) == (1, 1)
    assert result.record is not None
    assert result.record.account_type == "eCheck"


def test_a_profile_charge_is_refunded_to_the_profile(gateway: Gateway) -> None:
    source = gateway.profile()
    ref = gateway.settled_charge("40.00", source).ref

    result = refund(gateway, ref, "40.00", source)

    assert codes(result) == (1, 1)
    assert result.record is not None
    assert result.record.payment_profile_ref == source.payment_profile_ref


def test_refunding_to_an_unknown_profile_is_record_not_found(gateway: Gateway) -> None:
    ref = gateway.settled_charge().ref
    source = replace(gateway.profile(), payment_profile_ref="1999999999")

    assert codes(refund(gateway, ref, source=source)) == (3, 16)


def test_a_refund_cannot_be_refunded(gateway: Gateway) -> None:
    ref = gateway.settled_charge("30.00").ref
    refund_result = refund(gateway, ref, "10.00")
    assert refund_result.record is not None
    gateway.settle(refund_result.record.ref)

    assert codes(refund(gateway, refund_result.record.ref, "1.00")) == (3, 54)


def test_refunding_an_unknown_transaction_is_reason_16(gateway: Gateway) -> None:
    assert codes(refund(gateway, "99999999999")) == (3, 16)


def test_unlinked_credits_are_not_enabled(gateway: Gateway) -> None:
    result = refund(gateway, None, source=card())

    assert codes(result) == (3, 54)
    assert gateway.count() == 0


@pytest.mark.parametrize("amount", ["0.00", "-5.00", "1.001"])
def test_refund_amounts_must_be_valid(gateway: Gateway, amount: str) -> None:
    assert codes(refund(gateway, gateway.settled_charge().ref, amount)) == (3, 5)


def test_a_test_refund_checks_the_rules_and_changes_nothing(gateway: Gateway) -> None:
    ref = gateway.settled_charge("30.00").ref
    count = gateway.count()

    allowed = refund(gateway, ref, "30.00", test=True)
    refused = refund(gateway, ref, "30.01", test=True)

    assert (codes(allowed), allowed.test_request, allowed.record) == ((1, 1), True, None)
    assert (codes(refused), refused.test_request) == ((3, 55), True)
    assert gateway.count() == count
    assert gateway.stored(ref).refunded == Decimal("0.00")
    assert [kind for kind, _ in gateway.processor.follow_ups] == []


def test_a_processor_refusing_a_refund_stores_nothing(gateway: Gateway) -> None:
    ref = gateway.settled_charge().ref
    count = gateway.count()
    gateway.processor.force_next(gateway.merchant.key, ProcessorResult(Outcome.DECLINED, 2))

    assert codes(refund(gateway, ref)) == (2, 2)
    assert gateway.count() == count
    assert gateway.stored(ref).refunded == Decimal("0.00")


# --------------------------------------------------------------------------- void of a refund


def test_voiding_a_refund_gives_its_amount_back(gateway: Gateway) -> None:
    ref = gateway.settled_charge("30.00").ref
    first = refund(gateway, ref, "30.00").record
    assert first is not None
    assert codes(refund(gateway, ref, "1.00")) == (3, 55)

    result = void(gateway, first.ref)

    assert codes(result) == (1, 1)
    assert gateway.stored(first.ref).status is S.VOIDED
    assert gateway.stored(ref).refunded == Decimal("0.00")
    assert codes(refund(gateway, ref, "30.00")) == (1, 1)
    assert gateway.stored(ref).refunded == Decimal("30.00")


def test_voiding_a_refund_twice_gives_back_once(gateway: Gateway) -> None:
    ref = gateway.settled_charge("30.00").ref
    first = refund(gateway, ref, "10.00").record
    refund(gateway, ref, "5.00")
    assert first is not None

    void(gateway, first.ref)
    assert codes(void(gateway, first.ref)) == (1, 310)

    assert gateway.stored(ref).refunded == Decimal("5.00")


def test_a_settled_refund_cannot_be_voided(gateway: Gateway) -> None:
    ref = gateway.settled_charge("30.00").ref
    first = refund(gateway, ref, "10.00").record
    assert first is not None
    gateway.settle(first.ref)

    assert codes(void(gateway, first.ref)) == (3, 327)
    assert gateway.stored(ref).refunded == Decimal("10.00")


def test_money_is_decimal_throughout(gateway: Gateway) -> None:
    ref = gateway.settled_charge("0.30").ref
    for _ in range(3):
        assert codes(refund(gateway, ref, "0.10")) == (1, 1)

    stored = gateway.stored(ref)
    assert stored.refunded == stored.settle_amount == Decimal("0.30")
    assert isinstance(stored.refunded, Decimal)
    assert Money(stored.refunded) == money("0.30")
