"""Billing exactly once, on both engines: a run interrupted after the processor answered leaves
nothing behind and the next run charges once (with the same attempt reference); two billing
workers, each with its own engine (as two server processes), racing for the same occurrences
charge each one once; the scheduler runs billing under its lease. Threads are lined up with
events and barriers, never by sleeping."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from strongroom.bootstrap import build
from strongroom.domain.instruments import Card
from strongroom.domain.subscriptions import Interval, IntervalUnit, SubscriptionStatus, billing_day
from strongroom.jobs.scheduler import Scheduler, billing_job
from strongroom.services.payments.facade import Payments
from strongroom.services.ports import AuthorizationRequest, ProcessorResult, UnitOfWork
from strongroom.services.subscriptions.billing import Billing
from strongroom.services.subscriptions.requests import (
    NewSubscription,
    ScheduleInput,
    SubscriptionTerms,
)
from strongroom.storage import SqlUnitOfWorkFactory, create_engine_for
from strongroom.storage.tables import subscription_attempts, transactions
from tests.integration.payments.conftest import BILL_TO, EXPIRY, VISA, Gateway
from tests.integration.storage.threads import BARRIER_TIMEOUT_S, run_together

WEEKLY = Interval(7, IntervalUnit.DAYS)


class PowerCut(Exception):
    """The process died here (simulated): nothing after it runs."""


def subscribe(gateway: Gateway, amount: str = "10.00", total: int = 12) -> str:
    """A weekly card subscription of the gateway's merchant, starting today."""
    today = billing_day(gateway.clock.now())
    ids = gateway.app.services.subscriptions.create(
        gateway.merchant,
        NewSubscription(
            SubscriptionTerms(
                schedule=ScheduleInput(WEEKLY, today, total), amount=Decimal(amount), bill_to=BILL_TO
            ),
            Card.parse(VISA, EXPIRY),
        ),
    )
    return ids.subscription_ref


def charges(gateway: Gateway, subscription_ref: str) -> list[int]:
    """The occurrence number of every transaction of a subscription, in order."""
    with gateway.engine.connect() as connection:
        return list(
            connection.scalars(
                select(transactions.c.pay_num)
                .where(transactions.c.subscription_ref == subscription_ref)
                .order_by(transactions.c.pay_num, transactions.c.key)
            )
        )


def attempt_count(gateway: Gateway) -> int:
    with gateway.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(subscription_attempts)) or 0)


def references(gateway: Gateway, subscription_ref: str) -> list[str]:
    """The attempt references the processor was asked to authorise for a subscription."""
    return [
        item.reference
        for item in gateway.processor.authorizations
        if item.reference.startswith(f"sub_{subscription_ref}_")
    ]


def intercept(
    monkeypatch: pytest.MonkeyPatch,
    gateway: Gateway,
    after: Callable[[AuthorizationRequest, ProcessorResult], None],
) -> None:
    """Call `after(request, answer)` once the processor has answered each authorisation."""
    authorize = gateway.processor.authorize

    def intercepted(request: AuthorizationRequest) -> ProcessorResult:
        answer = authorize(request)
        after(request, answer)
        return answer

    monkeypatch.setattr(gateway.processor, "authorize", intercepted)


def status(gateway: Gateway, ref: str) -> SubscriptionStatus:
    return gateway.app.services.subscriptions.status(gateway.merchant, ref)


# --------------------------------------------------------------------------- interrupted runs


