"""Renders reports as Authorize.Net values: batches, statistics, transaction lists, and the
dialect's names for our statuses, kinds, times and markets."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

from strongroom.domain.batches import BANK_METHOD, BatchState, zone
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.reporting.details import DetailFacts
from strongroom.services.reporting.reported import (
    BatchStatistic,
    ReportedBatch,
    ReportedTransaction,
)
from strongroom.services.reporting.reports import TransactionList
from strongroom.web.authnet import codes
from strongroom.web.authnet.fraud.views import FDS_ACTIONS
from strongroom.web.authnet.operations import Values, messages

S = TransactionStatus

NO_RECORDS: Final = codes.WireMessage("I00004", "No records found.")
TRANSACTION_STATUSES: Final[dict[TransactionStatus, str]] = {
    S.AUTHORIZED_PENDING_CAPTURE: "authorizedPendingCapture",
    S.CAPTURED_PENDING_SETTLEMENT: "capturedPendingSettlement",
    S.SETTLED: "settledSuccessfully",
    S.REFUND_PENDING_SETTLEMENT: "refundPendingSettlement",
    S.REFUND_SETTLED: "refundSettledSuccessfully",
    S.VOIDED: "voided",
    S.DECLINED: "declined",
    S.EXPIRED: "expired",
    S.COULD_NOT_VOID: "couldNotVoid",
    S.GENERAL_ERROR: "generalError",
    S.SETTLEMENT_ERROR: "settlementError",
    S.HELD_FOR_REVIEW: "FDSPendingReview",
    S.AUTHORIZED_HELD_FOR_REVIEW: "FDSAuthorizedPendingReview",
}
TRANSACTION_TYPES: Final[dict[TransactionKind, str]] = {
    TransactionKind.CHARGE: "authCaptureTransaction",
    TransactionKind.AUTHORIZATION: "authOnlyTransaction",
    TransactionKind.CAPTURE_ONLY: "captureOnlyTransaction",
    TransactionKind.REFUND: "refundTransaction",
    TransactionKind.CREDIT: "refundTransaction",
    TransactionKind.VERIFICATION: "authOnlyTransaction",  # a validation: authorised, voided
}
SETTLEMENT_STATES: Final[dict[BatchState, str]] = {
    BatchState.SETTLED: "settledSuccessfully",
    BatchState.SETTLEMENT_ERROR: "settlementError",
    BatchState.PENDING: "pendingSettlement",
}
# retail/marketType as sent (0 eCommerce, 1 MOTO, 2 retail) -> the words reports use.
MARKET_TYPES: Final = {"0": "eCommerce", "1": "MOTO", "2": "Retail"}
ECOMMERCE, RETAIL = "eCommerce", "Retail"
CARD_NOT_PRESENT, CARD_PRESENT = "Card Not Present", "Card Present"


# ----------------------------------------------------------------------------- times


def utc_time(instant: datetime) -> str:
    """2010-08-30T17:49:20.757Z"""
    value = instant.astimezone(UTC)
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}Z"


def local_time(instant: datetime, timezone: str) -> str:
    """The same instant on the merchant's wall clock, without an offset: 2010-08-30T10:49:20.757"""
    value = instant.astimezone(zone(timezone))
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}"


# ----------------------------------------------------------------------------- markets


def market(facts: DetailFacts) -> tuple[str, str]:
    """(marketType, product) of a transaction: what retail/marketType said, else a card read
    from its track is retail and card present, anything else e-commerce, card not present."""
    market_type = MARKET_TYPES.get(facts.market_type or "")
    if market_type is None:
        market_type = RETAIL if facts.card_present else ECOMMERCE
    present = facts.card_present or market_type == RETAIL
    return market_type, CARD_PRESENT if present else CARD_NOT_PRESENT


# ----------------------------------------------------------------------------- batches


def statistic_values(totals: BatchStatistic) -> Values:
    return {
        "accountType": totals.account_type,
        "chargeAmount": totals.charge_amount,
        "chargeCount": totals.charge_count,
        "refundAmount": totals.refund_amount,
        "refundCount": totals.refund_count,
        "voidCount": totals.void_count,
        "declineCount": totals.decline_count,
        "errorCount": totals.error_count,
    }


def batch_values(batch: ReportedBatch, *, statistics: bool, market_fields: bool = True) -> Values:
    card = batch.payment_method != BANK_METHOD
    values: Values = {
        "batchId": batch.ref,
        "settlementTimeUTC": utc_time(batch.settled_at),
        "settlementTimeLocal": local_time(batch.settled_at, batch.timezone),
        "settlementState": SETTLEMENT_STATES[batch.state],
        "paymentMethod": "creditCard" if card else "eCheck",
    }
    if market_fields and card:
        values.update(marketType=ECOMMERCE, product=CARD_NOT_PRESENT)
    if statistics:
        values["statistics"] = {"statistic": [statistic_values(item) for item in batch.statistics]}
    return values


# ----------------------------------------------------------------------------- lists


INT32_MAX: Final = 2**31 - 1  # subscriptionPaymentType types both numbers xs:int


def subscription_values(record: ReportedTransaction) -> Values | None:
    ref = record.subscription_ref
    if ref is None or not ref.isdigit() or int(ref) > INT32_MAX:
        return None
    return {"id": int(ref), "payNum": min(max(record.pay_num or 0, 0), INT32_MAX)}


def profile_values(record: ReportedTransaction) -> Values | None:
    if record.customer_profile_ref is None:
        return None
    return {
        "customerProfileId": record.customer_profile_ref,
        "customerPaymentProfileId": record.payment_profile_ref,
        "customerAddressId": record.shipping_address_ref,
    }


def fraud_information(record: ReportedTransaction) -> Values | None:
    """fraudInformation of a listed transaction: the filters that fired and the action taken."""
    if not record.fraud_filters or record.fraud_action is None:
        return None
    return {
        "fraudFilterList": {"fraudFilter": [name for name, _ in record.fraud_filters]},
        "fraudAction": FDS_ACTIONS[record.fraud_action],
    }


def summary_values(record: ReportedTransaction, timezone: str) -> Values:
    market_type, product = market(record.facts)
    return {
        "transId": record.ref,
        "submitTimeUTC": utc_time(record.submitted_at),
        "submitTimeLocal": local_time(record.submitted_at, timezone),
        "transactionStatus": TRANSACTION_STATUSES[record.status],
        "invoiceNumber": record.invoice_number,
        "firstName": record.first_name,
        "lastName": record.last_name,
        "accountType": record.account_type,
        "accountNumber": "XXXX" + record.account_last4,
        "settleAmount": record.settle_amount,
        "marketType": market_type,
        "product": product,
        "subscription": subscription_values(record),
        "hasReturnedItems": False if record.payment_method == BANK_METHOD else None,
        "fraudInformation": fraud_information(record),
        "profile": profile_values(record),
    }


def list_values(listed: TransactionList) -> Values:
    """transactions and totalNumInResultSet; "No records found." when nothing matches."""
    if listed.total == 0:
        return {"messages": messages(NO_RECORDS)}
    values: Values = {"totalNumInResultSet": listed.total}
    if listed.transactions:
        values["transactions"] = {
            "transaction": [summary_values(record, listed.timezone) for record in listed.transactions]
        }
    return values
