"""Transaction lists for reports, built to cost the same however many transactions a merchant has.

* A batch's list reads positions given when the batch closed (`batch_time_rank`,
  `batch_id_rank`): any page, first or thousandth, ascending or descending, is one range of the
  (batch_ref, rank) index, and the total is that index's last entry.
* Transactions in no batch yet, and a customer's transactions, are found in a covering index:
  the page's ids are picked from the index alone (sorted there, skipped there), and only the
  page's rows are read. Their cost follows the size of that set (a day or so of unbatched
  transactions, one customer's history), never the merchant's whole history.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, exists, func, select
from sqlalchemy.sql.elements import ColumnElement

from strongroom.domain.transactions import TransactionStatus
from strongroom.services.ports import (
    PageRequest,
    ReportingRepository,
    TransactionPage,
    TransactionRecord,
    TransactionSort,
)
from strongroom.storage.tables import batches, transactions
from strongroom.storage.transactions import _query as _transaction_query
from strongroom.storage.transactions import _record as _transaction_record

_EMPTY = TransactionPage(0, ())


class SqlReportingRepository(ReportingRepository):
    """ReportingRepository on one unit of work's connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def batch_transactions(self, merchant_key: int, batch_ref: str, page: PageRequest) -> TransactionPage:
        owned = self._connection.scalar(
            select(exists().where(batches.c.merchant_key == merchant_key, batches.c.ref == batch_ref))
        )
        if not owned:
            return _EMPTY
        rank = (
            transactions.c.batch_id_rank
            if page.sort is TransactionSort.ID
            else transactions.c.batch_time_rank
        )
        in_batch = transactions.c.batch_ref == batch_ref
        total = int(self._connection.scalar(select(func.max(rank)).where(in_batch)) or 0)
        first, last = _rank_range(total, page)
        if first > last:
            return TransactionPage(total, ())
        query = (
            _transaction_query()
            .where(in_batch, transactions.c.merchant_key == merchant_key, rank.between(first, last))
            .order_by(rank.desc() if page.descending else rank)
        )
        return TransactionPage(total, self._records(query))

    def unbatched(
        self, merchant_key: int, statuses: frozenset[TransactionStatus], page: PageRequest
    ) -> TransactionPage:
        return self._page(
            (
                transactions.c.merchant_key == merchant_key,
                transactions.c.batch_ref.is_(None),
                transactions.c.status.in_(sorted(item.value for item in statuses)),
            ),
            page,
        )

    def of_customer(
        self, merchant_key: int, profile_ref: str, payment_profile_ref: str | None, page: PageRequest
    ) -> TransactionPage:
        where = [
            transactions.c.merchant_key == merchant_key,
            transactions.c.customer_profile_ref == profile_ref,
        ]
        if payment_profile_ref is not None:
            where.append(transactions.c.payment_profile_ref == payment_profile_ref)
        return self._page(tuple(where), page)

    def _page(self, where: tuple[ColumnElement[bool], ...], page: PageRequest) -> TransactionPage:
        """Count and pick the page's refs in the index, then read only those rows."""
        total = int(
            self._connection.scalar(select(func.count()).select_from(transactions).where(*where)) or 0
        )
        if page.offset >= total:
            return TransactionPage(total, ())
        order = _order(page)
        refs = list(
            self._connection.scalars(
                select(transactions.c.ref).where(*where).order_by(*order).limit(page.size).offset(page.offset)
            )
        )
        position = {ref: index for index, ref in enumerate(refs)}
        records = self._records(_transaction_query().where(transactions.c.ref.in_(refs), *where))
        return TransactionPage(total, tuple(sorted(records, key=lambda item: position[item.ref])))

    def _records(self, query: Select[Any]) -> tuple[TransactionRecord, ...]:
        return tuple(_transaction_record(row) for row in self._connection.execute(query).mappings())


def _rank_range(total: int, page: PageRequest) -> tuple[int, int]:
    """The positions (1..total) on `page`, lowest first, whichever direction it is read."""
    if page.descending:
        return max(1, total - page.offset - page.size + 1), total - page.offset
    return page.offset + 1, min(total, page.offset + page.size)


def _order(page: PageRequest) -> Sequence[ColumnElement[Any]]:
    columns = (
        (transactions.c.ref,)
        if page.sort is TransactionSort.ID
        else (transactions.c.submitted_at, transactions.c.ref)
    )
    return [column.desc() if page.descending else column for column in columns]
