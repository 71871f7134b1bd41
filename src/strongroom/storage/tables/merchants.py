"""Merchants (tenants), their data keys and their fraud filters."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Table, UniqueConstraint, text
from sqlalchemy.types import CHAR, Boolean, Integer, LargeBinary, String, Text

from strongroom.storage.column_types import UtcDateTime
from strongroom.storage.tables.base import GATEWAY_ID_DIGITS, address_columns, metadata, money_amount

merchants = Table(
    "merchants",
    metadata,
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
    Column("settlement_timezone", String(64), nullable=False, server_default=text("'America/Los_Angeles'")),
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

data_keys = Table(
    "data_keys",
    metadata,
    Column("key_id", Integer, primary_key=True),
    Column("merchant_key", Integer, nullable=False),  # 0 = server-wide, so no foreign key
    Column("purpose", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("wrapped", LargeBinary, nullable=False),
    Column("master_version", Integer, nullable=False),
    UniqueConstraint("merchant_key", "purpose", "version"),
)

# A merchant's fraud filters (domain.fraud.FraudFilter), managed from the CLI; the unique
# (merchant_key, name) index also serves the per-charge read of a merchant's filters.
fraud_filters = Table(
    "fraud_filters",
    metadata,
    Column("key", Integer, primary_key=True),
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("kind", String(32), nullable=False),  # domain.fraud.FilterKind
    Column("action", String(32), nullable=False),  # domain.fraud.FraudAction
    money_amount("threshold", nullable=True),  # amount filters
    Column("currency", CHAR(3), nullable=True),  # amount filters
    Column("max_count", Integer, nullable=True),  # velocity filters
    Column("window_seconds", Integer, nullable=True),  # velocity filters
    Column("blocked", Text, nullable=True),  # ip-blocklist: canonical networks, one per line
    Column("enabled", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("merchant_key", "name"),
)
