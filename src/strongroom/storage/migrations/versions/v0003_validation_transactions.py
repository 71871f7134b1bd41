"""Revision 0003: a minimal transactions table for validation authorisations."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transactions",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=11), nullable=False),
        sa.Column("merchant_key", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payment_profile_ref", sa.String(length=10), nullable=True),
        # Money as integer minor units (cents), never a float: see storage.column_types.MinorUnits.
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.CHAR(length=3), nullable=False),
        sa.Column("response_code", sa.Integer(), nullable=False),
        sa.Column("reason_code", sa.Integer(), nullable=False),
        sa.Column("auth_code", sa.String(length=6), nullable=False),
        sa.Column("network_trans_id", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merchant_key"], ["merchants.key"], name=op.f("fk_transactions_merchant_key_merchants")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_transactions")),
        sa.UniqueConstraint("ref", name=op.f("uq_transactions_ref")),
    )
    op.create_index(
        op.f("ix_transactions_merchant_key_created_at"), "transactions", ["merchant_key", "created_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_transactions_merchant_key_created_at"), table_name="transactions")
    op.drop_table("transactions")
