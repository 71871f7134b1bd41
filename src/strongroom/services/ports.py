"""Every interface the core needs from the outside world, as typing.Protocols.

This file is the map of the system's edges: storage (repositories and the unit of work),
the vault (encryption and fingerprints), processors (the card network), and the clock.
Services depend on these protocols only; `bootstrap.py` picks the concrete classes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from types import TracebackType
from typing import Protocol

from strongroom.domain.batches import BatchState, CutoffRule
from strongroom.domain.card_authentication import CardholderAuthentication
from strongroom.domain.customers import Address, CustomerType, ProfileType
from strongroom.domain.events import EventType, Payload
from strongroom.domain.fraud import FraudAction, FraudFilter, VelocityScope
from strongroom.domain.instruments import Instrument, YearMonth
from strongroom.domain.merchants import Merchant, MerchantContact, MerchantDetails
from strongroom.domain.money import Money
from strongroom.domain.sensitive import Secret
from strongroom.domain.split_tenders import SplitTenderStatus
from strongroom.domain.subscriptions import Subscription, SubscriptionStatus
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.domain.webhooks import NotificationState, WebhookStatus

# --------------------------------------------------------------------------- clock


class Clock(Protocol):
    """Where time comes from; tests and the sandbox use a movable one."""

    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class ClockOffsets(Protocol):
    """Where a sandbox keeps how far its clock runs ahead of system time (implemented by
    storage, so every process sharing a database shares one sandbox clock)."""

    def offset(self) -> timedelta: ...

    def advance(self, delta: timedelta) -> timedelta:
        """Add `delta` to the stored offset; return the new offset."""
        ...


# --------------------------------------------------------------------------- vault


class Vault(Protocol):
    """Envelope encryption under per-merchant data keys, and keyed fingerprints."""

    def seal(self, merchant_key: int, record: str, plaintext: bytes) -> bytes:
        """Encrypt with the merchant's current data key; `record` is bound as associated data."""
        ...

    def unseal(self, merchant_key: int, record: str, blob: bytes) -> bytes:
        """Decrypt a blob made by `seal` for the same merchant and record (any key version)."""
        ...

    def fingerprint(self, merchant_key: int, value: str) -> str:
        """A per-merchant keyed hash (HMAC) of a card or account number, for duplicate checks."""
        ...

    def credential_digest(self, secret: str, salt: bytes) -> bytes:
        """A keyed hash of an API credential; cheap (microseconds) so it can run per request."""
        ...

    def prepare(self, merchant_key: int) -> None:
        """Create the merchant's data keys now if they are missing, each committed on its own,
        so that no key is created inside a transaction that may yet roll back."""
        ...


@dataclass(frozen=True, slots=True)
class WrappedDataKey:
    """A data key as stored: encrypted under master key `master_version`."""

    key_id: int
    merchant_key: int
    purpose: str  # "data" (record encryption) or "fingerprint" (HMAC)
    version: int
    wrapped: bytes
    master_version: int


class DataKeyStore(Protocol):
    """Where the vault keeps wrapped data keys (implemented by storage)."""

    def current(self, merchant_key: int, purpose: str) -> WrappedDataKey | None:
        """The newest key of that purpose for the merchant, if any."""
        ...

    def get(self, key_id: int) -> WrappedDataKey | None: ...

    def add(self, merchant_key: int, purpose: str, version: int, wrapped: bytes,
            master_version: int) -> WrappedDataKey:
        """Store a new key; if another process stored the same (merchant, purpose, version) first,
        return that one instead."""
        ...

    def all_keys(self) -> Sequence[WrappedDataKey]: ...

    def rewrap(self, key_id: int, wrapped: bytes, master_version: int) -> None: ...


class Resealer(Protocol):
    """The vault's re-encryption side: move sealed records to the newest data key version."""

    def add_data_key_version(self, merchant_key: int) -> int: ...

    def is_current(self, merchant_key: int, blob: bytes) -> bool: ...

    def reseal(self, merchant_key: int, record: str, blob: bytes) -> bytes: ...


# --------------------------------------------------------------------------- storage rows


