"""Re-encryption pass: move every sealed record to its merchant's newest data key version."""

from __future__ import annotations

from collections.abc import Iterable

from strongroom.services.merchants import SIGNATURE_RECORD
from strongroom.services.ports import Resealer, SealedRecord, SealedRecordStore
from strongroom.services.profiles.sealing import record_identity
from strongroom.services.transactions.instruments import instrument_identity

PAGE_SIZE = 500
KINDS = ("payment_profile", "merchant_signature_key", "transaction_instrument")


def _identity(record: SealedRecord) -> str:
    if record.kind == "payment_profile":
        assert record.profile_ref is not None
        return record_identity(record.profile_ref)
    if record.kind == "transaction_instrument":
        assert record.record_ref is not None
        return instrument_identity(record.record_ref)
    return SIGNATURE_RECORD


def _pages(store: SealedRecordStore, kind: str) -> Iterable[SealedRecord]:
    after = 0
    while page := store.page(kind, after, PAGE_SIZE):
        yield from page
        after = page[-1].key


def reencrypt_all(store: SealedRecordStore, vault: Resealer, merchant_keys: Iterable[int]) -> int:
    """Give each merchant a new data key version, then re-seal everything older; returns count.

    Safe while servers run: readers accept any key version, and a record changed meanwhile is
    left to its writer (compare-and-set), which already sealed it under a current key.
    """
    for merchant_key in merchant_keys:
        vault.add_data_key_version(merchant_key)
    moved = 0
    for kind in KINDS:
        for record in _pages(store, kind):
            if vault.is_current(record.merchant_key, record.blob):
                continue
            fresh = vault.reseal(record.merchant_key, _identity(record), record.blob)
            moved += store.replace_blob(record, fresh)
    return moved
