"""The customer vault: profile containers, customer and payment profiles, shipping addresses."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Table, UniqueConstraint
from sqlalchemy.types import Boolean, Integer, LargeBinary, String

from strongroom.storage.column_types import UtcDateTime
from strongroom.storage.tables.base import (
    ADDRESS_REF_DIGITS,
    PAYMENT_PROFILE_REF_DIGITS,
    PROFILE_REF_DIGITS,
    address_columns,
    metadata,
    money_amount,
)

profile_containers = Table(
    "profile_containers",
    metadata,
    Column("key", Integer, primary_key=True),
    Column("owner_merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("is_default", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "owner_merchant_key"),
)

customer_profiles = Table(
    "customer_profiles",
    metadata,
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
    "payment_profiles",
    metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(PAYMENT_PROFILE_REF_DIGITS), nullable=False),
    Column("profile_key", ForeignKey("customer_profiles.key", ondelete="CASCADE"), nullable=False),
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
    money_amount("original_auth_amount", nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("ref"),
    Index(None, "profile_key", "fingerprint"),
    Index(None, "container_key", "expiry"),
)

shipping_addresses = Table(
    "shipping_addresses",
    metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(ADDRESS_REF_DIGITS), nullable=False),
    Column("profile_key", ForeignKey("customer_profiles.key", ondelete="CASCADE"), nullable=False),
    *address_columns(),
    Column("is_default", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("ref"),
    Index(None, "profile_key"),
)