@dataclass(frozen=True, slots=True)
class ProfileRow:
    ref: str
    merchant_customer_id: str | None
    description: str | None
    email: str | None
    profile_type: ProfileType
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PaymentProfileRow:
    """A payment profile as stored: secrets only inside `sealed`, the rest searchable in clear."""

    ref: str
    profile_ref: str
    kind: str  # "card" | "bank"
    sealed: bytes
    fingerprint: str
    last4: str
    card_brand: str | None
    issuer_number: str | None
    expiry: YearMonth | None
    bank_account_type: str | None
    echeck_type: str | None
    bank_name: str | None
    name_on_account: str | None
    bill_to: Address | None
    customer_type: CustomerType | None
    drivers_license_state: str | None
    is_default: bool
    exclude_from_account_updater: bool | None
    original_network_trans_id: str | None
    original_auth_amount: Decimal | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AddressRow:
    ref: str
    profile_ref: str
    address: Address
    is_default: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MerchantRow:
    merchant: Merchant
    credential_salt: bytes
    transaction_key_digest: bytes
    sealed_signature_key: bytes | None


# --------------------------------------------------------------------------- repositories


class MerchantRepository(Protocol):
    def add(self, name: str, login_id: str, credential_salt: bytes, transaction_key_digest: bytes,
            public_client_key: str, created_at: datetime, is_sandbox: bool) -> Merchant:
        """Create a merchant and its default profile container; `Duplicate` if the login is taken."""
        ...

    def set_signature_key(self, merchant_key: int, sealed: bytes | None) -> None: ...

    def by_login(self, login_id: str) -> MerchantRow | None: ...

    def by_key(self, merchant_key: int) -> MerchantRow | None: ...

    def all(self) -> Sequence[Merchant]: ...

    def all_rows(self) -> Sequence[MerchantRow]:
        """Every merchant with its credential salt and digests (start-up checks)."""
        ...

    def set_transaction_key(self, merchant_key: int, credential_salt: bytes,
                            transaction_key_digest: bytes) -> None: ...

    def details(self, merchant_key: int) -> MerchantDetails | None:
        """The account's gateway id, business information and contact."""
        ...

    def set_details(self, merchant_key: int, business: Address, contact: MerchantContact
                    ) -> None: ...


class RefTaken(Exception):
    """A caller-chosen public ref already exists (a rare random collision: choose another)."""


class ProfileRepository(Protocol):
    """Customer profiles with their payment profiles and addresses, always scoped by container."""

    def add_profile(self, container_key: int, ref: str, merchant_customer_id: str | None,
                    description: str | None, email: str | None, profile_type: ProfileType,
                    created_at: datetime) -> None:
        """Insert a profile under the caller-chosen public ref; `RefTaken` if it exists."""
        ...

    def profile(self, container_key: int, ref: str, *, lock: bool = False) -> ProfileRow | None:
        """One profile; `lock=True` holds it for the rest of the unit of work (limits, defaults)."""
        ...

    def profile_by_merchant_customer_id(self, container_key: int, merchant_customer_id: str
                                        ) -> ProfileRow | None: ...

    def profile_by_email(self, container_key: int, email: str) -> ProfileRow | None: ...

    def duplicate_profile(self, container_key: int, merchant_customer_id: str | None,
                          description: str | None, email: str | None,
                          excluding_ref: str | None = None) -> str | None:
        """Ref of a profile whose three identity fields all equal these (NULL equals NULL)."""
        ...

    def profile_refs(self, container_key: int) -> Sequence[str]: ...

    def lock_container(self, container_key: int) -> None:
        """Serialise profile creation in a container until the unit of work ends (duplicate checks)."""
        ...

    def update_profile(self, container_key: int, ref: str, merchant_customer_id: str | None,
                       description: str | None, email: str | None,
                       profile_type: ProfileType | None) -> None: ...

    def delete_profile(self, container_key: int, ref: str) -> bool:
        """Delete the profile and, with it, its payment profiles and addresses."""
        ...

    # payment profiles
    def add_payment_profile(self, container_key: int, row: PaymentProfileRow) -> str:
        """Insert (row.ref is ignored) and return the new public ref."""
        ...

    def payment_profiles(self, container_key: int, profile_ref: str) -> Sequence[PaymentProfileRow]:
        """All payment profiles of a profile, oldest first."""
        ...

    def payment_profile(self, container_key: int, profile_ref: str, ref: str
                        ) -> PaymentProfileRow | None: ...

    def replace_payment_profile(self, container_key: int, row: PaymentProfileRow) -> None: ...

    def delete_payment_profile(self, container_key: int, profile_ref: str, ref: str) -> bool: ...

    def duplicate_payment_profile(self, container_key: int, profile_ref: str, fingerprint: str,
                                  bill_to: Address | None, excluding_ref: str | None = None
                                  ) -> str | None:
        """Ref of a payment profile with the same fingerprint and billTo first name, last name,
        address and zip (expiry is not part of the check)."""
        ...

    def clear_default_payment_profile(self, container_key: int, profile_ref: str) -> None: ...

    def payment_profiles_expiring(self, container_key: int, month: YearMonth, descending: bool,
                                  offset: int, limit: int
                                  ) -> tuple[int, Sequence[PaymentProfileRow]]:
        """Card payment profiles expiring in `month`, ordered by ref; (total, page)."""
        ...

    # shipping addresses
    def add_address(self, container_key: int, profile_ref: str, address: Address, is_default: bool,
                    created_at: datetime) -> str: ...

    def addresses(self, container_key: int, profile_ref: str) -> Sequence[AddressRow]: ...

    def address(self, container_key: int, profile_ref: str, ref: str) -> AddressRow | None: ...

    def replace_address(self, container_key: int, row: AddressRow) -> None: ...

    def delete_address(self, container_key: int, profile_ref: str, ref: str) -> bool: ...

    def duplicate_address(self, container_key: int, profile_ref: str, address: Address,
                          excluding_ref: str | None = None) -> str | None:
        """Ref of an address with the same first name, last name, address, zip and phone."""
        ...

    def clear_default_address(self, container_key: int, profile_ref: str) -> None: ...


