"""Stored transactions, validations, sealed instruments and split-tender orders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from strongroom.domain.fraud import FraudAction
from strongroom.domain.money import Money
from strongroom.domain.split_tenders import SplitTenderStatus
from strongroom.domain.transactions import TransactionKind, TransactionStatus


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

    def find_duplicate(
        self, merchant_key: int, duplicate_key: str, since: datetime
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
class SplitTenderOrder:
    """A split-tender order (its transactions carry `split_tender_id`)."""

    merchant_key: int
    split_tender_id: str
    status: SplitTenderStatus
    created_at: datetime
    updated_at: datetime | None = None


class SplitTenderRepository(Protocol):
    def open(self, merchant_key: int, now: datetime) -> str:
        """Start a new order under a fresh random id; returns the id."""
        ...

    def get(self, merchant_key: int, split_tender_id: str, *, lock: bool = False) -> SplitTenderOrder | None:
        """One of the merchant's orders; `lock=True` (write units only) holds its row."""
        ...

    def set_status(
        self, merchant_key: int, split_tender_id: str, status: SplitTenderStatus, now: datetime
    ) -> None: ...

    def group(self, merchant_key: int, split_tender_id: str) -> Sequence[str]:
        """Refs of the merchant's transactions in one split-tender order, oldest first."""
        ...
