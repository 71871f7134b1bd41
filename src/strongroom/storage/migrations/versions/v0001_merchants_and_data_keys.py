"""Revision 0001: merchants, their profile containers, and the vault's wrapped data keys."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "merchants",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("login_id", sa.String(length=64), nullable=False),
        sa.Column("credential_salt", sa.LargeBinary(), nullable=False),
        sa.Column("transaction_key_digest", sa.LargeBinary(), nullable=False),
        sa.Column("sealed_signature_key", sa.LargeBinary(), nullable=True),
        sa.Column("public_client_key", sa.String(length=255), nullable=False),
        sa.Column("is_sandbox", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_merchants")),
        sa.UniqueConstraint("login_id", name=op.f("uq_merchants_login_id")),
    )
    op.create_table(
        "profile_containers",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("owner_merchant_key", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_merchant_key"],
            ["merchants.key"],
            name=op.f("fk_profile_containers_owner_merchant_key_merchants"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_profile_containers")),
    )
    op.create_index(
        op.f("ix_profile_containers_owner_merchant_key"), "profile_containers", ["owner_merchant_key"]
    )
    op.create_table(
        "data_keys",
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("merchant_key", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("wrapped", sa.LargeBinary(), nullable=False),
        sa.Column("master_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_data_keys")),
        sa.UniqueConstraint(
            "merchant_key", "purpose", "version", name=op.f("uq_data_keys_merchant_key_purpose_version")
        ),
    )


def downgrade() -> None:
    op.drop_table("data_keys")
    op.drop_index(op.f("ix_profile_containers_owner_merchant_key"), table_name="profile_containers")
    op.drop_table("profile_containers")
    op.drop_table("merchants")
