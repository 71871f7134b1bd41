"""Split-tender orders: their status row, and the transactions that carry their id."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, select, update

from strongroom.domain.split_tenders import SplitTenderStatus
from strongroom.services.ports import SplitTenderOrder, SplitTenderRepository
from strongroom.storage.refs import RefSource, insert_with_ref
from strongroom.storage.tables import split_tender_orders, transactions

# Ten digits, as the ids the real service hands out (numeric strings).
SPLIT_TENDER_ID_DIGITS = 10

_orders = split_tender_orders


class SqlSplitTenderRepository(SplitTenderRepository):
    """SplitTenderRepository on one unit of work's connection."""

    def __init__(self, connection: Connection, new_ref: RefSource) -> None:
        self._connection = connection
        self._new_ref = new_ref

    def open(self, merchant_key: int, now: datetime) -> str:
        _, ref = insert_with_ref(
            self._connection,
            _orders,
            {"merchant_key": merchant_key, "status": SplitTenderStatus.OPEN.value, "created_at": now},
            SPLIT_TENDER_ID_DIGITS,
            self._new_ref,
        )
        return ref

    def get(self, merchant_key: int, split_tender_id: str, *, lock: bool = False) -> SplitTenderOrder | None:
        query = select(
            _orders.c.merchant_key,
            _orders.c.ref,
            _orders.c.status,
            _orders.c.created_at,
            _orders.c.updated_at,
        ).where(_orders.c.merchant_key == merchant_key, _orders.c.ref == split_tender_id)
        if lock:
            query = query.with_for_update()
        row = self._connection.execute(query).mappings().first()
        if row is None:
            return None
        return SplitTenderOrder(
            row["merchant_key"],
            row["ref"],
            SplitTenderStatus(row["status"]),
            row["created_at"],
            row["updated_at"],
        )

    def set_status(
        self, merchant_key: int, split_tender_id: str, status: SplitTenderStatus, now: datetime
    ) -> None:
        self._connection.execute(
            update(_orders)
            .where(_orders.c.merchant_key == merchant_key, _orders.c.ref == split_tender_id)
            .values(status=status.value, updated_at=now)
        )

    def group(self, merchant_key: int, split_tender_id: str) -> Sequence[str]:
        query = (
            select(transactions.c.ref)
            .where(
                transactions.c.merchant_key == merchant_key, transactions.c.split_tender_id == split_tender_id
            )
            .order_by(transactions.c.submitted_at, transactions.c.key)
        )
        return list(self._connection.scalars(query))
