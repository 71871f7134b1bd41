"""Reporting reads: transaction pages, their sort and paging."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from strongroom.domain.transactions import TransactionStatus
from strongroom.services.ports.transactions import TransactionRecord


class TransactionSort(StrEnum):
    SUBMITTED = "submitted"  # submission time (then transaction id)
    ID = "id"  # transaction id


@dataclass(frozen=True, slots=True)
class PageRequest:
    """One page of an ordered transaction list; `number` counts pages of `size` from 1."""

    sort: TransactionSort = TransactionSort.SUBMITTED
    descending: bool = False
    size: int = 1000
    number: int = 1

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


@dataclass(frozen=True, slots=True)
class TransactionPage:
    total: int  # matching transactions on every page
    records: tuple[TransactionRecord, ...]


class ReportingRepository(Protocol):
    """Transaction lists for reports, each one index range however many rows a merchant has."""

    def batch_transactions(self, merchant_key: int, batch_ref: str, page: PageRequest) -> TransactionPage:
        """The transactions of one of the merchant's batches (empty for another's)."""
        ...

    def unbatched(
        self, merchant_key: int, statuses: frozenset[TransactionStatus], page: PageRequest
    ) -> TransactionPage:
        """The merchant's transactions in `statuses` that are in no batch yet."""
        ...

    def of_customer(
        self, merchant_key: int, profile_ref: str, payment_profile_ref: str | None, page: PageRequest
    ) -> TransactionPage:
        """The merchant's transactions paid with a customer profile (and payment profile)."""
        ...
