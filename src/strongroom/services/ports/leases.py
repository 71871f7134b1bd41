"""Leases: named rights to run a scheduled job, held in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Lease:
    name: str
    holder: str
    expires_at: datetime


class LeaseRepository(Protocol):
    """Named leases in the database: who may run a scheduled job, until when."""

    def acquire(self, name: str, holder: str, now: datetime, expires_at: datetime) -> bool:
        """Take or renew `name` for `holder` until `expires_at` if it is free, expired at
        `now`, or already the holder's; False if another holder has it."""
        ...

    def release(self, name: str, holder: str) -> None:
        """Give `name` up if `holder` has it."""
        ...

    def get(self, name: str) -> Lease | None: ...
