"""Revision 0008: split-tender orders with a status, and the retention of kept instruments.

* `split_tender_orders`: one row per order (merchant, splitTenderId, status), so a completed or
  voided order refuses new transactions. Orders that already have transactions are filled in
  from them, as `open` (their earliest transaction's time as creation time).
* an index on `transaction_instruments.created_at` for the retention purge.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INSTRUMENT_AGE_INDEX = "ix_transaction_instruments_created_at"

BACKFILL = sa.text(
    "INSERT INTO split_tender_orders (merchant_key, ref, status, created_at) "
    "SELECT merchant_key, split_tender_id, 'open', MIN(submitted_at) FROM transactions "
    "WHERE split_tender_id IS NOT NULL GROUP BY merchant_key, split_tender_id"
)


def upgrade() -> None:
    op.create_table(
        "split_tender_orders",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("merchant_key", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["merchant_key"], ["merchants.key"], name=op.f("fk_split_tender_orders_merchant_key_merchants")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_split_tender_orders")),
        sa.UniqueConstraint("merchant_key", "ref", name=op.f("uq_split_tender_orders_merchant_key_ref")),
    )
    op.execute(BACKFILL)
    op.create_index(op.f(INSTRUMENT_AGE_INDEX), "transaction_instruments", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f(INSTRUMENT_AGE_INDEX), table_name="transaction_instruments")
    op.drop_table("split_tender_orders")
