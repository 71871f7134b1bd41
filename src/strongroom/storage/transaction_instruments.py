"""Sealed instruments of stored transactions, kept until the retention purge deletes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, select

from strongroom.domain.transactions import TransactionStatus
from strongroom.services.ports import SealedInstrumentRow, TransactionInstrumentRepository
from strongroom.storage.refs import insert_with_chosen_ref
from strongroom.storage.tables import transaction_instruments, transactions

_COLUMNS = ("ref", "merchant_key", "transaction_ref", "kind", "sealed", "created_at")


class SqlTransactionInstrumentRepository(TransactionInstrumentRepository):
    """TransactionInstrumentRepository on one unit of work's connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, row: SealedInstrumentRow) -> None:
        insert_with_chosen_ref(
            self._connection,
            transaction_instruments,
            {
                "merchant_key": row.merchant_key,
                "transaction_ref": row.transaction_ref,
                "kind": row.kind,
                "sealed": row.sealed,
                "created_at": row.created_at,
            },
            row.ref,
        )

    def get(self, merchant_key: int, transaction_ref: str) -> SealedInstrumentRow | None:
        found = (
            self._connection.execute(
                select(*(transaction_instruments.c[name] for name in _COLUMNS)).where(
                    transaction_instruments.c.merchant_key == merchant_key,
                    transaction_instruments.c.transaction_ref == transaction_ref,
                )
            )
            .mappings()
            .first()
        )
        if found is None:
            return None
        return SealedInstrumentRow(**{name: found[name] for name in _COLUMNS})

    def purge(self, kept_before: datetime, sparing: frozenset[TransactionStatus]) -> int:
        kept = transaction_instruments.c
        spared = select(transactions.c.key).where(
            transactions.c.merchant_key == kept.merchant_key,
            transactions.c.ref == kept.transaction_ref,
            transactions.c.status.in_([status.value for status in sparing]),
        )
        result = self._connection.execute(
            delete(transaction_instruments).where(kept.created_at < kept_before, ~spared.exists())
        )
        return int(result.rowcount)