def test_a_run_interrupted_after_the_processor_answered_is_repeated_without_double_charges(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = subscribe(gateway, "10.00"), subscribe(gateway, "20.00")
    calls: list[str] = []

    def power_cut_at_the_second(request: AuthorizationRequest, _: ProcessorResult) -> None:
        calls.append(request.reference)
        if len(calls) == 2:
            raise PowerCut("after the processor approved, before the commit")

    intercept(monkeypatch, gateway, power_cut_at_the_second)
    with pytest.raises(PowerCut):
        gateway.app.services.billing.run(gateway.clock.now())

    interrupted = next(ref for ref in (first, second) if calls[1].startswith(f"sub_{ref}_"))
    done = first if interrupted == second else second
    assert charges(gateway, done) == [1]
    assert charges(gateway, interrupted) == []  # no transaction, claim and progress rolled back
    assert attempt_count(gateway) == 1
    found = gateway.app.services.subscriptions.get(gateway.merchant, interrupted)
    assert (found.subscription.progress.next_pay_num, found.subscription.status) == (
        1,
        SubscriptionStatus.ACTIVE,
    )

    monkeypatch.undo()
    report = gateway.app.services.billing.run(gateway.clock.now())

    assert [item.subscription_ref for item in report.items] == [interrupted]
    assert charges(gateway, done) == [1]
    assert charges(gateway, interrupted) == [1]
    # the repeated attempt reached the processor under the reference it had the first time
    assert references(gateway, interrupted) == [f"sub_{interrupted}_1_1"] * 2
    assert gateway.app.services.billing.run(gateway.clock.now()).items == ()


def test_a_run_interrupted_while_catching_up_resumes_where_it_stopped(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = subscribe(gateway, total=4)
    gateway.clock.advance(timedelta(days=21))  # occurrences 1-4 are all due
    seen: list[str] = []

    def power_cut_at_the_third(request: AuthorizationRequest, _: ProcessorResult) -> None:
        seen.append(request.reference)
        if len(seen) == 3:
            raise PowerCut("mid-run")

    intercept(monkeypatch, gateway, power_cut_at_the_third)
    with pytest.raises(PowerCut):
        gateway.app.services.billing.run(gateway.clock.now())
    assert charges(gateway, ref) == [1, 2]

    monkeypatch.undo()
    gateway.app.services.billing.run(gateway.clock.now())

    assert charges(gateway, ref) == [1, 2, 3, 4]
    assert status(gateway, ref) is SubscriptionStatus.EXPIRED


# --------------------------------------------------------------------------- racing workers


@contextmanager
def second_worker(gateway: Gateway, on_write_unit: Callable[[], None]) -> Iterator[Billing]:
    """Billing from another application with its own engine on the same database (as another
    server process would have); `on_write_unit` runs as it opens each write unit of work."""
    other = build(gateway.app.settings, clock=gateway.clock, processor=gateway.processor)
    engine = create_engine_for(gateway.app.settings.database_url)
    factory = SqlUnitOfWorkFactory(engine)

    def units(*, write: bool = True) -> UnitOfWork:
        if write:
            on_write_unit()
        return factory(write=write)

    services = other.services
    payments = Payments(
        units,
        other.vault,
        gateway.processor,
        gateway.clock,
        services.customer_profiles,
        services.payment_profiles,
        services.transaction_instruments,
    )
    try:
        yield Billing(units, payments)
    finally:
        engine.dispose()
        other.close()


def test_a_worker_that_read_a_due_occurrence_finds_it_claimed_and_charges_nothing(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = subscribe(gateway)
    a_at_processor = threading.Event()
    b_claiming = threading.Event()

    def hold_until_b_claims(request: AuthorizationRequest, _: ProcessorResult) -> None:
        if not a_at_processor.is_set():
            a_at_processor.set()
            # A's claim is held (row lock / write lock) until it commits, after this returns.
            assert b_claiming.wait(BARRIER_TIMEOUT_S), "worker B never tried to claim"

    intercept(monkeypatch, gateway, hold_until_b_claims)
    with second_worker(gateway, b_claiming.set) as billing_b, ThreadPoolExecutor(max_workers=2) as pool:
        worker_a = pool.submit(gateway.app.services.billing.run, gateway.clock.now())
        assert a_at_processor.wait(BARRIER_TIMEOUT_S)
        # B reads the occurrence as due (A has not committed) and goes on to claim it.
        worker_b = pool.submit(billing_b.run, gateway.clock.now())
        report_a, report_b = worker_a.result(), worker_b.result()

    assert [item.subscription_ref for item in report_a.items] == [ref]
    assert report_b.items == ()  # its claim was lost: the processor never heard from it
    assert charges(gateway, ref) == [1]
    assert references(gateway, ref) == [f"sub_{ref}_1_1"]
    assert attempt_count(gateway) == 1


def test_two_workers_racing_over_many_occurrences_charge_each_once(gateway: Gateway) -> None:
    refs = [subscribe(gateway, f"{index + 1}.00", total=3) for index in range(4)]
    gateway.clock.advance(timedelta(days=14))  # three occurrences due for each
    now = gateway.clock.now()
    with second_worker(gateway, lambda: None) as billing_b:
        workers = [gateway.app.services.billing, billing_b]

        def run(index: int, barrier: threading.Barrier) -> int:
            barrier.wait()
            return len(workers[index].run(now).items)

        done = run_together(run, threads=2)

    assert sum(done) == 12
    for ref in refs:
        assert charges(gateway, ref) == [1, 2, 3]
        assert status(gateway, ref) is SubscriptionStatus.EXPIRED
    assert len(gateway.processor.authorizations) == 12
    assert attempt_count(gateway) == 12


# --------------------------------------------------------------------------- the scheduler


def test_the_scheduler_bills_under_its_lease(gateway: Gateway) -> None:
    ref = subscribe(gateway)
    services = gateway.app.services
    holder = Scheduler(services.leases, [billing_job(services)], 60, holder="server-a")
    other = Scheduler(services.leases, [billing_job(services)], 60, holder="server-b")

    assert holder.run_once() == ["billing"]
    assert other.run_once() == []  # the lease is server-a's
    assert charges(gateway, ref) == [1]

    gateway.clock.advance(timedelta(days=7))
    assert holder.run_once() == ["billing"]
    assert charges(gateway, ref) == [1, 2]
