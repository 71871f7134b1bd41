"""Revision 0010: transaction reporting.

* transactions: each batched transaction's position in its batch by submission time and by
  transaction id (`batch_time_rank`, `batch_id_rank`), filled in here for batches closed before this revision;
  indexes for batch pages, transactions in no batch yet, and a customer's transactions.
* batch_statistics: void, decline and error counts. Transactions voided, declined or errored
  before this revision were never batched: they join the next batch each merchant closes.
* merchants: a public numeric `gateway_id` (random, given here to existing merchants), business
  information and a contact (getMerchantDetails).
"""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

GATEWAY_ID_DIGITS = 9
ADDRESS_FIELD_LENGTHS = (
    ("first_name", 50),
    ("last_name", 50),
    ("company", 50),
    ("address", 60),
    ("city", 40),
    ("state", 40),
    ("zip", 20),
    ("country", 60),
    ("phone_number", 25),
    ("fax_number", 25),
    ("email", 255),
)
CONTACT_COLUMNS = (("contact_email", 255), ("contact_first_name", 50), ("contact_last_name", 50))
TRANSACTION_INDEXES = (
    ("ix_transactions_batch_time_rank", ["batch_ref", "batch_time_rank"]),
    ("ix_transactions_batch_id_rank", ["batch_ref", "batch_id_rank"]),
    ("ix_transactions_unbatched", ["merchant_key", "batch_ref", "status", "submitted_at", "ref"]),
    ("ix_transactions_customer", ["merchant_key", "customer_profile_ref", "submitted_at", "ref"]),
)
STATISTIC_COUNTS = ("void_count", "decline_count", "error_count")

# Positions of every batched transaction inside its batch (UPDATE ... FROM: PostgreSQL, and
# SQLite from 3.33).
RANK_BATCHED = """
UPDATE transactions SET batch_time_rank = ranked.time_rank, batch_id_rank = ranked.id_rank
FROM (SELECT "key" AS ranked_key,
             row_number() OVER (PARTITION BY batch_ref ORDER BY submitted_at, ref) AS time_rank,
             row_number() OVER (PARTITION BY batch_ref ORDER BY ref) AS id_rank
      FROM transactions WHERE batch_ref IS NOT NULL) AS ranked
WHERE transactions."key" = ranked.ranked_key
"""


def _merchant_columns() -> list[sa.Column[Any]]:
    columns: list[sa.Column[Any]] = [
        sa.Column(f"business_{name}", sa.String(length=length), nullable=True)
        for name, length in ADDRESS_FIELD_LENGTHS
    ]
    columns += [sa.Column(name, sa.String(length=length), nullable=True) for name, length in CONTACT_COLUMNS]
    return columns


def _gateway_ids(count: int) -> list[str]:
    """`count` distinct random ids of GATEWAY_ID_DIGITS digits without a leading zero."""
    smallest = 10 ** (GATEWAY_ID_DIGITS - 1)
    chosen: set[str] = set()
    while len(chosen) < count:
        chosen.add(str(smallest + secrets.randbelow(9 * smallest)))
    return sorted(chosen)


def _give_gateway_ids() -> None:
    merchants = sa.table("merchants", sa.column("key", sa.Integer), sa.column("gateway_id", sa.String))
    connection = op.get_bind()
    keys = [row[0] for row in connection.execute(sa.select(merchants.c.key))]
    for key, gateway_id in zip(keys, _gateway_ids(len(keys)), strict=True):
        connection.execute(sa.update(merchants).where(merchants.c.key == key).values(gateway_id=gateway_id))


def upgrade() -> None:
    with op.batch_alter_table("merchants") as batch:
        batch.add_column(sa.Column("gateway_id", sa.String(length=GATEWAY_ID_DIGITS), nullable=True))
        for column in _merchant_columns():
            batch.add_column(column)
    _give_gateway_ids()
    with op.batch_alter_table("merchants") as batch:
        batch.alter_column("gateway_id", existing_type=sa.String(length=GATEWAY_ID_DIGITS), nullable=False)
        batch.create_unique_constraint(op.f("uq_merchants_gateway_id"), ["gateway_id"])

    op.add_column("transactions", sa.Column("batch_time_rank", sa.Integer(), nullable=True))
    op.add_column("transactions", sa.Column("batch_id_rank", sa.Integer(), nullable=True))
    op.execute(RANK_BATCHED)
    for name, columns in TRANSACTION_INDEXES:
        op.create_index(name, "transactions", columns)

    for name in STATISTIC_COUNTS:
        op.add_column(
            "batch_statistics", sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    with op.batch_alter_table("batch_statistics") as batch:
        for name in reversed(STATISTIC_COUNTS):
            batch.drop_column(name)
    for name, _ in reversed(TRANSACTION_INDEXES):
        op.drop_index(name, table_name="transactions")
    with op.batch_alter_table("transactions") as batch:
        for name in ("batch_id_rank", "batch_time_rank"):
            batch.drop_column(name)
    with op.batch_alter_table("merchants") as batch:
        batch.drop_constraint(op.f("uq_merchants_gateway_id"), type_="unique")
        for column in reversed(_merchant_columns()):
            batch.drop_column(column.name)
        batch.drop_column("gateway_id")
