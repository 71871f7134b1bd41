"""An in-memory DataKeyStore with the port's contract, for vault tests."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence

from strongroom.services.ports import WrappedDataKey


class InMemoryDataKeyStore:
    """Rows by key id; `add` returns the existing row when (merchant, purpose, version) is taken."""

    def __init__(self) -> None:
        self._rows: dict[int, WrappedDataKey] = {}
        self._lock = threading.Lock()

    def current(self, merchant_key: int, purpose: str) -> WrappedDataKey | None:
        with self._lock:
            matching = [
                row
                for row in self._rows.values()
                if row.merchant_key == merchant_key and row.purpose == purpose
            ]
        return max(matching, key=lambda row: row.version, default=None)

    def get(self, key_id: int) -> WrappedDataKey | None:
        with self._lock:
            return self._rows.get(key_id)

    def add(
        self, merchant_key: int, purpose: str, version: int, wrapped: bytes, master_version: int
    ) -> WrappedDataKey:
        with self._lock:
            for row in self._rows.values():
                if (row.merchant_key, row.purpose, row.version) == (merchant_key, purpose, version):
                    return row
            row = WrappedDataKey(len(self._rows) + 1, merchant_key, purpose, version, wrapped, master_version)
            self._rows[row.key_id] = row
            return row

    def all_keys(self) -> Sequence[WrappedDataKey]:
        with self._lock:
            return sorted(self._rows.values(), key=lambda row: row.key_id)

    def rewrap(self, key_id: int, wrapped: bytes, master_version: int) -> None:
        with self._lock:
            self._rows[key_id] = dataclasses.replace(
                self._rows[key_id], wrapped=wrapped, master_version=master_version
            )

    # test helpers, not part of the port

    def keys_of(self, merchant_key: int, purpose: str) -> list[WrappedDataKey]:
        return [row for row in self.all_keys() if row.merchant_key == merchant_key and row.purpose == purpose]

    def overwrite(self, row: WrappedDataKey) -> None:
        """Replace a stored row as an attacker with database access could."""
        with self._lock:
            self._rows[row.key_id] = row


class StoreThatMissesRivalRows(InMemoryDataKeyStore):
    """`current` answers None for the next `misses` calls, as if another process's row was
    committed just after we looked: the vault's `add` then meets that row."""

    def __init__(self) -> None:
        super().__init__()
        self.misses = 0

    def current(self, merchant_key: int, purpose: str) -> WrappedDataKey | None:
        if self.misses:
            self.misses -= 1
            return None
        return super().current(merchant_key, purpose)