@dataclass(frozen=True, slots=True)
class ValidationRecord:
    """A validation authorisation that reached the processor (liveMode), kept as a transaction."""

    merchant_key: int
    payment_profile_ref: str
    amount: Money
    auth_code: str
    response_code: int
    reason_code: int
    network_trans_id: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TransactionRecord:
    """A stored payment transaction. No secret is stored: numbers appear only as last four
    digits and a keyed fingerprint; order details are kept as JSON text for reporting."""

    ref: str  # public transaction id
    merchant_key: int
    kind: TransactionKind
    status: TransactionStatus
    amount: Decimal  # requested / authorised amount
    currency: str
    settle_amount: Decimal  # captured amount (what settles); 0 for authorisations until captured
    refunded: Decimal  # sum of refunds issued against this transaction
    response_code: int
    reason_code: int
    auth_code: str
    avs_result: str
    card_code_result: str
    cavv_result: str
    payment_method: str  # "card" | "bank"
    account_last4: str
    account_type: str  # card brand value, or "eCheck"
    fingerprint: str  # vault fingerprint of the number (duplicate checks, refund matching)
    duplicate_key: str  # digest of every field the duplicate-window rule compares
    submitted_at: datetime
    network_trans_id: str | None = None
    original_network_trans_id: str | None = None
    original_auth_amount: Decimal | None = None
    processor_reference: str = ""
    ref_trans_ref: str | None = None  # refunds: the transaction credited
    split_tender_id: str | None = None
    customer_profile_ref: str | None = None
    payment_profile_ref: str | None = None
    shipping_address_ref: str | None = None
    invoice_number: str | None = None
    description: str | None = None
    po_number: str | None = None
    card_on_file: str | None = None  # how it was flagged: first_recurring, first_subsequent, ...
    details_json: str = "{}"  # order details (line items, tax, bill_to, ship_to, customer...)
    settled_at: datetime | None = None
    batch_ref: str | None = None
    updated_at: datetime | None = None
    subscription_ref: str | None = None  # recurring billing: the subscription it paid
    pay_num: int | None = None  # ...and which of its occurrences
    customer_ip: str | None = None  # canonical customer IP (velocity filters count by it)
    # Fraud filters (domain.fraud): the strongest action of those that fired (FDSFilterAction)
    # and each one that fired with its own action (FDSFilters); None / () when none fired.
    fraud_action: FraudAction | None = None
    fraud_filters: tuple[tuple[str, FraudAction], ...] = ()


