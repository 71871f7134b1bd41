"""Settlement: merchants' cut-off schedules, batches with their per-account-type totals, and the
transaction queries a settlement run needs (status changes go through the transactions
repository's compare-and-set)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, Select, func, select, update
from sqlalchemy.sql.elements import ColumnElement

from strongroom.domain.batches import BatchState, CutoffRule
from strongroom.domain.transactions import TransactionStatus
from strongroom.services.ports import (
    BatchRecord,
    BatchRepository,
    BatchTotals,
    SettlementSchedule,
    TransactionRecord,
)
from strongroom.storage.refs import RefSource, insert_with_ref, random_ref
from strongroom.storage.tables import (
    BATCH_REF_DIGITS,
    batch_statistics,
    batches,
    merchants,
    transactions,
)
from strongroom.storage.transactions import _query as _transaction_query
from strongroom.storage.transactions import _record as _transaction_record

_SCHEDULE_COLUMNS = (
    merchants.c.key,
    merchants.c.settlement_cutoff,
    merchants.c.settlement_timezone,
    merchants.c.settled_through,
)
_TOTAL_FIELDS = (
    "charge_count",
    "charge_amount",
    "refund_count",
    "refund_amount",
    "void_count",
    "decline_count",
    "error_count",
)


class SqlBatchRepository(BatchRepository):
    """BatchRepository on one unit of work's connection."""

    def __init__(self, connection: Connection, new_ref: RefSource = random_ref) -> None:
        self._connection = connection
        self._new_ref = new_ref

    # ------------------------------------------------------------------- schedules

    def schedules(self) -> Sequence[SettlementSchedule]:
        rows = self._connection.execute(select(*_SCHEDULE_COLUMNS).order_by(merchants.c.key))
        return [_schedule(row) for row in rows.mappings()]

    def schedule(self, merchant_key: int, *, lock: bool = False) -> SettlementSchedule | None:
        """`lock=True` is SELECT ... FOR NO KEY UPDATE on PostgreSQL: it serialises settlement
        runs of the merchant without blocking inserts that reference the merchant (they take
        KEY SHARE). SQLite write units hold the database lock already."""
        query = select(*_SCHEDULE_COLUMNS).where(merchants.c.key == merchant_key)
        if lock:
            query = query.with_for_update(key_share=True)
        row = self._connection.execute(query).mappings().first()
        return _schedule(row) if row is not None else None

    def set_rule(self, merchant_key: int, rule: CutoffRule) -> None:
        self._connection.execute(
            update(merchants)
            .where(merchants.c.key == merchant_key)
            .values(settlement_cutoff=rule.text, settlement_timezone=rule.timezone)
        )

    def close_through(self, merchant_key: int, cutoff: datetime) -> None:
        self._connection.execute(
            update(merchants).where(merchants.c.key == merchant_key).values(settled_through=cutoff)
        )

    # ------------------------------------------------------------------- transactions

    def due(
        self, merchant_key: int, statuses: frozenset[TransactionStatus], before: datetime
    ) -> Sequence[TransactionRecord]:
        reached = func.coalesce(transactions.c.updated_at, transactions.c.submitted_at)
        query = (
            _transaction_query()
            .where(
                transactions.c.merchant_key == merchant_key,
                transactions.c.status.in_(sorted(item.value for item in statuses)),
                reached < before,
            )
            .order_by(transactions.c.key)
            .with_for_update()
        )
        return [_transaction_record(row) for row in self._connection.execute(query).mappings()]

    def submitted_before(
        self, merchant_key: int, statuses: frozenset[TransactionStatus], before: datetime
    ) -> Sequence[TransactionRecord]:
        query = (
            _transaction_query()
            .where(
                transactions.c.merchant_key == merchant_key,
                transactions.c.status.in_(sorted(item.value for item in statuses)),
                transactions.c.submitted_at < before,
            )
            .order_by(transactions.c.key)
            .with_for_update()
        )
        return [_transaction_record(row) for row in self._connection.execute(query).mappings()]

    def unbatched(
        self, merchant_key: int, statuses: frozenset[TransactionStatus], before: datetime
    ) -> Sequence[TransactionRecord]:
        reached = func.coalesce(transactions.c.updated_at, transactions.c.submitted_at)
        query = (
            _transaction_query()
            .where(
                transactions.c.merchant_key == merchant_key,
                transactions.c.batch_ref.is_(None),
                transactions.c.status.in_(sorted(item.value for item in statuses)),
                reached < before,
            )
            .order_by(transactions.c.key)
            .with_for_update()
        )
        return [_transaction_record(row) for row in self._connection.execute(query).mappings()]

    def number(self, ref: str) -> int:
        """One UPDATE ... FROM over the batch's rows with row_number() in both orders."""
        in_batch = transactions.c.batch_ref == ref
        ranked = (
            select(
                transactions.c.key.label("ranked_key"),
                _row_number(transactions.c.submitted_at, transactions.c.ref).label("time_rank"),
                _row_number(transactions.c.ref).label("id_rank"),
            )
            .where(in_batch)
            .subquery("ranked")
        )
        result = self._connection.execute(
            update(transactions)
            .where(transactions.c.key == ranked.c.ranked_key)
            .values(batch_time_rank=ranked.c.time_rank, batch_id_rank=ranked.c.id_rank)
        )
        return int(result.rowcount)

    # ------------------------------------------------------------------- batches

    def open(
        self,
        merchant_key: int,
        payment_method: str,
        settled_at: datetime,
        timezone: str,
        created_at: datetime,
    ) -> str:
        existing = self._connection.execute(
            select(batches.c.ref).where(
                batches.c.merchant_key == merchant_key,
                batches.c.payment_method == payment_method,
                batches.c.settled_at == settled_at,
            )
        ).scalar()
        if existing is not None:
            return str(existing)
        _, ref = insert_with_ref(
            self._connection,
            batches,
            {
                "merchant_key": merchant_key,
                "payment_method": payment_method,
                "settlement_state": BatchState.SETTLED.value,
                "settled_at": settled_at,
                "settlement_timezone": timezone,
                "created_at": created_at,
            },
            BATCH_REF_DIGITS,
            self._new_ref,
        )
        return ref

    def add_totals(self, ref: str, totals: BatchTotals) -> None:
        batch_key = self._connection.execute(select(batches.c.key).where(batches.c.ref == ref)).scalar_one()
        where = (
            batch_statistics.c.batch_key == batch_key,
            batch_statistics.c.account_type == totals.account_type,
        )
        current = (
            self._connection.execute(
                select(*(batch_statistics.c[name] for name in _TOTAL_FIELDS)).where(*where)
            )
            .mappings()
            .first()
        )
        added = {name: getattr(totals, name) for name in _TOTAL_FIELDS}
        if current is None:
            self._connection.execute(
                batch_statistics.insert().values(
                    batch_key=batch_key, account_type=totals.account_type, **added
                )
            )
            return
        self._connection.execute(
            update(batch_statistics)
            .where(*where)
            .values(**{name: current[name] + value for name, value in added.items()})
        )

    def get(self, merchant_key: int, ref: str) -> BatchRecord | None:
        found = self._batches(
            _batch_query().where(batches.c.merchant_key == merchant_key, batches.c.ref == ref)
        )
        return found[0] if found else None

    def settled_between(self, merchant_key: int, first: datetime, last: datetime) -> Sequence[BatchRecord]:
        return self._batches(
            _batch_query()
            .where(
                batches.c.merchant_key == merchant_key,
                batches.c.settled_at >= first,
                batches.c.settled_at <= last,
            )
            .order_by(batches.c.settled_at, batches.c.ref)
        )

    def _batches(self, query: Select[Any]) -> list[BatchRecord]:
        rows = self._connection.execute(query).mappings().all()
        if not rows:
            return []
        keys = [row["key"] for row in rows]
        statistics: dict[int, list[BatchTotals]] = {key: [] for key in keys}
        for item in self._connection.execute(
            select(batch_statistics)
            .where(batch_statistics.c.batch_key.in_(keys))
            .order_by(batch_statistics.c.batch_key, batch_statistics.c.account_type)
        ).mappings():
            statistics[item["batch_key"]].append(
                BatchTotals(item["account_type"], **{name: item[name] for name in _TOTAL_FIELDS})
            )
        return [_batch(row, statistics[row["key"]]) for row in rows]


def _row_number(*order: ColumnElement[Any]) -> ColumnElement[int]:
    return func.row_number().over(order_by=order)


def _schedule(row: RowMapping) -> SettlementSchedule:
    return SettlementSchedule(
        row["key"],
        CutoffRule.parse(row["settlement_cutoff"], row["settlement_timezone"]),
        row["settled_through"],
    )


def _batch_query() -> Select[Any]:
    return select(batches)


def _batch(row: RowMapping, statistics: list[BatchTotals]) -> BatchRecord:
    return BatchRecord(
        ref=row["ref"],
        merchant_key=row["merchant_key"],
        payment_method=row["payment_method"],
        state=BatchState(row["settlement_state"]),
        settled_at=row["settled_at"],
        timezone=row["settlement_timezone"],
        created_at=row["created_at"],
        statistics=tuple(statistics),
    )
