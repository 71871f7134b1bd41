"""Payment transactions, always scoped by merchant; validations are stored as verifications.

Column names equal TransactionRecord's field names, so a row maps to a record field by field;
only kind, status and fraud_action change type (StrEnum values in the database), and
fraud_filters is kept as JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

from sqlalchemy import Connection, RowMapping, Select, select, update

from strongroom.domain.fraud import FraudAction
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.ports import TransactionRecord, TransactionRepository, ValidationRecord
from strongroom.storage.refs import RefSource, insert_with_ref, random_ref
from strongroom.storage.tables import (
    TRANSACTION_REF_DIGITS,
    customer_profiles,
    payment_profiles,
    profile_containers,
    transactions,
)

BANK_METHOD = "bank"
CARD_METHOD = "card"
ECHECK_ACCOUNT_TYPE = "eCheck"
ZERO: Final = Decimal("0.00")

_RECORD_FIELDS: Final = tuple(field.name for field in fields(TransactionRecord))
# What `update` writes: the moving parts of a transaction. Everything else (kind, amount,
# currency, account, duplicate key, references, order details, submitted_at) is fixed at `add`.
UPDATED_FIELDS: Final = (
    "status",
    "settle_amount",
    "refunded",
    "settled_at",
    "batch_ref",
    "updated_at",
    # The processor's latest answer, e.g. when a transaction held for review is authorised.
    "response_code",
    "reason_code",
    "auth_code",
    "avs_result",
    "card_code_result",
    "cavv_result",
    "network_trans_id",
    "processor_reference",
    # A prior-auth capture may re-submit the order (invoice, line items, tax...).
    "invoice_number",
    "description",
    "po_number",
    "details_json",
)


@dataclass(frozen=True, slots=True)
class _Account:
    """What a transaction shows of the account it ran on."""

    payment_method: str
    last4: str
    account_type: str
    fingerprint: str
    customer_profile_ref: str | None


class SqlTransactionRepository(TransactionRepository):
    """TransactionRepository on one unit of work's connection."""

    def __init__(self, connection: Connection, new_ref: RefSource = random_ref) -> None:
        self._connection = connection
        self._new_ref = new_ref

    def add_validation(self, record: ValidationRecord) -> str:
        """Store a validation as a voided verification, with the validated payment profile's
        account details when it is one of this merchant's."""
        account = self._validated_account(record.merchant_key, record.payment_profile_ref)
        return self.add(
            TransactionRecord(
                ref="",
                merchant_key=record.merchant_key,
                kind=TransactionKind.VERIFICATION,
                status=TransactionStatus.VOIDED,
                amount=record.amount.amount,
                currency=record.amount.currency,
                settle_amount=ZERO,
                refunded=ZERO,
                response_code=record.response_code,
                reason_code=record.reason_code,
                auth_code=record.auth_code,
                avs_result="",
                card_code_result="",
                cavv_result="",
                payment_method=account.payment_method,
                account_last4=account.last4,
                account_type=account.account_type,
                fingerprint=account.fingerprint,
                duplicate_key="",
                submitted_at=record.created_at,
                network_trans_id=record.network_trans_id,
                customer_profile_ref=account.customer_profile_ref,
                payment_profile_ref=record.payment_profile_ref,
            )
        )

    def _validated_account(self, merchant_key: int, payment_profile_ref: str) -> _Account:
        row = self._connection.execute(
            select(
                payment_profiles.c.kind,
                payment_profiles.c.last4,
                payment_profiles.c.card_brand,
                payment_profiles.c.fingerprint,
                customer_profiles.c.ref,
            )
            .join(customer_profiles, customer_profiles.c.key == payment_profiles.c.profile_key)
            .join(profile_containers, profile_containers.c.key == payment_profiles.c.container_key)
            .where(
                payment_profiles.c.ref == payment_profile_ref,
                profile_containers.c.owner_merchant_key == merchant_key,
            )
        ).first()
        if row is None:
            return _Account(CARD_METHOD, "", "", "", None)
        kind, last4, card_brand, fingerprint, profile_ref = row
        account_type = ECHECK_ACCOUNT_TYPE if kind == BANK_METHOD else card_brand or ""
        return _Account(kind, last4, account_type, fingerprint, profile_ref)

    def add(self, record: TransactionRecord) -> str:
        values = _values(record, _RECORD_FIELDS)
        del values["ref"]
        _, ref = insert_with_ref(
            self._connection, transactions, values, TRANSACTION_REF_DIGITS, self._new_ref
        )
        return ref

    def get(self, merchant_key: int, ref: str, *, lock: bool = False) -> TransactionRecord | None:
        """`lock=True` is SELECT ... FOR UPDATE (PostgreSQL; SQLite ignores it, its write units
        hold the database lock already). Use it in write units only."""
        query = _query().where(transactions.c.merchant_key == merchant_key, transactions.c.ref == ref)
        if lock:
            query = query.with_for_update()
        row = self._connection.execute(query).mappings().first()
        return _record(row) if row is not None else None

    def find_duplicate(
        self, merchant_key: int, duplicate_key: str, since: datetime
    ) -> TransactionRecord | None:
        query = (
            _query()
            .where(
                transactions.c.merchant_key == merchant_key,
                transactions.c.duplicate_key == duplicate_key,
                transactions.c.submitted_at >= since,
            )
            .order_by(transactions.c.submitted_at.desc(), transactions.c.key.desc())
            .limit(1)
        )
        row = self._connection.execute(query).mappings().first()
        return _record(row) if row is not None else None

    def update(self, record: TransactionRecord, expected_status: TransactionStatus) -> bool:
        """Compare-and-set: write UPDATED_FIELDS of `record` only if the row (found by merchant
        and ref) still has `expected_status`. The check is on status alone: writers that keep
        the status (a refund adding to `refunded`) must hold the row with get(lock=True)."""
        result = self._connection.execute(
            update(transactions)
            .where(
                transactions.c.merchant_key == record.merchant_key,
                transactions.c.ref == record.ref,
                transactions.c.status == expected_status.value,
            )
            .values(**_values(record, UPDATED_FIELDS))
        )
        return result.rowcount == 1

    def refunds_of(self, merchant_key: int, ref: str) -> Sequence[TransactionRecord]:
        """Every refund (any status, voided ones too) crediting `ref`, oldest first."""
        query = (
            _query()
            .where(
                transactions.c.merchant_key == merchant_key,
                transactions.c.ref_trans_ref == ref,
                transactions.c.kind == TransactionKind.REFUND.value,
            )
            .order_by(transactions.c.submitted_at, transactions.c.key)
        )
        return [_record(row) for row in self._connection.execute(query).mappings()]


def _query() -> Select[Any]:
    return select(*(transactions.c[name] for name in _RECORD_FIELDS))


def _values(record: TransactionRecord, names: Sequence[str]) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in names}
    for name in ("kind", "status", "fraud_action"):
        if values.get(name) is not None:
            values[name] = values[name].value
    if "fraud_filters" in values:
        fired = values["fraud_filters"]
        values["fraud_filters"] = (
            json.dumps([[name, action.value] for name, action in fired]) if fired else None
        )
    return values


def _record(row: RowMapping) -> TransactionRecord:
    values = {name: row[name] for name in _RECORD_FIELDS}
    values["kind"] = TransactionKind(values["kind"])
    values["status"] = TransactionStatus(values["status"])
    if values["fraud_action"] is not None:
        values["fraud_action"] = FraudAction(values["fraud_action"])
    values["fraud_filters"] = tuple(
        (name, FraudAction(action)) for name, action in json.loads(values["fraud_filters"] or "[]")
    )
    return TransactionRecord(**values)
