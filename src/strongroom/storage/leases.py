"""Named leases: which process may run a scheduled job, until when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.exc import IntegrityError

from strongroom.services.ports import Lease, LeaseRepository
from strongroom.storage.tables import leases


class SqlLeaseRepository(LeaseRepository):
    """LeaseRepository on one unit of work's connection (use it in write units)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def acquire(self, name: str, holder: str, now: datetime, expires_at: datetime) -> bool:
        current = (
            self._connection.execute(select(leases).where(leases.c.name == name).with_for_update())
            .mappings()
            .first()
        )
        if current is None:
            try:
                with self._connection.begin_nested():
                    self._connection.execute(
                        leases.insert().values(name=name, holder=holder, expires_at=expires_at)
                    )
            except IntegrityError:
                return False  # another process inserted it first and holds it
            return True
        if current["holder"] != holder and current["expires_at"] > now:
            return False
        # Compare-and-set on what was read, should the row lock be missing (it never is).
        taken = self._connection.execute(
            update(leases)
            .where(
                leases.c.name == name,
                leases.c.holder == current["holder"],
                leases.c.expires_at == current["expires_at"],
            )
            .values(holder=holder, expires_at=expires_at)
        )
        return taken.rowcount == 1

    def release(self, name: str, holder: str) -> None:
        self._connection.execute(delete(leases).where(leases.c.name == name, leases.c.holder == holder))

    def get(self, name: str) -> Lease | None:
        row = self._connection.execute(select(leases).where(leases.c.name == name)).mappings().first()
        return Lease(row["name"], row["holder"], row["expires_at"]) if row is not None else None
