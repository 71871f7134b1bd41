"""Fraud filters: each merchant's filter list (managed from the CLI) and the screening of a
charge inside its own write unit.

Screening reads the merchant's enabled filters, counts the earlier charges from the same
customer IP or card within each velocity window, and judges the charge (`domain.fraud`). The
counts see every committed charge: on SQLite write units run one at a time; on PostgreSQL the
charges sharing an IP or card are serialised by `FraudFilterRepository.hold_velocity` (an
advisory lock until the unit ends), so two simultaneous charges never both slip under a limit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final

from strongroom.domain.errors import NotFound
from strongroom.domain.fraud import (
    NOT_SCREENED,
    ChargeFacts,
    FraudAction,
    FraudFilter,
    Verdict,
    evaluate,
    velocity_windows,
)
from strongroom.domain.merchants import Merchant
from strongroom.domain.transactions import Reason, TransactionKind
from strongroom.services.ports import (
    Clock,
    Outcome,
    ProcessorResult,
    TransactionRecord,
    UnitOfWork,
    UnitOfWorkFactory,
)

# Velocity filters count the charges a merchant received (declined ones too: card testing
# shows as a burst of declines), never refunds or payment-profile validations.
COUNTED_KINDS: Final = frozenset(
    {TransactionKind.CHARGE, TransactionKind.AUTHORIZATION, TransactionKind.CAPTURE_ONLY}
)


def _not_found(name: str) -> NotFound:
    return NotFound(f"The merchant has no fraud filter named {name!r}.")


class FraudFilters:
    """A merchant's fraud filters: list, add, remove, enable and disable."""

    def __init__(self, units: UnitOfWorkFactory, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def list(self, merchant: Merchant) -> Sequence[FraudFilter]:
        """Every filter, enabled or not, in the order they were added (and are evaluated)."""
        with self._units(write=False) as uow:
            return uow.fraud.filters(merchant.key)

    def add(self, merchant: Merchant, item: FraudFilter) -> FraudFilter:
        """Add a filter; `Duplicate` when the merchant already has one of that name."""
        with self._units() as uow:
            uow.fraud.add(merchant.key, item, self._clock.now())
            uow.commit()
        return item

    def remove(self, merchant: Merchant, name: str) -> None:
        with self._units() as uow:
            if not uow.fraud.remove(merchant.key, name):
                raise _not_found(name)
            uow.commit()

    def set_enabled(self, merchant: Merchant, name: str, enabled: bool) -> None:
        with self._units() as uow:
            if not uow.fraud.set_enabled(merchant.key, name, enabled):
                raise _not_found(name)
            uow.commit()


@dataclass(frozen=True, slots=True)
class Screening:
    """The verdict on one charge, and what it does to the processor's part and the record."""

    verdict: Verdict = NOT_SCREENED

    def outcome(self, authorize: Callable[[], ProcessorResult]) -> ProcessorResult:
        """Decline or hold without asking the processor; otherwise ask it (`authorize`), and
        hold an approval when a filter says authorise-and-hold."""
        action, reason = self.verdict.action, self.verdict.reason_code
        if action is FraudAction.DECLINE:
            assert reason is not None
            return ProcessorResult(Outcome.DECLINED, reason)
        if action is FraudAction.HOLD:
            return ProcessorResult(Outcome.HELD, Reason.HELD_FOR_REVIEW)
        result = authorize()
        if action is FraudAction.AUTHORIZE_AND_HOLD and result.outcome is Outcome.APPROVED:
            return replace(result, outcome=Outcome.HELD, reason_code=Reason.AUTHORIZED_HELD_FOR_REVIEW)
        return result

    def mark(self, record: TransactionRecord) -> TransactionRecord:
        """The record with the filters that fired and the action they decided."""
        if not self.verdict.fired:
            return record
        return replace(
            record,
            fraud_action=self.verdict.action,
            fraud_filters=tuple((item.name, item.action) for item in self.verdict.fired),
        )


UNSCREENED: Final = Screening()


def screen_charge(uow: UnitOfWork, merchant_key: int, facts: ChargeFacts, now: datetime) -> Screening:
    """Judge a charge by the merchant's enabled filters, inside the charge's write unit."""
    filters = [item for item in uow.fraud.filters(merchant_key) if item.enabled]
    if not filters:
        return UNSCREENED
    windows = velocity_windows(filters, facts)
    values = {window.scope: facts.value_of(window.scope) for window in windows}
    for scope in sorted(values):  # one lock order for every charge: no deadlock
        value = values[scope]
        assert value is not None
        uow.fraud.hold_velocity(merchant_key, scope, value)
    counts = {
        window: uow.fraud.count_since(
            merchant_key,
            window.scope,
            values[window.scope] or "",
            COUNTED_KINDS,
            now - timedelta(seconds=window.seconds),
        )
        for window in windows
    }
    return Screening(evaluate(filters, facts, counts))
