"""The relational schema as SQLAlchemy Core tables; migrations must produce exactly this."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    CHAR,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from strongroom.storage.column_types import MinorUnits, UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Public refs are random numeric strings of these lengths (Authorize.Net id widths).
PROFILE_REF_DIGITS = 10
PAYMENT_PROFILE_REF_DIGITS = 10
ADDRESS_REF_DIGITS = 9
TRANSACTION_REF_DIGITS = 11
SUBSCRIPTION_REF_DIGITS = 9
GATEWAY_ID_DIGITS = 9

# Address field -> column length, in the order of domain.customers.Address.
ADDRESS_FIELD_LENGTHS: dict[str, int] = {
    "first_name": 50,
    "last_name": 50,
    "company": 50,
    "address": 60,
    "city": 40,
    "state": 40,
    "zip": 20,
    "country": 60,
    "phone_number": 25,
    "fax_number": 25,
    "email": 255,
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def address_columns(prefix: str = "") -> list[Column[str]]:
    """Nullable columns for every Address field, named `prefix + field`."""
    return [Column(prefix + field, String(length), nullable=True)
            for field, length in ADDRESS_FIELD_LENGTHS.items()]


def _money_amount(name: str, nullable: bool) -> Column[Decimal]:
    """An amount kept as exact integer minor units (BIGINT) on every engine, read as Decimal."""
    return Column(name, MinorUnits, nullable=nullable)


merchants = Table(
    "merchants", metadata,
    Column("key", Integer, primary_key=True),
    Column("name", String(255), nullable=False),
    Column("login_id", String(64), nullable=False),
    Column("credential_salt", LargeBinary, nullable=False),
    Column("transaction_key_digest", LargeBinary, nullable=False),
    Column("sealed_signature_key", LargeBinary, nullable=True),
    Column("public_client_key", String(255), nullable=False),
    Column("is_sandbox", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # Settlement: the daily cut-off (local HH:MM in the zone) and the cut-off closed through.
    Column("settlement_cutoff", String(5), nullable=False, server_default=text("'16:00'")),
    Column("settlement_timezone", String(64), nullable=False,
           server_default=text("'America/Los_Angeles'")),
    Column("settled_through", UtcDateTime, nullable=True),
    # 0010 (getMerchantDetails): the account's public numeric id, business and contact.
    Column("gateway_id", String(GATEWAY_ID_DIGITS), nullable=False),
    *address_columns("business_"),
    Column("contact_email", String(255), nullable=True),
    Column("contact_first_name", String(50), nullable=True),
    Column("contact_last_name", String(50), nullable=True),
    UniqueConstraint("login_id"),
    UniqueConstraint("gateway_id"),
)

profile_containers = Table(
    "profile_containers", metadata,
    Column("key", Integer, primary_key=True),
    Column("owner_merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("is_default", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "owner_merchant_key"),
)

data_keys = Table(
    "data_keys", metadata,
    Column("key_id", Integer, primary_key=True),
    Column("merchant_key", Integer, nullable=False),  # 0 = server-wide, so no foreign key
    Column("purpose", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("wrapped", LargeBinary, nullable=False),
    Column("master_version", Integer, nullable=False),
    UniqueConstraint("merchant_key", "purpose", "version"),
)

customer_profiles = Table(
    "customer_profiles", metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(PROFILE_REF_DIGITS), nullable=False),
    Column("container_key", ForeignKey("profile_containers.key"), nullable=False),
    Column("merchant_customer_id", String(20), nullable=True),
    Column("description", String(255), nullable=True),
    Column("email", String(255), nullable=True),
    Column("profile_type", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("ref"),
    Index(None, "container_key", "ref"),
    Index(None, "container_key", "merchant_customer_id"),
    Index(None, "container_key", "email"),
)

payment_profiles = Table(
    "payment_profiles", metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(PAYMENT_PROFILE_REF_DIGITS), nullable=False),
    Column("profile_key", ForeignKey("customer_profiles.key", ondelete="CASCADE"),
           nullable=False),
    # Denormalised from the profile so the expiring-cards list is one indexed range.
    Column("container_key", ForeignKey("profile_containers.key"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("sealed", LargeBinary, nullable=False),
    Column("fingerprint", String(128), nullable=False),
    Column("last4", String(4), nullable=False),
    Column("card_brand", String(32), nullable=True),
    Column("issuer_number", String(8), nullable=True),
    Column("expiry", String(7), nullable=True),  # 'YYYY-MM'
    Column("bank_account_type", String(32), nullable=True),
    Column("echeck_type", String(8), nullable=True),
    Column("bank_name", String(50), nullable=True),
    Column("name_on_account", String(22), nullable=True),
    Column("has_bill_to", Boolean, nullable=False),
    *address_columns("bill_to_"),
    Column("customer_type", String(16), nullable=True),
    Column("drivers_license_state", String(2), nullable=True),
    Column("is_default", Boolean, nullable=False),
    Column("exclude_from_account_updater", Boolean, nullable=True),
    Column("original_network_trans_id", String(255), nullable=True),
    _money_amount("original_auth_amount", nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("ref"),
    Index(None, "profile_key", "fingerprint"),
    Index(None, "container_key", "expiry"),
)

shipping_addresses = Table(
    "shipping_addresses", metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(ADDRESS_REF_DIGITS), nullable=False),
    Column("profile_key", ForeignKey("customer_profiles.key", ondelete="CASCADE"),
           nullable=False),
    *address_columns(),
    Column("is_default", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("ref"),
    Index(None, "profile_key"),
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
    "transactions", metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(TRANSACTION_REF_DIGITS), nullable=False),  # public transId
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("kind", String(32), nullable=False),  # domain.transactions.TransactionKind
    Column("status", String(32), nullable=False),  # domain.transactions.TransactionStatus
    _money_amount("amount", nullable=False),
    Column("currency", CHAR(3), nullable=False),
    _money_amount("settle_amount", nullable=False),
    _money_amount("refunded", nullable=False),
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
    _money_amount("original_auth_amount", nullable=True),
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

idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("merchant_key", ForeignKey("merchants.key"), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_digest", String(128), nullable=False),
    Column("sealed_reply", LargeBinary, nullable=True),
    Column("media_type", String(64), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "created_at"),
)

# --------------------------------------------------------------------------- settlement (0005)

BATCH_REF_DIGITS = 8

# One settlement batch per merchant, payment method ("card" | "bank") and cut-off instant.
batches = Table(
    "batches", metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(BATCH_REF_DIGITS), nullable=False),  # public batchId
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("payment_method", String(8), nullable=False),
    Column("settlement_state", String(32), nullable=False),  # domain.batches.BatchState
    Column("settled_at", UtcDateTime, nullable=False),  # the cut-off instant
    Column("settlement_timezone", String(64), nullable=False),  # for settlementTimeLocal
    Column("created_at", UtcDateTime, nullable=False),  # when the run closed it
    UniqueConstraint("ref"),
    UniqueConstraint("merchant_key", "payment_method", "settled_at"),
    Index(None, "merchant_key", "settled_at"),  # settled batch lists by date range
)

# A batch's totals per account type (card brand, or "eCheck").
batch_statistics = Table(
    "batch_statistics", metadata,
    Column("batch_key", ForeignKey("batches.key", ondelete="CASCADE"), primary_key=True),
    Column("account_type", String(32), primary_key=True),
    Column("charge_count", Integer, nullable=False),
    _money_amount("charge_amount", nullable=False),
    Column("refund_count", Integer, nullable=False),
    _money_amount("refund_amount", nullable=False),
    # 0010: transactions that joined the batch without moving money.
    Column("void_count", Integer, nullable=False, server_default=text("0")),
    Column("decline_count", Integer, nullable=False, server_default=text("0")),
    Column("error_count", Integer, nullable=False, server_default=text("0")),
)

# Named leases: one holder at a time runs a scheduled job, until expires_at.
leases = Table(
    "leases", metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(255), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
)

# One row (key 1): what `strongroom clock advance` added to system time in a sandbox.
sandbox_clock = Table(
    "sandbox_clock", metadata,
    Column("key", Integer, primary_key=True, autoincrement=False),
    Column("offset_seconds", BigInteger, nullable=False),
)

# --------------------------------------------------------------------------- 0007

# The card or bank account of an approved charge, sealed under the merchant's data key and bound
# to `ref` (random), so the transaction can later become a customer profile. One per transaction.
transaction_instruments = Table(
    "transaction_instruments", metadata,
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

# Rendered e-mails (transaction receipts) waiting for the delivery job; sent ones stay, dated.
outbox = Table(
    "outbox", metadata,
    Column("key", Integer, primary_key=True),
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("kind", String(32), nullable=False),  # "receipt"
    Column("recipient", String(255), nullable=False),
    Column("reply_to", String(255), nullable=True),
    Column("subject", String(255), nullable=False),
    Column("body", Text, nullable=False),
    Column("transaction_ref", String(TRANSACTION_REF_DIGITS), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", String(255), nullable=True),
    Column("sent_at", UtcDateTime, nullable=True),
    Index(None, "sent_at"),  # pending messages
    Index(None, "merchant_key", "transaction_ref"),
)

# --------------------------------------------------------------------------- 0008

SPLIT_TENDER_ID_LENGTH = 32

# A split-tender order: started by a partial approval, joined by the transactions carrying its
# id (`transactions.split_tender_id`); its status says whether it still accepts them.
split_tender_orders = Table(
    "split_tender_orders", metadata,
    Column("key", Integer, primary_key=True),
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("ref", String(SPLIT_TENDER_ID_LENGTH), nullable=False),  # public splitTenderId
    Column("status", String(16), nullable=False),  # domain.split_tenders.SplitTenderStatus
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=True),
    UniqueConstraint("merchant_key", "ref"),
)

# --------------------------------------------------------------------------- 0009

# Recurring billing. A subscription bills a stored payment profile (by public refs: a canceled
# subscription does not keep its profile from being deleted). `wake_on` is the day billing acts
# on it next (its next occurrence, or a suspended one's termination), `ends_on` the day of its
# last occurrence (NULL: ongoing); both follow the schedule and progress columns.
subscriptions = Table(
    "subscriptions", metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(SUBSCRIPTION_REF_DIGITS), nullable=False),  # public subscriptionId
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("name", String(50), nullable=True),
    Column("interval_length", Integer, nullable=False),
    Column("interval_unit", String(8), nullable=False),  # "days" | "months"
    Column("start_date", Date, nullable=False),
    Column("total_occurrences", Integer, nullable=False),  # 9999: no end
    Column("trial_occurrences", Integer, nullable=False),
    _money_amount("amount", nullable=False),
    _money_amount("trial_amount", nullable=True),
    Column("status", String(16), nullable=False),  # domain.subscriptions.SubscriptionStatus
    Column("profile_ref", String(PROFILE_REF_DIGITS), nullable=False),
    Column("payment_profile_ref", String(PAYMENT_PROFILE_REF_DIGITS), nullable=False),
    Column("address_ref", String(ADDRESS_REF_DIGITS), nullable=True),
    Column("payment_method", String(8), nullable=False),  # "card" | "bank"
    Column("invoice_number", String(INVOICE_NUMBER_LENGTH), nullable=True),
    Column("description", String(DESCRIPTION_LENGTH), nullable=True),
    Column("next_pay_num", Integer, nullable=False),
    Column("failed_attempts", Integer, nullable=False),
    Column("wake_on", Date, nullable=True),
    Column("ends_on", Date, nullable=True),
    Column("duplicate_key", String(128), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=True),
    UniqueConstraint("ref"),
    Index(None, "merchant_key", "duplicate_key"),
    Index(None, "merchant_key", "status"),
    Index(None, "status", "wake_on"),  # billing runs
    Index(None, "profile_ref"),  # delete guards and subscriptionIds
    Index(None, "payment_profile_ref"),
    Index(None, "address_ref"),
)

# Every attempt at billing an occurrence; the unique key is what lets an occurrence be charged
# at most once per attempt, whichever process runs billing.
subscription_attempts = Table(
    "subscription_attempts", metadata,
    Column("key", Integer, primary_key=True),
    Column("subscription_key", ForeignKey("subscriptions.key"), nullable=False),
    Column("pay_num", Integer, nullable=False),
    Column("attempt_num", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),  # services.ports.AttemptOutcome
    Column("transaction_ref", String(TRANSACTION_REF_DIGITS), nullable=True),
    Column("response", String(255), nullable=True),
    Column("submitted_at", UtcDateTime, nullable=False),
    UniqueConstraint("subscription_key", "pay_num", "attempt_num"),
)

# --------------------------------------------------------------------------- fraud filters (0011)

# A merchant's fraud filters (domain.fraud.FraudFilter), managed from the CLI; the unique
# (merchant_key, name) index also serves the per-charge read of a merchant's filters.
fraud_filters = Table(
    "fraud_filters", metadata,
    Column("key", Integer, primary_key=True),
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("kind", String(32), nullable=False),  # domain.fraud.FilterKind
    Column("action", String(32), nullable=False),  # domain.fraud.FraudAction
    _money_amount("threshold", nullable=True),  # amount filters
    Column("currency", CHAR(3), nullable=True),  # amount filters
    Column("max_count", Integer, nullable=True),  # velocity filters
    Column("window_seconds", Integer, nullable=True),  # velocity filters
    Column("blocked", Text, nullable=True),  # ip-blocklist: canonical networks, one per line
    Column("enabled", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("merchant_key", "name"),
)

# --------------------------------------------------------------------------- webhooks (0012)

GUID_LENGTH = 36  # webhookId and notificationId: lowercase GUIDs with hyphens
EVENT_TYPE_LENGTH = 64
WEBHOOK_URL_LENGTH = 2048
NOTIFICATION_ERROR_LENGTH = 255

# A merchant's webhooks; event_types is a space-separated list of event type names.
webhooks = Table(
    "webhooks", metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(GUID_LENGTH), nullable=False),  # public webhookId
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("name", String(100), nullable=True),
    Column("url", String(WEBHOOK_URL_LENGTH), nullable=False),
    Column("status", String(8), nullable=False),  # domain.webhooks.WebhookStatus
    Column("event_types", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=True),
    UniqueConstraint("ref"),
    # Target of the notifications' (webhook_key, merchant_key) foreign key: a notification
    # can only ever belong to a webhook of its own merchant.
    UniqueConstraint("key", "merchant_key"),
    Index(None, "merchant_key", "status"),
)

# One event on its way to one webhook (fanned out when the event is recorded, in the same
# transaction), then its delivery history. The payload is the exact JSON text sent.
webhook_notifications = Table(
    "webhook_notifications", metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(GUID_LENGTH), nullable=False),  # public notificationId
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("webhook_key", Integer, nullable=False),
    Column("event_type", String(EVENT_TYPE_LENGTH), nullable=False),
    Column("payload", Text, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False),  # domain.webhooks.NotificationState
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Column("last_attempt_at", UtcDateTime, nullable=True),
    Column("last_error", String(NOTIFICATION_ERROR_LENGTH), nullable=True),
    Column("delivered_at", UtcDateTime, nullable=True),
    ForeignKeyConstraint(["webhook_key", "merchant_key"], ["webhooks.key", "webhooks.merchant_key"],
                         ondelete="CASCADE"),
    UniqueConstraint("ref"),
    Index(None, "state", "next_attempt_at"),  # the delivery job's queue
    Index(None, "merchant_key", "key"),  # history, newest first
    Index(None, "webhook_key"),  # deleting a webhook
)
