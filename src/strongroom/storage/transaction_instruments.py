"""Sealed instruments of stored transactions, and the split-tender groups transactions form."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from strongroom.services.ports import SealedInstrumentRow
from strongroom.storage.refs import insert_with_chosen_ref
from strongroom.storage.tables import transaction_instruments, transactions

_COLUMNS = ("ref", "merchant_key", "transaction_ref", "kind", "sealed", "created_at")


class SqlTransactionInstrumentRepository:
    """TransactionInstrumentRepository on one unit of work's connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, row: SealedInstrumentRow) -> None:
        insert_with_chosen_ref(self._connection, transaction_instruments, {
            "merchant_key": row.merchant_key, "transaction_ref": row.transaction_ref,
            "kind": row.kind, "sealed": row.sealed, "created_at": row.created_at}, row.ref)

    def get(self, merchant_key: int, transaction_ref: str) -> SealedInstrumentRow | None:
        found = self._connection.execute(
            select(*(transaction_instruments.c[name] for name in _COLUMNS))
            .where(transaction_instruments.c.merchant_key == merchant_key,
                   transaction_instruments.c.transaction_ref == transaction_ref)).mappings().first()
        if found is None:
            return None
        return SealedInstrumentRow(**{name: found[name] for name in _COLUMNS})


class SqlSplitTenderRepository:
    """SplitTenderRepository on one unit of work's connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def group(self, merchant_key: int, split_tender_id: str) -> Sequence[str]:
        query = (select(transactions.c.ref)
                 .where(transactions.c.merchant_key == merchant_key,
                        transactions.c.split_tender_id == split_tender_id)
                 .order_by(transactions.c.submitted_at, transactions.c.key))
        return list(self._connection.scalars(query))