class TransactionRepository(Protocol):
    def add_validation(self, record: ValidationRecord) -> str:
        """Store a (voided) validation authorisation; return its public transId."""
        ...

    def add(self, record: TransactionRecord) -> str:
        """Insert (record.ref is ignored) and return the new public transId."""
        ...

    def get(self, merchant_key: int, ref: str, *, lock: bool = False) -> TransactionRecord | None:
        """One of this merchant's transactions; `lock=True` holds it until the unit ends
        (SELECT ... FOR UPDATE on PostgreSQL; SQLite write units already hold the lock)."""
        ...

    def find_duplicate(self, merchant_key: int, duplicate_key: str, since: datetime
                       ) -> TransactionRecord | None:
        """The newest transaction with this duplicate key submitted at or after `since`."""
        ...

    def update(self, record: TransactionRecord, expected_status: TransactionStatus) -> bool:
        """Write status, amounts, settlement fields, the processor's answer, order details and
        updated_at of `record` only if the row still has `expected_status` (compare-and-set);
        False when another writer got there. Writers that keep the status (a refund adding to
        `refunded`) must hold the row with get(lock=True)."""
        ...

    def refunds_of(self, merchant_key: int, ref: str) -> Sequence[TransactionRecord]: ...


@dataclass(frozen=True, slots=True)
class SealedRecord:
    """One sealed blob anywhere in the database, with what is needed to re-seal it."""

    kind: str  # "payment_profile" | "merchant_signature_key" | "transaction_instrument"
    key: int  # internal surrogate key of the row
    merchant_key: int
    profile_ref: str | None
    blob: bytes = field(repr=False)
    record_ref: str | None = None  # transaction instruments: the ref their blob is bound to


class SealedRecordStore(Protocol):
    """Walks every sealed blob for a re-encryption pass (implemented by storage)."""

    def page(self, kind: str, after_key: int, limit: int) -> Sequence[SealedRecord]:
        """Up to `limit` records of `kind` with key > after_key, in key order."""
        ...

    def replace_blob(self, record: SealedRecord, blob: bytes) -> bool:
        """Swap in `blob` only if the row still holds `record.blob` (a concurrent update wins)."""
        ...


@dataclass(frozen=True, slots=True)
class IdempotencyEntry:
    """A request answered under an Idempotency-Key: its body digest and the answer (None once
    the answer is no longer kept)."""

    merchant_key: int
    key: str
    request_digest: str
    created_at: datetime
    sealed_reply: bytes | None = field(default=None, repr=False)
    media_type: str | None = None


class KeyGuard(Protocol):
    """An Idempotency-Key held by the open shared transaction that does the request's work."""

    busy: bool  # another request holds the key right now
    existing: IdempotencyEntry | None  # the key's committed entry (None: never answered)

    def commit_with(self, entry: IdempotencyEntry) -> None:
        """Store `entry` and commit it in one transaction with all the work done meanwhile."""
        ...


class IdempotencyStore(Protocol):
    """Idempotency keys (implemented by storage)."""

    def guard(self, merchant_key: int, key: str) -> AbstractContextManager[KeyGuard]:
        """Open a shared transaction that every unit of work in the block joins, holding the
        key; leaving the block without `commit_with` rolls all of it back."""
        ...

    def purge(self, answers_before: datetime, keys_before: datetime) -> int:
        """Drop answers older than `answers_before`, forget keys older than `keys_before`."""
        ...


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
        return (self.charge_count + self.refund_count + self.void_count + self.decline_count
                + self.error_count)


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

    def due(self, merchant_key: int, statuses: frozenset[TransactionStatus], before: datetime
            ) -> Sequence[TransactionRecord]:
        """Transactions in `statuses` that reached them (updated_at, else submitted_at) before
        `before`, in insertion order, locked until the unit ends (write units only)."""
        ...

    def submitted_before(self, merchant_key: int, statuses: frozenset[TransactionStatus],
                         before: datetime) -> Sequence[TransactionRecord]:
        """Transactions in `statuses` submitted before `before`, in insertion order, locked
        until the unit ends (write units only)."""
        ...

    def unbatched(self, merchant_key: int, statuses: frozenset[TransactionStatus],
                  before: datetime) -> Sequence[TransactionRecord]:
        """Like `due`, but only transactions in no batch yet: those that join a batch without
        changing status (voids, declines, errors)."""
        ...

    def number(self, ref: str) -> int:
        """Give the batch's transactions their positions in the batch (by submission time and
        by transaction id), so any page of its list is one index range; returns the count."""
        ...

    def open(self, merchant_key: int, payment_method: str, settled_at: datetime, timezone: str,
             created_at: datetime) -> str:
        """The ref of the merchant's batch for this method and cut-off, created if absent."""
        ...

    def add_totals(self, ref: str, totals: BatchTotals) -> None:
        """Add `totals` to the batch's statistics for `totals.account_type`."""
        ...

    def get(self, merchant_key: int, ref: str) -> BatchRecord | None: ...

    def settled_between(self, merchant_key: int, first: datetime, last: datetime
                        ) -> Sequence[BatchRecord]:
        """The merchant's batches settled in [first, last], by settlement time then ref."""
        ...


