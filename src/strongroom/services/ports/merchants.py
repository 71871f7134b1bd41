"""Merchants as stored, and their repository."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from strongroom.domain.customers import Address
from strongroom.domain.merchants import Merchant, MerchantContact, MerchantDetails


@dataclass(frozen=True, slots=True)
class MerchantRow:
    merchant: Merchant
    credential_salt: bytes
    transaction_key_digest: bytes
    sealed_signature_key: bytes | None


class MerchantRepository(Protocol):
    def add(
        self,
        name: str,
        login_id: str,
        credential_salt: bytes,
        transaction_key_digest: bytes,
        public_client_key: str,
        created_at: datetime,
        is_sandbox: bool,
    ) -> Merchant:
        """Create a merchant and its default profile container; `Duplicate` if the login is taken."""
        ...

    def set_signature_key(self, merchant_key: int, sealed: bytes | None) -> None: ...

    def by_login(self, login_id: str) -> MerchantRow | None: ...

    def by_key(self, merchant_key: int) -> MerchantRow | None: ...

    def all(self) -> Sequence[Merchant]: ...

    def all_rows(self) -> Sequence[MerchantRow]:
        """Every merchant with its credential salt and digests (start-up checks)."""
        ...

    def set_transaction_key(
        self, merchant_key: int, credential_salt: bytes, transaction_key_digest: bytes
    ) -> None: ...

    def details(self, merchant_key: int) -> MerchantDetails | None:
        """The account's gateway id, business information and contact."""
        ...

    def set_details(self, merchant_key: int, business: Address, contact: MerchantContact) -> None: ...
