"""Payment profiles: round trip, order, replace, delete, duplicates, defaults, tenant isolation."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from strongroom.domain.customers import Address
from strongroom.domain.errors import NotFound
from strongroom.domain.instruments import YearMonth
from strongroom.services.ports import PaymentProfileRow
from strongroom.storage import SqlUnitOfWorkFactory
from tests.integration.storage.builders import (
    ADA,
    NOW,
    add_profile,
    bank_row,
    card_row,
    is_ref,
    later,
)
from tests.integration.storage.conftest import Tenants


def add(uow_factory: SqlUnitOfWorkFactory, container_key: int, row: PaymentProfileRow) -> str:
    with uow_factory() as uow:
        ref = uow.profiles.add_payment_profile(container_key, row)
        uow.commit()
    return ref


def stored(
    uow_factory: SqlUnitOfWorkFactory, container_key: int, profile_ref: str, ref: str
) -> PaymentProfileRow | None:
    with uow_factory(write=False) as uow:
        return uow.profiles.payment_profile(container_key, profile_ref, ref)


@pytest.mark.parametrize(
    "row_of",
    [
        card_row,
        bank_row,
        lambda profile_ref: card_row(profile_ref, bill_to=Address()),
        lambda profile_ref: card_row(profile_ref, bill_to=None, expiry=None),
    ],
    ids=["card", "bank", "empty-bill-to", "no-bill-to"],
)
def test_payment_profile_round_trip(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants, row_of: object
) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    row: PaymentProfileRow = row_of(profile_ref)  # type: ignore[operator]

    ref = add(uow_factory, container, row)

    assert is_ref(ref, 10)
    assert stored(uow_factory, container, profile_ref, ref) == replace(row, ref=ref)


def test_money_keeps_every_digit(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    ref = add(uow_factory, container, card_row(profile_ref))

    row = stored(uow_factory, container, profile_ref, ref)

    assert row is not None
    assert row.original_auth_amount is not None
    assert row.original_auth_amount == Decimal("1234567890123.45")
    assert row.original_auth_amount.as_tuple().exponent == -2


def test_payment_profiles_are_listed_oldest_first(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    newer = add(uow_factory, container, card_row(profile_ref, fingerprint="b", created_at=later(5)))
    older = add(uow_factory, container, card_row(profile_ref, fingerprint="a", created_at=later(1)))
    other_profile = add_profile(uow_factory, container)
    add(uow_factory, container, card_row(other_profile))

    with uow_factory(write=False) as uow:
        refs = [row.ref for row in uow.profiles.payment_profiles(container, profile_ref)]
    assert refs == [older, newer]


def test_add_to_a_missing_profile_is_not_found(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    with uow_factory() as uow, pytest.raises(NotFound):
        uow.profiles.add_payment_profile(tenants.alice.container_key, card_row("1234567890"))


def test_replace_overwrites_the_content_but_not_the_creation_time(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    ref = add(uow_factory, container, card_row(profile_ref))
    changed = replace(bank_row(profile_ref, created_at=later(60)), ref=ref, is_default=True)

    with uow_factory() as uow:
        uow.profiles.replace_payment_profile(container, changed)
        uow.commit()

    assert stored(uow_factory, container, profile_ref, ref) == replace(changed, created_at=NOW)


def test_replace_of_a_missing_payment_profile_is_not_found(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    with uow_factory() as uow, pytest.raises(NotFound):
        uow.profiles.replace_payment_profile(container, replace(card_row(profile_ref), ref="1234567890"))


def test_delete_payment_profile(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    ref = add(uow_factory, container, card_row(profile_ref))
    kept = add(uow_factory, container, card_row(profile_ref, fingerprint="other"))

    with uow_factory() as uow:
        assert uow.profiles.delete_payment_profile(container, profile_ref, ref) is True
        assert uow.profiles.delete_payment_profile(container, profile_ref, ref) is False
        uow.commit()

    with uow_factory(write=False) as uow:
        assert [row.ref for row in uow.profiles.payment_profiles(container, profile_ref)] == [kept]


def test_duplicate_needs_same_fingerprint_and_billing_identity(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    other_profile = add_profile(uow_factory, container)
    ref = add(uow_factory, container, card_row(profile_ref, fingerprint="fp"))

    with uow_factory(write=False) as uow:

        def duplicate(
            bill_to: Address | None,
            fingerprint: str = "fp",
            profile: str = profile_ref,
            excluding: str | None = None,
        ) -> str | None:
            return uow.profiles.duplicate_payment_profile(container, profile, fingerprint, bill_to, excluding)

        assert duplicate(ADA) == ref
        assert duplicate(replace(ADA, city="Paris", phone_number=None, company=None)) == ref
        assert duplicate(ADA, fingerprint="other") is None
        assert duplicate(replace(ADA, zip="99999")) is None
        assert duplicate(replace(ADA, first_name="Augusta")) is None
        assert duplicate(replace(ADA, last_name=None)) is None
        assert duplicate(replace(ADA, address="1 Elsewhere")) is None
        assert duplicate(None) is None
        assert duplicate(ADA, profile=other_profile) is None
        assert duplicate(ADA, excluding=ref) is None


def test_duplicate_treats_missing_billing_fields_as_equal(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    ref = add(uow_factory, container, card_row(profile_ref, fingerprint="fp", bill_to=None))

    with uow_factory(write=False) as uow:
        profiles = uow.profiles
        assert profiles.duplicate_payment_profile(container, profile_ref, "fp", None) == ref
        assert profiles.duplicate_payment_profile(container, profile_ref, "fp", Address(city="Rome")) == ref
        assert profiles.duplicate_payment_profile(container, profile_ref, "fp", Address(zip="1")) is None


def test_clear_default_payment_profile(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    other_profile = add_profile(uow_factory, container)
    add(uow_factory, container, card_row(profile_ref, is_default=True))
    other = add(uow_factory, container, card_row(other_profile, is_default=True))

    with uow_factory() as uow:
        uow.profiles.clear_default_payment_profile(container, profile_ref)
        uow.commit()

    with uow_factory(write=False) as uow:
        assert not any(row.is_default for row in uow.profiles.payment_profiles(container, profile_ref))
        untouched = uow.profiles.payment_profile(container, other_profile, other)
    assert untouched is not None
    assert untouched.is_default is True


def test_another_tenant_cannot_reach_payment_profiles(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    alice, bob = tenants.alice.container_key, tenants.bob.container_key
    profile_ref = add_profile(uow_factory, alice)
    row = card_row(profile_ref, fingerprint="fp", is_default=True)
    ref = add(uow_factory, alice, row)

    with uow_factory() as uow:
        profiles = uow.profiles
        assert list(profiles.payment_profiles(bob, profile_ref)) == []
        assert profiles.payment_profile(bob, profile_ref, ref) is None
        assert profiles.duplicate_payment_profile(bob, profile_ref, "fp", ADA) is None
        assert profiles.delete_payment_profile(bob, profile_ref, ref) is False
        profiles.clear_default_payment_profile(bob, profile_ref)
        with pytest.raises(NotFound):
            profiles.add_payment_profile(bob, row)
        with pytest.raises(NotFound):
            profiles.replace_payment_profile(bob, replace(row, ref=ref, last4="0000"))
        assert profiles.payment_profiles_expiring(bob, YearMonth(2030, 5), False, 0, 10) == (0, [])
        uow.commit()

    assert stored(uow_factory, alice, profile_ref, ref) == replace(row, ref=ref)
