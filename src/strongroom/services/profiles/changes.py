"""Update semantics for payment profiles: masked values mean 'unchanged', omitted ones are cleared."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from strongroom.domain.customers import Address, CustomerType, DriversLicense, PaymentProfile
from strongroom.domain.errors import InvalidField
from strongroom.domain.instruments import (
    BankAccount,
    BankAccountType,
    Card,
    EcheckType,
    Instrument,
    is_masked,
    parse_expiry,
)
from strongroom.domain.sensitive import Secret
from strongroom.services.profiles.sealing import instrument_number


@dataclass(frozen=True, slots=True)
class CardChange:
    number: Secret[str]  # full number, or masked 'XXXX1111'
    expiry: str  # any documented form, or 'XXXX'


@dataclass(frozen=True, slots=True)
class BankChange:
    routing_number: Secret[str]
    account_number: Secret[str]
    name_on_account: str
    account_type: BankAccountType | None = None
    echeck_type: EcheckType | None = None
    bank_name: str | None = None


@dataclass(frozen=True, slots=True)
class LicenseChange:
    number: Secret[str]  # may be masked
    state: str
    date_of_birth: str  # may be masked


@dataclass(frozen=True, slots=True)
class PaymentProfileChange:
    """A full replacement of a payment profile as sent by an update request."""

    ref: str
    payment: CardChange | BankChange | None
    bill_to: Address | None  # None: billTo absent, the old billing block is kept
    customer_type: CustomerType | None = None
    drivers_license: LicenseChange | None = None
    tax_id: Secret[str] | None = None
    is_default: bool | None = None
    exclude_from_account_updater: bool | None = None
    card_code: Secret[str] | None = None
    original_network_trans_id: str | None = None
    original_auth_amount: Decimal | None = None  # kept only together with a network id


def _masked_matches(masked: str, real: str) -> bool:
    tail = masked[4:]
    return not tail or real.endswith(tail)


def merge_card(existing: Instrument, change: CardChange) -> Card:
    number = change.number.reveal().strip()
    if is_masked(number):
        if not isinstance(existing, Card) or not _masked_matches(number, existing.last4):
            raise InvalidField("cardNumber", "Credit card number is invalid.")
        expiry = existing.expiry if is_masked(change.expiry) else parse_expiry(change.expiry)
        return Card(existing.number, expiry, existing.brand)
    if is_masked(change.expiry):
        if not isinstance(existing, Card):
            raise InvalidField("expirationDate", "Credit card expiration date is invalid.")
        return Card.with_number(number, existing.expiry)
    return Card.parse(number, change.expiry)


def merge_bank(existing: Instrument, change: BankChange) -> BankAccount:
    routing = change.routing_number.reveal().strip()
    account = change.account_number.reveal().strip()
    old = existing if isinstance(existing, BankAccount) else None
    if is_masked(routing):
        if old is None or not _masked_matches(routing, old.routing_number.reveal()):
            raise InvalidField("routingNumber", "The ABA code is invalid.")
        routing = old.routing_number.reveal()
    if is_masked(account):
        if old is None or not _masked_matches(account, old.account_number.reveal()):
            raise InvalidField("accountNumber", "The bank account number is invalid.")
        account = old.account_number.reveal()
    return BankAccount.parse(
        routing, account, change.name_on_account, change.account_type, change.echeck_type, change.bank_name
    )


def merge_instrument(existing: Instrument, change: CardChange | BankChange | None) -> Instrument:
    if change is None:
        return existing
    if isinstance(change, CardChange):
        return merge_card(existing, change)
    return merge_bank(existing, change)


def merge_license(existing: DriversLicense | None, change: LicenseChange | None) -> DriversLicense | None:
    if change is None:
        return None
    number = change.number.reveal()
    if is_masked(number):
        if existing is None:
            raise InvalidField("driversLicense", "Driver's license number is invalid.")
        number = existing.number.reveal()
    birth = change.date_of_birth
    if is_masked(birth) and existing is not None:
        birth = existing.date_of_birth
    return DriversLicense(Secret(number), change.state, birth)


def merge_tax_id(existing: Secret[str] | None, change: Secret[str] | None) -> Secret[str] | None:
    if change is None or not is_masked(change.reveal()):
        return change
    return existing


def merged_profile(existing: PaymentProfile, change: PaymentProfileChange) -> PaymentProfile:
    """The profile as `change` leaves it; a new number drops the stored fingerprint ("")."""
    instrument = merge_instrument(existing.instrument, change.payment)
    same_number = instrument_number(instrument) == instrument_number(existing.instrument)
    return existing.with_changes(
        instrument=instrument,
        fingerprint=existing.fingerprint if same_number else "",
        bill_to=existing.bill_to if change.bill_to is None else change.bill_to,
        customer_type=change.customer_type,
        drivers_license=merge_license(existing.drivers_license, change.drivers_license),
        tax_id=merge_tax_id(existing.tax_id, change.tax_id),
        exclude_from_account_updater=change.exclude_from_account_updater,
    )
