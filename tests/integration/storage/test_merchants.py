"""Merchant repository: creation with a default container, lookups, signature key, Duplicate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from strongroom.domain.errors import Duplicate
from strongroom.storage import SqlUnitOfWorkFactory
from tests.integration.storage.builders import NOW, add_merchant
from tests.integration.storage.conftest import Tenants


def test_add_returns_the_merchant_with_its_own_default_container(tenants: Tenants) -> None:
    assert tenants.alice.login_id == "alice"
    assert tenants.alice.key != tenants.bob.key
    assert tenants.alice.container_key != tenants.bob.container_key
    assert tenants.alice.has_signature_key is False


def test_by_login_and_by_key_return_the_stored_row(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    with uow_factory(write=False) as uow:
        by_login = uow.merchants.by_login("alice")
        by_key = uow.merchants.by_key(tenants.alice.key)

    assert by_login is not None
    assert by_login == by_key
    assert by_login.merchant == tenants.alice
    assert by_login.credential_salt == b"salt-alice"
    assert by_login.transaction_key_digest == b"digest"
    assert by_login.sealed_signature_key is None
    assert by_login.merchant.public_client_key == "pck-alice"
    assert by_login.merchant.is_sandbox is True


def test_unknown_merchants_are_none(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    with uow_factory(write=False) as uow:
        assert uow.merchants.by_login("carol") is None
        assert uow.merchants.by_key(tenants.bob.key + 1000) is None


def test_all_lists_merchants_in_creation_order(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    with uow_factory(write=False) as uow:
        assert list(uow.merchants.all()) == [tenants.alice, tenants.bob]


def test_set_signature_key_stores_and_clears_it(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    with uow_factory() as uow:
        uow.merchants.set_signature_key(tenants.alice.key, b"sealed-signature")
        uow.commit()
    with uow_factory(write=False) as uow:
        row = uow.merchants.by_key(tenants.alice.key)
        other = uow.merchants.by_key(tenants.bob.key)
    assert row is not None
    assert other is not None
    assert row.sealed_signature_key == b"sealed-signature"
    assert row.merchant.has_signature_key is True
    assert other.merchant.has_signature_key is False

    with uow_factory() as uow:
        uow.merchants.set_signature_key(tenants.alice.key, None)
        uow.commit()
    with uow_factory(write=False) as uow:
        cleared = uow.merchants.by_key(tenants.alice.key)
    assert cleared is not None
    assert cleared.merchant.has_signature_key is False


def test_taken_login_raises_duplicate_and_the_unit_stays_usable(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    with uow_factory() as uow:
        with pytest.raises(Duplicate) as raised:
            add_merchant(uow, "alice")
        carol = add_merchant(uow, "carol")
        uow.commit()

    assert raised.value.existing_ref == "alice"
    with uow_factory(write=False) as uow:
        assert [merchant.login_id for merchant in uow.merchants.all()] == ["alice", "bob", "carol"]
        assert uow.merchants.by_login("carol") == uow.merchants.by_key(carol.key)


def test_times_come_back_as_the_same_instant_in_utc(uow_factory: SqlUnitOfWorkFactory) -> None:
    created = datetime(2025, 6, 1, 12, 30, tzinfo=timezone(timedelta(hours=-5)))
    with uow_factory() as uow:
        merchant = uow.merchants.add("Dana", "dana", b"s", b"d", "pck", created, False)
        uow.commit()

    with uow_factory(write=False) as uow:
        row = uow.merchants.by_key(merchant.key)
    assert row is not None
    assert row.merchant.created_at == created
    assert row.merchant.created_at.tzinfo == UTC
    assert row.merchant.created_at.hour == 17
    assert row.merchant.is_sandbox is False


def test_naive_times_are_refused(uow_factory: SqlUnitOfWorkFactory) -> None:
    with uow_factory() as uow, pytest.raises(StatementError, match="naive datetime"):
        uow.merchants.add("Eve", "eve", b"s", b"d", "pck", NOW.replace(tzinfo=None), True)