@dataclass(frozen=True, slots=True)
class Lease:
    name: str
    holder: str
    expires_at: datetime


class LeaseRepository(Protocol):
    """Named leases in the database: who may run a scheduled job, until when."""

    def acquire(self, name: str, holder: str, now: datetime, expires_at: datetime) -> bool:
        """Take or renew `name` for `holder` until `expires_at` if it is free, expired at
        `now`, or already the holder's; False if another holder has it."""
        ...

    def release(self, name: str, holder: str) -> None:
        """Give `name` up if `holder` has it."""
        ...

    def get(self, name: str) -> Lease | None: ...


@dataclass(frozen=True, slots=True)
class SealedInstrumentRow:
    """The card or bank account of a stored transaction: numbers only inside `sealed`, which is
    bound to `ref` (random, chosen before sealing)."""

    ref: str
    merchant_key: int
    transaction_ref: str
    kind: str  # "card" | "bank"
    sealed: bytes = field(repr=False)
    created_at: datetime | None = None


class TransactionInstrumentRepository(Protocol):
    def add(self, row: SealedInstrumentRow) -> None:
        """Keep the instrument of a transaction (`RefTaken` if `row.ref` exists)."""
        ...

    def get(self, merchant_key: int, transaction_ref: str) -> SealedInstrumentRow | None: ...

    def purge(self, kept_before: datetime, sparing: frozenset[TransactionStatus]) -> int:
        """Delete every instrument kept before `kept_before`, except those of transactions now
        in `sparing` (a hold awaiting review still needs its card); how many were deleted."""
        ...


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """An e-mail waiting for (or done with) delivery; `key` 0 until stored."""

    merchant_key: int
    kind: str  # "receipt"
    recipient: str
    subject: str
    body: str
    created_at: datetime
    reply_to: str | None = None
    transaction_ref: str | None = None
    key: int = 0
    attempts: int = 0
    last_error: str | None = None
    sent_at: datetime | None = None


class OutboxRepository(Protocol):
    def add(self, message: OutboxMessage) -> int:
        """Store a message to send; returns its key."""
        ...

    def of_transaction(self, merchant_key: int, transaction_ref: str
                       ) -> Sequence[OutboxMessage]:
        """Every message about one transaction, oldest first."""
        ...

    def pending(self, limit: int, max_attempts: int) -> Sequence[OutboxMessage]:
        """Unsent messages tried fewer than `max_attempts` times, oldest first."""
        ...

    def mark_sent(self, key: int, sent_at: datetime) -> bool:
        """Record delivery once (False if it was already recorded)."""
        ...

    def mark_failed(self, key: int, error: str) -> None: ...


@dataclass(frozen=True, slots=True)
class SplitTenderOrder:
    """A split-tender order (its transactions carry `split_tender_id`)."""

    merchant_key: int
    split_tender_id: str
    status: SplitTenderStatus
    created_at: datetime
    updated_at: datetime | None = None


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

    def batch_transactions(self, merchant_key: int, batch_ref: str, page: PageRequest
                           ) -> TransactionPage:
        """The transactions of one of the merchant's batches (empty for another's)."""
        ...

    def unbatched(self, merchant_key: int, statuses: frozenset[TransactionStatus],
                  page: PageRequest) -> TransactionPage:
        """The merchant's transactions in `statuses` that are in no batch yet."""
        ...

    def of_customer(self, merchant_key: int, profile_ref: str, payment_profile_ref: str | None,
                    page: PageRequest) -> TransactionPage:
        """The merchant's transactions paid with a customer profile (and payment profile)."""
        ...


