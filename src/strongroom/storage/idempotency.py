"""SqlIdempotencyStore: Idempotency-Key entries, claimed atomically by primary key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Engine, RowMapping, delete, select, update
from sqlalchemy.exc import IntegrityError

from strongroom.services.ports import IdempotencyEntry
from strongroom.storage.engine import transaction
from strongroom.storage.tables import idempotency_keys as keys


class SqlIdempotencyStore:
    """Two processes claiming one key at once: the primary key lets exactly one insert win."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def claim(self, entry: IdempotencyEntry, expired_before: datetime) -> IdempotencyEntry | None:
        values = {"merchant_key": entry.merchant_key, "key": entry.key,
                  "request_digest": entry.request_digest, "created_at": entry.created_at}
        try:
            with transaction(self._engine, write=True) as connection:
                connection.execute(delete(keys).where(self._is(entry.merchant_key, entry.key),
                                                      keys.c.created_at < expired_before))
                connection.execute(keys.insert().values(**values))
        except IntegrityError:
            with transaction(self._engine, write=False) as connection:
                row = connection.execute(
                    select(keys).where(self._is(entry.merchant_key, entry.key))
                ).mappings().first()
            return _entry(row) if row is not None else None
        return None

    def complete(self, merchant_key: int, key: str, sealed_reply: bytes, media_type: str
                 ) -> None:
        with transaction(self._engine, write=True) as connection:
            connection.execute(update(keys).where(self._is(merchant_key, key))
                               .values(sealed_reply=sealed_reply, media_type=media_type))

    def release(self, merchant_key: int, key: str) -> None:
        with transaction(self._engine, write=True) as connection:
            connection.execute(delete(keys).where(self._is(merchant_key, key),
                                                  keys.c.sealed_reply.is_(None)))

    def purge(self, expired_before: datetime) -> int:
        with transaction(self._engine, write=True) as connection:
            return connection.execute(
                delete(keys).where(keys.c.created_at < expired_before)).rowcount

    @staticmethod
    def _is(merchant_key: int, key: str) -> ColumnElement[bool]:
        return (keys.c.merchant_key == merchant_key) & (keys.c.key == key)


def _entry(row: RowMapping) -> IdempotencyEntry:
    return IdempotencyEntry(row["merchant_key"], row["key"], row["request_digest"],
                            row["created_at"], row["sealed_reply"], row["media_type"])
