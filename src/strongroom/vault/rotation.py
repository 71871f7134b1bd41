"""Master key rotation for stored keys: re-wrapping every data key under the newest master key."""

from __future__ import annotations

from strongroom.services.ports import DataKeyStore, WrappedDataKey
from strongroom.vault.key_wrapping import unwrap_data_key, wrap_data_key
from strongroom.vault.master_keys import MasterKeys


def rewrap_data_keys(master: MasterKeys, store: DataKeyStore) -> int:
    """Re-wrap every stored key under `master.current_version`; return how many were re-wrapped.

    Rows already under that version (or a newer one, written by a process that knows more
    versions) are left alone, so this is idempotent and can run again, e.g. after servers that
    had not reloaded yet created keys under the old version. Servers may keep running: a row
    is replaced in one step, and each form opens with the master keys they have (or reload).
    """
    target_version = master.current_version
    stale = [row for row in store.all_keys() if row.master_version < target_version]
    for row in stale:
        _rewrap(master, store, row)
    return len(stale)


def _rewrap(master: MasterKeys, store: DataKeyStore, row: WrappedDataKey) -> None:
    key = unwrap_data_key(master, row)
    wrapping = wrap_data_key(master, key, row.merchant_key, row.purpose, row.version)
    store.rewrap(row.key_id, wrapping.wrapped, wrapping.master_version)
