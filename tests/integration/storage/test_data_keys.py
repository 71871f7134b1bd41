"""The data-key store: newest key per purpose, lookups, rewrap, and converging adds."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from strongroom.services.ports import WrappedDataKey
from strongroom.storage import SqlDataKeyStore

SERVER_WIDE = 0


@pytest.fixture
def store(engine: Engine) -> SqlDataKeyStore:
    return SqlDataKeyStore(engine)


def test_an_empty_store(store: SqlDataKeyStore) -> None:
    assert store.current(SERVER_WIDE, "data") is None
    assert store.get(1) is None
    assert list(store.all_keys()) == []


def test_add_returns_what_get_and_current_return(store: SqlDataKeyStore) -> None:
    added = store.add(SERVER_WIDE, "fingerprint", 1, b"wrapped-1", 3)

    assert added == WrappedDataKey(added.key_id, SERVER_WIDE, "fingerprint", 1, b"wrapped-1", 3)
    assert store.get(added.key_id) == added
    assert store.current(SERVER_WIDE, "fingerprint") == added
    assert store.current(SERVER_WIDE, "data") is None
    assert store.current(7, "fingerprint") is None


def test_current_is_the_highest_version_of_that_merchant_and_purpose(
        store: SqlDataKeyStore) -> None:
    store.add(7, "data", 1, b"v1", 1)
    newest = store.add(7, "data", 3, b"v3", 1)
    store.add(7, "data", 2, b"v2", 1)
    store.add(7, "fingerprint", 9, b"fp", 1)
    store.add(8, "data", 5, b"other merchant", 1)

    assert store.current(7, "data") == newest
    assert [key.version for key in store.all_keys()] == [1, 3, 2, 9, 5]


def test_adding_an_existing_version_returns_the_stored_key(store: SqlDataKeyStore) -> None:
    first = store.add(7, "data", 1, b"first", 1)

    again = store.add(7, "data", 1, b"second", 2)

    assert again == first
    assert list(store.all_keys()) == [first]


def test_rewrap_replaces_the_wrapped_bytes_and_master_version(store: SqlDataKeyStore) -> None:
    key = store.add(7, "data", 1, b"under-master-1", 1)
    other = store.add(7, "data", 2, b"untouched", 1)

    store.rewrap(key.key_id, b"under-master-2", 2)

    assert store.get(key.key_id) == WrappedDataKey(key.key_id, 7, "data", 1, b"under-master-2", 2)
    assert store.get(other.key_id) == other
