"""Settlement: cut-off schedules, batches and their totals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from strongroom.domain.batches import BatchState, CutoffRule
from strongroom.domain.transactions import TransactionStatus
from strongroom.services.ports.transactions import TransactionRecord


@dataclass(frozen=True, slots=True)
class SettlementSchedule:
    """A merchant's cut-off rule and the cut-off instant its settlement is closed through."""

    merchant_key: int
    rule: CutoffRule
    closed_through: datetime | None  # None: never closed


@dataclass(frozen=True, slots=True)
class BatchTotals:
    """A batch's settled charges and refunds of one account type (card brand, or "eCheck")."""

    account_type: str
    charge_count: int = 0
    charge_amount: Decimal = Decimal("0.00")
    refund_count: int = 0
    refund_amount: Decimal = Decimal("0.00")
    # Transactions that joined the batch without moving money (reported, never settled).
    void_count: int = 0
    decline_count: int = 0
    error_count: int = 0

    @property
    def transaction_count(self) -> int:
        return self.charge_count + self.refund_count + self.void_count + self.decline_count + self.error_count


@dataclass(frozen=True, slots=True)
class BatchRecord:
    """A settlement batch: one merchant, one payment method ("card" | "bank"), one cut-off."""

    ref: str  # public batchId
    merchant_key: int
    payment_method: str
    state: BatchState
    settled_at: datetime  # the cut-off instant, UTC
    timezone: str  # the merchant's zone at settlement (settlementTimeLocal)
    created_at: datetime
    statistics: tuple[BatchTotals, ...] = ()


class BatchRepository(Protocol):
    """Settlement schedules, batches and the transactions a settlement run reads."""

    def schedules(self) -> Sequence[SettlementSchedule]:
        """Every merchant's schedule, by merchant key."""
        ...

    def schedule(self, merchant_key: int, *, lock: bool = False) -> SettlementSchedule | None:
        """The merchant's schedule; `lock=True` (write units only) holds it until the unit of
        work ends: one settlement run per merchant at a time (payments are not blocked)."""
        ...

    def set_rule(self, merchant_key: int, rule: CutoffRule) -> None: ...

    def close_through(self, merchant_key: int, cutoff: datetime) -> None:
        """Record that every cut-off up to `cutoff` is closed."""
        ...

    def due(
        self, merchant_key: int, statuses: frozenset[TransactionStatus], before: datetime
    ) -> Sequence[TransactionRecord]:
        """Transactions in `statuses` that reached them (updated_at, else submitted_at) before
        `before`, in insertion order, locked until the unit ends (write units only)."""
        ...

    def submitted_before(
        self, merchant_key: int, statuses: frozenset[TransactionStatus], before: datetime
    ) -> Sequence[TransactionRecord]:
        """Transactions in `statuses` submitted before `before`, in insertion order, locked
        until the unit ends (write units only)."""
        ...

    def unbatched(
        self, merchant_key: int, statuses: frozenset[TransactionStatus], before: datetime
    ) -> Sequence[TransactionRecord]:
        """Like `due`, but only transactions in no batch yet: those that join a batch without
        changing status (voids, declines, errors)."""
        ...

    def number(self, ref: str) -> int:
        """Give the batch's transactions their positions in the batch (by submission time and
        by transaction id), so any page of its list is one index range; returns the count."""
        ...

    def open(
        self,
        merchant_key: int,
        payment_method: str,
        settled_at: datetime,
        timezone: str,
        created_at: datetime,
    ) -> str:
        """The ref of the merchant's batch for this method and cut-off, created if absent."""
        ...

    def add_totals(self, ref: str, totals: BatchTotals) -> None:
        """Add `totals` to the batch's statistics for `totals.account_type`."""
        ...

    def get(self, merchant_key: int, ref: str) -> BatchRecord | None: ...

    def settled_between(self, merchant_key: int, first: datetime, last: datetime) -> Sequence[BatchRecord]:
        """The merchant's batches settled in [first, last], by settlement time then ref."""
        ...
