"""Split-tender orders and kept instruments in storage: fresh order ids, tenant isolation, status
changes under a row lock, the transactions of an order, and the retention purge."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from strongroom.domain.split_tenders import SplitTenderStatus
from strongroom.services.ports import SealedInstrumentRow, SplitTenderOrder
from strongroom.storage import SqlUnitOfWorkFactory
from strongroom.storage.split_tenders import SPLIT_TENDER_ID_DIGITS
from tests.integration.storage.builders import (
    NOW,
    add_transaction,
    charge_record,
    is_ref,
    later,
)
from tests.integration.storage.conftest import Tenants


def open_order(uow_factory: SqlUnitOfWorkFactory, merchant_key: int) -> str:
    with uow_factory() as uow:
        split_tender_id = uow.split_tenders.open(merchant_key, NOW)
        uow.commit()
    return split_tender_id


def test_an_order_opens_under_a_fresh_ten_digit_id(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    first = open_order(uow_factory, tenants.alice.key)
    second = open_order(uow_factory, tenants.alice.key)
    assert first != second
    assert is_ref(first, SPLIT_TENDER_ID_DIGITS)
    with uow_factory(write=False) as uow:
        assert uow.split_tenders.get(tenants.alice.key, first) == SplitTenderOrder(
            tenants.alice.key, first, SplitTenderStatus.OPEN, NOW
        )


def test_another_merchants_order_is_invisible(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    split_tender_id = open_order(uow_factory, tenants.alice.key)
    with uow_factory() as uow:
        assert uow.split_tenders.get(tenants.bob.key, split_tender_id) is None
        uow.split_tenders.set_status(tenants.bob.key, split_tender_id, SplitTenderStatus.VOIDED, later(1))
        uow.commit()
    with uow_factory(write=False) as uow:
        order = uow.split_tenders.get(tenants.alice.key, split_tender_id)
    assert order is not None
    assert order.status is SplitTenderStatus.OPEN


def test_a_status_change_is_stored_with_its_time(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    split_tender_id = open_order(uow_factory, tenants.alice.key)
    with uow_factory() as uow:
        locked = uow.split_tenders.get(tenants.alice.key, split_tender_id, lock=True)
        assert locked is not None
        uow.split_tenders.set_status(
            tenants.alice.key, split_tender_id, SplitTenderStatus.COMPLETED, later(60)
        )
        uow.commit()
    with uow_factory() as uow:
        uow.split_tenders.set_status(tenants.alice.key, split_tender_id, SplitTenderStatus.VOIDED, later(120))
        # not committed: rolled back
    with uow_factory(write=False) as uow:
        assert uow.split_tenders.get(tenants.alice.key, split_tender_id) == SplitTenderOrder(
            tenants.alice.key, split_tender_id, SplitTenderStatus.COMPLETED, NOW, later(60)
        )


def test_the_group_lists_the_orders_transactions_oldest_first(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    split_tender_id = open_order(uow_factory, tenants.alice.key)
    in_order = replace(charge_record(tenants.alice.key), split_tender_id=split_tender_id)
    second = add_transaction(uow_factory, replace(in_order, submitted_at=later(5)))
    first = add_transaction(uow_factory, in_order)
    add_transaction(uow_factory, charge_record(tenants.alice.key))
    add_transaction(uow_factory, replace(charge_record(tenants.bob.key), split_tender_id=split_tender_id))
    with uow_factory(write=False) as uow:
        assert list(uow.split_tenders.group(tenants.alice.key, split_tender_id)) == [first, second]


def test_the_purge_deletes_instruments_kept_before_the_limit(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    def keep(ref: str, transaction_ref: str, kept_at: int) -> None:
        with uow_factory() as uow:
            uow.instruments.add(
                SealedInstrumentRow(
                    ref, tenants.alice.key, transaction_ref, "card", b"sealed", later(kept_at)
                )
            )
            uow.commit()

    keep("a" * 32, "10000000001", 0)
    keep("b" * 32, "10000000002", 10)
    keep("c" * 32, "10000000003", 11)
    with uow_factory() as uow:
        assert uow.instruments.purge(later(11), frozenset()) == 2
        uow.commit()
    with uow_factory() as uow:
        assert uow.instruments.purge(later(11), frozenset()) == 0
        assert uow.instruments.get(tenants.alice.key, "10000000002") is None
        kept = uow.instruments.get(tenants.alice.key, "10000000003")
    assert kept is not None
    assert kept.created_at == NOW + timedelta(seconds=11)
