"""Rotation: master key rotation with re-wrapping, data key versions, reseal, reload on demand."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from strongroom.vault import (
    EnvelopeVault,
    MasterKeys,
    UnknownMasterKeyVersionError,
    UnsealError,
    rewrap_data_keys,
    rotate_master_key,
)
from tests.unit.vault.fakes import InMemoryDataKeyStore

MERCHANT = 41
OTHER_MERCHANT = 42
RECORD = "payment-profile:1001"
SECRET = b"4111111111111111|2031-12|123"


def populate(vault: EnvelopeVault) -> dict[str, bytes]:
    """Every kind of stored key for two merchants; returns blobs by record."""
    vault.fingerprint(MERCHANT, "4111111111111111")
    vault.credential_digest("transaction-key", b"salt")
    return {
        "a": vault.seal(MERCHANT, "a", SECRET),
        "b": vault.seal(OTHER_MERCHANT, "b", SECRET),
    }


# --------------------------------------------------------------------------- master key rotation


def test_rewrap_moves_every_key_to_the_new_master_version_and_old_blobs_still_open(
    key_file: Path, store: InMemoryDataKeyStore
) -> None:
    before = MasterKeys.load(key_file, None, create=True)
    blobs = populate(EnvelopeVault(store, before))

    rotate_master_key(key_file, None)
    after = MasterKeys.load(key_file, None, create=False)
    rewrapped = rewrap_data_keys(after, store)

    assert rewrapped == 4  # data x2, fingerprint, credential pepper
    assert {row.master_version for row in store.all_keys()} == {2}
    only_new_master = MasterKeys({2: after.key(2)})
    vault = EnvelopeVault(store, only_new_master)
    assert vault.unseal(MERCHANT, "a", blobs["a"]) == SECRET
    assert vault.unseal(OTHER_MERCHANT, "b", blobs["b"]) == SECRET


def test_rewrap_is_idempotent(store: InMemoryDataKeyStore) -> None:
    old_key, new_key = os.urandom(32), os.urandom(32)
    populate(EnvelopeVault(store, MasterKeys({1: old_key})))
    rotated = MasterKeys({1: old_key, 2: new_key})
    rewrap_data_keys(rotated, store)
    stored = store.all_keys()

    assert rewrap_data_keys(rotated, store) == 0
    assert store.all_keys() == stored


def test_rewrap_never_moves_keys_back_to_an_older_master_version(store: InMemoryDataKeyStore) -> None:
    old_key, new_key = os.urandom(32), os.urandom(32)
    populate(EnvelopeVault(store, MasterKeys({1: old_key, 2: new_key})))

    assert rewrap_data_keys(MasterKeys({1: old_key}), store) == 0
    assert {row.master_version for row in store.all_keys()} == {2}


def test_rewrap_catches_keys_a_not_yet_reloaded_server_made_under_the_old_version(
    store: InMemoryDataKeyStore,
) -> None:
    old_key, new_key = os.urandom(32), os.urandom(32)
    stale_server = EnvelopeVault(store, MasterKeys({1: old_key}))
    rotated = MasterKeys({1: old_key, 2: new_key})
    rewrap_data_keys(rotated, store)

    stale_server.seal(MERCHANT, RECORD, SECRET)

    assert rewrap_data_keys(rotated, store) == 1
    assert {row.master_version for row in store.all_keys()} == {2}


def test_credential_digests_survive_master_rotation(key_file: Path, store: InMemoryDataKeyStore) -> None:
    before = MasterKeys.load(key_file, None, create=True)
    digest = EnvelopeVault(store, before).credential_digest("transaction-key", b"salt")
    fingerprint = EnvelopeVault(store, before).fingerprint(MERCHANT, "4111111111111111")

    rotate_master_key(key_file, None)
    after = MasterKeys.load(key_file, None, create=False)
    rewrap_data_keys(after, store)

    vault = EnvelopeVault(store, MasterKeys({2: after.key(2)}))
    assert vault.credential_digest("transaction-key", b"salt") == digest
    assert vault.fingerprint(MERCHANT, "4111111111111111") == fingerprint


def test_unseal_reloads_master_keys_once_for_a_version_rotated_in_elsewhere(
    key_file: Path, store: InMemoryDataKeyStore
) -> None:
    server_master = MasterKeys.load(key_file, None, create=True)
    server = EnvelopeVault(store, server_master)
    rotate_master_key(key_file, None)  # another process: the operator's rotation
    operator = EnvelopeVault(store, MasterKeys.load(key_file, None, create=False))
    blob = operator.seal(MERCHANT, RECORD, SECRET)  # data key wrapped under version 2

    assert server.unseal(MERCHANT, RECORD, blob) == SECRET
    assert server_master.current_version == 2


def test_a_master_version_missing_even_after_reload_is_a_clear_error(store: InMemoryDataKeyStore) -> None:
    blob = EnvelopeVault(store, MasterKeys({2: os.urandom(32)})).seal(MERCHANT, RECORD, SECRET)

    with pytest.raises(UnknownMasterKeyVersionError, match="version 2"):
        EnvelopeVault(store, MasterKeys({1: os.urandom(32)})).unseal(MERCHANT, RECORD, blob)


# --------------------------------------------------------------------------- data key versions


def test_a_new_data_key_version_seals_new_blobs_and_old_ones_still_open(
    vault: EnvelopeVault, store: InMemoryDataKeyStore
) -> None:
    old_blob = vault.seal(MERCHANT, RECORD, SECRET)

    new_version = vault.add_data_key_version(MERCHANT)
    new_blob = vault.seal(MERCHANT, RECORD, SECRET)

    assert new_version == 2
    assert [row.version for row in store.keys_of(MERCHANT, "data")] == [1, 2]
    assert vault.is_current(MERCHANT, new_blob)
    assert not vault.is_current(MERCHANT, old_blob)
    assert vault.unseal(MERCHANT, RECORD, old_blob) == SECRET
    assert vault.unseal(MERCHANT, RECORD, new_blob) == SECRET


def test_a_version_added_by_another_process_is_used_at_once(
    vault: EnvelopeVault, store: InMemoryDataKeyStore, master: MasterKeys
) -> None:
    old_blob = vault.seal(MERCHANT, RECORD, SECRET)

    EnvelopeVault(store, master).add_data_key_version(MERCHANT)

    assert vault.is_current(MERCHANT, vault.seal(MERCHANT, RECORD, SECRET))
    assert not vault.is_current(MERCHANT, old_blob)


def test_the_first_data_key_version_can_be_added_explicitly(vault: EnvelopeVault) -> None:
    assert vault.add_data_key_version(MERCHANT) == 1
    assert vault.is_current(MERCHANT, vault.seal(MERCHANT, RECORD, SECRET))


def test_data_key_versions_are_per_merchant(vault: EnvelopeVault) -> None:
    other_blob = vault.seal(OTHER_MERCHANT, RECORD, SECRET)

    vault.add_data_key_version(MERCHANT)

    assert vault.is_current(OTHER_MERCHANT, other_blob)


def test_reseal_moves_an_old_blob_to_the_newest_data_key(vault: EnvelopeVault) -> None:
    old_blob = vault.seal(MERCHANT, RECORD, SECRET)
    vault.add_data_key_version(MERCHANT)

    moved = vault.reseal(MERCHANT, RECORD, old_blob)

    assert vault.is_current(MERCHANT, moved)
    assert vault.unseal(MERCHANT, RECORD, moved) == SECRET


def test_reseal_checks_the_blob_like_unseal(vault: EnvelopeVault) -> None:
    blob = vault.seal(MERCHANT, RECORD, SECRET)
    vault.add_data_key_version(MERCHANT)

    with pytest.raises(UnsealError):
        vault.reseal(MERCHANT, "another record", blob)
    with pytest.raises(UnsealError):
        vault.reseal(OTHER_MERCHANT, RECORD, blob)


def test_is_current_refuses_what_is_not_a_blob(vault: EnvelopeVault) -> None:
    with pytest.raises(UnsealError):
        vault.is_current(MERCHANT, b"\x07not a blob at all, just some bytes..")