class SplitTenderRepository(Protocol):
    def open(self, merchant_key: int, now: datetime) -> str:
        """Start a new order under a fresh random id; returns the id."""
        ...

    def get(self, merchant_key: int, split_tender_id: str, *, lock: bool = False
            ) -> SplitTenderOrder | None:
        """One of the merchant's orders; `lock=True` (write units only) holds its row."""
        ...

    def set_status(self, merchant_key: int, split_tender_id: str, status: SplitTenderStatus,
                   now: datetime) -> None: ...

    def group(self, merchant_key: int, split_tender_id: str) -> Sequence[str]:
        """Refs of the merchant's transactions in one split-tender order, oldest first."""
        ...


class AttemptOutcome(StrEnum):
    CLAIMED = "claimed"  # being charged now (only ever seen inside the claiming unit of work)
    APPROVED = "approved"
    DECLINED = "declined"
    ERROR = "error"  # the processor or the gateway refused it (also held for review)
    FREE = "free"  # an occurrence of amount 0.00 (a free trial): nothing to charge


@dataclass(frozen=True, slots=True)
class OccurrenceAttempt:
    """One attempt at billing occurrence `pay_num` of a subscription (several when a failed one
    is retried after reactivation). (subscription, pay_num, attempt_num) is unique."""

    pay_num: int
    attempt_num: int
    outcome: AttemptOutcome
    submitted_at: datetime
    transaction_ref: str | None = None
    response: str | None = None  # the reason text of the answer


class SubscriptionFilter(StrEnum):
    LIVE = "live"  # active or suspended
    ENDED = "ended"  # expired, canceled or terminated
    ENDING_THIS_MONTH = "ending_this_month"  # live, last occurrence in this month
    CARD_EXPIRING_THIS_MONTH = "card_expiring_this_month"  # live, card expires this month


class SubscriptionOrder(StrEnum):
    REF = "ref"
    NAME = "name"
    STATUS = "status"
    CREATED_AT = "created_at"
    LAST_NAME = "last_name"
    FIRST_NAME = "first_name"
    ACCOUNT_LAST4 = "account_last4"
    AMOUNT = "amount"
    PAST_OCCURRENCES = "past_occurrences"


@dataclass(frozen=True, slots=True)
class SubscriptionSummary:
    """A subscription as listed, with what its payment profile shows (absent once deleted)."""

    subscription: Subscription
    first_name: str | None
    last_name: str | None
    account_last4: str | None


class SubscriptionRepository(Protocol):
    """Subscriptions and their billing attempts, scoped by merchant."""

    def add(self, subscription: Subscription) -> None:
        """Insert under the caller-chosen `subscription.ref`; `RefTaken` if it exists."""
        ...

    def get(self, merchant_key: int, ref: str, *, lock: bool = False) -> Subscription | None:
        """One subscription; `lock=True` (write units) holds it until the unit of work ends."""
        ...

    def update(self, subscription: Subscription) -> None:
        """Write every changeable field (hold the row with get(lock=True) first)."""
        ...

    def duplicate(self, merchant_key: int, duplicate_key: str,
                  statuses: frozenset[SubscriptionStatus]) -> str | None:
        """The ref of a subscription in `statuses` with this duplicate key, if any."""
        ...

    def refs_using(self, merchant_key: int, *, profile_ref: str | None = None,
                   payment_profile_ref: str | None = None, address_ref: str | None = None
                   ) -> Sequence[str]:
        """The merchant's subscriptions (any status) billing these records, oldest first."""
        ...

    def live_using(self, *, profile_ref: str | None = None,
                   payment_profile_ref: str | None = None, address_ref: str | None = None
                   ) -> str | None:
        """A live (active or suspended) subscription of any merchant billing these records."""
        ...

    def waking(self, through: date, limit: int, after_key: int = 0
               ) -> Sequence[tuple[int, int, str]]:
        """(key, merchant_key, ref) of live subscriptions whose wake-up day is `through` or
        earlier, in key order after `after_key`: what a billing run looks at."""
        ...

    def add_attempt(self, merchant_key: int, ref: str, attempt: OccurrenceAttempt) -> bool:
        """Record an attempt; False when (subscription, pay_num, attempt_num) exists already."""
        ...

    def finish_attempt(self, merchant_key: int, ref: str, attempt: OccurrenceAttempt) -> None:
        """Write the outcome, transaction and response of a claimed attempt."""
        ...

    def attempts(self, merchant_key: int, ref: str) -> Sequence[OccurrenceAttempt]:
        """Every attempt at the subscription's occurrences, in order."""
        ...

    def search(self, merchant_key: int, which: SubscriptionFilter, month: tuple[date, date],
               order: SubscriptionOrder, descending: bool, offset: int, limit: int
               ) -> tuple[int, Sequence[SubscriptionSummary]]:
        """(total, page) of the merchant's subscriptions matching `which`; `month` is the
        first and last day of the current billing month."""
        ...


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

    def count_since(self, merchant_key: int, scope: VelocityScope, value: str,
                    kinds: frozenset[TransactionKind], since: datetime) -> int:
        """Stored transactions of `kinds` with this customer IP or fingerprint submitted at or
        after `since`."""
        ...


