"""Revision 0002: customer profiles with their payment profiles and shipping addresses."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def address_columns(prefix: str = "") -> list[sa.Column[str]]:
    lengths = {
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
    return [
        sa.Column(prefix + field, sa.String(length=length), nullable=True)
        for field, length in lengths.items()
    ]


def upgrade() -> None:
    create_customer_profiles()
    create_payment_profiles()
    create_shipping_addresses()


def create_customer_profiles() -> None:
    op.create_table(
        "customer_profiles",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=10), nullable=False),
        sa.Column("container_key", sa.Integer(), nullable=False),
        sa.Column("merchant_customer_id", sa.String(length=20), nullable=True),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("profile_type", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["container_key"],
            ["profile_containers.key"],
            name=op.f("fk_customer_profiles_container_key_profile_containers"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_customer_profiles")),
        sa.UniqueConstraint("ref", name=op.f("uq_customer_profiles_ref")),
    )
    for columns in (
        ["container_key", "ref"],
        ["container_key", "merchant_customer_id"],
        ["container_key", "email"],
    ):
        op.create_index(op.f("ix_customer_profiles_" + "_".join(columns)), "customer_profiles", columns)


def create_payment_profiles() -> None:
    op.create_table(
        "payment_profiles",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=10), nullable=False),
        sa.Column("profile_key", sa.Integer(), nullable=False),
        sa.Column("container_key", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("fingerprint", sa.String(length=128), nullable=False),
        sa.Column("last4", sa.String(length=4), nullable=False),
        sa.Column("card_brand", sa.String(length=32), nullable=True),
        sa.Column("issuer_number", sa.String(length=8), nullable=True),
        sa.Column("expiry", sa.String(length=7), nullable=True),
        sa.Column("bank_account_type", sa.String(length=32), nullable=True),
        sa.Column("echeck_type", sa.String(length=8), nullable=True),
        sa.Column("bank_name", sa.String(length=50), nullable=True),
        sa.Column("name_on_account", sa.String(length=22), nullable=True),
        sa.Column("has_bill_to", sa.Boolean(), nullable=False),
        *address_columns("bill_to_"),
        sa.Column("customer_type", sa.String(length=16), nullable=True),
        sa.Column("drivers_license_state", sa.String(length=2), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("exclude_from_account_updater", sa.Boolean(), nullable=True),
        sa.Column("original_network_trans_id", sa.String(length=255), nullable=True),
        # Money as integer minor units (cents), never a float: see storage.column_types.MinorUnits.
        sa.Column("original_auth_amount", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_key"],
            ["customer_profiles.key"],
            ondelete="CASCADE",
            name=op.f("fk_payment_profiles_profile_key_customer_profiles"),
        ),
        sa.ForeignKeyConstraint(
            ["container_key"],
            ["profile_containers.key"],
            name=op.f("fk_payment_profiles_container_key_profile_containers"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_payment_profiles")),
        sa.UniqueConstraint("ref", name=op.f("uq_payment_profiles_ref")),
    )
    op.create_index(
        op.f("ix_payment_profiles_profile_key_fingerprint"),
        "payment_profiles",
        ["profile_key", "fingerprint"],
    )
    op.create_index(
        op.f("ix_payment_profiles_container_key_expiry"), "payment_profiles", ["container_key", "expiry"]
    )


def create_shipping_addresses() -> None:
    op.create_table(
        "shipping_addresses",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=9), nullable=False),
        sa.Column("profile_key", sa.Integer(), nullable=False),
        *address_columns(),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_key"],
            ["customer_profiles.key"],
            ondelete="CASCADE",
            name=op.f("fk_shipping_addresses_profile_key_customer_profiles"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_shipping_addresses")),
        sa.UniqueConstraint("ref", name=op.f("uq_shipping_addresses_ref")),
    )
    op.create_index(op.f("ix_shipping_addresses_profile_key"), "shipping_addresses", ["profile_key"])


def downgrade() -> None:
    op.drop_index(op.f("ix_shipping_addresses_profile_key"), table_name="shipping_addresses")
    op.drop_table("shipping_addresses")
    op.drop_index(op.f("ix_payment_profiles_container_key_expiry"), table_name="payment_profiles")
    op.drop_index(op.f("ix_payment_profiles_profile_key_fingerprint"), table_name="payment_profiles")
    op.drop_table("payment_profiles")
    for columns in (
        ["container_key", "email"],
        ["container_key", "merchant_customer_id"],
        ["container_key", "ref"],
    ):
        op.drop_index(op.f("ix_customer_profiles_" + "_".join(columns)), table_name="customer_profiles")
    op.drop_table("customer_profiles")
