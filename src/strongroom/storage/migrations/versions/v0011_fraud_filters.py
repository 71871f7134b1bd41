"""Revision 0011: fraud filters and what transactions keep of them.

* `fraud_filters`: each merchant's filters (amount over/under, IP and card velocity, IP block
  list) with their action; names are unique per merchant.
* transactions gain `customer_ip` (canonical, for IP velocity), `fraud_action` (the strongest
  action of the filters that fired) and `fraud_filters` (JSON: each that fired, with its
  action), and two indexes for the velocity counts: (merchant_key, customer_ip, submitted_at)
  and (merchant_key, fingerprint, submitted_at).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLE = "transactions"
NEW_COLUMNS: list[tuple[str, sa.types.TypeEngine[Any]]] = [
    ("customer_ip", sa.String(length=45)),
    ("fraud_action", sa.String(length=32)),
    ("fraud_filters", sa.Text()),
]
VELOCITY_INDEXES: list[list[str]] = [
    ["merchant_key", "customer_ip", "submitted_at"],
    ["merchant_key", "fingerprint", "submitted_at"],
]


def _index_name(columns: list[str]) -> str:
    return op.f(f"ix_{TABLE}_" + "_".join(columns))


def upgrade() -> None:
    op.create_table(
        "fraud_filters",
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("merchant_key", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        # Money as integer minor units (cents), never a float: storage.column_types.MinorUnits.
        sa.Column("threshold", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.CHAR(length=3), nullable=True),
        sa.Column("max_count", sa.Integer(), nullable=True),
        sa.Column("window_seconds", sa.Integer(), nullable=True),
        sa.Column("blocked", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merchant_key"], ["merchants.key"], name=op.f("fk_fraud_filters_merchant_key_merchants")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_fraud_filters")),
        sa.UniqueConstraint("merchant_key", "name", name=op.f("uq_fraud_filters_merchant_key_name")),
    )
    with op.batch_alter_table(TABLE) as batch:
        for name, type_ in NEW_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
    for columns in VELOCITY_INDEXES:
        op.create_index(_index_name(columns), TABLE, columns)


def downgrade() -> None:
    for columns in reversed(VELOCITY_INDEXES):
        op.drop_index(_index_name(columns), table_name=TABLE)
    with op.batch_alter_table(TABLE) as batch:
        for name, _type in reversed(NEW_COLUMNS):
            batch.drop_column(name)
    op.drop_table("fraud_filters")
