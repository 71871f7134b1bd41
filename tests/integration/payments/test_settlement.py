"""Settlement on both engines: captured card and eCheck transactions settle into separate
batches at the merchant's cut-off, refunds settle, stale authorisations expire, and a run is
idempotent and happens once however many threads run it at the same time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from strongroom.domain.batches import BatchState
from strongroom.domain.merchants import Merchant
from strongroom.domain.transactions import AUTHORIZATION_LIFETIME, TransactionKind, TransactionStatus
from strongroom.services.ports import (
    BatchTotals,
    PageRequest,
    ProcessorResult,
    ProcessorUnavailable,
)
from strongroom.services.settlement import ClosedBatch, Settlement, SettlementReport
from strongroom.services.transactions.requests import MaskedSource, OrderDetails, RefundRequest, Settings
from tests.integration.payments.conftest import (
    DECLINE_ZIP,
    MASTERCARD,
    Gateway,
    bank,
    card,
    charge,
    money,
)
from tests.integration.storage.threads import run_together

S = TransactionStatus
# The gateway's clock starts at 2026-11-22 12:00 UTC (04:00 PST); that day's cut-off is 16:00 PST.
CUTOFF = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)


def settlement(gateway: Gateway) -> Settlement:
    return gateway.app.services.settlement


def move_to(gateway: Gateway, instant: datetime) -> None:
    assert instant >= gateway.clock.now()
    gateway.clock.advance(instant - gateway.clock.now())


def close_at(gateway: Gateway, instant: datetime) -> SettlementReport:
    move_to(gateway, instant)
    return settlement(gateway).close_batches(gateway.clock.now())


def by_method(report: SettlementReport) -> dict[str, ClosedBatch]:
    batches = {batch.payment_method: batch for batch in report.batches}
    assert len(batches) == len(report.batches), report
    return batches


def refund(gateway: Gateway, ref: str, amount: str) -> str:
    result = gateway.payments.refund(
        gateway.merchant,
        RefundRequest(ref, money(amount), MaskedSource("1111"), settings=Settings(duplicate_window=0)),
    )
    assert (result.response_code, result.reason_code) == (1, 1), result
    assert result.record is not None
    return result.record.ref


def count_batches(gateway: Gateway) -> int:
    with gateway.units(write=False) as uow:
        return len(uow.batches.settled_between(gateway.merchant.key, CUTOFF - 30 * DAY, CUTOFF + 60 * DAY))


# --------------------------------------------------------------------------- what settles


def test_captured_card_and_echeck_charges_settle_into_separate_batches(gateway: Gateway) -> None:
    visa = gateway.approved(charge("10.00"))
    mastercard = gateway.approved(charge("5.50", card(MASTERCARD)))
    echeck = gateway.approved(charge("20.00", bank()))
    authorized = gateway.approved(charge("7.00", kind=TransactionKind.AUTHORIZATION))
    voided = gateway.approved(charge("3.00"))
    assert gateway.payments.void(gateway.merchant, voided.ref).response_code == 1

    report = close_at(gateway, CUTOFF + MINUTE)

    assert (report.merchants, report.settled, report.expired) == (1, 3, 0)
    batches = by_method(report)
    assert set(batches) == {"card", "bank"}
    cards, checks = batches["card"], batches["bank"]
    # The voided charge joins the card batch as it is: counted as a void, never settled.
    assert cards.statistics == (
        BatchTotals("MasterCard", 1, Decimal("5.50")),
        BatchTotals("Visa", 1, Decimal("10.00"), void_count=1),
    )
    assert checks.statistics == (BatchTotals("eCheck", 1, Decimal("20.00")),)
    assert cards.ref != checks.ref
    for batch in (cards, checks):
        assert batch.ref.isdigit()
        assert len(batch.ref) == 8
        assert batch.settled_at == CUTOFF
        assert batch.settled_local == datetime(2026, 11, 22, 16, 0)
        assert batch.login_id == gateway.merchant.login_id
    for record, batch in ((visa, cards), (mastercard, cards), (echeck, checks)):
        stored = gateway.stored(record.ref)
        assert (stored.status, stored.settled_at, stored.batch_ref) == (S.SETTLED, CUTOFF, batch.ref)
        assert stored.settle_amount == record.settle_amount
    assert gateway.stored(authorized.ref).status is S.AUTHORIZED_PENDING_CAPTURE
    assert gateway.stored(authorized.ref).batch_ref is None
    assert gateway.stored(voided.ref).status is S.VOIDED
    assert gateway.stored(voided.ref).batch_ref == cards.ref
    assert gateway.stored(voided.ref).settled_at is None


def test_stored_batches_carry_their_statistics(gateway: Gateway) -> None:
    gateway.approved(charge("10.00"))
    gateway.approved(charge("2.25"))
    gateway.approved(charge("20.00", bank()))
    report = close_at(gateway, CUTOFF + MINUTE)

    stored = settlement(gateway).batches(gateway.merchant, CUTOFF, CUTOFF)

    assert sorted(batch.ref for batch in stored) == sorted(item.ref for item in report.batches)
    for batch in stored:
        assert (batch.state, batch.settled_at, batch.timezone) == (
            BatchState.SETTLED,
            CUTOFF,
            "America/Los_Angeles",
        )
        assert batch == settlement(gateway).batch(gateway.merchant, batch.ref)
    cards = next(batch for batch in stored if batch.payment_method == "card")
    assert cards.statistics == (BatchTotals("Visa", 2, Decimal("12.25")),)
    assert settlement(gateway).batches(gateway.merchant, CUTOFF + MINUTE, CUTOFF + DAY) == []


def test_nothing_settles_before_the_cutoff_and_everything_due_at_it(gateway: Gateway) -> None:
    ref = gateway.approved(charge()).ref

    early = close_at(gateway, CUTOFF - MINUTE)

    assert early.batches == ()  # it closed the day before's cut-off, which had nothing
    assert gateway.stored(ref).status is S.CAPTURED_PENDING_SETTLEMENT

    on_time = close_at(gateway, CUTOFF)

    assert [batch.settled_at for batch in on_time.batches] == [CUTOFF]
    assert gateway.stored(ref).status is S.SETTLED


def test_a_charge_just_after_the_cutoff_waits_for_the_next_one(gateway: Gateway) -> None:
    before = gateway.approved(charge("1.00")).ref
    move_to(gateway, CUTOFF)
    after = gateway.approved(charge("2.00")).ref  # at the cut-off instant: tomorrow's batch

    first = close_at(gateway, CUTOFF + MINUTE)

    assert first.settled == 1
    assert gateway.stored(before).status is S.SETTLED
    assert gateway.stored(after).status is S.CAPTURED_PENDING_SETTLEMENT

    second = close_at(gateway, CUTOFF + DAY)

    assert [(batch.settled_at, batch.count) for batch in second.batches] == [(CUTOFF + DAY, 1)]
    assert gateway.stored(after).settled_at == CUTOFF + DAY


def test_a_prior_auth_capture_settles_at_the_cutoff_after_the_capture(gateway: Gateway) -> None:
    ref = gateway.approved(charge("20.00", kind=TransactionKind.AUTHORIZATION)).ref
    move_to(gateway, CUTOFF + timedelta(hours=1))
    assert gateway.payments.capture(gateway.merchant, ref, money("15.00"), OrderDetails()).response_code == 1

    assert close_at(gateway, CUTOFF + timedelta(hours=2)).batches == ()
    report = close_at(gateway, CUTOFF + DAY + MINUTE)

    assert report.batches[0].statistics == (BatchTotals("Visa", 1, Decimal("15.00")),)
    stored = gateway.stored(ref)
    assert (stored.status, stored.settled_at, stored.settle_amount) == (
        S.SETTLED,
        CUTOFF + DAY,
        Decimal("15.00"),
    )


def test_after_several_cutoffs_each_day_gets_its_own_batch(gateway: Gateway) -> None:
    first = gateway.approved(charge("1.00")).ref
    move_to(gateway, CUTOFF + timedelta(hours=12))
    second = gateway.approved(charge("2.00")).ref

    report = close_at(gateway, CUTOFF + 2 * DAY + MINUTE)

    assert [(batch.settled_at, batch.charged) for batch in report.batches] == [
        (CUTOFF, Decimal("1.00")),
        (CUTOFF + DAY, Decimal("2.00")),
    ]
    assert gateway.stored(first).settled_at == CUTOFF
    assert gateway.stored(second).settled_at == CUTOFF + DAY


def test_running_again_changes_nothing(gateway: Gateway) -> None:
    ref = gateway.approved(charge()).ref
    first = close_at(gateway, CUTOFF + MINUTE)
    settled = gateway.stored(ref)

    again = settlement(gateway).close_batches(gateway.clock.now())
    later_that_day = close_at(gateway, CUTOFF + timedelta(hours=20))

    assert len(first.batches) == 1
    assert (again.merchants, again.batches) == (0, ())
    assert (later_that_day.merchants, later_that_day.batches) == (0, ())
    assert gateway.stored(ref) == settled
    assert count_batches(gateway) == 1


# --------------------------------------------------------------------------- refunds, expiry


def test_refunds_settle_and_count_as_refunds(gateway: Gateway) -> None:
    original = gateway.approved(charge("30.00")).ref
    first = close_at(gateway, CUTOFF + MINUTE)
    move_to(gateway, CUTOFF + timedelta(hours=2))
    refunded = refund(gateway, original, "12.00")
    voided = refund(gateway, original, "5.00")
    assert gateway.payments.void(gateway.merchant, voided).response_code == 1

    report = close_at(gateway, CUTOFF + DAY + MINUTE)

    assert report.batches[0].statistics == (
        BatchTotals("Visa", 0, Decimal("0.00"), 1, Decimal("12.00"), void_count=1),
    )
    stored = gateway.stored(refunded)
    assert (stored.status, stored.settled_at, stored.batch_ref) == (
        S.REFUND_SETTLED,
        CUTOFF + DAY,
        report.batches[0].ref,
    )
    assert gateway.stored(voided).status is S.VOIDED
    credited = gateway.stored(original)
    assert (credited.status, credited.refunded, credited.batch_ref) == (
        S.SETTLED,
        Decimal("12.00"),
        first.batches[0].ref,
    )


def test_authorizations_older_than_thirty_days_expire_at_the_run(gateway: Gateway) -> None:
    stale = gateway.approved(charge("9.00", kind=TransactionKind.AUTHORIZATION)).ref
    move_to(gateway, gateway.clock.now() + 29 * DAY)
    fresh = gateway.approved(charge("8.00", kind=TransactionKind.AUTHORIZATION)).ref

    report = settlement(gateway).close_batches(gateway.clock.now() + AUTHORIZATION_LIFETIME - 29 * DAY + DAY)

    assert (report.expired, report.batches) == (1, ())
    assert gateway.stored(stale).status is S.EXPIRED
    assert gateway.stored(fresh).status is S.AUTHORIZED_PENDING_CAPTURE


# --------------------------------------------------------------------------- merchants


def other_merchant(gateway: Gateway) -> Merchant:
    merchant, _ = gateway.app.services.merchants.create("Other shop")
    return merchant


def test_each_merchant_gets_its_own_batches(gateway: Gateway) -> None:
    other = other_merchant(gateway)
    mine = gateway.approved(charge("1.00")).ref
    result = gateway.payments.charge(other, charge("2.00"))
    assert result.record is not None

    report = close_at(gateway, CUTOFF + MINUTE)

    assert report.merchants == 2
    owners = {batch.merchant_key: batch for batch in report.batches}
    assert set(owners) == {gateway.merchant.key, other.key}
    assert owners[other.key].charged == Decimal("2.00")
    assert gateway.stored(mine).batch_ref == owners[gateway.merchant.key].ref
    assert settlement(gateway).batches(other, CUTOFF, CUTOFF)[0].ref == owners[other.key].ref


def test_a_merchant_can_have_its_own_cutoff_and_time_zone(gateway: Gateway) -> None:
    other = other_merchant(gateway)
    rule = settlement(gateway).set_rule(gateway.merchant, "09:00", "America/New_York")
    mine = gateway.approved(charge("1.00")).ref  # 07:00 EST
    theirs = gateway.payments.charge(other, charge("2.00")).record
    assert theirs is not None
    new_york_cutoff = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)  # 09:00 EST

    report = close_at(gateway, new_york_cutoff + MINUTE)

    assert (rule.text, rule.timezone) == ("09:00", "America/New_York")
    assert settlement(gateway).rule(gateway.merchant) == rule
    assert [(batch.merchant_key, batch.settled_at, batch.settled_local) for batch in report.batches] == [
        (gateway.merchant.key, new_york_cutoff, datetime(2026, 11, 22, 9, 0))
    ]
    assert gateway.stored(mine).status is S.SETTLED
    with gateway.units(write=False) as uow:
        untouched = uow.transactions.get(other.key, theirs.ref)
    assert untouched is not None
    assert untouched.status is S.CAPTURED_PENDING_SETTLEMENT


def test_changing_the_time_zone_keeps_the_cutoff_time(gateway: Gateway) -> None:
    settlement(gateway).set_rule(gateway.merchant, "15:30")
    rule = settlement(gateway).set_rule(gateway.merchant, "15:30", "Europe/Berlin")

    assert (rule.text, rule.timezone) == ("15:30", "Europe/Berlin")


# --------------------------------------------------------------------------- at the same time


def test_runs_at_the_same_time_settle_each_transaction_once(gateway: Gateway) -> None:
    other = other_merchant(gateway)
    refs = [gateway.approved(charge(amount)).ref for amount in ("1.00", "2.00", "3.00")]
    refs.append(gateway.approved(charge("4.00", bank())).ref)
    assert gateway.payments.charge(other, charge("5.00")).record is not None
    move_to(gateway, CUTOFF + MINUTE)
    now = gateway.clock.now()

    def close(_index: int, barrier: threading.Barrier) -> SettlementReport:
        barrier.wait()
        return settlement(gateway).close_batches(now)

    reports = run_together(close, threads=3)

    batches = [batch for report in reports for batch in report.batches]
    assert len(batches) == 3  # card and eCheck for one merchant, card for the other
    assert sum(report.merchants for report in reports) == 2
    assert sum(batch.count for batch in batches) == 5
    mine = [batch for batch in batches if batch.merchant_key == gateway.merchant.key]
    assert sorted(batch.charged for batch in mine) == [Decimal("4.00"), Decimal("6.00")]
    assert count_batches(gateway) == 2
    for batch in settlement(gateway).batches(gateway.merchant, CUTOFF, CUTOFF):
        assert sum(item.charge_count for item in batch.statistics) in (1, 3)
    assert all(gateway.stored(ref).status is S.SETTLED for ref in refs)


def test_a_void_racing_the_settlement_run_either_wins_or_is_refused(gateway: Gateway) -> None:
    kept = gateway.approved(charge("1.00")).ref
    raced = gateway.approved(charge("2.00")).ref
    move_to(gateway, CUTOFF + MINUTE)
    now = gateway.clock.now()

    def act(index: int, barrier: threading.Barrier) -> SettlementReport | tuple[int, int]:
        barrier.wait()
        if index:
            result = gateway.payments.void(gateway.merchant, raced)
            return result.response_code, result.reason_code
        return settlement(gateway).close_batches(now)

    report, void = run_together(act)

    assert isinstance(report, SettlementReport)
    (batch,) = report.batches
    status = gateway.stored(raced).status
    if void == (1, 1):  # the void came first: the run did not see it as due
        assert status is S.VOIDED
        assert batch.statistics == (BatchTotals("Visa", 1, Decimal("1.00")),)
    else:  # the run came first: a settled transaction is refunded, not voided
        assert void == (3, 327)
        assert status is S.SETTLED
        assert batch.statistics == (BatchTotals("Visa", 2, Decimal("3.00")),)
    assert gateway.stored(kept).status is S.SETTLED


def test_declines_and_errors_join_the_batch_and_the_batch_is_numbered(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    approved = gateway.approved(charge("10.00")).ref
    gateway.clock.advance(timedelta(seconds=1))
    declined = gateway.charge(charge("4.00", zip_code=DECLINE_ZIP)).record
    assert declined is not None
    gateway.clock.advance(timedelta(seconds=1))
    unreachable = gateway.processor.authorize

    def timeout(*_args: object) -> ProcessorResult:
        raise ProcessorUnavailable("timeout")

    monkeypatch.setattr(gateway.processor, "authorize", timeout)
    errored = gateway.charge(charge("5.00")).record
    monkeypatch.setattr(gateway.processor, "authorize", unreachable)
    assert errored is not None
    held_back = gateway.approved(charge("6.00", kind=TransactionKind.AUTHORIZATION)).ref

    report = close_at(gateway, CUTOFF + MINUTE)

    [batch] = report.batches
    assert batch.statistics == (BatchTotals("Visa", 1, Decimal("10.00"), decline_count=1, error_count=1),)
    assert batch.count == 1  # settled: what moved money
    for ref, status in ((approved, S.SETTLED), (declined.ref, S.DECLINED), (errored.ref, S.GENERAL_ERROR)):
        assert (gateway.stored(ref).status, gateway.stored(ref).batch_ref) == (status, batch.ref)
    assert gateway.stored(held_back).batch_ref is None
    with gateway.units(write=False) as uow:
        page = uow.reporting.batch_transactions(gateway.merchant.key, batch.ref, PageRequest())
    assert [record.ref for record in page.records] == [approved, declined.ref, errored.ref]
    assert close_at(gateway, CUTOFF + 2 * MINUTE).batches == ()  # nothing joins twice
