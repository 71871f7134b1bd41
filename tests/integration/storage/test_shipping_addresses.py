"""Shipping addresses: round trip, order, replace, delete, duplicates, defaults, isolation."""

from __future__ import annotations

from dataclasses import replace

import pytest

from strongroom.domain.customers import Address
from strongroom.domain.errors import NotFound
from strongroom.services.ports import AddressRow
from strongroom.storage import SqlUnitOfWorkFactory
from tests.integration.storage.builders import ADA, NOW, add_profile, is_ref, later
from tests.integration.storage.conftest import Tenants

GRACE = Address(
    first_name="Grace", last_name="Hopper", address="1 Navy Way", zip="20001", phone_number="555-0100"
)


def add(
    uow_factory: SqlUnitOfWorkFactory,
    container_key: int,
    profile_ref: str,
    address: Address = ADA,
    is_default: bool = False,
    seconds: int = 0,
) -> str:
    with uow_factory() as uow:
        ref = uow.profiles.add_address(container_key, profile_ref, address, is_default, later(seconds))
        uow.commit()
    return ref


def test_address_round_trip(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)

    ref = add(uow_factory, container, profile_ref, ADA, is_default=True)

    assert is_ref(ref, 9)
    with uow_factory(write=False) as uow:
        row = uow.profiles.address(container, profile_ref, ref)
    assert row == AddressRow(ref=ref, profile_ref=profile_ref, address=ADA, is_default=True, created_at=NOW)


def test_addresses_are_listed_oldest_first(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    newer = add(uow_factory, container, profile_ref, GRACE, seconds=9)
    older = add(uow_factory, container, profile_ref, ADA, seconds=3)
    add(uow_factory, container, add_profile(uow_factory, container))

    with uow_factory(write=False) as uow:
        rows = uow.profiles.addresses(container, profile_ref)
    assert [(row.ref, row.address) for row in rows] == [(older, ADA), (newer, GRACE)]


def test_add_to_a_missing_profile_is_not_found(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    with uow_factory() as uow, pytest.raises(NotFound):
        uow.profiles.add_address(tenants.alice.container_key, "1234567890", ADA, False, NOW)


def test_replace_address(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    ref = add(uow_factory, container, profile_ref, ADA)
    changed = AddressRow(
        ref=ref, profile_ref=profile_ref, address=GRACE, is_default=True, created_at=later(100)
    )

    with uow_factory() as uow:
        uow.profiles.replace_address(container, changed)
        uow.commit()

    with uow_factory(write=False) as uow:
        assert uow.profiles.address(container, profile_ref, ref) == replace(changed, created_at=NOW)
    with uow_factory() as uow, pytest.raises(NotFound):
        uow.profiles.replace_address(container, replace(changed, ref="123456789"))


def test_delete_address(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    ref = add(uow_factory, container, profile_ref, ADA)
    kept = add(uow_factory, container, profile_ref, GRACE)

    with uow_factory() as uow:
        assert uow.profiles.delete_address(container, profile_ref, ref) is True
        assert uow.profiles.delete_address(container, profile_ref, ref) is False
        uow.commit()

    with uow_factory(write=False) as uow:
        assert [row.ref for row in uow.profiles.addresses(container, profile_ref)] == [kept]


def test_duplicate_address_compares_names_address_zip_and_phone(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    other_profile = add_profile(uow_factory, container)
    ref = add(uow_factory, container, profile_ref, GRACE)

    with uow_factory(write=False) as uow:

        def duplicate(
            address: Address, profile: str = profile_ref, excluding: str | None = None
        ) -> str | None:
            return uow.profiles.duplicate_address(container, profile, address, excluding)

        assert duplicate(GRACE) == ref
        assert duplicate(replace(GRACE, city="Arlington", company="USN", email="g@x")) == ref
        for field in ("first_name", "last_name", "address", "zip", "phone_number"):
            assert duplicate(replace(GRACE, **{field: "other"})) is None
            assert duplicate(replace(GRACE, **{field: None})) is None
        assert duplicate(GRACE, profile=other_profile) is None
        assert duplicate(GRACE, excluding=ref) is None


def test_duplicate_address_treats_null_as_equal_to_null(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    ref = add(uow_factory, container, profile_ref, Address(first_name="Grace", city="Paris"))

    with uow_factory(write=False) as uow:
        assert uow.profiles.duplicate_address(container, profile_ref, Address(first_name="Grace")) == ref


def test_clear_default_address(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    other_profile = add_profile(uow_factory, container)
    add(uow_factory, container, profile_ref, ADA, is_default=True)
    other = add(uow_factory, container, other_profile, ADA, is_default=True)

    with uow_factory() as uow:
        uow.profiles.clear_default_address(container, profile_ref)
        uow.commit()

    with uow_factory(write=False) as uow:
        assert not any(row.is_default for row in uow.profiles.addresses(container, profile_ref))
        untouched = uow.profiles.address(container, other_profile, other)
    assert untouched is not None
    assert untouched.is_default is True


def test_another_tenant_cannot_reach_addresses(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    alice, bob = tenants.alice.container_key, tenants.bob.container_key
    profile_ref = add_profile(uow_factory, alice)
    ref = add(uow_factory, alice, profile_ref, GRACE, is_default=True)
    original = AddressRow(ref, profile_ref, GRACE, True, NOW)

    with uow_factory() as uow:
        profiles = uow.profiles
        assert list(profiles.addresses(bob, profile_ref)) == []
        assert profiles.address(bob, profile_ref, ref) is None
        assert profiles.duplicate_address(bob, profile_ref, GRACE) is None
        assert profiles.delete_address(bob, profile_ref, ref) is False
        profiles.clear_default_address(bob, profile_ref)
        with pytest.raises(NotFound):
            profiles.add_address(bob, profile_ref, ADA, False, NOW)
        with pytest.raises(NotFound):
            profiles.replace_address(bob, replace(original, address=ADA))
        uow.commit()

    with uow_factory(write=False) as uow:
        assert uow.profiles.address(alice, profile_ref, ref) == original
