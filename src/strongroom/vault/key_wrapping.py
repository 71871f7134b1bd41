"""Wrapping data keys under master keys: AES-256-GCM bound to merchant, purpose and key version."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from strongroom.services.ports import WrappedDataKey
from strongroom.vault.errors import KeyUnwrapError
from strongroom.vault.master_keys import MasterKeys

WRAP_FORMAT: Final = 1
NONCE_BYTES: Final = 12
DATA_KEY_BYTES: Final = 32
_TAG_BYTES: Final = 16
_WRAPPED_BYTES: Final = 1 + NONCE_BYTES + DATA_KEY_BYTES + _TAG_BYTES


@dataclass(frozen=True, slots=True)
class Wrapping:
    """A data key encrypted under master key `master_version` (format, nonce, ciphertext+tag)."""

    wrapped: bytes
    master_version: int


def wrap_data_key(master: MasterKeys, key: bytes, merchant_key: int, purpose: str, version: int) -> Wrapping:
    """Encrypt `key` under the current master key."""
    master_version = master.current_version
    nonce = os.urandom(NONCE_BYTES)
    context = _wrap_context(merchant_key, purpose, version)
    ciphertext = AESGCM(master.key(master_version)).encrypt(nonce, key, context)
    return Wrapping(bytes([WRAP_FORMAT]) + nonce + ciphertext, master_version)


def unwrap_data_key(master: MasterKeys, row: WrappedDataKey) -> bytes:
    """The plain data key of a stored row; re-reads the master keys once if its version is new."""
    master_key = _master_key_reloading_once(master, row.master_version)
    if len(row.wrapped) != _WRAPPED_BYTES or row.wrapped[0] != WRAP_FORMAT:
        raise KeyUnwrapError(f"Data key {row.key_id} is stored in an unknown format.")
    nonce, ciphertext = row.wrapped[1 : 1 + NONCE_BYTES], row.wrapped[1 + NONCE_BYTES :]
    context = _wrap_context(row.merchant_key, row.purpose, row.version)
    try:
        return AESGCM(master_key).decrypt(nonce, ciphertext, context)
    except InvalidTag:
        raise KeyUnwrapError(
            f"Data key {row.key_id} does not decrypt under master key version "
            f"{row.master_version}: the stored key was altered, moved to another merchant or "
            "purpose, or that master key version holds a different key than it was wrapped "
            "with."
        ) from None


def _master_key_reloading_once(master: MasterKeys, version: int) -> bytes:
    """A version this process has not seen may come from a rotation by another process."""
    if version not in master.versions:
        master.reload()
    return master.key(version)


def _wrap_context(merchant_key: int, purpose: str, version: int) -> bytes:
    return json.dumps(
        ["strongroom.data-key.v1", merchant_key, purpose, version], separators=(",", ":")
    ).encode("ascii")
