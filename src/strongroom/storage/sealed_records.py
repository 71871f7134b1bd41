"""SealedRecordStore: pages over every sealed blob (payment profiles, signature keys, transaction
instruments) for re-encryption."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, select, update

from strongroom.services.ports import SealedRecord
from strongroom.storage.engine import transaction
from strongroom.storage.tables import (
    customer_profiles,
    merchants,
    payment_profiles,
    profile_containers,
    transaction_instruments,
)


class SqlSealedRecordStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def page(self, kind: str, after_key: int, limit: int) -> Sequence[SealedRecord]:
        if kind == "payment_profile":
            return self._payment_profiles(after_key, limit)
        if kind == "merchant_signature_key":
            return self._signature_keys(after_key, limit)
        if kind == "transaction_instrument":
            return self._instruments(after_key, limit)
        raise ValueError(f"unknown sealed record kind {kind!r}")

    def _payment_profiles(self, after_key: int, limit: int) -> list[SealedRecord]:
        query = (
            select(
                payment_profiles.c.key,
                profile_containers.c.owner_merchant_key,
                customer_profiles.c.ref,
                payment_profiles.c.sealed,
            )
            .join(customer_profiles, customer_profiles.c.key == payment_profiles.c.profile_key)
            .join(profile_containers, profile_containers.c.key == payment_profiles.c.container_key)
            .where(payment_profiles.c.key > after_key)
            .order_by(payment_profiles.c.key)
            .limit(limit)
        )
        with transaction(self._engine, write=False) as connection:
            rows = connection.execute(query).all()
        return [
            SealedRecord("payment_profile", key, merchant_key, ref, blob)
            for key, merchant_key, ref, blob in rows
        ]

    def _signature_keys(self, after_key: int, limit: int) -> list[SealedRecord]:
        query = (
            select(merchants.c.key, merchants.c.sealed_signature_key)
            .where(merchants.c.key > after_key, merchants.c.sealed_signature_key.is_not(None))
            .order_by(merchants.c.key)
            .limit(limit)
        )
        with transaction(self._engine, write=False) as connection:
            rows = connection.execute(query).all()
        return [SealedRecord("merchant_signature_key", key, key, None, blob) for key, blob in rows]

    def _instruments(self, after_key: int, limit: int) -> list[SealedRecord]:
        table = transaction_instruments
        query = (
            select(table.c.key, table.c.merchant_key, table.c.ref, table.c.sealed)
            .where(table.c.key > after_key)
            .order_by(table.c.key)
            .limit(limit)
        )
        with transaction(self._engine, write=False) as connection:
            rows = connection.execute(query).all()
        return [
            SealedRecord("transaction_instrument", key, merchant_key, None, blob, ref)
            for key, merchant_key, ref, blob in rows
        ]

    def replace_blob(self, record: SealedRecord, blob: bytes) -> bool:
        table, column = {
            "payment_profile": (payment_profiles, payment_profiles.c.sealed),
            "transaction_instrument": (transaction_instruments, transaction_instruments.c.sealed),
        }.get(record.kind, (merchants, merchants.c.sealed_signature_key))
        statement = (
            update(table).where(table.c.key == record.key, column == record.blob).values({column.name: blob})
        )
        with transaction(self._engine, write=True) as connection:
            return connection.execute(statement).rowcount == 1
