"""The outbox: rendered e-mails kept until the delivery job has handed them to the mail server."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection, RowMapping, Select, select, update

from strongroom.services.ports import OutboxMessage, OutboxRepository
from strongroom.storage.tables import outbox

_FIELDS: Final = tuple(item.name for item in fields(OutboxMessage))
MAX_ERROR = 255


class SqlOutboxRepository(OutboxRepository):
    """OutboxRepository on one unit of work's connection (column names are field names)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, message: OutboxMessage) -> int:
        values = {name: getattr(message, name) for name in _FIELDS if name != "key"}
        key = self._connection.execute(outbox.insert().values(**values).returning(outbox.c.key)).scalar_one()
        return int(key)

    def of_transaction(self, merchant_key: int, transaction_ref: str) -> Sequence[OutboxMessage]:
        query = (
            _query()
            .where(outbox.c.merchant_key == merchant_key, outbox.c.transaction_ref == transaction_ref)
            .order_by(outbox.c.key)
        )
        return [_message(row) for row in self._connection.execute(query).mappings()]

    def pending(self, limit: int, max_attempts: int) -> Sequence[OutboxMessage]:
        query = (
            _query()
            .where(outbox.c.sent_at.is_(None), outbox.c.attempts < max_attempts)
            .order_by(outbox.c.key)
            .limit(limit)
        )
        return [_message(row) for row in self._connection.execute(query).mappings()]

    def mark_sent(self, key: int, sent_at: datetime) -> bool:
        result = self._connection.execute(
            update(outbox)
            .where(outbox.c.key == key, outbox.c.sent_at.is_(None))
            .values(sent_at=sent_at, attempts=outbox.c.attempts + 1, last_error=None)
        )
        return result.rowcount == 1

    def mark_failed(self, key: int, error: str) -> None:
        self._connection.execute(
            update(outbox)
            .where(outbox.c.key == key)
            .values(attempts=outbox.c.attempts + 1, last_error=error[:MAX_ERROR])
        )


def _query() -> Select[Any]:
    return select(*(outbox.c[name] for name in _FIELDS))


def _message(row: RowMapping) -> OutboxMessage:
    return OutboxMessage(**{name: row[name] for name in _FIELDS})
