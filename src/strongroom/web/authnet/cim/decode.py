"""Turns validated CIM request nodes into the domain's drafts and change descriptions."""

from __future__ import annotations

from decimal import Decimal

from strongroom.domain.customers import (
    Address,
    CustomerType,
    DriversLicense,
    PaymentProfileDraft,
    ProfileDraft,
    ProfileType,
)
from strongroom.domain.errors import FieldLength, InvalidField, MissingField, PaymentRequired
from strongroom.domain.instruments import BankAccount, BankAccountType, Card, EcheckType
from strongroom.domain.money import Money
from strongroom.domain.sensitive import Secret
from strongroom.services.profiles.changes import (
    BankChange,
    CardChange,
    LicenseChange,
    PaymentProfileChange,
)
from strongroom.web.authnet.wire.tree import Node

_ADDRESS_FIELDS = (
    ("firstName", "first_name"),
    ("lastName", "last_name"),
    ("company", "company"),
    ("address", "address"),
    ("city", "city"),
    ("state", "state"),
    ("zip", "zip"),
    ("country", "country"),
    ("phoneNumber", "phone_number"),
    ("faxNumber", "fax_number"),
    ("email", "email"),
)


# The schema leaves an address's email unbounded; the vault keeps 255 characters, as for profiles.
MAX_ADDRESS_EMAIL = 255
# The widest amount the vault keeps (15 digits, two of them decimals).
MAX_ORIGINAL_AUTH_AMOUNT = Decimal("9999999999999.99")


def address(node: Node) -> Address:
    values = {attribute: node.text(element) or None for element, attribute in _ADDRESS_FIELDS}
    email = values["email"]
    if email is not None and len(email) > MAX_ADDRESS_EMAIL:
        raise FieldLength("email", f"email must be at most {MAX_ADDRESS_EMAIL} characters.")
    return Address(**values)


def optional_address(node: Node | None) -> Address | None:
    return address(node) if node is not None else None


def secret(node: Node, name: str) -> Secret[str] | None:
    value = node.text(name)
    return Secret(value) if value is not None else None


# Paper-check conversions need the paper check at the point of sale: never a stored profile.
_NOT_FOR_PROFILES = frozenset({EcheckType.ARC, EcheckType.BOC})


def _bank_enums(bank: Node) -> tuple[BankAccountType | None, EcheckType | None]:
    account_type = bank.text("accountType")
    echeck_text = bank.text("echeckType")
    echeck_type = EcheckType(echeck_text) if echeck_text else None
    if echeck_type in _NOT_FOR_PROFILES:
        raise InvalidField(
            "echeckType", "ARC and BOC eCheck types cannot be stored in a customer payment profile."
        )
    return BankAccountType(account_type) if account_type else None, echeck_type


def _unsupported(payment: Node) -> InvalidField:
    kind = next(iter(payment), "payment")
    return InvalidField(kind, f"{kind} cannot be stored in a customer payment profile.")


def instrument(payment: Node | None) -> tuple[Card | BankAccount, Secret[str] | None]:
    """The card or bank account of a payment element, plus the card code (validation only)."""
    if payment is None:
        raise PaymentRequired()
    card = payment.node("creditCard")
    if card is not None:
        parsed = Card.parse(card.text("cardNumber") or "", card.text("expirationDate") or "")
        return parsed, secret(card, "cardCode")
    bank = payment.node("bankAccount")
    if bank is None:
        raise _unsupported(payment)
    account_type, echeck_type = _bank_enums(bank)
    return BankAccount.parse(
        bank.text("routingNumber") or "",
        bank.text("accountNumber") or "",
        bank.text("nameOnAccount") or "",
        account_type,
        echeck_type,
        bank.text("bankName"),
    ), None


def drivers_license(node: Node | None) -> DriversLicense | None:
    if node is None:
        return None
    return DriversLicense(
        Secret(node.text("number") or ""), node.text("state") or "", node.text("dateOfBirth") or ""
    )


def _customer_type(node: Node) -> CustomerType | None:
    value = node.text("customerType")
    return CustomerType(value) if value else None


def _original(node: Node) -> tuple[str | None, Decimal | None]:
    info = node.node("subsequentAuthInformation")
    if info is None:
        return None, None
    text = info.text("originalAuthAmount")
    amount = Money.parse(text, field="originalAuthAmount").amount if text else None
    if amount is not None and amount > MAX_ORIGINAL_AUTH_AMOUNT:
        raise InvalidField("originalAuthAmount", "originalAuthAmount is too large.")
    return info.text("originalNetworkTransId"), amount


def payment_profile_draft(node: Node) -> PaymentProfileDraft:
    card_or_bank, card_code = instrument(node.node("payment"))
    network_id, amount = _original(node)
    return PaymentProfileDraft(
        instrument=card_or_bank,
        bill_to=optional_address(node.node("billTo")),
        customer_type=_customer_type(node),
        drivers_license=drivers_license(node.node("driversLicense")),
        tax_id=secret(node, "taxId"),
        is_default=node.flag("defaultPaymentProfile") or False,
        exclude_from_account_updater=node.flag("excludeFromAccountUpdater"),
        card_code=card_code,
        original_network_trans_id=network_id,
        original_auth_amount=amount,
    )


def profile_draft(node: Node) -> ProfileDraft:
    profile_type = node.text("profileType")
    return ProfileDraft(
        merchant_customer_id=node.text("merchantCustomerId") or None,
        description=node.text("description") or None,
        email=node.text("email") or None,
        profile_type=ProfileType(profile_type) if profile_type else ProfileType.REGULAR,
        payment_profiles=tuple(payment_profile_draft(item) for item in node.nodes("paymentProfiles")),
        ship_to=tuple(address(item) for item in node.nodes("shipToList")),
    )


def _payment_change(payment: Node | None) -> tuple[CardChange | BankChange | None, Secret[str] | None]:
    if payment is None:
        return None, None
    card = payment.node("creditCard")
    if card is not None:
        change = CardChange(Secret(card.text("cardNumber") or ""), card.text("expirationDate") or "")
        return change, secret(card, "cardCode")
    bank = payment.node("bankAccount")
    if bank is None:
        raise _unsupported(payment)
    account_type, echeck_type = _bank_enums(bank)
    return BankChange(
        Secret(bank.text("routingNumber") or ""),
        Secret(bank.text("accountNumber") or ""),
        bank.text("nameOnAccount") or "",
        account_type,
        echeck_type,
        bank.text("bankName"),
    ), None


def payment_profile_change(node: Node) -> PaymentProfileChange:
    ref = node.text("customerPaymentProfileId")
    if not ref:
        raise MissingField("customerPaymentProfileId", "customerPaymentProfileId is required.")
    payment, card_code = _payment_change(node.node("payment"))
    license_node = node.node("driversLicense")
    license_change = (
        None
        if license_node is None
        else LicenseChange(
            Secret(license_node.text("number") or ""),
            license_node.text("state") or "",
            license_node.text("dateOfBirth") or "",
        )
    )
    network_id, amount = _original(node)
    return PaymentProfileChange(
        ref=ref,
        payment=payment,
        bill_to=optional_address(node.node("billTo")),
        customer_type=_customer_type(node),
        drivers_license=license_change,
        tax_id=secret(node, "taxId"),
        is_default=node.flag("defaultPaymentProfile"),
        exclude_from_account_updater=node.flag("excludeFromAccountUpdater"),
        card_code=card_code,
        original_network_trans_id=network_id,
        original_auth_amount=amount,
    )
