"""Settlement batches and their statistics (0005)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Table, UniqueConstraint, text
from sqlalchemy.types import Integer, String

from strongroom.storage.column_types import UtcDateTime
from strongroom.storage.tables.base import metadata, money_amount

BATCH_REF_DIGITS = 8

# One settlement batch per merchant, payment method ("card" | "bank") and cut-off instant.
batches = Table(
    "batches",
    metadata,
    Column("key", Integer, primary_key=True),
    Column("ref", String(BATCH_REF_DIGITS), nullable=False),  # public batchId
    Column("merchant_key", ForeignKey("merchants.key"), nullable=False),
    Column("payment_method", String(8), nullable=False),
    Column("settlement_state", String(32), nullable=False),  # domain.batches.BatchState
    Column("settled_at", UtcDateTime, nullable=False),  # the cut-off instant
    Column("settlement_timezone", String(64), nullable=False),  # for settlementTimeLocal
    Column("created_at", UtcDateTime, nullable=False),  # when the run closed it
    UniqueConstraint("ref"),
    UniqueConstraint("merchant_key", "payment_method", "settled_at"),
    Index(None, "merchant_key", "settled_at"),  # settled batch lists by date range
)

# A batch's totals per account type (card brand, or "eCheck").
batch_statistics = Table(
    "batch_statistics",
    metadata,
    Column("batch_key", ForeignKey("batches.key", ondelete="CASCADE"), primary_key=True),
    Column("account_type", String(32), primary_key=True),
    Column("charge_count", Integer, nullable=False),
    money_amount("charge_amount", nullable=False),
    Column("refund_count", Integer, nullable=False),
    money_amount("refund_amount", nullable=False),
    # 0010: transactions that joined the batch without moving money.
    Column("void_count", Integer, nullable=False, server_default=text("0")),
    Column("decline_count", Integer, nullable=False, server_default=text("0")),
    Column("error_count", Integer, nullable=False, server_default=text("0")),
)
