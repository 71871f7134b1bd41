"""Revision 0012: webhooks and their notifications.

* `webhooks`: where a merchant wants notifications of which event types sent, and whether.
* `webhook_notifications`: one recorded event per subscribed webhook, queued in the same
  transaction as the change that caused it, then its delivery attempts and outcome. Its
  (webhook_key, merchant_key) foreign key ties every notification to a webhook of its own
  merchant.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "webhooks",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=36), nullable=False),
        sa.Column("merchant_key", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("event_types", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["merchant_key"], ["merchants.key"], name=op.f("fk_webhooks_merchant_key_merchants")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_webhooks")),
        sa.UniqueConstraint("ref", name=op.f("uq_webhooks_ref")),
        sa.UniqueConstraint("key", "merchant_key", name=op.f("uq_webhooks_key_merchant_key")),
    )
    op.create_index(op.f("ix_webhooks_merchant_key_status"), "webhooks", ["merchant_key", "status"])
    op.create_table(
        "webhook_notifications",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=36), nullable=False),
        sa.Column("merchant_key", sa.Integer(), nullable=False),
        sa.Column("webhook_key", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=255), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["merchant_key"], ["merchants.key"], name=op.f("fk_webhook_notifications_merchant_key_merchants")
        ),
        sa.ForeignKeyConstraint(
            ["webhook_key", "merchant_key"],
            ["webhooks.key", "webhooks.merchant_key"],
            ondelete="CASCADE",
            name=op.f("fk_webhook_notifications_webhook_key_webhooks"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_webhook_notifications")),
        sa.UniqueConstraint("ref", name=op.f("uq_webhook_notifications_ref")),
    )
    op.create_index(
        op.f("ix_webhook_notifications_state_next_attempt_at"),
        "webhook_notifications",
        ["state", "next_attempt_at"],
    )
    op.create_index(
        op.f("ix_webhook_notifications_merchant_key_key"), "webhook_notifications", ["merchant_key", "key"]
    )
    op.create_index(op.f("ix_webhook_notifications_webhook_key"), "webhook_notifications", ["webhook_key"])


def downgrade() -> None:
    op.drop_index(op.f("ix_webhook_notifications_webhook_key"), table_name="webhook_notifications")
    op.drop_index(op.f("ix_webhook_notifications_merchant_key_key"), table_name="webhook_notifications")
    op.drop_index(op.f("ix_webhook_notifications_state_next_attempt_at"), table_name="webhook_notifications")
    op.drop_table("webhook_notifications")
    op.drop_index(op.f("ix_webhooks_merchant_key_status"), table_name="webhooks")
    op.drop_table("webhooks")
