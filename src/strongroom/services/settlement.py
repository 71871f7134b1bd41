"""Settlement: closing each merchant's batches at its daily cut-off.

`close_batches(now)` looks at every merchant whose latest cut-off (at or before `now`) is not
closed yet, and closes it in one write unit per merchant: hold the merchant's schedule (one run
per merchant at a time, whichever process runs it), lock the transactions that became due
before that cut-off, move each through the state machine with a compare-and-set, add it to the
batch of its payment method and cut-off, expire stale authorisations and holds for review, and
record the cut-off as closed. A second run, concurrent or later, finds nothing left to do: it is
idempotent.

A transaction joins the batch of the first cut-off after it became due (a charge when submitted,
a prior-auth capture when captured, a refund when issued); voided, declined and errored ones join
it too, unchanged, and count as voids, declines and errors in its statistics. Once filled, the
batch's transactions are numbered in it, for its reports. When the clock has moved past several
cut-offs since the last run, each gets its own batches, as if the run had happened every day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from strongroom.domain.batches import (
    EXPIRES,
    JOINS_UNCHANGED,
    SETTLES,
    SHORTEST_LIFETIME,
    CutoffRule,
    batch_cutoff,
    expires,
    is_refund,
    settled_status,
    settles,
)
from strongroom.domain.errors import NotFound
from strongroom.domain.merchants import Merchant
from strongroom.domain.transactions import Action, TransactionStatus
from strongroom.services.ports import (
    BatchRecord,
    BatchTotals,
    SettlementSchedule,
    TransactionRecord,
    UnitOfWork,
    UnitOfWorkFactory,
)
from strongroom.services.transactions.records import moved

_SETTLING = frozenset(SETTLES)
_EXPIRING = frozenset(EXPIRES)


@dataclass(frozen=True, slots=True)
class ClosedBatch:
    """A batch a run created (or added to), with what this run put into it."""

    merchant_key: int
    login_id: str
    ref: str
    payment_method: str  # "card" | "bank"
    settled_at: datetime  # the cut-off instant, UTC
    settled_local: datetime  # naive wall-clock time in the merchant's zone
    statistics: tuple[BatchTotals, ...]

    @property
    def count(self) -> int:
        return sum(item.charge_count + item.refund_count for item in self.statistics)

    @property
    def charged(self) -> Decimal:
        return sum((item.charge_amount for item in self.statistics), Decimal("0.00"))

    @property
    def refunded(self) -> Decimal:
        return sum((item.refund_amount for item in self.statistics), Decimal("0.00"))


@dataclass(frozen=True, slots=True)
class SettlementReport:
    """What one `close_batches` run did."""

    now: datetime
    merchants: int  # merchants whose cut-off this run closed
    batches: tuple[ClosedBatch, ...]
    expired: int  # authorisations and unreviewed holds expired

    @property
    def settled(self) -> int:
        return sum(batch.count for batch in self.batches)


@dataclass(frozen=True, slots=True)
class _MerchantRun:
    batches: tuple[ClosedBatch, ...]
    expired: int


def _is_due(schedule: SettlementSchedule, now: datetime) -> bool:
    closed = schedule.closed_through
    return closed is None or closed < schedule.rule.previous(now)


def _became_due(record: TransactionRecord) -> datetime:
    return record.updated_at or record.submitted_at


class Settlement:
    """Daily batches per merchant, and each merchant's cut-off rule."""

    def __init__(self, units: UnitOfWorkFactory) -> None:
        self._units = units

    # ------------------------------------------------------------------- the run

    def close_batches(self, now: datetime) -> SettlementReport:
        """Close every merchant's cut-offs up to `now`; safe to run from several processes."""
        with self._units(write=False) as uow:
            schedules = [item for item in uow.batches.schedules() if _is_due(item, now)]
            logins = {merchant.key: merchant.login_id for merchant in uow.merchants.all()}
        batches: list[ClosedBatch] = []
        expired = merchants = 0
        for schedule in schedules:
            key = schedule.merchant_key
            run = self._close_merchant(key, logins.get(key, ""), now)
            if run is not None:
                merchants += 1
                batches.extend(run.batches)
                expired += run.expired
        return SettlementReport(now, merchants, tuple(batches), expired)

    def _close_merchant(self, merchant_key: int, login_id: str, now: datetime) -> _MerchantRun | None:
        with self._units() as uow:
            schedule = uow.batches.schedule(merchant_key, lock=True)
            if schedule is None or not _is_due(schedule, now):
                return None  # another run closed it meanwhile
            rule = schedule.rule
            target = rule.previous(now)
            expired = self._expire(uow, merchant_key, now)
            groups: dict[tuple[datetime, str], list[TransactionRecord]] = defaultdict(list)
            for record in (
                *uow.batches.due(merchant_key, _SETTLING, target),
                *uow.batches.unbatched(merchant_key, JOINS_UNCHANGED, target),
            ):
                cutoff = batch_cutoff(rule, _became_due(record), schedule.closed_through)
                groups[cutoff, record.payment_method].append(record)
            closed = tuple(
                self._settle(uow, rule, login_id, cutoff, method, groups[cutoff, method], now)
                for cutoff, method in sorted(groups)
            )
            uow.batches.close_through(merchant_key, target)
            uow.commit()
        return _MerchantRun(tuple(batch for batch in closed if batch.statistics), expired)

    @staticmethod
    def _settle(
        uow: UnitOfWork,
        rule: CutoffRule,
        login_id: str,
        cutoff: datetime,
        method: str,
        records: Sequence[TransactionRecord],
        now: datetime,
    ) -> ClosedBatch:
        merchant_key = records[0].merchant_key
        ref = uow.batches.open(merchant_key, method, cutoff, rule.timezone, now)
        totals: dict[str, BatchTotals] = {}
        for record in records:
            batched = _batched(record, ref, cutoff, now)
            if not uow.transactions.update(batched, expected_status=record.status):
                continue  # changed since it was read (the rows are locked: never expected)
            totals[record.account_type] = _added(
                totals.get(record.account_type, BatchTotals(record.account_type)), record
            )
        for item in totals.values():
            uow.batches.add_totals(ref, item)
        uow.batches.number(ref)
        return ClosedBatch(
            merchant_key,
            login_id,
            ref,
            method,
            cutoff,
            rule.local(cutoff),
            tuple(totals[name] for name in sorted(totals)),
        )

    @staticmethod
    def _expire(uow: UnitOfWork, merchant_key: int, now: datetime) -> int:
        count = 0
        for record in uow.batches.submitted_before(merchant_key, _EXPIRING, now - SHORTEST_LIFETIME):
            if not expires(record.status, record.submitted_at, now):
                continue
            if uow.transactions.update(moved(record, Action.EXPIRE, now), expected_status=record.status):
                count += 1
        return count

    # ------------------------------------------------------------------- reading

    def batch(self, merchant: Merchant, ref: str) -> BatchRecord:
        """One of the merchant's batches; `NotFound` otherwise."""
        with self._units(write=False) as uow:
            found = uow.batches.get(merchant.key, ref)
        if found is None:
            raise NotFound("The batch cannot be found.")
        return found

    def batches(self, merchant: Merchant, first: datetime, last: datetime) -> Sequence[BatchRecord]:
        """The merchant's batches settled from `first` to `last` (inclusive)."""
        with self._units(write=False) as uow:
            return uow.batches.settled_between(merchant.key, first, last)

    # ------------------------------------------------------------------- the cut-off rule

    def rule(self, merchant: Merchant) -> CutoffRule:
        with self._units(write=False) as uow:
            schedule = uow.batches.schedule(merchant.key)
        if schedule is None:
            raise NotFound("The merchant cannot be found.")
        return schedule.rule

    def set_rule(self, merchant: Merchant, cutoff: str, timezone: str | None = None) -> CutoffRule:
        """Change the merchant's cut-off time (HH:MM) and, if given, its time zone; the
        cut-offs already closed stay closed. `InvalidField` for an unusable time or zone."""
        with self._units() as uow:
            schedule = uow.batches.schedule(merchant.key, lock=True)
            if schedule is None:
                raise NotFound("The merchant cannot be found.")
            rule = CutoffRule.parse(cutoff, timezone or schedule.rule.timezone)
            uow.batches.set_rule(merchant.key, rule)
            uow.commit()
        return rule


def _batched(record: TransactionRecord, ref: str, cutoff: datetime, now: datetime) -> TransactionRecord:
    """A settling transaction settles at the cut-off; the others join the batch unchanged."""
    if settles(record.status):
        return replace(
            record, status=settled_status(record.status), settled_at=cutoff, batch_ref=ref, updated_at=now
        )
    return replace(record, batch_ref=ref)


_UNCHANGED_COUNTS = {
    TransactionStatus.VOIDED: "void_count",
    TransactionStatus.DECLINED: "decline_count",
    TransactionStatus.GENERAL_ERROR: "error_count",
}


def _added(totals: BatchTotals, record: TransactionRecord) -> BatchTotals:
    counter = _UNCHANGED_COUNTS.get(record.status)
    if counter is not None:
        return replace(totals, **{counter: getattr(totals, counter) + 1})
    if is_refund(record.status):
        return replace(
            totals,
            refund_count=totals.refund_count + 1,
            refund_amount=totals.refund_amount + record.settle_amount,
        )
    return replace(
        totals,
        charge_count=totals.charge_count + 1,
        charge_amount=totals.charge_amount + record.settle_amount,
    )
