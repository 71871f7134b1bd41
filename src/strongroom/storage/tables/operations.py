"""The server's own bookkeeping: idempotency keys, job leases and the sandbox clock."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Table
from sqlalchemy.types import BigInteger, Integer, LargeBinary, String

from strongroom.storage.column_types import UtcDateTime
from strongroom.storage.tables.base import metadata

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("merchant_key", ForeignKey("merchants.key"), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("request_digest", String(128), nullable=False),
    Column("sealed_reply", LargeBinary, nullable=True),
    Column("media_type", String(64), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "created_at"),
)

# Named leases: one holder at a time runs a scheduled job, until expires_at.
leases = Table(
    "leases",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(255), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
)

# One row (key 1): what `strongroom clock advance` added to system time in a sandbox.
sandbox_clock = Table(
    "sandbox_clock",
    metadata,
    Column("key", Integer, primary_key=True, autoincrement=False),
    Column("offset_seconds", BigInteger, nullable=False),
)
