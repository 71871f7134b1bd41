"""Fraud filters per merchant, and the velocity counts charges are screened with.

Velocity counts read the transactions table through (merchant_key, customer_ip, submitted_at)
and (merchant_key, fingerprint, submitted_at). `hold_velocity` makes the counts exact under
concurrency: on PostgreSQL it takes a transaction-scoped advisory lock per (merchant, scope,
value), so two charges from one IP or card wait for each other and the second counts the first;
on SQLite every write unit already holds the database's write lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import Connection, RowMapping, bindparam, delete, func, select, text, update
from sqlalchemy.exc import IntegrityError

from strongroom.domain.errors import Duplicate
from strongroom.domain.fraud import FilterKind, FraudAction, FraudFilter, VelocityScope
from strongroom.domain.money import Money
from strongroom.domain.transactions import TransactionKind
from strongroom.services.ports import FraudFilterRepository
from strongroom.storage.caches import UnitCaches, uncached
from strongroom.storage.tables import fraud_filters, transactions

# First key of the two-key advisory lock: this module's namespace (the second is a hash).
VELOCITY_LOCK_CLASS: Final = 0x5F12A
_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:namespace, :key)")
_FILTERS: Final = (
    select(fraud_filters)
    .where(fraud_filters.c.merchant_key == bindparam("merchant_key"))
    .order_by(fraud_filters.c.key)
)
_SCOPE_COLUMNS: Final = {
    VelocityScope.CUSTOMER_IP: transactions.c.customer_ip,
    VelocityScope.FINGERPRINT: transactions.c.fingerprint,
}


def velocity_lock_key(merchant_key: int, scope: VelocityScope, value: str) -> int:
    """A signed 32-bit key for one (merchant, scope, value); a collision only serialises two
    unrelated charges a little longer."""
    digest = hashlib.blake2b(f"{merchant_key}\x1f{scope.value}\x1f{value}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


class SqlFraudFilterRepository(FraudFilterRepository):
    """FraudFilterRepository on one unit of work's connection."""

    def __init__(self, connection: Connection, caches: UnitCaches | None = None) -> None:
        self._connection = connection
        self._caches = caches or uncached()

    def filters(self, merchant_key: int) -> Sequence[FraudFilter]:
        cached = self._caches.caches.fraud_filters.get(
            merchant_key, lambda: self._read_filters(merchant_key), keep=self._caches.keep
        )
        return list(cached)

    def _read_filters(self, merchant_key: int) -> tuple[FraudFilter, ...]:
        rows = self._connection.execute(_FILTERS, {"merchant_key": merchant_key}).mappings()
        return tuple(_filter(row) for row in rows)

    def _changed(self, merchant_key: int) -> None:
        self._caches.drop_after_commit(self._caches.caches.fraud_filters, merchant_key)

    def add(self, merchant_key: int, item: FraudFilter, created_at: datetime) -> None:
        self._changed(merchant_key)
        try:
            with self._connection.begin_nested():
                self._connection.execute(
                    fraud_filters.insert().values(
                        merchant_key=merchant_key, created_at=created_at, **_values(item)
                    )
                )
        except IntegrityError as error:
            if self._named(merchant_key, item.name):
                raise Duplicate(item.name) from error
            raise

    def remove(self, merchant_key: int, name: str) -> bool:
        self._changed(merchant_key)
        result = self._connection.execute(
            delete(fraud_filters).where(
                fraud_filters.c.merchant_key == merchant_key, fraud_filters.c.name == name
            )
        )
        return result.rowcount == 1

    def set_enabled(self, merchant_key: int, name: str, enabled: bool) -> bool:
        self._changed(merchant_key)
        result = self._connection.execute(
            update(fraud_filters)
            .where(fraud_filters.c.merchant_key == merchant_key, fraud_filters.c.name == name)
            .values(enabled=enabled)
        )
        return result.rowcount == 1

    def hold_velocity(self, merchant_key: int, scope: VelocityScope, value: str) -> None:
        if self._connection.dialect.name == "postgresql":
            self._connection.execute(
                _ADVISORY_LOCK,
                {"namespace": VELOCITY_LOCK_CLASS, "key": velocity_lock_key(merchant_key, scope, value)},
            )

    def count_since(
        self,
        merchant_key: int,
        scope: VelocityScope,
        value: str,
        kinds: frozenset[TransactionKind],
        since: datetime,
    ) -> int:
        column = _SCOPE_COLUMNS[scope]
        query = (
            select(func.count())
            .select_from(transactions)
            .where(
                transactions.c.merchant_key == merchant_key,
                column == value,
                transactions.c.submitted_at >= since,
                transactions.c.kind.in_(sorted(kind.value for kind in kinds)),
            )
        )
        return int(self._connection.execute(query).scalar_one())

    def _named(self, merchant_key: int, name: str) -> bool:
        query = select(fraud_filters.c.key).where(
            fraud_filters.c.merchant_key == merchant_key, fraud_filters.c.name == name
        )
        return self._connection.execute(query).first() is not None


def _values(item: FraudFilter) -> dict[str, Any]:
    threshold = item.threshold
    return {
        "name": item.name,
        "kind": item.kind.value,
        "action": item.action.value,
        "threshold": threshold.amount if threshold is not None else None,
        "currency": threshold.currency if threshold is not None else None,
        "max_count": item.max_count,
        "window_seconds": item.window_seconds,
        "blocked": "\n".join(item.blocked) if item.blocked else None,
        "enabled": item.enabled,
    }


def _filter(row: RowMapping) -> FraudFilter:
    amount: Decimal | None = row["threshold"]
    return FraudFilter(
        name=row["name"],
        kind=FilterKind(row["kind"]),
        action=FraudAction(row["action"]),
        threshold=Money(amount, row["currency"]) if amount is not None else None,
        max_count=row["max_count"],
        window_seconds=row["window_seconds"],
        blocked=tuple(row["blocked"].split("\n")) if row["blocked"] else (),
        enabled=bool(row["enabled"]),
    )
