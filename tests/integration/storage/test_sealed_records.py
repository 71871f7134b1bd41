"""The sealed-record store (re-encryption walk): key-ordered pages and compare-and-swap blobs."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import Engine

from strongroom.storage import SqlUnitOfWorkFactory
from strongroom.storage.sealed_records import SqlSealedRecordStore
from tests.integration.storage.builders import add_profile, card_row
from tests.integration.storage.conftest import Tenants


@pytest.fixture
def store(engine: Engine) -> SqlSealedRecordStore:
    return SqlSealedRecordStore(engine)


def add_cards(
    uow_factory: SqlUnitOfWorkFactory, container_key: int, profile_ref: str, blobs: list[bytes]
) -> None:
    with uow_factory() as uow:
        for blob in blobs:
            uow.profiles.add_payment_profile(
                container_key, replace(card_row(profile_ref, fingerprint=blob.hex()), sealed=blob)
            )
        uow.commit()


def test_payment_profiles_are_paged_in_key_order_with_their_owner(
    store: SqlSealedRecordStore, uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    alices = add_profile(uow_factory, tenants.alice.container_key)
    bobs = add_profile(uow_factory, tenants.bob.container_key)
    add_cards(uow_factory, tenants.alice.container_key, alices, [b"a1", b"a2"])
    add_cards(uow_factory, tenants.bob.container_key, bobs, [b"b1"])

    first = store.page("payment_profile", 0, 2)
    rest = store.page("payment_profile", first[-1].key, 2)

    records = [*first, *rest]
    assert [(r.merchant_key, r.profile_ref, r.blob) for r in records] == [
        (tenants.alice.key, alices, b"a1"),
        (tenants.alice.key, alices, b"a2"),
        (tenants.bob.key, bobs, b"b1"),
    ]
    assert [r.key for r in records] == sorted(r.key for r in records)
    assert store.page("payment_profile", records[-1].key, 2) == []


def test_only_merchants_with_a_signature_key_are_paged(
    store: SqlSealedRecordStore, uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    with uow_factory() as uow:
        uow.merchants.set_signature_key(tenants.bob.key, b"bob-signature")
        uow.commit()

    records = store.page("merchant_signature_key", 0, 10)

    assert [(r.key, r.merchant_key, r.profile_ref, r.blob) for r in records] == [
        (tenants.bob.key, tenants.bob.key, None, b"bob-signature")
    ]


def test_replace_blob_swaps_only_an_unchanged_blob(
    store: SqlSealedRecordStore, uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    profile_ref = add_profile(uow_factory, tenants.alice.container_key)
    add_cards(uow_factory, tenants.alice.container_key, profile_ref, [b"old"])
    (record,) = store.page("payment_profile", 0, 10)

    assert store.replace_blob(record, b"new") is True
    assert store.replace_blob(record, b"newer") is False

    (current,) = store.page("payment_profile", 0, 10)
    assert current.blob == b"new"


def test_unknown_kinds_are_refused(store: SqlSealedRecordStore) -> None:
    with pytest.raises(ValueError, match="unknown sealed record kind"):
        store.page("elephant", 0, 10)