# --------------------------------------------------------------------------- webhooks


@dataclass(frozen=True, slots=True)
class WebhookRow:
    """Where a merchant wants notifications of some event types sent."""

    ref: str  # public webhookId (a GUID)
    merchant_key: int
    url: str
    event_types: tuple[EventType, ...]
    status: WebhookStatus
    created_at: datetime
    name: str | None = None
    updated_at: datetime | None = None


class WebhookRepository(Protocol):
    """A merchant's webhooks, always scoped by merchant."""

    def add(self, row: WebhookRow) -> None: ...

    def get(self, merchant_key: int, ref: str) -> WebhookRow | None: ...

    def of_merchant(self, merchant_key: int) -> Sequence[WebhookRow]:
        """Every webhook of the merchant, oldest first."""
        ...

    def replace(self, row: WebhookRow) -> bool:
        """Write name, url, event types, status and updated_at; False if it no longer exists."""
        ...

    def delete(self, merchant_key: int, ref: str) -> bool:
        """Delete the webhook and its notifications (history included)."""
        ...


class EventRecorder(Protocol):
    """Where services record what happened, inside the unit of work that made it happen: the
    notifications commit or roll back with the change itself."""

    def record(self, merchant_key: int, event_type: EventType, payload: Payload,
               occurred_at: datetime) -> int:
        """Queue one notification of the event for each of the merchant's active webhooks
        subscribed to `event_type` (due at once); returns how many (0: nothing stored)."""
        ...


@dataclass(frozen=True, slots=True)
class NotificationRow:
    """One event on its way to (or delivered to, or given up on for) one webhook."""

    ref: str  # public notificationId (a GUID)
    merchant_key: int
    webhook_ref: str
    event_type: EventType
    payload: str  # the payload's JSON text, exactly as it is sent
    occurred_at: datetime  # eventDate
    state: NotificationState
    attempts: int = 0
    next_attempt_at: datetime | None = None  # pending only
    last_attempt_at: datetime | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None
    key: int = 0


@dataclass(frozen=True, slots=True)
class DueNotification:
    """A notification claimed for an attempt, with the URL its webhook has now."""

    notification: NotificationRow
    url: str


class NotificationRepository(Protocol):
    """Notifications: the delivery job's queue and the merchants' notification history."""

    def claim_due(self, now: datetime, hold_until: datetime, limit: int
                  ) -> Sequence[DueNotification]:
        """Up to `limit` pending notifications of active webhooks due at `now`, longest due
        first; each one's next attempt moves to `hold_until`, so a concurrent run skips it
        and a run that dies mid-attempt leaves it due again at `hold_until`."""
        ...

    def delivered(self, key: int, at: datetime) -> bool:
        """Record the accepted attempt (False if the notification is gone or not pending)."""
        ...

    def attempt_failed(self, key: int, at: datetime, error: str,
                       next_attempt_at: datetime | None) -> bool:
        """Record a failed attempt: due again at `next_attempt_at`, or failed for good when
        None (False if the notification is gone or not pending)."""
        ...

    def history(self, merchant_key: int, offset: int, limit: int) -> Sequence[NotificationRow]:
        """The merchant's notifications, newest first."""
        ...

    def get(self, merchant_key: int, ref: str) -> NotificationRow | None: ...


