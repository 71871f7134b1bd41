"""Revision 0004: the transactions table holds every payment transaction, not only validations.

Adds every TransactionRecord field, renames created_at to submitted_at, turns the stored
validations into kind "verification" (status stays "voided") with their account details copied
from the payment profile, and indexes the duplicate-window, status, batch and refund lookups.
Downgrade keeps every row and drops what 0003 did not have.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLE = "transactions"

# New NOT NULL columns, with the value rows already there get (the default is dropped again:
# the application always writes them).
FILLED_COLUMNS: list[tuple[str, sa.types.TypeEngine[Any], str]] = [
    # Money as integer minor units (cents), never a float: see storage.column_types.MinorUnits.
    ("settle_amount", sa.BigInteger(), "0"),
    ("refunded", sa.BigInteger(), "0"),
    ("avs_result", sa.String(length=1), "''"),
    ("card_code_result", sa.String(length=1), "''"),
    ("cavv_result", sa.String(length=1), "''"),
    ("payment_method", sa.String(length=8), "'card'"),
    ("account_last4", sa.String(length=4), "''"),
    ("account_type", sa.String(length=32), "''"),
    ("fingerprint", sa.String(length=128), "''"),
    ("duplicate_key", sa.String(length=128), "''"),
    ("processor_reference", sa.String(length=255), "''"),
    ("details_json", sa.Text(), "'{}'"),
]

NULLABLE_COLUMNS: list[tuple[str, sa.types.TypeEngine[Any]]] = [
    ("original_network_trans_id", sa.String(length=255)),
    ("original_auth_amount", sa.BigInteger()),
    ("ref_trans_ref", sa.String(length=11)),
    ("split_tender_id", sa.String(length=32)),
    ("customer_profile_ref", sa.String(length=10)),
    ("shipping_address_ref", sa.String(length=9)),
    ("invoice_number", sa.String(length=20)),
    ("description", sa.String(length=255)),
    ("po_number", sa.String(length=25)),
    ("card_on_file", sa.String(length=32)),
    ("settled_at", sa.DateTime(timezone=True)),
    ("batch_ref", sa.String(length=32)),
    ("updated_at", sa.DateTime(timezone=True)),
]

INDEXES: list[list[str]] = [
    ["merchant_key", "submitted_at"],
    ["merchant_key", "duplicate_key", "submitted_at"],
    ["merchant_key", "status"],
    ["batch_ref"],
    ["ref_trans_ref"],
]

# Validations stored by 0003 become verifications; their account details come from the payment
# profile they validated (refs are unique across merchants, so the ref alone finds it).
BACKFILL_VERIFICATIONS = """
UPDATE transactions SET
    kind = 'verification',
    payment_method = COALESCE((SELECT p.kind FROM payment_profiles AS p
                               WHERE p.ref = transactions.payment_profile_ref), 'card'),
    account_last4 = COALESCE((SELECT p.last4 FROM payment_profiles AS p
                              WHERE p.ref = transactions.payment_profile_ref), ''),
    account_type = COALESCE((SELECT CASE WHEN p.kind = 'bank' THEN 'eCheck' ELSE p.card_brand END
                             FROM payment_profiles AS p
                             WHERE p.ref = transactions.payment_profile_ref), ''),
    fingerprint = COALESCE((SELECT p.fingerprint FROM payment_profiles AS p
                            WHERE p.ref = transactions.payment_profile_ref), ''),
    customer_profile_ref = (SELECT c.ref FROM payment_profiles AS p
                            JOIN customer_profiles AS c ON c.key = p.profile_key
                            WHERE p.ref = transactions.payment_profile_ref)
WHERE kind = 'validation'
"""


def _index_name(columns: list[str]) -> str:
    return op.f(f"ix_{TABLE}_" + "_".join(columns))


def upgrade() -> None:
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_index(_index_name(["merchant_key", "created_at"]))
        batch.alter_column(
            "created_at",
            new_column_name="submitted_at",
            existing_type=sa.DateTime(timezone=True),
            existing_nullable=False,
        )
        for name, type_, fill in FILLED_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=False, server_default=sa.text(fill)))
        for name, type_ in NULLABLE_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
    op.execute(BACKFILL_VERIFICATIONS)
    with op.batch_alter_table(TABLE) as batch:
        for name, type_, _fill in FILLED_COLUMNS:
            batch.alter_column(name, server_default=None, existing_type=type_, existing_nullable=False)
    for columns in INDEXES:
        op.create_index(_index_name(columns), TABLE, columns)


def downgrade() -> None:
    for columns in reversed(INDEXES):
        op.drop_index(_index_name(columns), table_name=TABLE)
    # Every row survives: 0003's columns are all filled for every kind.
    op.execute("UPDATE transactions SET kind = 'validation' WHERE kind = 'verification'")
    with op.batch_alter_table(TABLE) as batch:
        for name, _type in reversed(NULLABLE_COLUMNS):
            batch.drop_column(name)
        for name, _type, _fill in reversed(FILLED_COLUMNS):
            batch.drop_column(name)
        batch.alter_column(
            "submitted_at",
            new_column_name="created_at",
            existing_type=sa.DateTime(timezone=True),
            existing_nullable=False,
        )
    op.create_index(_index_name(["merchant_key", "created_at"]), TABLE, ["merchant_key", "created_at"])
