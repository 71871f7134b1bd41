"""The vault: envelope encryption, data keys, fingerprints and re-sealing passes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


class Vault(Protocol):
    """Envelope encryption under per-merchant data keys, and keyed fingerprints."""

    def seal(self, merchant_key: int, record: str, plaintext: bytes) -> bytes:
        """Encrypt with the merchant's current data key; `record` is bound as associated data."""
        ...

    def unseal(self, merchant_key: int, record: str, blob: bytes) -> bytes:
        """Decrypt a blob made by `seal` for the same merchant and record (any key version)."""
        ...

    def fingerprint(self, merchant_key: int, value: str) -> str:
        """A per-merchant keyed hash (HMAC) of a card or account number, for duplicate checks."""
        ...

    def credential_digest(self, secret: str, salt: bytes) -> bytes:
        """A keyed hash of an API credential; cheap (microseconds) so it can run per request."""
        ...

    def prepare(self, merchant_key: int) -> None:
        """Create the merchant's data keys now if they are missing, each committed on its own,
        so that no key is created inside a transaction that may yet roll back."""
        ...


@dataclass(frozen=True, slots=True)
class WrappedDataKey:
    """A data key as stored: encrypted under master key `master_version`."""

    key_id: int
    merchant_key: int
    purpose: str  # "data" (record encryption) or "fingerprint" (HMAC)
    version: int
    wrapped: bytes
    master_version: int


class DataKeyStore(Protocol):
    """Where the vault keeps wrapped data keys (implemented by storage)."""

    def current(self, merchant_key: int, purpose: str) -> WrappedDataKey | None:
        """The newest key of that purpose for the merchant, if any."""
        ...

    def get(self, key_id: int) -> WrappedDataKey | None: ...

    def add(
        self, merchant_key: int, purpose: str, version: int, wrapped: bytes, master_version: int
    ) -> WrappedDataKey:
        """Store a new key; if another process stored the same (merchant, purpose, version) first,
        return that one instead."""
        ...

    def all_keys(self) -> Sequence[WrappedDataKey]: ...

    def rewrap(self, key_id: int, wrapped: bytes, master_version: int) -> None: ...


class Resealer(Protocol):
    """The vault's re-encryption side: move sealed records to the newest data key version."""

    def add_data_key_version(self, merchant_key: int) -> int: ...

    def is_current(self, merchant_key: int, blob: bytes) -> bool: ...

    def reseal(self, merchant_key: int, record: str, blob: bytes) -> bytes: ...


@dataclass(frozen=True, slots=True)
class SealedRecord:
    """One sealed blob anywhere in the database, with what is needed to re-seal it."""

    kind: str  # "payment_profile" | "merchant_signature_key" | "transaction_instrument"
    key: int  # internal surrogate key of the row
    merchant_key: int
    profile_ref: str | None
    blob: bytes = field(repr=False)
    record_ref: str | None = None  # transaction instruments: the ref their blob is bound to


class SealedRecordStore(Protocol):
    """Walks every sealed blob for a re-encryption pass (implemented by storage)."""

    def page(self, kind: str, after_key: int, limit: int) -> Sequence[SealedRecord]:
        """Up to `limit` records of `kind` with key > after_key, in key order."""
        ...

    def replace_blob(self, record: SealedRecord, blob: bytes) -> bool:
        """Swap in `blob` only if the row still holds `record.blob` (a concurrent update wins)."""
        ...
