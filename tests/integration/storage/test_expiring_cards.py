"""The expiring-cards list: cards of one container and month, ordered by ref, paged, counted."""

from __future__ import annotations

import pytest

from strongroom.domain.instruments import YearMonth
from strongroom.storage import SqlUnitOfWorkFactory
from tests.integration.storage.builders import MAY_2030, add_profile, bank_row, card_row
from tests.integration.storage.conftest import Tenants

MAY = MAY_2030


@pytest.fixture
def may_cards(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> list[str]:
    """Five of Alice's cards expire in May 2030 (over two profiles); the rest must not show."""
    alice, bob = tenants.alice.container_key, tenants.bob.container_key
    first, second = (add_profile(uow_factory, alice, f"c{n}") for n in (1, 2))
    bobs = add_profile(uow_factory, bob)
    with uow_factory() as uow:
        profiles = uow.profiles
        refs = [
            profiles.add_payment_profile(alice, card_row(profile, fingerprint=f"{n}"))
            for n, profile in enumerate((first, first, first, second, second))
        ]
        profiles.add_payment_profile(alice, card_row(first, expiry=YearMonth(2030, 6)))
        profiles.add_payment_profile(alice, bank_row(second))
        profiles.add_payment_profile(bob, card_row(bobs))
        uow.commit()
    return sorted(refs)


def page(
    uow_factory: SqlUnitOfWorkFactory,
    container_key: int,
    *,
    descending: bool = False,
    offset: int = 0,
    limit: int = 100,
) -> tuple[int, list[str]]:
    with uow_factory(write=False) as uow:
        total, rows = uow.profiles.payment_profiles_expiring(container_key, MAY, descending, offset, limit)
    assert all(row.kind == "card" and row.expiry == MAY for row in rows)
    return total, [row.ref for row in rows]


def test_lists_only_this_containers_cards_of_the_month_by_ref(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants, may_cards: list[str]
) -> None:
    assert page(uow_factory, tenants.alice.container_key) == (5, may_cards)


def test_descending_order(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants, may_cards: list[str]) -> None:
    assert page(uow_factory, tenants.alice.container_key, descending=True) == (5, may_cards[::-1])


def test_pages_with_offset_and_limit_keep_the_total(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants, may_cards: list[str]
) -> None:
    container = tenants.alice.container_key

    pages = [page(uow_factory, container, offset=offset, limit=2) for offset in (0, 2, 4, 6)]

    assert pages == [(5, may_cards[0:2]), (5, may_cards[2:4]), (5, may_cards[4:]), (5, [])]
    assert page(uow_factory, container, descending=True, offset=1, limit=3) == (5, may_cards[::-1][1:4])


def test_a_month_without_cards(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants, may_cards: list[str]
) -> None:
    with uow_factory(write=False) as uow:
        assert uow.profiles.payment_profiles_expiring(
            tenants.alice.container_key, YearMonth(2031, 1), False, 0, 10
        ) == (0, [])
