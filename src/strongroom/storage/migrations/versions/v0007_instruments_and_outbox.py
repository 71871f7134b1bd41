"""Revision 0007: what a stored transaction needs to become a customer profile later, receipts
waiting to be e-mailed, and split-tender group lookups.

* `transaction_instruments`: the card or bank account of an approved charge, sealed under the
  merchant's data key (the blob is bound to the row's own ref), one per transaction.
* `outbox`: rendered e-mails (transaction receipts) until a delivery job sends them.
* an index on transactions (merchant_key, split_tender_id) for updateSplitTenderGroup.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SPLIT_TENDER_INDEX = "ix_transactions_merchant_key_split_tender_id"


def upgrade() -> None:
    op.create_table(
        "transaction_instruments",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=32), nullable=False),
        sa.Column("merchant_key", sa.Integer(), nullable=False),
        sa.Column("transaction_ref", sa.String(length=11), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merchant_key"],
            ["merchants.key"],
            name=op.f("fk_transaction_instruments_merchant_key_merchants"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_transaction_instruments")),
        sa.UniqueConstraint("ref", name=op.f("uq_transaction_instruments_ref")),
        sa.UniqueConstraint("transaction_ref", name=op.f("uq_transaction_instruments_transaction_ref")),
    )
    op.create_table(
        "outbox",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("merchant_key", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=255), nullable=False),
        sa.Column("reply_to", sa.String(length=255), nullable=True),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("transaction_ref", sa.String(length=11), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=255), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["merchant_key"], ["merchants.key"], name=op.f("fk_outbox_merchant_key_merchants")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_outbox")),
    )
    op.create_index(op.f("ix_outbox_sent_at"), "outbox", ["sent_at"])
    op.create_index(
        op.f("ix_outbox_merchant_key_transaction_ref"), "outbox", ["merchant_key", "transaction_ref"]
    )
    op.create_index(op.f(SPLIT_TENDER_INDEX), "transactions", ["merchant_key", "split_tender_id"])


def downgrade() -> None:
    op.drop_index(op.f(SPLIT_TENDER_INDEX), table_name="transactions")
    op.drop_index(op.f("ix_outbox_merchant_key_transaction_ref"), table_name="outbox")
    op.drop_index(op.f("ix_outbox_sent_at"), table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("transaction_instruments")
