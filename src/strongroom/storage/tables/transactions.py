"""Payment transactions, the instruments kept for them and split-tender orders."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Table, UniqueConstraint
from sqlalchemy.types import CHAR, Integer, LargeBinary, String, Text

from strongroom.storage.column_types import UtcDateTime
from strongroom.storage.tables.base import (
    ADDRESS_REF_DIGITS,
    PAYMENT_PROFILE_REF_DIGITS,
    PROFILE_REF_DIGITS,
    SUBSCRIPTION_REF_DIGITS,
    TRANSACTION_REF_DIGITS,
    metadata,
    money_amount,
)

# Column widths of the transactions table that other code (and the migration) must agree on.
RESULT_CODE_LENGTH = 1  # AVS, card code and CAVV result letters
INVOICE_NUMBER_LENGTH = 20
PO_NUMBER_LENGTH = 25
DESCRIPTION_LENGTH = 255
BATCH_TIME_RANK_INDEX = "ix_transactions_batch_time_rank"
BATCH_ID_RANK_INDEX = "ix_transactions_batch_id_rank"
UNBATCHED_INDEX = "ix_transactions_unbatched"
CUSTOMER_INDEX = "ix_transactions_customer"
CUSTOMER_IP_LENGTH = 45  # domain.fraud.MAX_IP_LENGTH

# One row per payment transaction, including payment-profile validations (kind "verification").
# Column names equal the field names of services.ports.TransactionRecord; no secret is stored.
transactions = Table(
    "transactions",
    metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(TRANSACTION_REF_DIGITS), nullable=False),  # public transId
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("kind", String(32), nullable=False),  # domain.transactions.TransactionKind
    Column("status", String(32), nullable=False),  # domain.transactions.TransactionStatus
    money_amount("amount", nullable=False),
    Column("currency", CHAR(3), nullable=False),
    money_amount("settle_amount", nullable=False),
    money_amount("refunded", nullable=False),
    Column("response_code", Integer, nullable=False),
    Column("reason_code", Integer, nullable=False),
    Column("auth_code", String(6), nullable=False),
    Column("avs_result", String(RESULT_CODE_LENGTH), nullable=False),
    Column("card_code_result", String(RESULT_CODE_LENGTH), nullable=False),
    Column("cavv_result", String(RESULT_CODE_LENGTH), nullable=False),
    Column("payment_method", String(8), nullable=False),  # "card" | "bank"
    Column("account_last4", String(4), nullable=False),
    Column("account_type", String(32), nullable=False),  # card brand, or "eCheck"
    Column("fingerprint", String(128), nullable=False),
    Column("duplicate_key", String(128), nullable=False),
    Column("network_trans_id", String(255), nullable=True),
    Column("original_network_trans_id", String(255), nullable=True),
    money_amount("original_auth_amount", nullable=True),
    Column("processor_reference", String(255), nullable=False),
    Column("ref_trans_ref", String(TRANSACTION_REF_DIGITS), nullable=True),
    Column("split_tender_id", String(32), nullable=True),
    Column("customer_profile_ref", String(PROFILE_REF_DIGITS), nullable=True),
    Column("payment_profile_ref", String(PAYMENT_PROFILE_REF_DIGITS), nullable=True),
    Column("shipping_address_ref", String(ADDRESS_REF_DIGITS), nullable=True),
    Column("invoice_number", String(INVOICE_NUMBER_LENGTH), nullable=True),
    Column("description", String(DESCRIPTION_LENGTH), nullable=True),
    Column("po_number", String(PO_NUMBER_LENGTH), nullable=True),
    Column("card_on_file", String(32), nullable=True),
    Column("details_json", Text, nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False),
    Column("settled_at", UtcDateTime, nullable=True),
    Column("batch_ref", String(32), nullable=True),
    Column("updated_at", UtcDateTime, nullable=True),
    # Recurring billing (0009): the subscription and occurrence a transaction paid.
    Column("subscription_ref", String(SUBSCRIPTION_REF_DIGITS), nullable=True),
    Column("pay_num", Integer, nullable=True),
    # 0010: position in its batch (1..n) by submission time and by transaction id, set when
    # the batch closes, so any page of a batch's list is one index range.
    Column("batch_time_rank", Integer, nullable=True),
    Column("batch_id_rank", Integer, nullable=True),
    Column("customer_ip", String(CUSTOMER_IP_LENGTH), nullable=True),  # canonical (0011)
    Column("fraud_action", String(32), nullable=True),  # domain.fraud.FraudAction (0011)
    Column("fraud_filters", Text, nullable=True),  # JSON [[name, action], ...] (0011)
    # The unique index on ref also serves every (merchant_key, ref) lookup: at most one row.
    UniqueConstraint("ref"),
    Index(None, "merchant_key", "submitted_at"),
    Index(None, "merchant_key", "duplicate_key", "submitted_at"),  # find_duplicate
    Index(None, "merchant_key", "status"),  # unsettled lists, settlement
    Index(None, "batch_ref"),  # settled batches
    Index(None, "ref_trans_ref"),  # refunds_of
    Index(None, "merchant_key", "split_tender_id"),  # split-tender groups
    Index(None, "merchant_key", "subscription_ref"),  # a subscription's payments
    # 0010, reports: batch pages; transactions in no batch yet; a customer's transactions.
    Index(BATCH_TIME_RANK_INDEX, "batch_ref", "batch_time_rank"),
    Index(BATCH_ID_RANK_INDEX, "batch_ref", "batch_id_rank"),
    Index(UNBATCHED_INDEX, "merchant_key", "batch_ref", "status", "submitted_at", "ref"),
    Index(CUSTOMER_INDEX, "merchant_key", "customer_profile_ref", "submitted_at", "ref"),
    Index(None, "merchant_key", "customer_ip", "submitted_at"),  # IP velocity filters
    Index(None, "merchant_key", "fingerprint", "submitted_at"),  # card velocity filters
)

# --------------------------------------------------------------------------- 0007

# The card or bank account of an approved charge, sealed under the merchant's data key and bound
# to `ref` (random), so the transaction can later become a customer profile. One per transaction.
transaction_instruments = Table(
    "transaction_instruments",
    metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(32), nullable=False),
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("transaction_ref", String(TRANSACTION_REF_DIGITS), nullable=False),
    Column("kind", String(8), nullable=False),  # "card" | "bank"
    Column("sealed", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("ref"),
    UniqueConstraint("transaction_ref"),
    Index(None, "created_at"),  # retention purge (0008)
)

# --------------------------------------------------------------------------- 0008

SPLIT_TENDER_ID_LENGTH = 32

# A split-tender order: started by a partial approval, joined by the transactions carrying its
# id (`transactions.split_tender_id`); its status says whether it still accepts them.
split_tender_orders = Table(
    "split_tender_orders",
    metadata,
    Column("key", Integer, primary_key=True),
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("ref", String(SPLIT_TENDER_ID_LENGTH), nullable=False),  # public splitTenderId
    Column("status", String(16), nullable=False),  # domain.split_tenders.SplitTenderStatus
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=True),
    UniqueConstraint("merchant_key", "ref"),
)
