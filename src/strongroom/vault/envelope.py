"""EnvelopeVault: records sealed under per-merchant data keys, fingerprints, credential digests."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import struct
from dataclasses import dataclass
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from strongroom.services.ports import DataKeyStore
from strongroom.vault.errors import DataKeyNotFoundError, UnsealError
from strongroom.vault.key_ring import (
    CREDENTIAL_PURPOSE,
    DATA_PURPOSE,
    FINGERPRINT_PURPOSE,
    SERVER_WIDE,
    DataKey,
    KeyRing,
)
from strongroom.vault.master_keys import MasterKeys

BLOB_FORMAT: Final = 1
_NONCE_BYTES: Final = 12
_HEADER: Final = struct.Struct(f">BQ{_NONCE_BYTES}s")  # format byte, data key id, nonce
_TAG_BYTES: Final = 16


@dataclass(frozen=True, slots=True)
class SealedBlob:
    """The self-describing sealed layout: format (1 byte), data key id (8 bytes, big-endian),
    nonce (12 bytes), AES-256-GCM ciphertext with its 16-byte tag."""

    key_id: int
    nonce: bytes
    ciphertext: bytes

    @classmethod
    def parse(cls, blob: bytes) -> SealedBlob:
        if len(blob) < _HEADER.size + _TAG_BYTES:
            raise UnsealError("The sealed blob is too short to be one.")
        blob_format, key_id, nonce = _HEADER.unpack_from(blob)
        if blob_format != BLOB_FORMAT:
            raise UnsealError(f"The sealed blob has unknown format {blob_format}.")
        return cls(key_id, nonce, bytes(blob[_HEADER.size :]))

    def to_bytes(self) -> bytes:
        return _HEADER.pack(BLOB_FORMAT, self.key_id, self.nonce) + self.ciphertext


class EnvelopeVault:
    """The `Vault` port: AES-256-GCM under per-merchant data keys wrapped by master keys.

    Thread-safe; unwrapped keys stay cached in memory for the life of the object.
    """

    def __init__(self, store: DataKeyStore, master: MasterKeys) -> None:
        self._master = master
        self._keys = KeyRing(store, master)

    def seal(self, merchant_key: int, record: str, plaintext: bytes) -> bytes:
        key = self._keys.newest(merchant_key, DATA_PURPOSE)
        nonce = os.urandom(_NONCE_BYTES)
        context = _seal_context(merchant_key, record, key.key_id)
        ciphertext = AESGCM(key.material).encrypt(nonce, plaintext, context)
        return SealedBlob(key.key_id, nonce, ciphertext).to_bytes()

    def unseal(self, merchant_key: int, record: str, blob: bytes) -> bytes:
        sealed = SealedBlob.parse(blob)
        key = self._data_key(merchant_key, sealed.key_id)
        context = _seal_context(merchant_key, record, sealed.key_id)
        try:
            return AESGCM(key.material).decrypt(sealed.nonce, sealed.ciphertext, context)
        except InvalidTag:
            raise UnsealError(
                "The sealed blob does not open: it was altered, or sealed for another record."
            ) from None

    def fingerprint(self, merchant_key: int, value: str) -> str:
        key = self._keys.never_rotated(merchant_key, FINGERPRINT_PURPOSE)
        return hmac.new(key.material, value.encode("utf-8"), hashlib.sha256).hexdigest()

    def credential_digest(self, secret: str, salt: bytes) -> bytes:
        pepper = self._keys.never_rotated(SERVER_WIDE, CREDENTIAL_PURPOSE)
        message = len(salt).to_bytes(4, "big") + salt + secret.encode("utf-8")
        return hmac.digest(pepper.material, message, "sha256")

    def prepare(self, merchant_key: int) -> None:
        self._keys.ensure(merchant_key, DATA_PURPOSE)

    def add_data_key_version(self, merchant_key: int) -> int:
        """Create the merchant's next data key version; later seals use it, old blobs still open."""
        return self._keys.add_version(merchant_key, DATA_PURPOSE).version

    def is_current(self, merchant_key: int, blob: bytes) -> bool:
        """Whether `blob` is sealed under the merchant's newest data key."""
        return SealedBlob.parse(blob).key_id == self._keys.newest_key_id(merchant_key, DATA_PURPOSE)

    def reseal(self, merchant_key: int, record: str, blob: bytes) -> bytes:
        """Open `blob` and seal its plaintext again under the merchant's newest data key."""
        return self.seal(merchant_key, record, self.unseal(merchant_key, record, blob))

    def _data_key(self, merchant_key: int, key_id: int) -> DataKey:
        key = self._keys.by_id(key_id)
        if key is None:
            raise DataKeyNotFoundError(f"Data key {key_id}, named by the blob, is not stored.")
        if key.merchant_key != merchant_key or key.purpose != DATA_PURPOSE:
            raise UnsealError("The sealed blob was not sealed for this merchant.")
        return key

    def __repr__(self) -> str:
        return f"EnvelopeVault(master={self._master!r}, keys={self._keys!r})"

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("EnvelopeVault is not picklable")


def _seal_context(merchant_key: int, record: str, key_id: int) -> bytes:
    return json.dumps(["strongroom.seal.v1", merchant_key, record, key_id], separators=(",", ":")).encode(
        "ascii"
    )
