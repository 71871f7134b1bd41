"""The key ring: finds, lazily creates and caches the unwrapped per-merchant keys of a store."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Final

from strongroom.services.ports import DataKeyStore, WrappedDataKey
from strongroom.vault.key_wrapping import DATA_KEY_BYTES, unwrap_data_key, wrap_data_key
from strongroom.vault.master_keys import MasterKeys

DATA_PURPOSE: Final = "data"
FINGERPRINT_PURPOSE: Final = "fingerprint"
CREDENTIAL_PURPOSE: Final = "credential"
SERVER_WIDE: Final = 0  # the merchant_key under which server-wide keys (the credential pepper) live


@dataclass(frozen=True, slots=True)
class DataKey:
    """An unwrapped key; its material never appears in repr."""

    key_id: int
    merchant_key: int
    purpose: str
    version: int
    material: bytes = field(repr=False)


class KeyRing:
    """Unwrapped keys by id, cached for the life of the process (a key id's material never
    changes; re-wrapping only changes how it is stored). Safe to share between threads."""

    def __init__(self, store: DataKeyStore, master: MasterKeys) -> None:
        self._store = store
        self._master = master
        self._by_id: dict[int, DataKey] = {}
        self._never_rotated: dict[tuple[int, str], DataKey] = {}
        self._known: set[tuple[int, str]] = set()  # keys are never deleted: once seen, kept
        self._cache_lock = threading.Lock()
        self._creation_lock = threading.Lock()

    def newest(self, merchant_key: int, purpose: str) -> DataKey:
        """The newest stored key of that purpose (asked of the store every time, so a version
        added by another process is used at once), created as version 1 if there is none."""
        row = self._store.current(merchant_key, purpose)
        return self._unwrapped(row or self._create_first(merchant_key, purpose))

    def ensure(self, merchant_key: int, purpose: str) -> None:
        """Make sure a key of that purpose exists (asked of the store once per process)."""
        with self._cache_lock:
            if (merchant_key, purpose) in self._known:
                return
        self.newest(merchant_key, purpose)
        with self._cache_lock:
            self._known.add((merchant_key, purpose))

    def newest_key_id(self, merchant_key: int, purpose: str) -> int | None:
        row = self._store.current(merchant_key, purpose)
        return None if row is None else row.key_id

    def never_rotated(self, merchant_key: int, purpose: str) -> DataKey:
        """A key that keeps its first version forever (fingerprints, credential pepper): the
        store is asked once per process."""
        with self._cache_lock:
            cached = self._never_rotated.get((merchant_key, purpose))
        if cached is not None:
            return cached
        key = self.newest(merchant_key, purpose)
        with self._cache_lock:
            return self._never_rotated.setdefault((merchant_key, purpose), key)

    def by_id(self, key_id: int) -> DataKey | None:
        with self._cache_lock:
            cached = self._by_id.get(key_id)
        if cached is not None:
            return cached
        row = self._store.get(key_id)
        return None if row is None else self._unwrapped(row)

    def add_version(self, merchant_key: int, purpose: str) -> DataKey:
        """Store the next version; if another process added that version first, that one."""
        with self._creation_lock:
            current = self._store.current(merchant_key, purpose)
            next_version = 1 if current is None else current.version + 1
            return self._unwrapped(self._add(merchant_key, purpose, next_version))

    def cached_key_count(self) -> int:
        with self._cache_lock:
            return len(self._by_id)

    def _create_first(self, merchant_key: int, purpose: str) -> WrappedDataKey:
        # The lock keeps this process's threads from racing; `store.add` settles races between
        # processes by returning the row that got there first.
        with self._creation_lock:
            existing = self._store.current(merchant_key, purpose)
            return existing or self._add(merchant_key, purpose, version=1)

    def _add(self, merchant_key: int, purpose: str, version: int) -> WrappedDataKey:
        key = secrets.token_bytes(DATA_KEY_BYTES)
        wrapping = wrap_data_key(self._master, key, merchant_key, purpose, version)
        return self._store.add(merchant_key, purpose, version, wrapping.wrapped, wrapping.master_version)

    def _unwrapped(self, row: WrappedDataKey) -> DataKey:
        with self._cache_lock:
            cached = self._by_id.get(row.key_id)
        if cached is not None and _same_key(cached, row):
            return cached
        # Unwrapping checks the row against the master key; a cached key of another owner
        # under the same id (its row was rolled back, the id reused) is replaced.
        key = DataKey(
            row.key_id, row.merchant_key, row.purpose, row.version, unwrap_data_key(self._master, row)
        )
        with self._cache_lock:
            current = self._by_id.get(row.key_id)
            if current is not None and _same_key(current, row):
                return current
            self._by_id[row.key_id] = key
            return key

    def __repr__(self) -> str:
        return f"KeyRing(cached_keys={self.cached_key_count()})"


def _same_key(key: DataKey, row: WrappedDataKey) -> bool:
    return (key.merchant_key, key.purpose, key.version) == (row.merchant_key, row.purpose, row.version)
