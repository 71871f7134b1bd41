"""Leases: a named right, held in the database until it expires, to run a scheduled job.

A holder renews its lease on every run; another process takes it over only once it has expired
(its holder stopped or hung). Correctness never rests on a lease alone — the jobs themselves are
idempotent and lock what they change — leases only keep several processes from doing the same
work at the same time.
"""

from __future__ import annotations

from datetime import timedelta

from strongroom.services.ports import Clock, Lease, UnitOfWorkFactory


class Leases:
    def __init__(self, units: UnitOfWorkFactory, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def acquire(self, name: str, holder: str, ttl: timedelta) -> bool:
        """Take or renew `name` for `holder` for `ttl`; False while another holder has it."""
        if ttl <= timedelta(0):
            raise ValueError("a lease needs a positive time to live")
        now = self._clock.now()
        with self._units() as uow:
            taken = uow.leases.acquire(name, holder, now, now + ttl)
            uow.commit()
        return taken

    def release(self, name: str, holder: str) -> None:
        with self._units() as uow:
            uow.leases.release(name, holder)
            uow.commit()

    def get(self, name: str) -> Lease | None:
        with self._units(write=False) as uow:
            return uow.leases.get(name)
