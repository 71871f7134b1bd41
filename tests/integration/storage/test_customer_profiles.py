"""Customer profiles: round trip, lookups, duplicates (NULL equals NULL), update, delete, cascade."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from strongroom.domain.customers import ProfileType
from strongroom.domain.errors import NotFound
from strongroom.services.ports import ProfileRow, RefTaken
from strongroom.storage import SqlUnitOfWorkFactory
from strongroom.storage.tables import payment_profiles, shipping_addresses
from tests.integration.storage import builders
from tests.integration.storage.builders import ADA, NOW, card_row, later, new_profile_ref
from tests.integration.storage.conftest import Tenants


def add_profile(
    uow_factory: SqlUnitOfWorkFactory,
    container_key: int,
    merchant_customer_id: str | None = "cust-1",
    description: str | None = "first",
    email: str | None = "ada@example.com",
    profile_type: ProfileType = ProfileType.REGULAR,
) -> str:
    return builders.add_profile(
        uow_factory, container_key, merchant_customer_id, description, email, profile_type
    )


def test_add_profile_stores_the_row_under_the_chosen_ref(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    ref = add_profile(uow_factory, tenants.alice.container_key, profile_type=ProfileType.GUEST)

    with uow_factory(write=False) as uow:
        row = uow.profiles.profile(tenants.alice.container_key, ref)
    assert row == ProfileRow(
        ref=ref,
        merchant_customer_id="cust-1",
        description="first",
        email="ada@example.com",
        profile_type=ProfileType.GUEST,
        created_at=NOW,
    )


def test_a_taken_ref_raises_ref_taken_and_the_unit_stays_usable(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    taken = add_profile(uow_factory, tenants.alice.container_key)
    fresh = new_profile_ref()

    with uow_factory() as uow:
        for container in (tenants.alice.container_key, tenants.bob.container_key):
            with pytest.raises(RefTaken):
                uow.profiles.add_profile(container, taken, "x", None, None, ProfileType.REGULAR, NOW)
        uow.profiles.add_profile(tenants.bob.container_key, fresh, "x", None, None, ProfileType.REGULAR, NOW)
        uow.commit()

    with uow_factory(write=False) as uow:
        assert list(uow.profiles.profile_refs(tenants.bob.container_key)) == [fresh]
        original = uow.profiles.profile(tenants.alice.container_key, taken)
    assert original is not None
    assert original.merchant_customer_id == "cust-1"


def test_lookups_by_merchant_customer_id_and_email(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    container = tenants.alice.container_key
    first = add_profile(uow_factory, container, "cust-1", "a", "one@example.com")
    add_profile(uow_factory, container, "cust-2", "b", "two@example.com")

    with uow_factory(write=False) as uow:
        by_id = uow.profiles.profile_by_merchant_customer_id(container, "cust-1")
        by_email = uow.profiles.profile_by_email(container, "one@example.com")
        assert uow.profiles.profile_by_merchant_customer_id(container, "cust-9") is None
        assert uow.profiles.profile_by_email(container, "nine@example.com") is None
    assert by_id is not None
    assert by_id.ref == first
    assert by_email == by_id


def test_profile_refs_lists_the_container_in_creation_order(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    refs = [add_profile(uow_factory, tenants.alice.container_key, f"cust-{n}") for n in range(3)]
    add_profile(uow_factory, tenants.bob.container_key)

    with uow_factory(write=False) as uow:
        assert list(uow.profiles.profile_refs(tenants.alice.container_key)) == refs


def test_duplicate_profile_compares_all_three_fields_with_null_equal_null(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    container = tenants.alice.container_key
    ref = add_profile(uow_factory, container, "cust-1", None, "ada@example.com")

    with uow_factory(write=False) as uow:
        profiles = uow.profiles
        assert profiles.duplicate_profile(container, "cust-1", None, "ada@example.com") == ref
        assert profiles.duplicate_profile(container, "cust-1", "x", "ada@example.com") is None
        assert profiles.duplicate_profile(container, "cust-1", None, None) is None
        assert profiles.duplicate_profile(container, "cust-2", None, "ada@example.com") is None
        assert (
            profiles.duplicate_profile(container, "cust-1", None, "ada@example.com", excluding_ref=ref)
            is None
        )


def test_update_profile_overwrites_fields_and_keeps_type_when_none(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    container = tenants.alice.container_key
    ref = add_profile(uow_factory, container, profile_type=ProfileType.GUEST)

    with uow_factory() as uow:
        uow.profiles.update_profile(container, ref, "cust-9", None, "new@example.com", None)
        uow.commit()
    with uow_factory(write=False) as uow:
        row = uow.profiles.profile(container, ref)
    assert row == ProfileRow(ref, "cust-9", None, "new@example.com", ProfileType.GUEST, NOW)

    with uow_factory() as uow:
        uow.profiles.update_profile(container, ref, "cust-9", None, None, ProfileType.REGULAR)
        uow.commit()
    with uow_factory(write=False) as uow:
        updated = uow.profiles.profile(container, ref)
    assert updated is not None
    assert updated.profile_type is ProfileType.REGULAR


def test_update_of_an_unknown_profile_is_not_found(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    with uow_factory() as uow, pytest.raises(NotFound):
        uow.profiles.update_profile(tenants.alice.container_key, "1234567890", None, None, None, None)


def test_delete_profile_cascades_to_payment_profiles_and_addresses(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants, engine: Engine
) -> None:
    container = tenants.alice.container_key
    ref = add_profile(uow_factory, container)
    kept = add_profile(uow_factory, container, "cust-2")
    with uow_factory() as uow:
        for profile_ref in (ref, kept):
            uow.profiles.add_payment_profile(container, card_row(profile_ref))
            uow.profiles.add_address(container, profile_ref, ADA, True, later(1))
        uow.commit()

    with uow_factory() as uow:
        assert uow.profiles.delete_profile(container, ref) is True
        assert uow.profiles.delete_profile(container, ref) is False
        uow.commit()

    with uow_factory(write=False) as uow:
        assert uow.profiles.profile(container, ref) is None
        assert len(uow.profiles.payment_profiles(container, kept)) == 1
        assert len(uow.profiles.addresses(container, kept)) == 1
    with engine.connect() as connection:
        for table in (payment_profiles, shipping_addresses):
            assert connection.scalar(select(func.count()).select_from(table)) == 1


def test_profile_with_lock_returns_the_row_in_a_write_unit(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    container = tenants.alice.container_key
    ref = add_profile(uow_factory, container)

    with uow_factory() as uow:
        uow.profiles.lock_container(container)
        locked = uow.profiles.profile(container, ref, lock=True)
        assert uow.profiles.profile(container, "1234567890", lock=True) is None
    assert locked is not None
    assert locked.ref == ref


def test_lock_container_of_an_unknown_container_is_not_found(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    with uow_factory() as uow, pytest.raises(NotFound):
        uow.profiles.lock_container(tenants.bob.container_key + 1000)


def test_another_tenant_cannot_see_update_or_delete_a_profile(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    ref = add_profile(uow_factory, tenants.alice.container_key)
    bob = tenants.bob.container_key

    with uow_factory() as uow:
        profiles = uow.profiles
        assert profiles.profile(bob, ref) is None
        assert profiles.profile(bob, ref, lock=True) is None
        assert profiles.profile_by_merchant_customer_id(bob, "cust-1") is None
        assert profiles.profile_by_email(bob, "ada@example.com") is None
        assert profiles.duplicate_profile(bob, "cust-1", "first", "ada@example.com") is None
        assert list(profiles.profile_refs(bob)) == []
        assert profiles.delete_profile(bob, ref) is False
        with pytest.raises(NotFound):
            profiles.update_profile(bob, ref, "stolen", None, None, None)
        uow.commit()

    with uow_factory(write=False) as uow:
        row = uow.profiles.profile(tenants.alice.container_key, ref)
    assert row is not None
    assert row.merchant_customer_id == "cust-1"
