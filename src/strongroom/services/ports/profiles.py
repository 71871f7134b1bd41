"""The customer vault as stored: profiles, payment profiles, addresses, their repository."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from strongroom.domain.customers import Address, CustomerType, ProfileType
from strongroom.domain.instruments import YearMonth


@dataclass(frozen=True, slots=True)
class ProfileRow:
    ref: str
    merchant_customer_id: str | None
    description: str | None
    email: str | None
    profile_type: ProfileType
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PaymentProfileRow:
    """A payment profile as stored: secrets only inside `sealed`, the rest searchable in clear."""

    ref: str
    profile_ref: str
    kind: str  # "card" | "bank"
    sealed: bytes
    fingerprint: str
    last4: str
    card_brand: str | None
    issuer_number: str | None
    expiry: YearMonth | None
    bank_account_type: str | None
    echeck_type: str | None
    bank_name: str | None
    name_on_account: str | None
    bill_to: Address | None
    customer_type: CustomerType | None
    drivers_license_state: str | None
    is_default: bool
    exclude_from_account_updater: bool | None
    original_network_trans_id: str | None
    original_auth_amount: Decimal | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AddressRow:
    ref: str
    profile_ref: str
    address: Address
    is_default: bool
    created_at: datetime


class RefTaken(Exception):
    """A caller-chosen public ref already exists (a rare random collision: choose another)."""


class ProfileRepository(Protocol):
    """Customer profiles with their payment profiles and addresses, always scoped by container."""

    def add_profile(
        self,
        container_key: int,
        ref: str,
        merchant_customer_id: str | None,
        description: str | None,
        email: str | None,
        profile_type: ProfileType,
        created_at: datetime,
    ) -> None:
        """Insert a profile under the caller-chosen public ref; `RefTaken` if it exists."""
        ...

    def profile(self, container_key: int, ref: str, *, lock: bool = False) -> ProfileRow | None:
        """One profile; `lock=True` holds it for the rest of the unit of work (limits, defaults)."""
        ...

    def profile_by_merchant_customer_id(
        self, container_key: int, merchant_customer_id: str
    ) -> ProfileRow | None: ...

    def profile_by_email(self, container_key: int, email: str) -> ProfileRow | None: ...

    def duplicate_profile(
        self,
        container_key: int,
        merchant_customer_id: str | None,
        description: str | None,
        email: str | None,
        excluding_ref: str | None = None,
    ) -> str | None:
        """Ref of a profile whose three identity fields all equal these (NULL equals NULL)."""
        ...

    def profile_refs(self, container_key: int) -> Sequence[str]: ...

    def lock_container(self, container_key: int) -> None:
        """Serialise profile creation in a container until the unit of work ends (duplicate checks)."""
        ...

    def update_profile(
        self,
        container_key: int,
        ref: str,
        merchant_customer_id: str | None,
        description: str | None,
        email: str | None,
        profile_type: ProfileType | None,
    ) -> None: ...

    def delete_profile(self, container_key: int, ref: str) -> bool:
        """Delete the profile and, with it, its payment profiles and addresses."""
        ...

    # payment profiles
    def add_payment_profile(self, container_key: int, row: PaymentProfileRow) -> str:
        """Insert (row.ref is ignored) and return the new public ref."""
        ...

    def payment_profiles(self, container_key: int, profile_ref: str) -> Sequence[PaymentProfileRow]:
        """All payment profiles of a profile, oldest first."""
        ...

    def payment_profile(self, container_key: int, profile_ref: str, ref: str) -> PaymentProfileRow | None: ...

    def replace_payment_profile(self, container_key: int, row: PaymentProfileRow) -> None: ...

    def delete_payment_profile(self, container_key: int, profile_ref: str, ref: str) -> bool: ...

    def duplicate_payment_profile(
        self,
        container_key: int,
        profile_ref: str,
        fingerprint: str,
        bill_to: Address | None,
        excluding_ref: str | None = None,
    ) -> str | None:
        """Ref of a payment profile with the same fingerprint and billTo first name, last name,
        address and zip (expiry is not part of the check)."""
        ...

    def clear_default_payment_profile(self, container_key: int, profile_ref: str) -> None: ...

    def payment_profiles_expiring(
        self, container_key: int, month: YearMonth, descending: bool, offset: int, limit: int
    ) -> tuple[int, Sequence[PaymentProfileRow]]:
        """Card payment profiles expiring in `month`, ordered by ref; (total, page)."""
        ...

    # shipping addresses
    def add_address(
        self, container_key: int, profile_ref: str, address: Address, is_default: bool, created_at: datetime
    ) -> str: ...

    def addresses(self, container_key: int, profile_ref: str) -> Sequence[AddressRow]: ...

    def address(self, container_key: int, profile_ref: str, ref: str) -> AddressRow | None: ...

    def replace_address(self, container_key: int, row: AddressRow) -> None: ...

    def delete_address(self, container_key: int, profile_ref: str, ref: str) -> bool: ...

    def duplicate_address(
        self, container_key: int, profile_ref: str, address: Address, excluding_ref: str | None = None
    ) -> str | None:
        """Ref of an address with the same first name, last name, address, zip and phone."""
        ...

    def clear_default_address(self, container_key: int, profile_ref: str) -> None: ...
