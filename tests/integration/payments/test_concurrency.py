"""Two threads acting on one transaction at once (lined up by a barrier): exactly one wins, and
a lost compare-and-set is answered from the winner's state, never applied twice."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from types import TracebackType
from typing import Any

from strongroom.domain.transactions import AUTHORIZATION_LIFETIME, TransactionKind, TransactionStatus
from strongroom.services.payments.facade import Payments
from strongroom.services.ports import (
    TransactionRecord,
    TransactionRepository,
    UnitOfWork,
    ValidationRecord,
)
from strongroom.services.transactions.requests import (
    MaskedSource,
    OrderDetails,
    RefundRequest,
    Settings,
    TransactionResult,
)
from tests.integration.payments.conftest import Gateway, charge, money
from tests.integration.storage.threads import run_together

S = TransactionStatus


def codes(results: Sequence[TransactionResult]) -> list[tuple[int, int]]:
    return sorted((result.response_code, result.reason_code) for result in results)


def refund_request(ref: str, amount: str) -> RefundRequest:
    return RefundRequest(ref, money(amount), MaskedSource("1111"), settings=Settings(duplicate_window=0))


def authorization(gateway: Gateway) -> str:
    return gateway.approved(charge("20.00", kind=TransactionKind.AUTHORIZATION)).ref


def test_two_captures_of_one_authorization_capture_it_once(gateway: Gateway) -> None:
    ref = authorization(gateway)

    def capture(index: int, barrier: threading.Barrier) -> TransactionResult:
        amount = money("15.00" if index else "20.00")
        barrier.wait()
        return gateway.payments.capture(gateway.merchant, ref, amount, OrderDetails())

    results = run_together(capture)

    assert codes(results) == [(1, 1), (1, 311)]
    winner = next(result for result in results if result.reason_code == 1)
    assert winner.record is not None
    stored = gateway.stored(ref)
    assert (stored.status, stored.settle_amount) == (
        S.CAPTURED_PENDING_SETTLEMENT,
        winner.record.settle_amount,
    )
    assert [kind for kind, _ in gateway.processor.follow_ups] == ["capture"]


def test_two_voids_of_one_transaction_void_it_once(gateway: Gateway) -> None:
    ref = gateway.approved().ref

    def void(_index: int, barrier: threading.Barrier) -> TransactionResult:
        barrier.wait()
        return gateway.payments.void(gateway.merchant, ref)

    assert codes(run_together(void)) == [(1, 1), (1, 310)]
    assert gateway.stored(ref).status is S.VOIDED
    assert [kind for kind, _ in gateway.processor.follow_ups] == ["void"]


def test_two_full_refunds_of_one_transaction_refund_it_once(gateway: Gateway) -> None:
    ref = gateway.settled_charge("30.00").ref
    count = gateway.count()

    def refund(_index: int, barrier: threading.Barrier) -> TransactionResult:
        barrier.wait()
        return gateway.payments.refund(gateway.merchant, refund_request(ref, "30.00"))

    assert codes(run_together(refund)) == [(1, 1), (3, 55)]
    assert gateway.stored(ref).refunded == Decimal("30.00")
    assert gateway.count() == count + 1


def test_partial_refunds_racing_past_the_settled_amount_stop_at_it(gateway: Gateway) -> None:
    ref = gateway.settled_charge("30.00").ref

    def refund(index: int, barrier: threading.Barrier) -> TransactionResult:
        amount = "20.00" if index else "15.00"
        barrier.wait()
        return gateway.payments.refund(gateway.merchant, refund_request(ref, amount))

    results = run_together(refund)

    assert codes(results) == [(1, 1), (3, 55)]
    winner = next(result for result in results if result.response_code == 1)
    assert winner.record is not None
    assert gateway.stored(ref).refunded == winner.record.amount


def test_capture_racing_void_always_ends_voided(gateway: Gateway) -> None:
    ref = authorization(gateway)

    def act(index: int, barrier: threading.Barrier) -> TransactionResult:
        barrier.wait()
        if index:
            return gateway.payments.void(gateway.merchant, ref)
        return gateway.payments.capture(gateway.merchant, ref, None, OrderDetails())

    capture, void = run_together(act)

    assert (void.response_code, void.reason_code) == (1, 1)
    assert (capture.response_code, capture.reason_code) in ((1, 1), (1, 310))
    assert gateway.stored(ref).status is S.VOIDED


def test_a_refund_racing_the_void_of_another_keeps_the_balance_right(gateway: Gateway) -> None:
    ref = gateway.settled_charge("30.00").ref
    first = gateway.payments.refund(gateway.merchant, refund_request(ref, "30.00")).record
    assert first is not None

    def act(index: int, barrier: threading.Barrier) -> TransactionResult:
        barrier.wait()
        if index:
            return gateway.payments.void(gateway.merchant, first.ref)
        return gateway.payments.refund(gateway.merchant, refund_request(ref, "30.00"))

    refund, void = run_together(act)

    assert (void.response_code, void.reason_code) == (1, 1)
    assert (refund.response_code, refund.reason_code) in ((1, 1), (3, 55))
    with gateway.units(write=False) as uow:
        live = [
            item.amount
            for item in uow.transactions.refunds_of(gateway.merchant.key, ref)
            if item.status is not S.VOIDED
        ]
    assert gateway.stored(ref).refunded == sum(live, Decimal("0.00"))


# --------------------------------------------------------------------------- lost compare-and-set


class StaleTransactions:
    """The real repository, except that locking `stale.ref` hands back an old snapshot: as if
    another writer had changed the row between the read and the write."""

    def __init__(self, real: TransactionRepository, stale: TransactionRecord) -> None:
        self._real = real
        self._stale = stale

    def add_validation(self, record: ValidationRecord) -> str:
        return self._real.add_validation(record)

    def add(self, record: TransactionRecord) -> str:
        return self._real.add(record)

    def get(self, merchant_key: int, ref: str, *, lock: bool = False) -> TransactionRecord | None:
        current = self._real.get(merchant_key, ref, lock=lock)
        return self._stale if lock and ref == self._stale.ref else current

    def find_duplicate(
        self, merchant_key: int, duplicate_key: str, since: datetime
    ) -> TransactionRecord | None:
        return self._real.find_duplicate(merchant_key, duplicate_key, since)

    def update(self, record: TransactionRecord, expected_status: TransactionStatus) -> bool:
        return self._real.update(record, expected_status)

    def refunds_of(self, merchant_key: int, ref: str) -> Sequence[TransactionRecord]:
        return self._real.refunds_of(merchant_key, ref)


class StaleUnit:
    """The real unit of work, but its transactions repository reads `stale`."""

    def __init__(self, real: UnitOfWork, stale: TransactionRecord) -> None:
        self._real = real
        self._stale = stale

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def __enter__(self) -> UnitOfWork:
        self._real.__enter__()
        self.transactions: TransactionRepository = StaleTransactions(self._real.transactions, self._stale)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._real.__exit__(exc_type, exc, tb)

    def commit(self) -> None:
        self._real.commit()


def stale_payments(gateway: Gateway, stale: TransactionRecord) -> Payments:
    def units(*, write: bool = True) -> UnitOfWork:
        return StaleUnit(gateway.units(write=write), stale)

    services = gateway.app.services
    return Payments(
        units,
        gateway.app.vault,
        gateway.processor,
        gateway.clock,
        services.customer_profiles,
        services.payment_profiles,
        services.transaction_instruments,
    )


def test_a_capture_that_loses_its_compare_and_set_answers_already_captured(gateway: Gateway) -> None:
    ref = authorization(gateway)
    before = gateway.stored(ref)
    gateway.payments.capture(gateway.merchant, ref, money("5.00"), OrderDetails())

    result = stale_payments(gateway, before).capture(gateway.merchant, ref, None, OrderDetails())

    assert (result.response_code, result.reason_code) == (1, 311)
    assert result.record is not None
    assert result.record.settle_amount == Decimal("5.00")
    assert gateway.stored(ref).settle_amount == Decimal("5.00")


def test_a_void_that_loses_its_compare_and_set_answers_already_voided(gateway: Gateway) -> None:
    ref = gateway.approved().ref
    before = gateway.stored(ref)
    gateway.payments.void(gateway.merchant, ref)

    result = stale_payments(gateway, before).void(gateway.merchant, ref)

    assert (result.response_code, result.reason_code) == (1, 310)
    assert gateway.stored(ref).status is S.VOIDED


def test_a_lost_expiry_write_is_answered_from_the_current_state(gateway: Gateway) -> None:
    ref = authorization(gateway)
    before = gateway.stored(ref)
    gateway.payments.void(gateway.merchant, ref)
    gateway.clock.advance(AUTHORIZATION_LIFETIME + timedelta(days=1))

    result = stale_payments(gateway, before).capture(gateway.merchant, ref, None, OrderDetails())

    assert (result.response_code, result.reason_code) == (1, 310)
    assert gateway.stored(ref).status is S.VOIDED
