"""What reports show of a settlement batch and of a transaction: values read from the stored
rows (and the transaction's details JSON) once, so a door renders reports without the rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from strongroom.domain.batches import BatchState
from strongroom.domain.fraud import FraudAction
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.ports import BatchRecord, BatchTotals, TransactionRecord
from strongroom.services.reporting.details import DetailFacts, bill_to_name, detail_facts, details_of


def reported_settle_amount(record: TransactionRecord) -> Decimal:
    """What a report shows as settling: nothing for a void, the captured amount once captured,
    else the amount asked for (authorised and not captured yet, held, declined, errored)."""
    if record.status is TransactionStatus.VOIDED:
        return Decimal("0.00")
    return record.settle_amount if record.settle_amount else record.amount


@dataclass(frozen=True, slots=True)
class BatchStatistic:
    """A batch's settled charges and refunds of one account type (card brand, or "eCheck")."""

    account_type: str
    charge_amount: Decimal
    charge_count: int
    refund_amount: Decimal
    refund_count: int
    void_count: int
    decline_count: int
    error_count: int

    @classmethod
    def of(cls, totals: BatchTotals) -> BatchStatistic:
        return cls(
            totals.account_type,
            totals.charge_amount,
            totals.charge_count,
            totals.refund_amount,
            totals.refund_count,
            totals.void_count,
            totals.decline_count,
            totals.error_count,
        )


@dataclass(frozen=True, slots=True)
class ReportedBatch:
    """A settlement batch: one payment method ("card" | "bank"), one cut-off."""

    ref: str  # public batchId
    payment_method: str
    state: BatchState
    settled_at: datetime  # the cut-off instant, UTC
    timezone: str  # the merchant's zone at settlement
    statistics: tuple[BatchStatistic, ...]

    @classmethod
    def of(cls, batch: BatchRecord) -> ReportedBatch:
        return cls(
            batch.ref,
            batch.payment_method,
            batch.state,
            batch.settled_at,
            batch.timezone,
            tuple(BatchStatistic.of(item) for item in batch.statistics),
        )


@dataclass(frozen=True, slots=True)
class ReportedTransaction:
    """A transaction as lists and details show it; `settle_amount` is what the report shows
    as settling (see reported_settle_amount)."""

    ref: str  # public transaction id
    kind: TransactionKind
    status: TransactionStatus
    submitted_at: datetime
    response_code: int
    reason_code: int
    auth_code: str
    avs_result: str
    card_code_result: str
    cavv_result: str
    amount: Decimal
    settle_amount: Decimal
    payment_method: str  # "card" | "bank"
    account_last4: str
    account_type: str  # card brand value, or "eCheck"
    invoice_number: str | None
    description: str | None
    po_number: str | None
    ref_trans_ref: str | None
    split_tender_id: str | None
    subscription_ref: str | None
    pay_num: int | None
    card_on_file: str | None
    customer_profile_ref: str | None
    payment_profile_ref: str | None
    shipping_address_ref: str | None
    fraud_action: FraudAction | None
    fraud_filters: tuple[tuple[str, FraudAction], ...]
    network_trans_id: str | None
    original_network_trans_id: str | None
    original_auth_amount: Decimal | None
    first_name: str | None  # of the billing address
    last_name: str | None
    facts: DetailFacts

    @classmethod
    def of(cls, record: TransactionRecord) -> ReportedTransaction:
        details = details_of(record)
        first_name, last_name = bill_to_name(details)
        return cls(
            record.ref,
            record.kind,
            record.status,
            record.submitted_at,
            record.response_code,
            record.reason_code,
            record.auth_code,
            record.avs_result,
            record.card_code_result,
            record.cavv_result,
            record.amount,
            reported_settle_amount(record),
            record.payment_method,
            record.account_last4,
            record.account_type,
            record.invoice_number,
            record.description,
            record.po_number,
            record.ref_trans_ref,
            record.split_tender_id,
            record.subscription_ref,
            record.pay_num,
            record.card_on_file,
            record.customer_profile_ref,
            record.payment_profile_ref,
            record.shipping_address_ref,
            record.fraud_action,
            record.fraud_filters,
            record.network_trans_id,
            record.original_network_trans_id,
            record.original_auth_amount,
            first_name,
            last_name,
            detail_facts(details),
        )
