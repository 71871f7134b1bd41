"""Reading and arranging what the live server stored, straight through storage: transaction
rows, outbox rows, kept instruments, and settlement of a transaction (which the door has no
call for)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

from sqlalchemy import delete, func, select

from strongroom.domain.transactions import TransactionStatus
from strongroom.services.ports import OutboxMessage, TransactionRecord, UnitOfWork
from strongroom.storage import SqlUnitOfWorkFactory, create_engine_for
from strongroom.storage.engine import transaction
from strongroom.storage.tables import (
    customer_profiles,
    metadata,
    payment_profiles,
    profile_containers,
    transaction_instruments,
)
from strongroom.storage.tables import outbox as outbox_table
from tests.api.live_server import LiveServer
from tests.api.raw import merchant_of
from tests.api.sdk import ApiMerchant


@contextmanager
def unit(server: LiveServer, *, write: bool = False) -> Iterator[UnitOfWork]:
    engine = create_engine_for(server.settings.database_url)
    try:
        with SqlUnitOfWorkFactory(engine)(write=write) as uow:
            yield uow
            if write:
                uow.commit()
    finally:
        engine.dispose()


def transaction_row(server: LiveServer, merchant: ApiMerchant, trans_id: str) -> TransactionRecord:
    """The transaction as stored (no expiry view)."""
    with unit(server) as uow:
        record = uow.transactions.get(merchant_of(server, merchant).key, trans_id)
    assert record is not None, trans_id
    return record


def outbox(server: LiveServer, merchant: ApiMerchant, trans_id: str) -> Sequence[OutboxMessage]:
    with unit(server) as uow:
        return uow.outbox.of_transaction(merchant_of(server, merchant).key, trans_id)


def outbox_size(server: LiveServer, merchant: ApiMerchant) -> int:
    """How many messages the merchant has in the outbox, about any transaction or none."""
    key = merchant_of(server, merchant).key
    engine = create_engine_for(server.settings.database_url)
    try:
        with transaction(engine, write=False) as connection:
            return int(
                connection.scalar(
                    select(func.count()).select_from(outbox_table).where(outbox_table.c.merchant_key == key)
                )
                or 0
            )
    finally:
        engine.dispose()


def merchant_row_counts(server: LiveServer, merchant: ApiMerchant) -> dict[str, int]:
    """How many rows each merchant-keyed table holds for the merchant (data keys included), and
    the customer and payment profiles in the containers it owns."""
    key = merchant_of(server, merchant).key
    keyed = [table for table in metadata.sorted_tables if "merchant_key" in table.c]
    owned = select(profile_containers.c.key).where(profile_containers.c.owner_merchant_key == key)
    engine = create_engine_for(server.settings.database_url)
    try:
        with transaction(engine, write=False) as connection:
            counts = {
                table.name: connection.scalar(
                    select(func.count()).select_from(table).where(table.c.merchant_key == key)
                )
                for table in keyed
            }
            for table in (customer_profiles, payment_profiles):
                counts[table.name] = connection.scalar(
                    select(func.count()).select_from(table).where(table.c.container_key.in_(owned))
                )
            return {name: int(count or 0) for name, count in counts.items()}
    finally:
        engine.dispose()


def has_instrument(server: LiveServer, merchant: ApiMerchant, trans_id: str) -> bool:
    with unit(server) as uow:
        return uow.instruments.get(merchant_of(server, merchant).key, trans_id) is not None


def forget_instrument(server: LiveServer, trans_id: str) -> None:
    """As for a transaction stored before instruments were kept."""
    engine = create_engine_for(server.settings.database_url)
    try:
        with transaction(engine, write=True) as connection:
            connection.execute(
                delete(transaction_instruments).where(transaction_instruments.c.transaction_ref == trans_id)
            )
    finally:
        engine.dispose()


def settle(server: LiveServer, merchant: ApiMerchant, trans_id: str) -> None:
    """What a settlement batch does to one transaction, at the server clock's present."""
    key = merchant_of(server, merchant).key
    now = server.clock.now()
    with unit(server, write=True) as uow:
        record = uow.transactions.get(key, trans_id, lock=True)
        assert record is not None
        settled = replace(
            record, status=TransactionStatus.SETTLED, settled_at=now, batch_ref="1000001", updated_at=now
        )
        assert uow.transactions.update(settled, expected_status=record.status)
