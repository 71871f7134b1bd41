"""Transactions; for now only the validation authorisations of payment profiles."""

from __future__ import annotations

from sqlalchemy import Connection

from strongroom.services.ports import ValidationRecord
from strongroom.storage.refs import RefSource, insert_with_ref, random_ref
from strongroom.storage.tables import TRANSACTION_REF_DIGITS, transactions

VALIDATION_KIND = "validation"
VOIDED_STATUS = "voided"


class SqlTransactionRepository:
    """TransactionRepository on one unit of work's connection."""

    def __init__(self, connection: Connection, new_ref: RefSource = random_ref) -> None:
        self._connection = connection
        self._new_ref = new_ref

    def add_validation(self, record: ValidationRecord) -> str:
        values = {
            "merchant_key": record.merchant_key, "kind": VALIDATION_KIND,
            "payment_profile_ref": record.payment_profile_ref,
            "amount": record.amount.amount, "currency": record.amount.currency,
            "response_code": record.response_code, "reason_code": record.reason_code,
            "auth_code": record.auth_code, "network_trans_id": record.network_trans_id,
            "status": VOIDED_STATUS, "created_at": record.created_at,
        }
        _, ref = insert_with_ref(self._connection, transactions, values, TRANSACTION_REF_DIGITS,
                                 self._new_ref)
        return ref
