"""SqlIdempotencyStore: Idempotency-Key entries, written in the same transaction as the work."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, Engine, RowMapping, delete, select, text, update

from strongroom.services.ports import IdempotencyEntry
from strongroom.storage.engine import shared_transaction, transaction
from strongroom.storage.tables import idempotency_keys as keys

# pg_try_advisory_xact_lock's first argument: the lock space of idempotency keys.
_ADVISORY_SPACE = 0x1DE4


class SqlKeyGuard:
    """A key held for the length of one shared transaction (see `SqlIdempotencyStore.guard`)."""

    def __init__(
        self,
        connection: Connection,
        merchant_key: int,
        key: str,
        busy: bool,
        existing: IdempotencyEntry | None,
    ) -> None:
        self._connection = connection
        self._merchant_key = merchant_key
        self._key = key
        self.busy = busy
        self.existing = existing

    def commit_with(self, entry: IdempotencyEntry) -> None:
        """Store the entry and commit it together with everything the work wrote."""
        self._connection.execute(
            keys.insert().values(
                merchant_key=entry.merchant_key,
                key=entry.key,
                request_digest=entry.request_digest,
                created_at=entry.created_at,
                sealed_reply=entry.sealed_reply,
                media_type=entry.media_type,
            )
        )
        self._connection.commit()


class SqlIdempotencyStore:
    """Keys are held by the transaction that does the work: SQLite's single writer queues a
    second request with the same key until the first committed or died; on PostgreSQL a
    transaction-scoped advisory lock tells a second request that the first is still running.
    A dead owner's lock goes with its connection, so no claim outlives a crash."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @contextmanager
    def guard(self, merchant_key: int, key: str) -> Iterator[SqlKeyGuard]:
        with shared_transaction(self._engine) as shared:
            connection = shared.connection
            busy = not self._lock(connection, merchant_key, key)
            existing = None if busy else self._existing(connection, merchant_key, key)
            yield SqlKeyGuard(connection, merchant_key, key, busy, existing)

    def purge(self, answers_before: datetime, keys_before: datetime) -> int:
        """Drop the answers of entries older than `answers_before` (a retry is then refused,
        never run again) and forget entries older than `keys_before`; returns rows touched."""
        with transaction(self._engine, write=True) as connection:
            dropped = connection.execute(
                update(keys)
                .where(
                    keys.c.created_at < answers_before,
                    keys.c.created_at >= keys_before,
                    keys.c.sealed_reply.is_not(None),
                )
                .values(sealed_reply=None, media_type=None)
            ).rowcount
            forgotten = connection.execute(delete(keys).where(keys.c.created_at < keys_before)).rowcount
            return int(dropped) + int(forgotten)

    @staticmethod
    def _lock(connection: Connection, merchant_key: int, key: str) -> bool:
        if connection.dialect.name != "postgresql":
            return True  # the shared transaction already holds SQLite's write lock
        digest = hashlib.blake2b(f"{merchant_key}:{key}".encode(), digest_size=4).digest()
        lock_id = int.from_bytes(digest, "big", signed=True)
        return bool(
            connection.execute(
                text("SELECT pg_try_advisory_xact_lock(:space, :id)"),
                {"space": _ADVISORY_SPACE, "id": lock_id},
            ).scalar()
        )

    @staticmethod
    def _existing(connection: Connection, merchant_key: int, key: str) -> IdempotencyEntry | None:
        row = connection.execute(select(keys).where(_is(merchant_key, key))).mappings().first()
        return _entry(row) if row is not None else None


def _is(merchant_key: int, key: str) -> ColumnElement[bool]:
    return (keys.c.merchant_key == merchant_key) & (keys.c.key == key)


def _entry(row: RowMapping) -> IdempotencyEntry:
    return IdempotencyEntry(
        row["merchant_key"],
        row["key"],
        row["request_digest"],
        row["created_at"],
        row["sealed_reply"],
        row["media_type"],
    )
