"""Settlement storage on both engines: schedules, batches and their statistics, the due and
stale-authorisation queries, and the persisted sandbox clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from strongroom.clocks import SandboxClock
from strongroom.domain.batches import BatchState, CutoffRule
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.ports import BatchTotals
from strongroom.storage import SqlUnitOfWorkFactory
from strongroom.storage.sandbox_clock import SqlClockOffsets
from tests.integration.storage.builders import NOW, add_transaction, charge_record, is_ref, later
from tests.integration.storage.conftest import Tenants
from tests.integration.storage.test_refs import ScriptedRefs

S = TransactionStatus
CUTOFF = datetime(2025, 3, 14, 23, 0, tzinfo=UTC)  # 16:00 PDT
SETTLING = frozenset({S.CAPTURED_PENDING_SETTLEMENT, S.REFUND_PENDING_SETTLEMENT})


def test_merchants_start_on_the_default_schedule(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    with uow_factory(write=False) as uow:
        schedules = uow.batches.schedules()
        alice = uow.batches.schedule(tenants.alice.key)

    assert [item.merchant_key for item in schedules] == [tenants.alice.key, tenants.bob.key]
    assert alice == schedules[0]
    assert (alice.rule, alice.closed_through) == (CutoffRule(), None)


def test_a_schedule_changes_and_closes_per_merchant(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    rule = CutoffRule(time(9, 30), "Europe/Berlin")
    with uow_factory() as uow:
        assert uow.batches.schedule(tenants.alice.key, lock=True) is not None
        uow.batches.set_rule(tenants.alice.key, rule)
        uow.batches.close_through(tenants.alice.key, CUTOFF)
        uow.commit()

    with uow_factory(write=False) as uow:
        alice = uow.batches.schedule(tenants.alice.key)
        bob = uow.batches.schedule(tenants.bob.key)
        assert uow.batches.schedule(999_999) is None

    assert alice is not None
    assert bob is not None
    assert (alice.rule, alice.closed_through) == (rule, CUTOFF)
    assert (bob.rule, bob.closed_through) == (CutoffRule(), None)


def test_a_batch_is_opened_once_per_merchant_method_and_cutoff(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    with uow_factory() as uow:
        cards = uow.batches.open(tenants.alice.key, "card", CUTOFF, "America/Los_Angeles", NOW)
        again = uow.batches.open(tenants.alice.key, "card", CUTOFF, "America/Los_Angeles", NOW)
        checks = uow.batches.open(tenants.alice.key, "bank", CUTOFF, "America/Los_Angeles", NOW)
        bobs = uow.batches.open(tenants.bob.key, "card", CUTOFF, "America/Los_Angeles", NOW)
        uow.batches.add_totals(cards, BatchTotals("Visa", 2, Decimal("10.00")))
        uow.batches.add_totals(cards, BatchTotals("Visa", 1, Decimal("5.00"), 1, Decimal("2.50")))
        uow.batches.add_totals(cards, BatchTotals("AmericanExpress", 1, Decimal("99.99")))
        uow.commit()

    assert cards == again
    assert len({cards, checks, bobs}) == 3
    assert all(is_ref(ref, 8) for ref in (cards, checks, bobs))
    with uow_factory(write=False) as uow:
        stored = uow.batches.get(tenants.alice.key, cards)
        assert uow.batches.get(tenants.bob.key, cards) is None  # another merchant's batch
        listed = uow.batches.settled_between(tenants.alice.key, CUTOFF, CUTOFF)
        assert uow.batches.settled_between(tenants.alice.key, later(0), CUTOFF - timedelta(seconds=1)) == []
    assert stored is not None
    assert (stored.payment_method, stored.state, stored.settled_at, stored.timezone, stored.created_at) == (
        "card",
        BatchState.SETTLED,
        CUTOFF,
        "America/Los_Angeles",
        NOW,
    )
    assert stored.statistics == (
        BatchTotals("AmericanExpress", 1, Decimal("99.99")),
        BatchTotals("Visa", 3, Decimal("15.00"), 1, Decimal("2.50")),
    )
    assert sorted(batch.ref for batch in listed) == sorted([cards, checks])


def test_a_batch_ref_clash_is_retried(engine: Engine, tenants: Tenants) -> None:
    units = SqlUnitOfWorkFactory(engine, new_ref=ScriptedRefs(["12345678", "12345678", "23456789"]))
    with units() as uow:
        first = uow.batches.open(tenants.alice.key, "card", CUTOFF, "UTC", NOW)
        second = uow.batches.open(tenants.alice.key, "bank", CUTOFF, "UTC", NOW)
        uow.commit()

    assert (first, second) == ("12345678", "23456789")


def test_due_transactions_are_those_that_reached_a_settling_status_before(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    alice = tenants.alice.key
    captured = charge_record(alice, kind=TransactionKind.CHARGE, status=S.CAPTURED_PENDING_SETTLEMENT)
    early = add_transaction(uow_factory, captured)
    late = add_transaction(uow_factory, replace(captured, submitted_at=CUTOFF))
    authorized = add_transaction(uow_factory, charge_record(alice))
    add_transaction(uow_factory, replace(captured, merchant_key=tenants.bob.key))
    captured_late = add_transaction(uow_factory, charge_record(alice))
    with uow_factory() as uow:
        record = uow.transactions.get(alice, captured_late)
        assert record is not None
        assert uow.transactions.update(
            replace(record, status=S.CAPTURED_PENDING_SETTLEMENT, updated_at=CUTOFF + timedelta(hours=1)),
            expected_status=S.AUTHORIZED_PENDING_CAPTURE,
        )
        uow.commit()

    with uow_factory() as uow:
        due = [item.ref for item in uow.batches.due(alice, SETTLING, CUTOFF)]
        everything = [item.ref for item in uow.batches.due(alice, SETTLING, CUTOFF + timedelta(2))]
        stale = [
            item.ref
            for item in uow.batches.submitted_before(
                alice, frozenset({S.AUTHORIZED_PENDING_CAPTURE}), later(1)
            )
        ]

    assert due == [early]
    assert everything == [early, late, captured_late]
    assert stale == [authorized]


# --------------------------------------------------------------------------- sandbox clock


def test_the_clock_offset_starts_at_zero_and_is_shared(engine: Engine) -> None:
    one, other = SqlClockOffsets(engine), SqlClockOffsets(engine)

    assert one.offset() == timedelta(0)
    assert one.advance(timedelta(days=1)) == timedelta(days=1)
    assert other.advance(timedelta(minutes=90)) == timedelta(days=1, minutes=90)
    assert one.offset() == timedelta(days=1, minutes=90)


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_sandbox_clock_rereads_the_offset_after_its_refresh_time(engine: Engine) -> None:
    ticks = FakeMonotonic()
    clock = SandboxClock(SqlClockOffsets(engine), refresh=1.0, monotonic=ticks)
    elsewhere = SqlClockOffsets(engine)  # another process
    assert clock.offset() == timedelta(0)

    elsewhere.advance(timedelta(hours=3))
    ticks.now += 0.5
    assert clock.offset() == timedelta(0)  # cached
    ticks.now += 0.5
    assert clock.offset() == timedelta(hours=3)

    assert clock.advance(timedelta(days=1)) == timedelta(days=1, hours=3)  # at once, here
    assert clock.offset() == timedelta(days=1, hours=3)
    before = datetime.now(UTC)
    now = clock.now()
    after = datetime.now(UTC)
    assert before + timedelta(days=1, hours=3) <= now <= after + timedelta(days=1, hours=3)


def test_the_sandbox_clock_only_moves_forward(engine: Engine) -> None:
    clock = SandboxClock(SqlClockOffsets(engine))

    for delta in (timedelta(0), timedelta(hours=-1)):
        with pytest.raises(ValueError, match="forward"):
            clock.advance(delta)
    assert clock.offset() == timedelta(0)
