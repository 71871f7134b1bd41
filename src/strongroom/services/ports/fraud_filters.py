"""Each merchant's fraud filters and the velocity counts they read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from strongroom.domain.fraud import FraudFilter, VelocityScope
from strongroom.domain.transactions import TransactionKind


class FraudFilterRepository(Protocol):
    """A merchant's fraud filters, and the counts velocity filters need."""

    def filters(self, merchant_key: int) -> Sequence[FraudFilter]:
        """Every filter of the merchant (enabled or not), in the order they were added."""
        ...

    def add(self, merchant_key: int, item: FraudFilter, created_at: datetime) -> None:
        """Store a new filter; `Duplicate` if the merchant has one of that name."""
        ...

    def remove(self, merchant_key: int, name: str) -> bool: ...

    def set_enabled(self, merchant_key: int, name: str, enabled: bool) -> bool: ...

    def hold_velocity(self, merchant_key: int, scope: VelocityScope, value: str) -> None:
        """Serialise, until the unit of work ends, the charges that share this customer IP or
        fingerprint, so each counts the ones before it (write units only)."""
        ...

    def count_since(
        self,
        merchant_key: int,
        scope: VelocityScope,
        value: str,
        kinds: frozenset[TransactionKind],
        since: datetime,
    ) -> int:
        """Stored transactions of `kinds` with this customer IP or fingerprint submitted at or
        after `since`."""
        ...
