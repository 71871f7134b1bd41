"""Transaction reporting: settled batches by date, one batch's statistics, transaction lists
(a batch, not yet batched, a customer's) and one transaction's details, and the merchant's
account. Dialect-free: doors turn their requests into these values and render the answers.

Settlement dates follow the Authorize.Net rules, the only ones integrations know: a range is
optional (default: the last 24 hours), both ends or neither, at most 31 days, not before
January 1 two years back, not in the future; a time without an offset is the merchant's local
time; a last date at exactly midnight includes that whole day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Final

from strongroom.domain.batches import DEFAULT_TIMEZONE, JOINS_UNCHANGED, zone
from strongroom.domain.errors import InvalidField, MissingField, NotFound
from strongroom.domain.instruments import BankAccount, CardBrand
from strongroom.domain.merchants import Merchant, MerchantDetails
from strongroom.domain.transactions import UNSETTLED, TransactionStatus
from strongroom.services.ports import (
    Clock,
    TransactionPage,
    TransactionRecord,
    UnitOfWork,
    UnitOfWorkFactory,
)

# How a transaction list is asked for: part of this service's API (storage reads them too).
from strongroom.services.ports import PageRequest as PageRequest
from strongroom.services.ports import TransactionSort as TransactionSort
from strongroom.services.reporting.reported import ReportedBatch, ReportedTransaction
from strongroom.services.reporting.reported import (
    reported_settle_amount as reported_settle_amount,
)
from strongroom.services.transactions.instruments import TransactionInstruments
from strongroom.services.transactions.requests import OrderDetails
from strongroom.services.transactions.stored_orders import stored_order

MAX_PAGE_SIZE: Final = 1000
MAX_RANGE: Final = timedelta(days=31)
DEFAULT_RANGE: Final = timedelta(hours=24)
YEARS_BACK: Final = 2
# The farthest any wall clock runs ahead of UTC (UTC+14). A local time later than every clock
# on Earth shows is in the future for any caller, wherever their "now" was taken.
LATEST_WALL_CLOCK: Final = timedelta(hours=14)
DEFAULT_CURRENCY: Final = "USD"  # amounts sent without a currency are in US dollars

HELD_FOR_REVIEW: Final = frozenset(
    {TransactionStatus.HELD_FOR_REVIEW, TransactionStatus.AUTHORIZED_HELD_FOR_REVIEW}
)
# What the unsettled list shows: everything in no batch yet, except what never will be one
# (expired authorisations).
NOT_YET_BATCHED: Final = UNSETTLED | JOINS_UNCHANGED


class UnsettledFilter(StrEnum):
    ANY = "any"
    HELD_FOR_REVIEW = "held_for_review"


@dataclass(frozen=True, slots=True)
class SettlementRange:
    """Requested settlement dates; a naive datetime is the merchant's local time."""

    first: datetime | None = None
    last: datetime | None = None


@dataclass(frozen=True, slots=True)
class SettledBatches:
    batches: tuple[ReportedBatch, ...]
    first: datetime  # the range searched, UTC
    last: datetime


@dataclass(frozen=True, slots=True)
class TransactionList:
    """One page of a transaction list; `timezone` is the merchant's, for local times."""

    total: int  # matching transactions on every page
    transactions: tuple[ReportedTransaction, ...]
    timezone: str

    @classmethod
    def of(cls, page: TransactionPage, timezone: str) -> TransactionList:
        return cls(page.total, tuple(ReportedTransaction.of(item) for item in page.records), timezone)


@dataclass(frozen=True, slots=True)
class TransactionDetails:
    transaction: ReportedTransaction
    timezone: str
    order: OrderDetails
    batch: ReportedBatch | None = None
    bank_account: BankAccount | None = None  # eCheck: the account, when it was kept


@dataclass(frozen=True, slots=True)
class MerchantAccount:
    """What a merchant's account offers and tells about itself (getMerchantDetails)."""

    merchant: Merchant
    details: MerchantDetails
    timezone: str
    processors: tuple[str, ...]  # names of the processors the account runs on
    card_brands: tuple[CardBrand, ...]
    bank_accounts: bool
    card_present: bool
    currencies: tuple[str, ...]


def _instant(value: datetime, timezone: str) -> datetime:
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    return value.replace(tzinfo=zone(timezone)).astimezone(UTC)


def _in_future(value: datetime, now: datetime) -> bool:
    if value.tzinfo is not None:
        return value > now
    return value > (now + LATEST_WALL_CLOCK).astimezone(UTC).replace(tzinfo=None)


def settlement_window(requested: SettlementRange, timezone: str, now: datetime) -> tuple[datetime, datetime]:
    """The UTC instants [first, last] to search, or InvalidField / MissingField saying why
    the range cannot be searched."""
    first, last = requested.first, requested.last
    if first is None and last is None:
        return now - DEFAULT_RANGE, now
    if first is None:
        raise MissingField(
            "firstSettlementDate", "firstSettlementDate is required when lastSettlementDate is present."
        )
    if last is None:
        raise MissingField(
            "lastSettlementDate", "lastSettlementDate is required when firstSettlementDate is present."
        )
    start, end = _instant(first, timezone), _instant(last, timezone)
    if start > end:
        raise InvalidField(
            "firstSettlementDate", "firstSettlementDate is greater than the lastSettlementDate."
        )
    if end - start > MAX_RANGE:
        raise InvalidField("lastSettlementDate", "The date range cannot exceed 31 days.")
    oldest_year = now.astimezone(zone(timezone)).year - YEARS_BACK
    if start < _instant(datetime.combine(date(oldest_year, 1, 1), time()), timezone):
        raise InvalidField(
            "firstSettlementDate", f"firstSettlementDate cannot be older than the year of {oldest_year}."
        )
    if _in_future(last, now):
        raise InvalidField("lastSettlementDate", "lastSettlementDate cannot be in the future.")
    if last.time() == time():
        end += timedelta(days=1)
    return start, end


