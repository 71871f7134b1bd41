"""What authentication hands on for signing: the sealed signature key, unsealed on use, once per process."""

from __future__ import annotations

from datetime import UTC, datetime

from strongroom.domain.merchants import Merchant
from strongroom.services.merchants import (
    SIGNATURE_RECORD,
    Authenticated,
    SignatureKey,
    UnsealedSignatureKeys,
)

KEY_HEX = "AB" * 64


class CountingVault:
    """Unseals by stripping a marker, and counts every unseal."""

    def __init__(self) -> None:
        self.unsealed: list[tuple[int, str, bytes]] = []

    def seal(self, merchant_key: int, record: str, plaintext: bytes) -> bytes:
        return b"sealed:" + plaintext

    def unseal(self, merchant_key: int, record: str, blob: bytes) -> bytes:
        self.unsealed.append((merchant_key, record, blob))
        return blob.removeprefix(b"sealed:")

    def fingerprint(self, merchant_key: int, value: str) -> str:
        return value

    def credential_digest(self, secret: str, salt: bytes) -> bytes:
        return secret.encode() + salt

    def prepare(self, merchant_key: int) -> None:
        return None


def merchant() -> Merchant:
    return Merchant(7, "Acme", "acme-1", 70, "client-key", datetime(2026, 1, 1, tzinfo=UTC))


def test_the_key_is_unsealed_on_first_reveal_and_only_once_per_process() -> None:
    vault = CountingVault()
    keys = UnsealedSignatureKeys(vault)
    sealed = b"sealed:" + KEY_HEX.encode()
    key = SignatureKey(keys, 7, sealed)
    assert vault.unsealed == []

    first, second = key.reveal(), key.reveal()
    later_request = SignatureKey(keys, 7, sealed).reveal()

    assert first is not None
    assert first.reveal() == KEY_HEX
    assert second is first
    assert later_request is first
    assert vault.unsealed == [(7, SIGNATURE_RECORD, sealed)]


def test_a_changed_key_is_a_new_blob_and_is_unsealed_anew() -> None:
    vault = CountingVault()
    keys = UnsealedSignatureKeys(vault)
    SignatureKey(keys, 7, b"sealed:" + KEY_HEX.encode()).reveal()

    changed = SignatureKey(keys, 7, b"sealed:" + b"CD" * 64).reveal()
    other_merchant = SignatureKey(keys, 8, b"sealed:" + KEY_HEX.encode()).reveal()

    assert changed is not None
    assert changed.reveal() == "CD" * 64
    assert other_merchant is not None
    assert other_merchant.reveal() == KEY_HEX
    assert len(vault.unsealed) == 3


def test_the_unsealed_keys_are_bounded() -> None:
    vault = CountingVault()
    keys = UnsealedSignatureKeys(vault, max_entries=2)
    for merchant_key in (1, 2, 3, 1):
        keys.unsealed(merchant_key, b"sealed:" + KEY_HEX.encode())

    assert [key for key, _, _ in vault.unsealed] == [1, 2, 3, 1]  # 1 was dropped with the rest


def test_a_merchant_without_a_key_reveals_none_without_the_vault() -> None:
    vault = CountingVault()

    assert SignatureKey(UnsealedSignatureKeys(vault), 7, None).reveal() is None
    assert vault.unsealed == []


def test_neither_the_key_nor_its_sealed_form_shows_in_a_repr() -> None:
    keys = UnsealedSignatureKeys(CountingVault())
    key = SignatureKey(keys, 7, b"sealed:" + KEY_HEX.encode())
    key.reveal()
    signed_in = Authenticated(merchant(), key)

    for text in (repr(key), repr(keys), repr(signed_in), str(signed_in)):
        assert KEY_HEX not in text
        assert "sealed:" not in text
    assert "acme-1" in repr(signed_in)
