"""The DataKeyStore contract, run over the in-memory fake the vault tests use and over
SqlDataKeyStore on SQLite and PostgreSQL: what one passes, the others must pass."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from strongroom.services.ports import DataKeyStore, WrappedDataKey
from strongroom.storage import SqlDataKeyStore
from tests.contract.implementations import MEMORY, SQL, migrated_engine
from tests.unit.vault.fakes import InMemoryDataKeyStore

SERVER_WIDE = 0


@pytest.fixture(params=[MEMORY, *SQL])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DataKeyStore]:
    if request.param == MEMORY:
        yield InMemoryDataKeyStore()
        return
    with migrated_engine(request.param, tmp_path) as engine:
        yield SqlDataKeyStore(engine)


def test_an_empty_store(store: DataKeyStore) -> None:
    assert store.current(SERVER_WIDE, "data") is None
    assert store.get(1) is None
    assert list(store.all_keys()) == []


def test_add_returns_what_get_and_current_return(store: DataKeyStore) -> None:
    added = store.add(SERVER_WIDE, "fingerprint", 1, b"wrapped-1", 3)

    assert added == WrappedDataKey(added.key_id, SERVER_WIDE, "fingerprint", 1, b"wrapped-1", 3)
    assert store.get(added.key_id) == added
    assert store.current(SERVER_WIDE, "fingerprint") == added
    assert store.current(SERVER_WIDE, "data") is None
    assert store.current(7, "fingerprint") is None


def test_current_is_the_highest_version_of_that_merchant_and_purpose(store: DataKeyStore) -> None:
    store.add(7, "data", 1, b"v1", 1)
    newest = store.add(7, "data", 3, b"v3", 1)
    store.add(7, "data", 2, b"v2", 1)
    store.add(7, "fingerprint", 9, b"fp", 1)
    store.add(8, "data", 5, b"other merchant", 1)

    assert store.current(7, "data") == newest
    assert [key.version for key in store.all_keys()] == [1, 3, 2, 9, 5]


def test_every_key_gets_its_own_id(store: DataKeyStore) -> None:
    added = [
        store.add(7, purpose, version, b"k", 1) for purpose in ("data", "fingerprint") for version in (1, 2)
    ]

    assert len({key.key_id for key in added}) == 4
    assert [store.get(key.key_id) for key in added] == added
    assert list(store.all_keys()) == added


def test_adding_an_existing_version_returns_the_stored_key(store: DataKeyStore) -> None:
    first = store.add(7, "data", 1, b"first", 1)

    again = store.add(7, "data", 1, b"second", 2)

    assert again == first
    assert list(store.all_keys()) == [first]


def test_concurrent_adds_of_one_version_converge_on_one_key(store: DataKeyStore) -> None:
    start = threading.Barrier(4)

    def add(n: int) -> WrappedDataKey:
        start.wait()
        return store.add(7, "data", 1, f"racer-{n}".encode(), 1)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(add, range(4)))

    assert len(set(results)) == 1
    assert list(store.all_keys()) == [results[0]]


def test_rewrap_replaces_the_wrapped_bytes_and_master_version(store: DataKeyStore) -> None:
    key = store.add(7, "data", 1, b"under-master-1", 1)
    other = store.add(7, "data", 2, b"untouched", 1)

    store.rewrap(key.key_id, b"under-master-2", 2)

    assert store.get(key.key_id) == WrappedDataKey(key.key_id, 7, "data", 1, b"under-master-2", 2)
    assert store.get(other.key_id) == other
    assert store.current(7, "data") == other
