"""EnvelopeVault: sealing round trips, associated-data binding, keys, fingerprints, digests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import pickle
import struct
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from strongroom.services.ports import Vault, WrappedDataKey
from strongroom.vault import (
    DataKeyNotFoundError,
    EnvelopeVault,
    KeyUnwrapError,
    MasterKeys,
    UnsealError,
    VaultError,
)
from strongroom.vault.key_ring import DataKey
from strongroom.vault.key_wrapping import unwrap_data_key
from tests.unit.vault.fakes import InMemoryDataKeyStore, StoreThatMissesRivalRows

MERCHANT = 41
OTHER_MERCHANT = 42
RECORD = "payment-profile:1001"
SECRET = b'{"cardNumber":"4111111111111111","expirationDate":"2031-12"}'


def flipped(blob: bytes, index: int) -> bytes:
    changed = bytearray(blob)
    changed[index] ^= 0x01
    return bytes(changed)


def material_forms(key: bytes) -> list[str]:
    return [key.hex(), base64.urlsafe_b64encode(key).decode(), base64.b64encode(key).decode(), repr(key)]


def test_envelope_vault_is_a_vault(vault: EnvelopeVault) -> None:
    port: Vault = vault  # checked by mypy: the port is satisfied structurally
    assert port.unseal(MERCHANT, RECORD, port.seal(MERCHANT, RECORD, SECRET)) == SECRET


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("plaintext", [SECRET, b"", bytes(range(256)) * 40])
def test_seal_then_unseal_gives_the_plaintext_back(vault: EnvelopeVault, plaintext: bytes) -> None:
    blob = vault.seal(MERCHANT, RECORD, plaintext)

    assert vault.unseal(MERCHANT, RECORD, blob) == plaintext


def test_a_new_vault_over_the_same_store_and_master_unseals(
    vault: EnvelopeVault, store: InMemoryDataKeyStore, master: MasterKeys
) -> None:
    blob = vault.seal(MERCHANT, RECORD, SECRET)

    assert EnvelopeVault(store, master).unseal(MERCHANT, RECORD, blob) == SECRET


def test_sealing_twice_gives_different_blobs(vault: EnvelopeVault) -> None:
    assert vault.seal(MERCHANT, RECORD, SECRET) != vault.seal(MERCHANT, RECORD, SECRET)


def test_the_blob_is_format_key_id_nonce_then_ciphertext_and_tag(
    vault: EnvelopeVault, store: InMemoryDataKeyStore
) -> None:
    blob = vault.seal(MERCHANT, RECORD, SECRET)

    (data_key,) = store.keys_of(MERCHANT, "data")
    blob_format, key_id = struct.unpack_from(">BQ", blob)
    assert (blob_format, key_id) == (1, data_key.key_id)
    assert len(blob) == 1 + 8 + 12 + len(SECRET) + 16
    assert SECRET not in blob


def test_the_first_seal_creates_the_merchants_data_key(
    vault: EnvelopeVault, store: InMemoryDataKeyStore, master: MasterKeys
) -> None:
    assert store.all_keys() == []

    vault.seal(MERCHANT, RECORD, SECRET)
    vault.seal(MERCHANT, "payment-profile:1002", SECRET)

    (data_key,) = store.all_keys()
    assert (data_key.merchant_key, data_key.purpose, data_key.version) == (MERCHANT, "data", 1)
    assert data_key.master_version == master.current_version
    assert len(unwrap_data_key(master, data_key)) == 32


def test_each_merchant_gets_its_own_data_key(vault: EnvelopeVault, store: InMemoryDataKeyStore) -> None:
    vault.seal(MERCHANT, RECORD, SECRET)
    vault.seal(OTHER_MERCHANT, RECORD, SECRET)

    assert len(store.keys_of(MERCHANT, "data")) == 1
    assert len(store.keys_of(OTHER_MERCHANT, "data")) == 1


# --------------------------------------------------------------------------- binding, tampering


def test_a_blob_does_not_open_for_another_merchant(vault: EnvelopeVault) -> None:
    vault.seal(OTHER_MERCHANT, RECORD, b"their own key exists too")
    blob = vault.seal(MERCHANT, RECORD, SECRET)

    with pytest.raises(UnsealError) as refusal:
        vault.unseal(OTHER_MERCHANT, RECORD, blob)

    assert SECRET.decode() not in refusal.value.message


def test_a_blob_does_not_open_for_another_record(vault: EnvelopeVault) -> None:
    blob = vault.seal(MERCHANT, RECORD, SECRET)

    with pytest.raises(UnsealError):
        vault.unseal(MERCHANT, "payment-profile:1002", blob)


@pytest.mark.parametrize("index", [0, 1, 8, 9, 20, 21, 40, -16, -1])
def test_a_flipped_byte_anywhere_is_refused(vault: EnvelopeVault, index: int) -> None:
    blob = vault.seal(MERCHANT, RECORD, SECRET)

    with pytest.raises(UnsealError) as refusal:
        vault.unseal(MERCHANT, RECORD, flipped(blob, index))

    assert "4111" not in refusal.value.message


@pytest.mark.parametrize("length", [0, 1, 9, 36])
def test_a_truncated_blob_is_refused(vault: EnvelopeVault, length: int) -> None:
    blob = vault.seal(MERCHANT, RECORD, b"")

    with pytest.raises(UnsealError):
        vault.unseal(MERCHANT, RECORD, blob[:length])


def test_a_blob_naming_a_missing_data_key_is_refused(vault: EnvelopeVault) -> None:
    blob = bytearray(vault.seal(MERCHANT, RECORD, SECRET))
    struct.pack_into(">Q", blob, 1, 999)

    with pytest.raises(DataKeyNotFoundError, match="999"):
        vault.unseal(MERCHANT, RECORD, bytes(blob))


def test_a_blob_cannot_point_at_a_fingerprint_key(vault: EnvelopeVault, store: InMemoryDataKeyStore) -> None:
    blob = bytearray(vault.seal(MERCHANT, RECORD, SECRET))
    vault.fingerprint(MERCHANT, "4111111111111111")
    (fingerprint_key,) = store.keys_of(MERCHANT, "fingerprint")
    struct.pack_into(">Q", blob, 1, fingerprint_key.key_id)

    with pytest.raises(UnsealError):
        vault.unseal(MERCHANT, RECORD, bytes(blob))


def test_a_stored_data_key_moved_to_another_merchant_does_not_unwrap(
    store: InMemoryDataKeyStore, master: MasterKeys
) -> None:
    EnvelopeVault(store, master).seal(MERCHANT, RECORD, SECRET)
    (data_key,) = store.keys_of(MERCHANT, "data")
    moved = WrappedDataKey(
        data_key.key_id, OTHER_MERCHANT, "data", 1, data_key.wrapped, data_key.master_version
    )
    store.overwrite(moved)

    with pytest.raises(KeyUnwrapError, match=f"Data key {data_key.key_id}"):
        EnvelopeVault(store, master).seal(OTHER_MERCHANT, RECORD, SECRET)


def test_a_corrupted_wrapped_key_is_refused(store: InMemoryDataKeyStore, master: MasterKeys) -> None:
    blob = EnvelopeVault(store, master).seal(MERCHANT, RECORD, SECRET)
    (data_key,) = store.keys_of(MERCHANT, "data")
    store.overwrite(
        WrappedDataKey(
            data_key.key_id, MERCHANT, "data", 1, flipped(data_key.wrapped, 20), data_key.master_version
        )
    )

    with pytest.raises(KeyUnwrapError):
        EnvelopeVault(store, master).unseal(MERCHANT, RECORD, blob)


def test_a_data_key_wrapped_under_other_master_keys_does_not_unwrap(
    store: InMemoryDataKeyStore, master: MasterKeys
) -> None:
    blob = EnvelopeVault(store, master).seal(MERCHANT, RECORD, SECRET)

    with pytest.raises(KeyUnwrapError):
        EnvelopeVault(store, MasterKeys({1: os.urandom(32)})).unseal(MERCHANT, RECORD, blob)


# --------------------------------------------------------------------------- concurrent first use


def test_threads_sealing_at_once_for_a_new_merchant_share_one_data_key(
    vault: EnvelopeVault, store: InMemoryDataKeyStore
) -> None:
    threads = 16
    start_together = threading.Barrier(threads, timeout=30)

    def seal(number: int) -> bytes:
        start_together.wait()
        return vault.seal(MERCHANT, f"record-{number}", SECRET)

    with ThreadPoolExecutor(threads) as pool:
        blobs = list(pool.map(seal, range(threads)))

    assert len(store.keys_of(MERCHANT, "data")) == 1
    for number, blob in enumerate(blobs):
        assert vault.unseal(MERCHANT, f"record-{number}", blob) == SECRET


def test_separate_vaults_racing_on_one_store_converge_on_one_data_key(
    store: InMemoryDataKeyStore, master: MasterKeys
) -> None:
    threads = 16
    vaults = [EnvelopeVault(store, master) for _ in range(threads)]
    start_together = threading.Barrier(threads, timeout=30)

    def seal(number: int) -> bytes:
        start_together.wait()
        return vaults[number].seal(MERCHANT, RECORD, SECRET)

    with ThreadPoolExecutor(threads) as pool:
        blobs = list(pool.map(seal, range(threads)))

    assert len(store.keys_of(MERCHANT, "data")) == 1
    for blob in blobs:
        assert vaults[0].unseal(MERCHANT, RECORD, blob) == SECRET


def test_when_another_process_stores_the_first_key_first_its_key_is_used(master: MasterKeys) -> None:
    store = StoreThatMissesRivalRows()
    rival = EnvelopeVault(store, master)
    rival_blob = rival.seal(MERCHANT, RECORD, b"rival")
    store.misses = 2  # our vault looks twice (before and under its lock) and sees nothing

    blob = EnvelopeVault(store, master).seal(MERCHANT, RECORD, SECRET)

    assert len(store.keys_of(MERCHANT, "data")) == 1
    assert blob[:9] == rival_blob[:9]  # same format byte and data key id
    assert rival.unseal(MERCHANT, RECORD, blob) == SECRET


# --------------------------------------------------------------------------- fingerprints


def test_fingerprints_are_stable_hex_hmacs_per_merchant(
    vault: EnvelopeVault, store: InMemoryDataKeyStore, master: MasterKeys
) -> None:
    first = vault.fingerprint(MERCHANT, "4111111111111111")

    assert first == vault.fingerprint(MERCHANT, "4111111111111111")
    assert first == EnvelopeVault(store, master).fingerprint(MERCHANT, "4111111111111111")
    (fingerprint_key,) = store.keys_of(MERCHANT, "fingerprint")
    expected = hmac.new(
        unwrap_data_key(master, fingerprint_key), b"4111111111111111", hashlib.sha256
    ).hexdigest()
    assert first == expected  # HMAC-SHA256 under the merchant's own fingerprint key, lower hex
    assert len(first) == 64
    assert set(first) <= set("0123456789abcdef")
    assert "4111111111111111" not in first


def test_fingerprints_differ_across_merchants_and_values(vault: EnvelopeVault) -> None:
    fingerprints = {
        vault.fingerprint(MERCHANT, "4111111111111111"),
        vault.fingerprint(OTHER_MERCHANT, "4111111111111111"),
        vault.fingerprint(MERCHANT, "4111111111111112"),
    }

    assert len(fingerprints) == 3


def test_fingerprint_keys_are_stored_wrapped_under_their_own_purpose(
    vault: EnvelopeVault, store: InMemoryDataKeyStore
) -> None:
    vault.fingerprint(MERCHANT, "4111111111111111")

    (fingerprint_key,) = store.all_keys()
    assert (fingerprint_key.merchant_key, fingerprint_key.purpose) == (MERCHANT, "fingerprint")


def test_fingerprints_survive_a_new_data_key_version(
    vault: EnvelopeVault, store: InMemoryDataKeyStore, master: MasterKeys
) -> None:
    before = vault.fingerprint(MERCHANT, "4111111111111111")

    vault.add_data_key_version(MERCHANT)

    assert EnvelopeVault(store, master).fingerprint(MERCHANT, "4111111111111111") == before
    assert len(store.keys_of(MERCHANT, "fingerprint")) == 1


# --------------------------------------------------------------------------- credential digests


def test_credential_digests_are_stable_and_keyed(
    vault: EnvelopeVault, store: InMemoryDataKeyStore, master: MasterKeys
) -> None:
    salt = os.urandom(16)
    digest = vault.credential_digest("transaction-key", salt)

    assert len(digest) == 32
    assert digest == vault.credential_digest("transaction-key", salt)
    assert digest == EnvelopeVault(store, master).credential_digest("transaction-key", salt)
    assert digest != vault.credential_digest("transaction-kez", salt)
    assert digest != vault.credential_digest("transaction-key", os.urandom(16))
    other_server = EnvelopeVault(InMemoryDataKeyStore(), master)
    assert digest != other_server.credential_digest("transaction-key", salt)


def test_the_salt_and_secret_cannot_trade_bytes(vault: EnvelopeVault) -> None:
    assert vault.credential_digest("bc", b"a") != vault.credential_digest("c", b"ab")


def test_the_pepper_is_stored_under_merchant_zero_as_a_credential_key(
    vault: EnvelopeVault, store: InMemoryDataKeyStore
) -> None:
    vault.credential_digest("transaction-key", b"salt")

    (pepper,) = store.all_keys()
    assert (pepper.merchant_key, pepper.purpose, pepper.version) == (0, "credential", 1)


# --------------------------------------------------------------------------- reprs


def test_reprs_and_messages_show_no_key_material(
    vault: EnvelopeVault, store: InMemoryDataKeyStore, master: MasterKeys
) -> None:
    blob = vault.seal(MERCHANT, RECORD, SECRET)
    vault.fingerprint(MERCHANT, "4111111111111111")
    vault.credential_digest("transaction-key", b"salt")
    with pytest.raises(VaultError) as refusal:
        vault.unseal(MERCHANT, "another record", blob)
    materials = [master.key(1), *(unwrap_data_key(master, row) for row in store.all_keys())]
    data_key = DataKey(1, MERCHANT, "data", 1, materials[1])

    shown = [repr(vault), str(vault), repr(master), refusal.value.message, repr(data_key)]

    assert "cached_keys=3" in repr(vault)
    for text in shown:
        for material in materials:
            for form in material_forms(material):
                assert form not in text


def test_the_vault_refuses_to_be_pickled(vault: EnvelopeVault) -> None:
    with pytest.raises(TypeError):
        pickle.dumps(vault)
