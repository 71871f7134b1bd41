"""What authentication hands on for signing: the sealed signature key, unsealed once, on use."""

from __future__ import annotations

from datetime import UTC, datetime

from strongroom.domain.merchants import Merchant
from strongroom.services.merchants import SIGNATURE_RECORD, Authenticated, SignatureKey

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


def test_the_key_is_unsealed_on_first_reveal_and_only_once() -> None:
    vault = CountingVault()
    key = SignatureKey(vault, 7, b"sealed:" + KEY_HEX.encode())
    assert vault.unsealed == []

    first, second = key.reveal(), key.reveal()

    assert first is not None
    assert first.reveal() == KEY_HEX
    assert second is first
    assert vault.unsealed == [(7, SIGNATURE_RECORD, b"sealed:" + KEY_HEX.encode())]


def test_a_merchant_without_a_key_reveals_none_without_the_vault() -> None:
    vault = CountingVault()

    assert SignatureKey(vault, 7, None).reveal() is None
    assert vault.unsealed == []


def test_neither_the_key_nor_its_sealed_form_shows_in_a_repr() -> None:
    key = SignatureKey(CountingVault(), 7, b"sealed:" + KEY_HEX.encode())
    key.reveal()
    signed_in = Authenticated(merchant(), key)

    for text in (repr(key), repr(signed_in), str(signed_in)):
        assert KEY_HEX not in text
        assert "sealed:" not in text
    assert "acme-1" in repr(signed_in)
