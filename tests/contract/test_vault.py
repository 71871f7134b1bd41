"""The Vault contract over EnvelopeVault on each DataKeyStore (the in-memory fake, SqlDataKeyStore
on SQLite and PostgreSQL) and over the delivery tests' KeyLessVault for a merchant it does not
break: round trips bound to their record, keyed fingerprints and digests, and what a second
vault over the same keys can open."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from strongroom.services.ports import DataKeyStore, Vault
from strongroom.storage import SqlDataKeyStore
from strongroom.vault import EnvelopeVault, MasterKeys, VaultError
from tests.contract.implementations import MEMORY, SQL, migrated_engine
from tests.integration.test_webhook_delivery_service import KeyLessVault
from tests.unit.vault.fakes import InMemoryDataKeyStore

MERCHANT, OTHER_MERCHANT, BROKEN_MERCHANT = 41, 42, 99
RECORD = "payment-profile:1001"
SECRET = b'{"cardNumber":"4111111111111111","expirationDate":"2031-12"}'
KEY_LESS = "key-less-over-in-memory"


@dataclass
class Vaults:
    """A vault, and how to open another one over the same data keys and master keys."""

    vault: Vault
    reopen: Callable[[], Vault]


def _over(store: DataKeyStore, master: MasterKeys, *, key_less: bool = False) -> Vaults:
    def make() -> Vault:
        real = EnvelopeVault(store, master)
        return KeyLessVault(real, BROKEN_MERCHANT) if key_less else real

    return Vaults(make(), make)


@pytest.fixture(params=[MEMORY, *SQL, KEY_LESS])
def vaults(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Vaults]:
    master = MasterKeys({1: os.urandom(32)})
    if request.param in (MEMORY, KEY_LESS):
        yield _over(InMemoryDataKeyStore(), master, key_less=request.param == KEY_LESS)
        return
    with migrated_engine(request.param, tmp_path) as engine:
        yield _over(SqlDataKeyStore(engine), master)


@pytest.mark.parametrize("plaintext", [SECRET, b"", bytes(range(256))])
def test_seal_then_unseal_gives_the_plaintext_back(vaults: Vaults, plaintext: bytes) -> None:
    blob = vaults.vault.seal(MERCHANT, RECORD, plaintext)

    assert vaults.vault.unseal(MERCHANT, RECORD, blob) == plaintext
    assert plaintext == b"" or plaintext not in blob


def test_sealing_twice_gives_different_blobs_that_both_open(vaults: Vaults) -> None:
    first, second = (vaults.vault.seal(MERCHANT, RECORD, SECRET) for _ in range(2))

    assert first != second
    assert [vaults.vault.unseal(MERCHANT, RECORD, blob) for blob in (first, second)] == [SECRET, SECRET]


def test_a_blob_opens_only_for_its_merchant_and_record(vaults: Vaults) -> None:
    blob = vaults.vault.seal(MERCHANT, RECORD, SECRET)

    with pytest.raises(VaultError):
        vaults.vault.unseal(MERCHANT, "payment-profile:1002", blob)
    with pytest.raises(VaultError):
        vaults.vault.unseal(OTHER_MERCHANT, RECORD, blob)


def test_another_vault_over_the_same_keys_opens_the_blob(vaults: Vaults) -> None:
    blob = vaults.vault.seal(MERCHANT, RECORD, SECRET)

    assert vaults.reopen().unseal(MERCHANT, RECORD, blob) == SECRET


def test_fingerprints_are_stable_keyed_and_per_merchant(vaults: Vaults) -> None:
    first = vaults.vault.fingerprint(MERCHANT, "4111111111111111")

    assert first == vaults.vault.fingerprint(MERCHANT, "4111111111111111")
    assert first == vaults.reopen().fingerprint(MERCHANT, "4111111111111111")
    assert (
        len(
            {
                first,
                vaults.vault.fingerprint(OTHER_MERCHANT, "4111111111111111"),
                vaults.vault.fingerprint(MERCHANT, "4111111111111112"),
            }
        )
        == 3
    )
    assert "4111111111111111" not in first


def test_credential_digests_are_stable_and_depend_on_secret_and_salt(vaults: Vaults) -> None:
    salt = os.urandom(16)
    digest = vaults.vault.credential_digest("transaction-key", salt)

    assert digest == vaults.reopen().credential_digest("transaction-key", salt)
    assert digest != vaults.vault.credential_digest("transaction-kez", salt)
    assert digest != vaults.vault.credential_digest("transaction-key", os.urandom(16))


def test_prepare_is_idempotent_and_changes_no_answer(vaults: Vaults) -> None:
    vaults.vault.prepare(MERCHANT)
    fingerprint = vaults.vault.fingerprint(MERCHANT, "4111111111111111")
    blob = vaults.vault.seal(MERCHANT, RECORD, SECRET)

    vaults.vault.prepare(MERCHANT)

    assert vaults.vault.fingerprint(MERCHANT, "4111111111111111") == fingerprint
    assert vaults.vault.unseal(MERCHANT, RECORD, blob) == SECRET
