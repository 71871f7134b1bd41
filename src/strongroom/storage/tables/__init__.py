"""The relational schema as SQLAlchemy Core tables, one module an area; migrations must produce
exactly this. Every table, width and `metadata` is importable from here."""

from __future__ import annotations

from strongroom.storage.tables.base import (
    ADDRESS_FIELD_LENGTHS,
    ADDRESS_REF_DIGITS,
    GATEWAY_ID_DIGITS,
    NAMING_CONVENTION,
    PAYMENT_PROFILE_REF_DIGITS,
    PROFILE_REF_DIGITS,
    SUBSCRIPTION_REF_DIGITS,
    TRANSACTION_REF_DIGITS,
    address_columns,
    metadata,
    money_amount,
)
from strongroom.storage.tables.merchants import data_keys, fraud_filters, merchants
from strongroom.storage.tables.notifications import (
    EVENT_TYPE_LENGTH,
    GUID_LENGTH,
    NOTIFICATION_ERROR_LENGTH,
    WEBHOOK_URL_LENGTH,
    outbox,
    webhook_notifications,
    webhooks,
)
from strongroom.storage.tables.operations import idempotency_keys, leases, sandbox_clock
from strongroom.storage.tables.profiles import (
    customer_profiles,
    payment_profiles,
    profile_containers,
    shipping_addresses,
)
from strongroom.storage.tables.settlement import BATCH_REF_DIGITS, batch_statistics, batches
from strongroom.storage.tables.subscriptions import subscription_attempts, subscriptions
from strongroom.storage.tables.transactions import (
    BATCH_ID_RANK_INDEX,
    BATCH_TIME_RANK_INDEX,
    CUSTOMER_INDEX,
    CUSTOMER_IP_LENGTH,
    DESCRIPTION_LENGTH,
    INVOICE_NUMBER_LENGTH,
    PO_NUMBER_LENGTH,
    RESULT_CODE_LENGTH,
    SPLIT_TENDER_ID_LENGTH,
    UNBATCHED_INDEX,
    split_tender_orders,
    transaction_instruments,
    transactions,
)

__all__ = [
    "ADDRESS_FIELD_LENGTHS",
    "ADDRESS_REF_DIGITS",
    "BATCH_ID_RANK_INDEX",
    "BATCH_REF_DIGITS",
    "BATCH_TIME_RANK_INDEX",
    "CUSTOMER_INDEX",
    "CUSTOMER_IP_LENGTH",
    "DESCRIPTION_LENGTH",
    "EVENT_TYPE_LENGTH",
    "GATEWAY_ID_DIGITS",
    "GUID_LENGTH",
    "INVOICE_NUMBER_LENGTH",
    "NAMING_CONVENTION",
    "NOTIFICATION_ERROR_LENGTH",
    "PAYMENT_PROFILE_REF_DIGITS",
    "PO_NUMBER_LENGTH",
    "PROFILE_REF_DIGITS",
    "RESULT_CODE_LENGTH",
    "SPLIT_TENDER_ID_LENGTH",
    "SUBSCRIPTION_REF_DIGITS",
    "TRANSACTION_REF_DIGITS",
    "UNBATCHED_INDEX",
    "WEBHOOK_URL_LENGTH",
    "address_columns",
    "batch_statistics",
    "batches",
    "customer_profiles",
    "data_keys",
    "fraud_filters",
    "idempotency_keys",
    "leases",
    "merchants",
    "metadata",
    "money_amount",
    "outbox",
    "payment_profiles",
    "profile_containers",
    "sandbox_clock",
    "shipping_addresses",
    "split_tender_orders",
    "subscription_attempts",
    "subscriptions",
    "transaction_instruments",
    "transactions",
    "webhook_notifications",
    "webhooks",
]
