"""Customer profiles, their payment profiles and shipping addresses, and the CIM rules on them."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from enum import StrEnum

from strongroom.domain.instruments import Instrument
from strongroom.domain.sensitive import Secret

MAX_PAYMENT_PROFILES = 10
MAX_SHIPPING_ADDRESSES = 100


class ProfileType(StrEnum):
    REGULAR = "regular"
    GUEST = "guest"


class CustomerType(StrEnum):
    INDIVIDUAL = "individual"
    BUSINESS = "business"


class ValidationMode(StrEnum):
    NONE = "none"
    TEST = "testMode"
    LIVE = "liveMode"
    OLD_LIVE = "oldLiveMode"


@dataclass(frozen=True, slots=True)
class Address:
    """A name and address; billing addresses and shipping addresses share this shape."""

    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    address: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country: str | None = None
    phone_number: str | None = None
    fax_number: str | None = None
    email: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) in (None, "") for f in fields(self))


@dataclass(frozen=True, slots=True)
class DriversLicense:
    number: Secret[str]
    state: str
    date_of_birth: str = field(repr=False)  # personal data: kept out of reprs and logs

    @property
    def masked_number(self) -> str:
        return "XXXX" + self.number.reveal()[-4:]


@dataclass(frozen=True, slots=True)
class PaymentProfileDraft:
    """What a caller supplies to create or replace a payment profile."""

    instrument: Instrument
    bill_to: Address | None = None
    customer_type: CustomerType | None = None
    drivers_license: DriversLicense | None = None
    tax_id: Secret[str] | None = None
    is_default: bool = False
    exclude_from_account_updater: bool | None = None
    card_code: Secret[str] | None = None  # used for validation only, never stored
    original_network_trans_id: str | None = None
    original_auth_amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PaymentProfile:
    """A stored payment profile with its instrument revealed to the service layer."""

    ref: str
    profile_ref: str
    instrument: Instrument
    bill_to: Address | None
    customer_type: CustomerType | None
    drivers_license: DriversLicense | None
    tax_id: Secret[str] | None
    is_default: bool
    # The vault's keyed fingerprint of the number as stored with the profile ("" for a merged
    # change that carries a new number, until it is sealed again).
    fingerprint: str
    exclude_from_account_updater: bool | None = None
    original_network_trans_id: str | None = None
    original_auth_amount: Decimal | None = None
    subscription_refs: tuple[str, ...] = ()

    def with_changes(self, **changes: object) -> PaymentProfile:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class ShippingAddress:
    ref: str
    profile_ref: str
    address: Address
    is_default: bool
    subscription_refs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProfileDraft:
    """What a caller supplies to create a customer profile, with nested records in request order."""

    merchant_customer_id: str | None = None
    description: str | None = None
    email: str | None = None
    profile_type: ProfileType = ProfileType.REGULAR
    payment_profiles: tuple[PaymentProfileDraft, ...] = ()
    ship_to: tuple[Address, ...] = ()


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    ref: str
    merchant_customer_id: str | None
    description: str | None
    email: str | None
    profile_type: ProfileType
    payment_profiles: tuple[PaymentProfile, ...] = ()
    ship_to: tuple[ShippingAddress, ...] = ()
    subscription_refs: tuple[str, ...] = field(default=())

    def identity_key(self) -> tuple[str | None, str | None, str | None]:
        """The fields whose equality makes two customer profiles duplicates (E00039)."""
        return (self.merchant_customer_id, self.description, self.email)
