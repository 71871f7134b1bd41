"""The scheduler against an in-memory lease table: which jobs a tick runs, what a failing job
leaves in the log, the lease time, and the leases given up on stop. The one threaded test lines
the thread up with an event, never by sleeping."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import cast

import pytest

from strongroom.jobs.scheduler import (
    MIN_LEASE,
    Job,
    Scheduler,
    billing_job,
    default_holder,
    settlement_job,
)
from strongroom.services.catalog import Services
from strongroom.services.leases import Leases

WAIT_S = 30.0  # a safety net should the thread never run, never a timing assumption


class LeaseTable:
    """Leases by name: one holder each; `acquire` also renews the holder's own lease."""

    def __init__(self, **held: str) -> None:
        self.holders: dict[str, str] = dict(held)
        self.ttls: list[timedelta] = []
        self.released: list[tuple[str, str]] = []
        self.refuse_release = False

    def acquire(self, name: str, holder: str, ttl: timedelta) -> bool:
        self.ttls.append(ttl)
        return self.holders.setdefault(name, holder) == holder

    def release(self, name: str, holder: str) -> None:
        if self.refuse_release:
            raise ConnectionError("database gone: secret-ish detail")
        self.released.append((name, holder))
        if self.holders.get(name) == holder:
            del self.holders[name]


def scheduler(table: LeaseTable, *jobs: Job, interval: float = 60) -> Scheduler:
    return Scheduler(cast(Leases, table), jobs, interval, holder="me")


def recorder(name: str, ran: list[str]) -> Job:
    return Job(name, lambda: ran.append(name))


@pytest.mark.parametrize("interval", [0, -1])
def test_an_interval_that_is_not_positive_is_refused(interval: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        scheduler(LeaseTable(), interval=interval)


@pytest.mark.parametrize(
    ("interval", "lease"),
    [(1, MIN_LEASE), (20, MIN_LEASE), (21, timedelta(seconds=63)), (600, timedelta(minutes=30))],
)
def test_a_lease_lasts_three_intervals_and_at_least_a_minute(interval: float, lease: timedelta) -> None:
    table = LeaseTable()
    tick = scheduler(table, Job("a", lambda: None), interval=interval)
    tick.run_once()
    assert tick.lease_time == lease
    assert table.ttls == [lease]


def test_a_tick_runs_the_jobs_whose_lease_it_takes_in_order_and_skips_the_others() -> None:
    ran: list[str] = []
    table = LeaseTable(b="someone-else")
    tick = scheduler(table, recorder("a", ran), recorder("b", ran), recorder("c", ran))
    assert tick.job_names == ("a", "b", "c")
    assert tick.run_once() == ["a", "c"]
    assert ran == ["a", "c"]
    assert tick.run_once() == ["a", "c"]  # renewing its own leases
    assert ran == ["a", "c", "a", "c"]


def test_a_failing_job_is_logged_by_type_only_and_the_tick_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ran: list[str] = []

    def fail() -> None:
        raise RuntimeError("card 4111111111111111 refused")

    tick = scheduler(LeaseTable(), Job("broken", fail), recorder("after", ran))
    with caplog.at_level(logging.ERROR, logger="strongroom.jobs"):
        assert tick.run_once() == ["after"]
    assert ran == ["after"]
    assert "scheduled job 'broken' failed: RuntimeError" in caplog.text
    assert "4111" not in caplog.text


def test_stop_gives_up_the_leases_still_held_and_not_those_lost() -> None:
    table = LeaseTable()
    tick = scheduler(table, Job("a", lambda: None), Job("b", lambda: None))
    tick.run_once()
    table.holders["b"] = "someone-else"  # b expired and was taken over
    tick.run_once()
    tick.stop()
    assert table.released == [("a", "me")]
    assert table.holders == {"b": "someone-else"}


def test_a_lease_that_cannot_be_released_is_logged_and_stop_completes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    table = LeaseTable()
    tick = scheduler(table, Job("a", lambda: None))
    tick.run_once()
    table.refuse_release = True
    with caplog.at_level(logging.WARNING, logger="strongroom.jobs"):
        tick.stop()
    assert "could not release lease 'a': ConnectionError" in caplog.text
    assert "secret-ish" not in caplog.text


def test_a_stopped_scheduler_runs_nothing() -> None:
    ran: list[str] = []
    tick = scheduler(LeaseTable(), recorder("a", ran))
    tick.stop()
    assert tick.run_once() == []
    assert ran == []


def test_started_it_ticks_on_its_thread_until_stopped_and_starts_only_once() -> None:
    ticked = threading.Event()
    table = LeaseTable()
    tick = scheduler(table, Job("a", ticked.set))
    tick.start()
    try:
        assert ticked.wait(WAIT_S)
        assert tick.is_running()
        with pytest.raises(RuntimeError, match="already started"):
            tick.start()
    finally:
        tick.stop()
    assert not tick.is_running()
    assert table.released == [("a", "me")]


def test_each_holder_is_distinct() -> None:
    assert default_holder() != default_holder()
    assert (
        Scheduler(cast(Leases, LeaseTable()), [], 60).holder
        != Scheduler(cast(Leases, LeaseTable()), [], 60).holder
    )


class Recording:
    def __init__(self) -> None:
        self.at: list[datetime] = []

    def close_batches(self, now: datetime) -> None:
        self.at.append(now)

    def run(self, now: datetime) -> None:
        self.at.append(now)


def test_the_settlement_and_billing_jobs_run_at_the_services_clock() -> None:
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    settlement, billing = Recording(), Recording()
    services = cast(
        Services,
        SimpleNamespace(clock=SimpleNamespace(now=lambda: now), settlement=settlement, billing=billing),
    )
    settle, bill = settlement_job(services), billing_job(services)
    assert (settle.name, bill.name) == ("settlement", "billing")
    settle.run()
    bill.run()
    assert settlement.at == [now]
    assert billing.at == [now]
