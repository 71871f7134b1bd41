"""Revision 0005: settlement batches, job leases and the persisted sandbox clock.

Merchants get a transaction cut-off time and time zone (16:00 America/Los_Angeles unless
configured) and the cut-off instant their settlement is closed through. `batches` holds one row
per merchant, payment method and cut-off, `batch_statistics` its totals per account type.
`leases` lets one process at a time run a scheduled job; `sandbox_clock` keeps the offset that
`strongroom clock advance` adds to system time (one row, inserted here).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _merchant_columns() -> list[sa.Column[Any]]:
    """New each time: a Column object belongs to one table once used."""
    return [
        sa.Column(
            "settlement_cutoff", sa.String(length=5), nullable=False, server_default=sa.text("'16:00'")
        ),
        sa.Column(
            "settlement_timezone",
            sa.String(length=64),
            nullable=False,
            server_default=sa.text("'America/Los_Angeles'"),
        ),
        sa.Column("settled_through", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("merchants") as batch:
        for column in _merchant_columns():
            batch.add_column(column)
    op.create_table(
        "batches",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=8), nullable=False),
        sa.Column("merchant_key", sa.Integer(), nullable=False),
        sa.Column("payment_method", sa.String(length=8), nullable=False),
        sa.Column("settlement_state", sa.String(length=32), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settlement_timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merchant_key"], ["merchants.key"], name=op.f("fk_batches_merchant_key_merchants")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_batches")),
        sa.UniqueConstraint("ref", name=op.f("uq_batches_ref")),
        sa.UniqueConstraint(
            "merchant_key",
            "payment_method",
            "settled_at",
            name=op.f("uq_batches_merchant_key_payment_method_settled_at"),
        ),
    )
    op.create_index(op.f("ix_batches_merchant_key_settled_at"), "batches", ["merchant_key", "settled_at"])
    op.create_table(
        "batch_statistics",
        sa.Column("batch_key", sa.Integer(), nullable=False),
        sa.Column("account_type", sa.String(length=32), nullable=False),
        sa.Column("charge_count", sa.Integer(), nullable=False),
        sa.Column("charge_amount", sa.BigInteger(), nullable=False),
        sa.Column("refund_count", sa.Integer(), nullable=False),
        sa.Column("refund_amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_key"],
            ["batches.key"],
            name=op.f("fk_batch_statistics_batch_key_batches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("batch_key", "account_type", name=op.f("pk_batch_statistics")),
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=255), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )
    sandbox_clock = op.create_table(
        "sandbox_clock",
        sa.Column("key", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("offset_seconds", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sandbox_clock")),
    )
    op.bulk_insert(sandbox_clock, [{"key": 1, "offset_seconds": 0}])


def downgrade() -> None:
    op.drop_table("sandbox_clock")
    op.drop_table("leases")
    op.drop_table("batch_statistics")
    op.drop_index(op.f("ix_batches_merchant_key_settled_at"), table_name="batches")
    op.drop_table("batches")
    with op.batch_alter_table("merchants") as batch:
        for column in reversed(_merchant_columns()):
            batch.drop_column(column.name)
