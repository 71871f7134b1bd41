"""Merchant use cases: onboarding with generated or migrated credentials, and API authentication."""

from __future__ import annotations

import hmac
import re
import secrets
import string
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from strongroom.domain.customers import Address
from strongroom.domain.errors import AuthenticationFailed, InvalidField, NotFound
from strongroom.domain.merchants import (
    Merchant,
    MerchantContact,
    MerchantCredentials,
    MerchantDetails,
)
from strongroom.domain.sensitive import Secret
from strongroom.services.auth_guard import Attempt, AuthGuard
from strongroom.services.ports import Clock, UnitOfWorkFactory, Vault

_ALPHANUMERIC = string.ascii_letters + string.digits
_LOGIN = re.compile(r"[A-Za-z0-9_\-.]{1,25}")
_KEY = re.compile(r"[A-Za-z0-9]{1,16}")
_SIGNATURE = re.compile(r"[0-9A-Fa-f]{128}")
SIGNATURE_RECORD = "merchant/signature-key"
_DUMMY_SALT = b"\x00" * 16


class UnsealedSignatureKeys:
    """Signature keys this process has unsealed, by their sealed blob: a changed key is a new
    blob, so an entry never goes stale. Bounded; never shows a key in its repr."""

    def __init__(self, vault: Vault, max_entries: int = 4096) -> None:
        self._vault = vault
        self._max_entries = max_entries
        self._keys: dict[tuple[int, bytes], Secret[str]] = {}
        self._lock = threading.Lock()

    def unsealed(self, merchant_key: int, sealed: bytes) -> Secret[str]:
        with self._lock:
            known = self._keys.get((merchant_key, sealed))
        if known is not None:
            return known
        plain = Secret(self._vault.unseal(merchant_key, SIGNATURE_RECORD, sealed).decode())
        with self._lock:
            if len(self._keys) >= self._max_entries:
                self._keys.clear()
            self._keys[(merchant_key, sealed)] = plain
        return plain

    def __repr__(self) -> str:
        return "UnsealedSignatureKeys(***)"


class SignatureKey:
    """A merchant's signature key as authentication read it: sealed, unsealed on first reveal
    (once per process, see `UnsealedSignatureKeys`). Never shows the key in its repr."""

    __slots__ = ("_keys", "_merchant_key", "_sealed")

    def __init__(self, keys: UnsealedSignatureKeys, merchant_key: int, sealed: bytes | None) -> None:
        self._keys = keys
        self._merchant_key = merchant_key
        self._sealed = sealed

    def reveal(self) -> Secret[str] | None:
        """The key, or None when the merchant has none. Vault I/O: never inside a unit of work."""
        if self._sealed is None:
            return None
        return self._keys.unsealed(self._merchant_key, self._sealed)

    def __repr__(self) -> str:
        return "SignatureKey(***)"


@dataclass(frozen=True, slots=True)
class Authenticated:
    """An authenticated merchant and what signing its answers needs (no second read)."""

    merchant: Merchant
    signature_key: SignatureKey = field(repr=False)


def _random_text(length: int, alphabet: str = _ALPHANUMERIC) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def generate_credentials(
    login_id: str | None, transaction_key: str | None, signature_key: str | None
) -> MerchantCredentials:
    """Fill in what the operator did not supply, and check what they did."""
    login = login_id or _random_text(11)
    key = transaction_key or _random_text(16)
    signature = (signature_key or secrets.token_hex(64)).upper()
    if not _LOGIN.fullmatch(login):
        raise InvalidField("login_id", "API login IDs are 1-25 letters, digits, '_', '-' or '.'.")
    if not _KEY.fullmatch(key):
        raise InvalidField("transaction_key", "Transaction keys are 1-16 letters or digits.")
    if not _SIGNATURE.fullmatch(signature):
        raise InvalidField("signature_key", "Signature keys are 128 hexadecimal characters.")
    return MerchantCredentials(login, key, signature)


