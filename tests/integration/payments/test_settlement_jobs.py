"""The settlement job around the service: database leases (one holder at a time, renewal,
takeover once expired), the in-process scheduler, and its start and stop with a server's
lifespan. Threads are lined up with barriers and events, never by sleeping."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import MutableMapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from strongroom.bootstrap import IDEMPOTENCY_PURGE, build_scheduler
from strongroom.domain.transactions import TransactionStatus
from strongroom.jobs.lifespan import WithScheduler
from strongroom.jobs.retention import NAME as INSTRUMENT_PURGE
from strongroom.jobs.scheduler import MIN_LEASE, Job, Scheduler, settlement_job
from strongroom.jobs.settlement import describe, run_settlement
from strongroom.jobs.webhooks import NAME as WEBHOOKS
from strongroom.services.leases import Leases
from tests.integration.payments.conftest import Gateway, bank, charge
from tests.integration.storage.threads import BARRIER_TIMEOUT_S, run_together

S = TransactionStatus
CUTOFF = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
TTL = timedelta(seconds=60)


def leases(gateway: Gateway) -> Leases:
    return gateway.app.services.leases


# --------------------------------------------------------------------------- leases


def test_a_lease_has_one_holder_until_it_expires(gateway: Gateway) -> None:
    lease = leases(gateway)

    assert lease.acquire("settlement", "a", TTL)
    assert not lease.acquire("settlement", "b", TTL)
    assert lease.acquire("settlement", "a", TTL)  # renewal
    held = lease.get("settlement")
    assert held is not None
    assert (held.holder, held.expires_at) == ("a", gateway.clock.now() + TTL)
    assert lease.acquire("other-job", "b", TTL)  # leases are per name


def test_an_expired_lease_is_taken_over(gateway: Gateway) -> None:
    lease = leases(gateway)
    assert lease.acquire("settlement", "a", TTL)

    gateway.clock.advance(TTL - timedelta(seconds=1))
    assert not lease.acquire("settlement", "b", TTL)
    gateway.clock.advance(timedelta(seconds=1))  # at expires_at: expired
    assert lease.acquire("settlement", "b", TTL)

    assert not lease.acquire("settlement", "a", TTL)  # the old holder lost it
    held = lease.get("settlement")
    assert held is not None
    assert held.holder == "b"


def test_only_the_holder_releases_a_lease(gateway: Gateway) -> None:
    lease = leases(gateway)
    assert lease.acquire("settlement", "a", TTL)

    lease.release("settlement", "b")
    assert not lease.acquire("settlement", "b", TTL)
    lease.release("settlement", "a")
    assert lease.get("settlement") is None
    assert lease.acquire("settlement", "b", TTL)


def test_one_of_several_threads_taking_a_free_lease_gets_it(gateway: Gateway) -> None:
    lease = leases(gateway)

    def take(index: int, barrier: threading.Barrier) -> bool:
        barrier.wait()
        return lease.acquire("settlement", f"holder-{index}", TTL)

    assert sorted(run_together(take, threads=4)) == [False, False, False, True]


def test_one_of_several_threads_taking_an_expired_lease_gets_it(gateway: Gateway) -> None:
    lease = leases(gateway)
    assert lease.acquire("settlement", "gone", TTL)
    gateway.clock.advance(2 * TTL)

    def take(index: int, barrier: threading.Barrier) -> bool:
        barrier.wait()
        return lease.acquire("settlement", f"holder-{index}", TTL)

    assert sorted(run_together(take, threads=3)) == [False, False, True]


def test_a_lease_needs_a_positive_time(gateway: Gateway) -> None:
    with pytest.raises(ValueError, match="positive"):
        leases(gateway).acquire("settlement", "a", timedelta(0))


# --------------------------------------------------------------------------- the job


def test_the_settlement_job_settles_and_reports(gateway: Gateway) -> None:
    gateway.approved(charge("10.00"))
    gateway.approved(charge("20.00", bank()))
    gateway.clock.advance(CUTOFF - gateway.clock.now() + timedelta(minutes=1))

    report = run_settlement(gateway.app.services, gateway.clock.now())
    text = describe(report)

    assert (
        "Settlement at 2026-11-23 00:01:00Z: 2 batches, 2 transactions settled, "
        "0 authorizations expired." in text
    )
    for batch in report.batches:
        assert f"batch {batch.ref}  {gateway.merchant.login_id}" in text
    assert "credit card  settled 2026-11-23 00:00Z (2026-11-22 16:00 local)" in text
    assert "eCheck  settled 2026-11-23 00:00Z" in text
    assert "1 transactions, charges 20.00, refunds 0.00" in text
    assert describe(run_settlement(gateway.app.services, gateway.clock.now())).startswith(
        "Settlement at 2026-11-23 00:01:00Z: 0 batches"
    )


# --------------------------------------------------------------------------- the scheduler


class Counting:
    def __init__(self) -> None:
        self.runs = 0
        self.ran = threading.Event()

    def __call__(self) -> None:
        self.runs += 1
        self.ran.set()


def scheduler(gateway: Gateway, job: Job, holder: str, interval: float = 60) -> Scheduler:
    return Scheduler(leases(gateway), [job], interval, holder=holder)


def test_only_the_scheduler_holding_the_lease_runs_the_job(gateway: Gateway) -> None:
    counting = Counting()
    job = Job("settlement", counting)
    first, second = scheduler(gateway, job, "first"), scheduler(gateway, job, "second")

    assert first.run_once() == ["settlement"]
    assert second.run_once() == []
    assert first.run_once() == ["settlement"]  # the holder renews and runs again
    assert counting.runs == 2

    first.stop()  # releases the lease
    assert second.run_once() == ["settlement"]
    assert first.run_once() == []


def test_a_scheduler_that_stopped_renewing_is_taken_over_once_its_lease_expires(gateway: Gateway) -> None:
    job = Job("settlement", Counting())
    first, second = scheduler(gateway, job, "first"), scheduler(gateway, job, "second")
    assert first.lease_time == max(timedelta(seconds=180), MIN_LEASE)
    assert first.run_once() == ["settlement"]

    gateway.clock.advance(first.lease_time - timedelta(seconds=1))
    assert second.run_once() == []
    gateway.clock.advance(timedelta(seconds=1))
    assert second.run_once() == ["settlement"]
    assert first.run_once() == []


def test_a_failing_job_is_logged_by_type_and_the_next_job_still_runs(
    gateway: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    def fail() -> None:
        raise RuntimeError("card 4111111111111111")  # a message that must not be logged

    counting = Counting()
    both = Scheduler(leases(gateway), [Job("broken", fail), Job("settlement", counting)], 60, holder="me")

    with caplog.at_level(logging.ERROR, logger="strongroom.jobs"):
        assert both.run_once() == ["settlement"]

    assert counting.runs == 1
    assert "scheduled job 'broken' failed: RuntimeError" in caplog.text
    assert "4111" not in caplog.text


def test_the_scheduler_thread_runs_the_settlement_job_and_stops_cleanly(gateway: Gateway) -> None:
    ref = gateway.approved(charge()).ref
    gateway.clock.advance(CUTOFF - gateway.clock.now() + timedelta(minutes=1))
    job = settlement_job(gateway.app.services)
    settled = threading.Event()

    def run_and_signal() -> None:
        job.run()
        settled.set()

    running = scheduler(gateway, Job(job.name, run_and_signal), "thread", interval=3600)
    running.start()
    try:
        assert settled.wait(BARRIER_TIMEOUT_S)  # the first run happens at start
        assert running.is_running()
    finally:
        running.stop()

    assert not running.is_running()
    assert gateway.stored(ref).status is S.SETTLED
    assert leases(gateway).get("settlement") is None  # released on stop


def test_serve_schedules_settlement_unless_the_interval_is_zero(gateway: Gateway) -> None:
    scheduled = build_scheduler(gateway.app)
    assert scheduled is not None
    assert scheduled.run_once() == ["settlement", "billing", IDEMPOTENCY_PURGE, INSTRUMENT_PURGE, WEBHOOKS]
    scheduled.stop()

    off = replace(gateway.app, settings=replace(gateway.app.settings, scheduler_interval=0))
    assert build_scheduler(off) is None


def test_the_interval_must_be_positive(gateway: Gateway) -> None:
    with pytest.raises(ValueError, match="positive"):
        Scheduler(leases(gateway), [], 0)


# --------------------------------------------------------------------------- lifespan


Message = MutableMapping[str, Any]


class LifespanApp:
    """A minimal ASGI app that answers lifespan events, as Starlette does."""

    def __init__(self) -> None:
        self.events: list[str] = []

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        assert scope["type"] == "lifespan"
        while True:
            message = await receive()
            self.events.append(message["type"])
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await send({"type": "lifespan.shutdown.complete"})
                return


def test_the_scheduler_runs_between_lifespan_startup_and_shutdown(gateway: Gateway) -> None:
    counting = Counting()
    running = scheduler(gateway, Job("settlement", counting), "server", interval=3600)
    inner = LifespanApp()
    app = WithScheduler(inner, running)
    sent: list[str] = []

    async def serve() -> None:
        incoming: asyncio.Queue[Message] = asyncio.Queue()
        await incoming.put({"type": "lifespan.startup"})

        async def send(message: Message) -> None:
            sent.append(message["type"])
            if message["type"] == "lifespan.startup.complete":
                assert running.is_running()
                await asyncio.to_thread(counting.ran.wait, BARRIER_TIMEOUT_S)
                await incoming.put({"type": "lifespan.shutdown"})

        await app({"type": "lifespan"}, incoming.get, send)

    asyncio.run(serve())

    assert inner.events == ["lifespan.startup", "lifespan.shutdown"]
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert counting.runs == 1
    assert not running.is_running()
    assert leases(gateway).get("settlement") is None