def checked_page(page: PageRequest) -> PageRequest:
    if not 1 <= page.size <= MAX_PAGE_SIZE or page.number < 1:
        raise InvalidField("paging", f"Paging limit is 1 to {MAX_PAGE_SIZE}, offset from 1.")
    return page


class Reporting:
    """Read-only reports over one merchant's batches and transactions."""

    def __init__(
        self, units: UnitOfWorkFactory, clock: Clock, instruments: TransactionInstruments, processor_name: str
    ) -> None:
        self._units = units
        self._clock = clock
        self._instruments = instruments
        self._processor_name = processor_name

    # ------------------------------------------------------------------- batches

    def settled_batches(self, merchant: Merchant, requested: SettlementRange) -> SettledBatches:
        """The merchant's batches settled in the requested range, by settlement time (batch
        ids are random, so this is the order in which they were created)."""
        with self._units(write=False) as uow:
            timezone = _timezone(uow, merchant)
            first, last = settlement_window(requested, timezone, self._clock.now())
            found = uow.batches.settled_between(merchant.key, first, last)
        return SettledBatches(tuple(ReportedBatch.of(batch) for batch in found), first, last)

    def batch(self, merchant: Merchant, batch_ref: str) -> ReportedBatch | None:
        """One of the merchant's batches with its statistics; None for any other id."""
        with self._units(write=False) as uow:
            batch = uow.batches.get(merchant.key, batch_ref)
        return ReportedBatch.of(batch) if batch is not None else None

    # ------------------------------------------------------------------- lists

    def batch_transactions(self, merchant: Merchant, batch_ref: str, page: PageRequest) -> TransactionList:
        """The transactions of one of the merchant's batches (none for another's)."""
        page = checked_page(page)
        with self._units(write=False) as uow:
            return TransactionList.of(
                uow.reporting.batch_transactions(merchant.key, batch_ref, page), _timezone(uow, merchant)
            )

    def unsettled(self, merchant: Merchant, which: UnsettledFilter, page: PageRequest) -> TransactionList:
        """Transactions in no batch yet (all, or those held for review)."""
        page = checked_page(page)
        statuses = HELD_FOR_REVIEW if which is UnsettledFilter.HELD_FOR_REVIEW else NOT_YET_BATCHED
        with self._units(write=False) as uow:
            return TransactionList.of(
                uow.reporting.unbatched(merchant.key, statuses, page), _timezone(uow, merchant)
            )

    def customer_transactions(
        self, merchant: Merchant, profile_ref: str, payment_profile_ref: str | None, page: PageRequest
    ) -> TransactionList:
        """Transactions paid with one of the merchant's customer profiles (optionally one of
        its payment profiles); NotFound for a profile that is not the merchant's."""
        page = checked_page(page)
        with self._units(write=False) as uow:
            _require_profile(uow, merchant, profile_ref, payment_profile_ref)
            return TransactionList.of(
                uow.reporting.of_customer(merchant.key, profile_ref, payment_profile_ref, page),
                _timezone(uow, merchant),
            )

    # ------------------------------------------------------------------- details

    def details(self, merchant: Merchant, transaction_ref: str) -> TransactionDetails:
        """Everything stored about one of the merchant's transactions; NotFound otherwise."""
        with self._units(write=False) as uow:
            record = uow.transactions.get(merchant.key, transaction_ref)
            if record is None:
                raise NotFound("The record cannot be found.")
            batch = uow.batches.get(merchant.key, record.batch_ref) if record.batch_ref else None
            timezone = _timezone(uow, merchant)
        return TransactionDetails(
            ReportedTransaction.of(record),
            timezone,
            stored_order(record),
            ReportedBatch.of(batch) if batch is not None else None,
            self._bank_account(merchant, record),
        )

    def _bank_account(self, merchant: Merchant, record: TransactionRecord) -> BankAccount | None:
        """The account an eCheck transaction ran on (a refund: the one it credits), when it
        was kept; the door shows it masked."""
        if record.payment_method != "bank":
            return None
        for ref in (record.ref, record.ref_trans_ref):
            if ref:
                instrument = self._instruments.recall(merchant, ref)
                if isinstance(instrument, BankAccount):
                    return instrument
        return None

    # ------------------------------------------------------------------- the account

    def account(self, merchant: Merchant) -> MerchantAccount:
        with self._units(write=False) as uow:
            details = uow.merchants.details(merchant.key)
            timezone = _timezone(uow, merchant)
        if details is None:
            raise NotFound("The merchant cannot be found.")
        return MerchantAccount(
            merchant,
            details,
            timezone,
            (self._processor_name,),
            card_brands=tuple(CardBrand),
            bank_accounts=True,
            card_present=True,
            currencies=(DEFAULT_CURRENCY,),
        )


def _timezone(uow: UnitOfWork, merchant: Merchant) -> str:
    schedule = uow.batches.schedule(merchant.key)
    return schedule.rule.timezone if schedule is not None else DEFAULT_TIMEZONE


def _require_profile(
    uow: UnitOfWork, merchant: Merchant, profile_ref: str, payment_profile_ref: str | None
) -> None:
    container = merchant.container_key
    if uow.profiles.profile(container, profile_ref) is None:
        raise NotFound("The record cannot be found.")
    if (
        payment_profile_ref is not None
        and uow.profiles.payment_profile(container, profile_ref, payment_profile_ref) is None
    ):
        raise NotFound("The record cannot be found.")
