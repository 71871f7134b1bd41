"""Revision 0009: recurring billing.

* `subscriptions`: schedule, amounts, status, the stored payment profile billed, and billing
  progress (next occurrence, failed attempts at it, the day billing acts next).
* `subscription_attempts`: every attempt at billing an occurrence, unique per subscription,
  occurrence and attempt number, with the transaction it produced.
* transactions get `subscription_ref` and `pay_num` (which subscription and occurrence a
  transaction paid), indexed by merchant and subscription.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SUBSCRIPTION_INDEX = "ix_transactions_merchant_key_subscription_ref"


def _transaction_columns() -> list[sa.Column[Any]]:
    """New each time: a Column object belongs to one table once used."""
    return [
        sa.Column("subscription_ref", sa.String(length=9), nullable=True),
        sa.Column("pay_num", sa.Integer(), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("transactions") as batch:
        for column in _transaction_columns():
            batch.add_column(column)
    op.create_index(op.f(SUBSCRIPTION_INDEX), "transactions", ["merchant_key", "subscription_ref"])
    op.create_table(
        "subscriptions",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=9), nullable=False),
        sa.Column("merchant_key", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=True),
        sa.Column("interval_length", sa.Integer(), nullable=False),
        sa.Column("interval_unit", sa.String(length=8), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("total_occurrences", sa.Integer(), nullable=False),
        sa.Column("trial_occurrences", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("trial_amount", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("profile_ref", sa.String(length=10), nullable=False),
        sa.Column("payment_profile_ref", sa.String(length=10), nullable=False),
        sa.Column("address_ref", sa.String(length=9), nullable=True),
        sa.Column("payment_method", sa.String(length=8), nullable=False),
        sa.Column("invoice_number", sa.String(length=20), nullable=True),
        sa.Column("description", sa.String(length=255), nullable=True),
        sa.Column("next_pay_num", sa.Integer(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("wake_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("duplicate_key", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["merchant_key"], ["merchants.key"], name=op.f("fk_subscriptions_merchant_key_merchants")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_subscriptions")),
        sa.UniqueConstraint("ref", name=op.f("uq_subscriptions_ref")),
    )
    for columns in (
        ["merchant_key", "duplicate_key"],
        ["merchant_key", "status"],
        ["status", "wake_on"],
        ["profile_ref"],
        ["payment_profile_ref"],
        ["address_ref"],
    ):
        op.create_index(op.f("ix_subscriptions_" + "_".join(columns)), "subscriptions", columns)
    op.create_table(
        "subscription_attempts",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("subscription_key", sa.Integer(), nullable=False),
        sa.Column("pay_num", sa.Integer(), nullable=False),
        sa.Column("attempt_num", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("transaction_ref", sa.String(length=11), nullable=True),
        sa.Column("response", sa.String(length=255), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscription_key"],
            ["subscriptions.key"],
            name=op.f("fk_subscription_attempts_subscription_key_subscriptions"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_subscription_attempts")),
        sa.UniqueConstraint(
            "subscription_key",
            "pay_num",
            "attempt_num",
            name=op.f("uq_subscription_attempts_subscription_key_pay_num_attempt_num"),
        ),
    )


def downgrade() -> None:
    op.drop_table("subscription_attempts")
    for columns in (
        ["address_ref"],
        ["payment_profile_ref"],
        ["profile_ref"],
        ["status", "wake_on"],
        ["merchant_key", "status"],
        ["merchant_key", "duplicate_key"],
    ):
        op.drop_index(op.f("ix_subscriptions_" + "_".join(columns)), table_name="subscriptions")
    op.drop_table("subscriptions")
    op.drop_index(op.f(SUBSCRIPTION_INDEX), table_name="transactions")
    with op.batch_alter_table("transactions") as batch:
        for column in reversed(_transaction_columns()):
            batch.drop_column(column.name)
