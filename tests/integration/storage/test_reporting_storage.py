"""Reporting storage on both engines: batch positions and pages read from them, transactions in
no batch yet, a customer's transactions, tenancy, and merchant details."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from strongroom.domain.customers import Address
from strongroom.domain.merchants import MerchantContact
from strongroom.domain.transactions import TransactionStatus
from strongroom.services.ports import PageRequest, TransactionSort
from strongroom.storage import SqlUnitOfWorkFactory
from tests.integration.storage.builders import add_transaction, charge_record, later
from tests.integration.storage.conftest import Tenants

S = TransactionStatus
CUTOFF = datetime(2025, 3, 14, 23, 0, tzinfo=UTC)


def batch_of(
    uow_factory: SqlUnitOfWorkFactory,
    merchant_key: int,
    count: int,
    status: S = S.CAPTURED_PENDING_SETTLEMENT,
) -> tuple[str, list[str]]:
    """A batch with `count` transactions submitted a second apart (in reverse insertion order,
    so time order differs from insertion order), numbered; (batch ref, refs by time)."""
    refs = [
        add_transaction(
            uow_factory,
            charge_record(
                merchant_key, status=status, submitted_at=later(count - number), duplicate_key=str(number)
            ),
        )
        for number in range(count)
    ]
    with uow_factory() as uow:
        batch = uow.batches.open(merchant_key, "card", CUTOFF, "America/Los_Angeles", CUTOFF)
        for ref in refs:
            record = uow.transactions.get(merchant_key, ref)
            assert record is not None
            assert uow.transactions.update(replace(record, batch_ref=batch), record.status)
        assert uow.batches.number(batch) == count
        uow.commit()
    return batch, refs[::-1]


def page_refs(
    uow_factory: SqlUnitOfWorkFactory, merchant_key: int, batch: str, page: PageRequest
) -> tuple[int, list[str]]:
    with uow_factory(write=False) as uow:
        found = uow.reporting.batch_transactions(merchant_key, batch, page)
    return found.total, [record.ref for record in found.records]


@pytest.mark.parametrize("sort", list(TransactionSort))
@pytest.mark.parametrize("descending", [False, True])
def test_batch_pages_follow_the_positions_given_at_closing(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants, sort: TransactionSort, descending: bool
) -> None:
    batch, by_time = batch_of(uow_factory, tenants.alice.key, 7)
    expected = sorted(by_time) if sort is TransactionSort.ID else by_time
    if descending:
        expected = expected[::-1]

    pages = [
        page_refs(uow_factory, tenants.alice.key, batch, PageRequest(sort, descending, 3, number))
        for number in (1, 2, 3, 4)
    ]

    assert pages == [(7, expected[:3]), (7, expected[3:6]), (7, expected[6:]), (7, [])]


def test_another_merchants_batch_lists_nothing(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    batch, _ = batch_of(uow_factory, tenants.alice.key, 2)

    assert page_refs(uow_factory, tenants.bob.key, batch, PageRequest()) == (0, [])
    assert page_refs(uow_factory, tenants.alice.key, "99999999", PageRequest()) == (0, [])


def test_numbering_again_gives_the_same_positions(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    batch, by_time = batch_of(uow_factory, tenants.alice.key, 4)
    with uow_factory() as uow:
        assert uow.batches.number(batch) == 4
        uow.commit()

    assert page_refs(uow_factory, tenants.alice.key, batch, PageRequest()) == (4, by_time)


def test_unbatched_lists_only_transactions_in_no_batch(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    alice = tenants.alice.key
    batch_of(uow_factory, alice, 2)
    pending = [
        add_transaction(
            uow_factory, charge_record(alice, submitted_at=later(100 + number), duplicate_key=f"p{number}")
        )
        for number in range(3)
    ]
    add_transaction(uow_factory, charge_record(alice, status=S.EXPIRED, duplicate_key="x"))
    add_transaction(uow_factory, charge_record(tenants.bob.key, duplicate_key="bob"))
    statuses = frozenset({S.AUTHORIZED_PENDING_CAPTURE, S.CAPTURED_PENDING_SETTLEMENT})

    with uow_factory(write=False) as uow:
        newest_first = uow.reporting.unbatched(alice, statuses, PageRequest(descending=True))
        second_page = uow.reporting.unbatched(alice, statuses, PageRequest(size=2, number=2))
        beyond = uow.reporting.unbatched(alice, statuses, PageRequest(size=2, number=3))

    assert [record.ref for record in newest_first.records] == pending[::-1]
    assert newest_first.total == 3
    assert ([record.ref for record in second_page.records], second_page.total) == ([pending[2]], 3)
    assert (beyond.records, beyond.total) == ((), 3)


def test_a_customers_transactions_by_profile_and_payment_profile(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    alice = tenants.alice.key
    paid = [
        add_transaction(
            uow_factory,
            replace(
                charge_record(alice, submitted_at=later(number), duplicate_key=str(number)),
                customer_profile_ref="1000000001",
                payment_profile_ref=payment_profile,
            ),
        )
        for number, payment_profile in enumerate(("2000000001", "2000000002", "2000000001"))
    ]
    add_transaction(uow_factory, replace(charge_record(tenants.bob.key), customer_profile_ref="1000000001"))

    with uow_factory(write=False) as uow:
        everything = uow.reporting.of_customer(alice, "1000000001", None, PageRequest())
        one_card = uow.reporting.of_customer(
            alice, "1000000001", "2000000001", PageRequest(TransactionSort.SUBMITTED, True)
        )

    assert [record.ref for record in everything.records] == paid
    assert [record.ref for record in one_card.records] == [paid[2], paid[0]]


def test_merchant_details_start_empty_and_are_replaced(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    business = Address(company="Analytical", city="London", phone_number="020-1111")
    contact = MerchantContact("ada@example.com", "Ada", "Lovelace")
    with uow_factory() as uow:
        fresh = uow.merchants.details(tenants.alice.key)
        uow.merchants.set_details(tenants.alice.key, business, contact)
        uow.commit()
    with uow_factory(write=False) as uow:
        alice = uow.merchants.details(tenants.alice.key)
        bob = uow.merchants.details(tenants.bob.key)

    assert fresh is not None
    assert alice is not None
    assert bob is not None
    assert (fresh.business, fresh.contact) == (Address(), MerchantContact())
    assert (alice.business, alice.contact) == (business, contact)
    assert alice.gateway_id == fresh.gateway_id != bob.gateway_id
    assert (bob.business, bob.contact) == (Address(), MerchantContact())
