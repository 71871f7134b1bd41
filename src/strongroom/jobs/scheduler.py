"""An in-process scheduler: a thread that, every `interval` seconds, runs each job whose database
lease it can take or renew, so several servers sharing a database run a job once at a time.

The leader renews its lease on every tick and keeps it (lease time = three intervals, at least a
minute); when it stops it releases the lease, and when it dies the lease expires and another
server takes over. Jobs must be idempotent: a lease keeps work from being duplicated, it is not
what makes it correct.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from strongroom.jobs.billing import NAME as BILLING
from strongroom.jobs.billing import run_billing
from strongroom.jobs.mail import NAME as MAIL
from strongroom.jobs.mail import run_mail_delivery
from strongroom.jobs.retention import NAME as INSTRUMENT_PURGE
from strongroom.jobs.retention import run_instrument_purge
from strongroom.jobs.settlement import NAME as SETTLEMENT
from strongroom.jobs.settlement import run_settlement
from strongroom.jobs.webhooks import NAME as WEBHOOKS
from strongroom.jobs.webhooks import run_webhook_delivery
from strongroom.services.catalog import Services
from strongroom.services.leases import Leases

logger = logging.getLogger("strongroom.jobs")

MIN_LEASE = timedelta(minutes=1)
STOP_TIMEOUT_S = 60.0  # a safety net for a job stuck in I/O, never a timing assumption


@dataclass(frozen=True, slots=True)
class Job:
    name: str  # also the name of its lease
    run: Callable[[], object]


def settlement_job(services: Services) -> Job:
    return Job(SETTLEMENT, lambda: run_settlement(services, services.clock.now()))


def instrument_purge_job(services: Services) -> Job:
    """Kept instruments past STRONGROOM_INSTRUMENT_RETENTION_DAYS are deleted."""
    return Job(INSTRUMENT_PURGE, lambda: run_instrument_purge(services))


def billing_job(services: Services) -> Job:
    """Recurring billing; correct under concurrent runs, the lease only avoids wasted work."""
    return Job(BILLING, lambda: run_billing(services, services.clock.now()))


def mail_job(services: Services) -> Job:
    """Outbox delivery; under a lease so two servers never send one message twice."""
    return Job(MAIL, lambda: run_mail_delivery(services))


def webhooks_job(services: Services) -> Job:
    """Webhook notifications; under a lease so two servers never send one at the same time."""
    return Job(WEBHOOKS, lambda: run_webhook_delivery(services))


def default_holder() -> str:
    """Who holds leases for this process: host, process id and a random tag."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Scheduler:
    """Runs `jobs` on a daemon thread: once at start, then every `interval` seconds."""

    def __init__(
        self, leases: Leases, jobs: Sequence[Job], interval: float, *, holder: str | None = None
    ) -> None:
        if interval <= 0:
            raise ValueError("the scheduler interval must be positive")
        self._leases = leases
        self._jobs = tuple(jobs)
        self._interval = interval
        self.holder = holder or default_holder()
        self.lease_time = max(timedelta(seconds=3 * interval), MIN_LEASE)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._held: set[str] = set()

    @property
    def job_names(self) -> tuple[str, ...]:
        return tuple(job.name for job in self._jobs)

    def run_once(self) -> list[str]:
        """One tick: run each job whose lease this scheduler holds or can take; their names.
        A failing job is logged (its type only: messages may quote data) and the tick goes on."""
        ran = []
        for job in self._jobs:
            if self._stop.is_set():
                break
            try:
                if not self._leases.acquire(job.name, self.holder, self.lease_time):
                    self._held.discard(job.name)
                    continue
                self._held.add(job.name)
                job.run()
                ran.append(job.name)
            except Exception as error:  # a job failure must not stop the thread
                logger.error("scheduled job %r failed: %s", job.name, type(error).__name__)
        return ran

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the scheduler is already started")
        self._thread = threading.Thread(target=self._loop, name="strongroom-scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """Stop after the job under way (if any) and give up the leases held."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
        for name in sorted(self._held):
            try:
                self._leases.release(name, self.holder)
            except Exception as error:  # it expires anyway
                logger.warning("could not release lease %r: %s", name, type(error).__name__)
        self._held.clear()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self._interval)