class DeliveryFailed(Exception):
    """A webhook receiver was not reached or did not accept a notification (the text says
    how: an HTTP status, a timeout; never the notification's content)."""


class WebhookSender(Protocol):
    """Where notifications leave the server (HTTP POST)."""

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> None:
        """POST `body`; returns once the receiver answered 2xx, else DeliveryFailed."""
        ...


class UnitOfWork(Protocol):
    """One database transaction; leaving the `with` block without `commit()` rolls back."""

    merchants: MerchantRepository
    profiles: ProfileRepository
    transactions: TransactionRepository
    batches: BatchRepository
    leases: LeaseRepository
    instruments: TransactionInstrumentRepository
    outbox: OutboxRepository
    split_tenders: SplitTenderRepository
    subscriptions: SubscriptionRepository
    reporting: ReportingRepository
    fraud: FraudFilterRepository
    webhooks: WebhookRepository
    notifications: NotificationRepository
    events: EventRecorder

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool = True) -> UnitOfWork:
        """A new unit of work. `write=False` promises only reads (no write lock on SQLite)."""
        ...


# --------------------------------------------------------------------------- processors


class Outcome(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    ERROR = "error"
    HELD = "held"


@dataclass(frozen=True, slots=True)
class StoredCredential:
    """Card-on-file indicators of an authorisation: how the gateway flagged the use of stored
    credentials and, for merchant-initiated uses, the original transaction it refers to."""

    usage: str  # first_recurring | first_subsequent | recurring | subsequent | stored_credentials
    original_network_trans_id: str | None = None
    original_auth_amount: Decimal | None = None
    reason: str | None = None  # resubmission | reauthorization | delayedCharge | noShow


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """A request to authorise (and optionally capture) an amount on an instrument."""

    merchant_key: int
    reference: str  # the gateway's id for this attempt; seeds deterministic simulated outputs
    amount: Money
    instrument: Instrument
    card_code: Secret[str] | None = None
    bill_to: Address | None = None
    capture: bool = False
    test_mode: bool = False
    stored_credential: StoredCredential | None = None
    cardholder_authentication: CardholderAuthentication | None = None


@dataclass(frozen=True, slots=True)
class FollowUpRequest:
    """Capture, void or refund of an earlier authorisation, referenced by its processor reference."""

    merchant_key: int
    processor_reference: str
    amount: Money | None = None
    instrument: Instrument | None = None


@dataclass(frozen=True, slots=True)
class ProcessorResult:
    """What a processor answered; a decline is a result, never an exception."""

    outcome: Outcome
    reason_code: int
    auth_code: str = ""
    avs_result: str = "P"
    card_code_result: str = ""
    cavv_result: str = ""
    network_trans_id: str | None = None
    processor_reference: str = ""
    approved_amount: Decimal | None = None
    balance_on_card: Decimal | None = None


class ProcessorUnavailable(Exception):
    """The processor could not be reached; adapters raise this for timeouts and connection errors."""


class Processor(Protocol):
    """A connector to a card/bank network. Simulated in the sandbox; real ones plug in here."""

    name: str

    def authorize(self, request: AuthorizationRequest) -> ProcessorResult: ...

    def capture(self, request: FollowUpRequest) -> ProcessorResult: ...

    def void(self, request: FollowUpRequest) -> ProcessorResult: ...

    def refund(self, request: FollowUpRequest) -> ProcessorResult: ...

    def verify(self, request: AuthorizationRequest) -> ProcessorResult:
        """Check an instrument with a zero/minimal authorisation that is reversed at once."""
        ...


# --------------------------------------------------------------------------- mail


class MailUnavailable(Exception):
    """The mail server refused a message or could not be reached (the text says why, never the
    message's content)."""


class Mailer(Protocol):
    """Where e-mails go (SMTP when configured); receipts reach it only through the outbox."""

    def send(self, message: OutboxMessage) -> None:
        """Hand one message over; MailUnavailable if it was not accepted."""
        ...