class Merchants:
    """Onboarding and authentication of merchants (tenants)."""

    def __init__(
        self, units: UnitOfWorkFactory, vault: Vault, clock: Clock, guard: AuthGuard | None = None
    ) -> None:
        self._units = units
        self._vault = vault
        self._clock = clock
        self._guard = guard
        self._signature_keys = UnsealedSignatureKeys(vault)

    def create(
        self,
        name: str,
        login_id: str | None = None,
        transaction_key: str | None = None,
        signature_key: str | None = None,
        is_sandbox: bool = True,
    ) -> tuple[Merchant, MerchantCredentials]:
        """Create a merchant; the returned credentials are shown once and stored only hashed/sealed."""
        if not name.strip():
            raise InvalidField("name", "A merchant needs a name.")
        credentials = generate_credentials(login_id, transaction_key, signature_key)
        salt = secrets.token_bytes(16)
        digest = self._vault.credential_digest(credentials.transaction_key, salt)
        with self._units() as uow:
            merchant = uow.merchants.add(
                name.strip(),
                credentials.login_id,
                salt,
                digest,
                _random_text(64),
                self._clock.now(),
                is_sandbox,
            )
            uow.commit()
        # Data keys are created outside any write unit of work (SQLite allows one writer).
        sealed = self._vault.seal(merchant.key, SIGNATURE_RECORD, credentials.signature_key.encode())
        self._vault.fingerprint(merchant.key, "provision")
        with self._units() as uow:
            uow.merchants.set_signature_key(merchant.key, sealed)
            uow.commit()
        return merchant, credentials

    def authenticate(
        self, login_id: str | None, transaction_key: Secret[str] | None, attempt: Attempt | None = None
    ) -> Authenticated:
        """Check an API login ID and transaction key; constant-time, no password-hash cost.

        With an `attempt` (a door's request), a locked login or client address is refused
        before the key is checked (`AuthenticationLocked`), and a failure is counted."""
        guard = self._guard if attempt is not None else None
        if guard is None or attempt is None:
            return self._check(login_id, transaction_key)
        guard.refuse_if_locked(login_id or "", attempt)
        try:
            return self._check(login_id, transaction_key)
        except AuthenticationFailed:
            guard.failed(login_id or "", attempt)
            raise

    def _check(self, login_id: str | None, transaction_key: Secret[str] | None) -> Authenticated:
        with self._units(write=False) as uow:
            row = uow.merchants.by_login(login_id) if login_id else None
        key = transaction_key.reveal() if transaction_key is not None else ""
        salt = row.credential_salt if row is not None else _DUMMY_SALT
        digest = self._vault.credential_digest(key, salt)
        expected = row.transaction_key_digest if row is not None else b""
        if row is None or not key or not hmac.compare_digest(digest, expected):
            raise AuthenticationFailed("User authentication failed due to invalid authentication values.")
        signature_key = SignatureKey(self._signature_keys, row.merchant.key, row.sealed_signature_key)
        return Authenticated(row.merchant, signature_key)

    def using_transaction_key(self, transaction_key: Secret[str]) -> list[Merchant]:
        """The merchants whose transaction key is `transaction_key` (one keyed hash each)."""
        key = transaction_key.reveal()
        with self._units(write=False) as uow:
            rows = uow.merchants.all_rows()
        return [
            row.merchant
            for row in rows
            if hmac.compare_digest(
                self._vault.credential_digest(key, row.credential_salt), row.transaction_key_digest
            )
        ]

    def new_transaction_key(self, merchant: Merchant, transaction_key: str | None = None) -> Secret[str]:
        """Replace the merchant's transaction key (generated unless given); the old one stops
        authenticating at once. The new key is returned to be shown once."""
        key = generate_credentials(merchant.login_id, transaction_key, None).transaction_key
        salt = secrets.token_bytes(16)
        digest = self._vault.credential_digest(key, salt)
        with self._units() as uow:
            uow.merchants.set_transaction_key(merchant.key, salt, digest)
            uow.commit()
        return Secret(key)

    def all(self) -> Sequence[Merchant]:
        with self._units(write=False) as uow:
            return uow.merchants.all()

    def by_login(self, login_id: str) -> Merchant | None:
        with self._units(write=False) as uow:
            row = uow.merchants.by_login(login_id)
        return row.merchant if row is not None else None

    def details(self, merchant: Merchant) -> MerchantDetails:
        """The account's gateway id, business information and contact."""
        with self._units(write=False) as uow:
            found = uow.merchants.details(merchant.key)
        if found is None:
            raise NotFound("The merchant cannot be found.")
        return found

    def set_details(self, merchant: Merchant, business: Address, contact: MerchantContact) -> MerchantDetails:
        """Replace the business information and contact (getMerchantDetails shows them)."""
        _check_details(business, contact)
        with self._units() as uow:
            uow.merchants.set_details(merchant.key, business, contact)
            found = uow.merchants.details(merchant.key)
            uow.commit()
        if found is None:
            raise NotFound("The merchant cannot be found.")
        return found


_BUSINESS_LENGTHS = {
    "first_name": 50,
    "last_name": 50,
    "company": 50,
    "address": 60,
    "city": 40,
    "state": 40,
    "zip": 20,
    "country": 60,
    "phone_number": 25,
    "fax_number": 25,
    "email": 255,
}
_CONTACT_LENGTHS = {"email": 255, "first_name": 50, "last_name": 50}


def _check_details(business: Address, contact: MerchantContact) -> None:
    for prefix, value, lengths in (
        ("business", business, _BUSINESS_LENGTHS),
        ("contact", contact, _CONTACT_LENGTHS),
    ):
        for name, limit in lengths.items():
            text = getattr(value, name)
            if text is not None and len(text) > limit:
                raise InvalidField(
                    f"{prefix}_{name}",
                    f"The {prefix} {name.replace('_', ' ')} is at most {limit} characters.",
                )
