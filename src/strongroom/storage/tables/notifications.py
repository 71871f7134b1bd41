"""What goes out: the e-mail outbox (0007), webhooks and their notifications (0012)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, ForeignKeyConstraint, Index, Table, UniqueConstraint
from sqlalchemy.types import Integer, String, Text

from strongroom.storage.column_types import UtcDateTime
from strongroom.storage.tables.base import TRANSACTION_REF_DIGITS, metadata

# Rendered e-mails (transaction receipts) waiting for the delivery job; sent ones stay, dated.
outbox = Table(
    "outbox",
    metadata,
    Column("key", Integer, primary_key=True),
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("kind", String(32), nullable=False),  # "receipt"
    Column("recipient", String(255), nullable=False),
    Column("reply_to", String(255), nullable=True),
    Column("subject", String(255), nullable=False),
    Column("body", Text, nullable=False),
    Column("transaction_ref", String(TRANSACTION_REF_DIGITS), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", String(255), nullable=True),
    Column("sent_at", UtcDateTime, nullable=True),
    Index(None, "sent_at"),  # pending messages
    Index(None, "merchant_key", "transaction_ref"),
)

# --------------------------------------------------------------------------- webhooks (0012)

GUID_LENGTH = 36  # webhookId and notificationId: lowercase GUIDs with hyphens
EVENT_TYPE_LENGTH = 64
WEBHOOK_URL_LENGTH = 2048
NOTIFICATION_ERROR_LENGTH = 255

# A merchant's webhooks; event_types is a space-separated list of event type names.
webhooks = Table(
    "webhooks",
    metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(GUID_LENGTH), nullable=False),  # public webhookId
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("name", String(100), nullable=True),
    Column("url", String(WEBHOOK_URL_LENGTH), nullable=False),
    Column("status", String(8), nullable=False),  # domain.webhooks.WebhookStatus
    Column("event_types", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=True),
    UniqueConstraint("ref"),
    # Target of the notifications' (webhook_key, merchant_key) foreign key: a notification
    # can only ever belong to a webhook of its own merchant.
    UniqueConstraint("key", "merchant_key"),
    Index(None, "merchant_key", "status"),
)

# One event on its way to one webhook (fanned out when the event is recorded, in the same
# transaction), then its delivery history. The payload is the exact JSON text sent.
webhook_notifications = Table(
    "webhook_notifications",
    metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(GUID_LENGTH), nullable=False),  # public notificationId
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("webhook_key", Integer, nullable=False),
    Column("event_type", String(EVENT_TYPE_LENGTH), nullable=False),
    Column("payload", Text, nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False),  # domain.webhooks.NotificationState
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    Column("last_attempt_at", UtcDateTime, nullable=True),
    Column("last_error", String(NOTIFICATION_ERROR_LENGTH), nullable=True),
    Column("delivered_at", UtcDateTime, nullable=True),
    ForeignKeyConstraint(
        ["webhook_key", "merchant_key"], ["webhooks.key", "webhooks.merchant_key"], ondelete="CASCADE"
    ),
    UniqueConstraint("ref"),
    Index(None, "state", "next_attempt_at"),  # the delivery job's queue
    Index(None, "merchant_key", "key"),  # history, newest first
    Index(None, "webhook_key"),  # deleting a webhook
)
