"""What pays for a transactionRequest: a card, bank account or track data sent with it, a
stored customer profile, or (for a linked refund) the last four digits of the account."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from strongroom.domain.errors import InvalidField
from strongroom.domain.instruments import (
    BankAccount,
    BankAccountType,
    Card,
    EcheckType,
    EntryMode,
    YearMonth,
    card_brand,
)
from strongroom.domain.transactions import Reason
from strongroom.services.transactions.requests import (
    BankSource,
    CardSource,
    MaskedSource,
    PaymentSource,
    ProfileSource,
)
from strongroom.web.authnet.cim.decode import secret
from strongroom.web.authnet.codes import WireMessage
from strongroom.web.authnet.transactions.refusals import (
    EMV_NOT_SUPPORTED,
    INVALID_CARD_NUMBER,
    INVALID_EXPIRY,
    PAYMENT_DATA_ERROR,
    PAYMENT_METHOD_NOT_SUPPORTED,
    PAYPAL_NOT_ACCEPTED,
    ApiRefused,
    TransactionRefused,
)
from strongroom.web.authnet.wire.tree import Node


def _check_profile_combination(node: Node, payment: Node | None) -> None:
    """The documented mutual exclusions of profile, payment, billTo and shipTo."""
    profile = node.node("profile")
    if profile is None:
        return
    payment_profile = profile.node("paymentProfile")
    profile_id = profile.text("customerProfileId")
    shipping_id = profile.text("shippingProfileId")
    if profile.flag("createProfile"):
        if profile_id is not None or payment_profile is not None or shipping_id is not None:
            raise ApiRefused(
                WireMessage("E00088", "ProfileIds cannot be sent when requesting CreateProfile.")
            )
        if payment is None or ("creditCard" not in payment and "bankAccount" not in payment):
            raise ApiRefused(WireMessage("E00089", "Payment data is required when requesting CreateProfile."))
        return
    if payment_profile is not None and payment is not None:
        raise ApiRefused(WireMessage("E00091", "PaymentProfileId cannot be sent with payment data."))
    if payment_profile is not None and node.node("billTo") is not None:
        raise ApiRefused(WireMessage("E00093", "PaymentProfile cannot be sent with billing data."))
    if shipping_id is not None and node.node("shipTo") is not None:
        raise ApiRefused(WireMessage("E00092", "ShippingProfileId cannot be sent with ShipTo data."))
    if profile_id is None and (payment_profile is not None or shipping_id is not None):
        raise ApiRefused(
            WireMessage("E00014", "customerProfileId is required when paying with a customer profile.")
        )
    if profile_id is not None and payment_profile is None:
        raise ApiRefused(
            WireMessage("E00110", "CustomerPaymentProfileId is not provided within Customer Profile.")
        )


def source(node: Node, *, linked_refund: bool) -> PaymentSource:
    """The payment source of a transactionRequest (`linked_refund`: masked numbers allowed)."""
    payment = node.node("payment")
    _check_profile_combination(node, payment)
    profile = node.node("profile")
    payment_profile = profile.node("paymentProfile") if profile is not None else None
    if profile is not None and payment_profile is not None:
        return ProfileSource(
            profile.text("customerProfileId") or "",
            payment_profile.text("paymentProfileId") or "",
            profile.text("shippingProfileId"),
            secret(payment_profile, "cardCode"),
        )
    if payment is None:
        raise TransactionRefused(
            Reason.REQUIRED_FIELD,
            "Payment information cannot be left blank: send payment or profile/paymentProfile.",
        )
    kind = next(iter(payment))
    reader = _SOURCES.get(kind)
    if reader is None:
        raise _unsupported(kind)
    payment_node = payment.node(kind)
    assert payment_node is not None
    return reader(payment_node, linked_refund)


def _unsupported(kind: str) -> TransactionRefused:
    if kind == "opaqueData":
        return TransactionRefused(
            PAYMENT_DATA_ERROR,
            "opaqueData cannot be accepted: only "
            "payment tokens issued by Strongroom are accepted, and "
            "Strongroom does not issue any yet.",
        )
    if kind == "payPal":
        return TransactionRefused(
            PAYPAL_NOT_ACCEPTED,
            "PayPal transactions are not accepted: Strongroom does not offer PayPal Express Checkout.",
        )
    if kind == "emv":
        return TransactionRefused(
            EMV_NOT_SUPPORTED,
            "EMV payment data is not supported by Strongroom; send creditCard or trackData instead.",
        )
    return TransactionRefused(
        PAYMENT_METHOD_NOT_SUPPORTED,
        f"{kind} is not supported by Strongroom: it cannot decrypt card readers' data.",
    )


def masked_last4(number: str) -> str | None:
    """'XXXX1111' or '1111' -> '1111'; None when the number is not masked."""
    text = number.strip()
    digits = text[4:] if text.upper().startswith("XXXX") else text
    if len(digits) == 4 and digits.isascii() and digits.isdigit():
        return digits
    if text.upper().startswith("XXXX"):
        raise TransactionRefused(
            INVALID_CARD_NUMBER, "A masked card number is XXXX followed by the last four digits."
        )
    return None


def _card(card: Node, linked_refund: bool) -> PaymentSource:
    number = card.text("cardNumber") or ""
    if linked_refund:
        masked = masked_last4(number)
        if masked is not None:
            return MaskedSource(masked)
        return MaskedSource(digits_last4(number, "cardNumber"))
    if masked_last4(number) is not None:
        raise TransactionRefused(
            INVALID_CARD_NUMBER, "A masked card number names a card only in a refund of a transaction."
        )
    return CardSource(Card.parse(number, card.text("expirationDate") or ""), secret(card, "cardCode"))


def digits_last4(number: str, field: str) -> str:
    """The last four of an all-digit number of at least four digits; InvalidField otherwise."""
    text = number.strip()
    if len(text) < 4 or not text.isascii() or not text.isdigit():
        raise InvalidField(field)
    return text[-4:]


def _bank(bank: Node, linked_refund: bool) -> PaymentSource:
    account = bank.text("accountNumber") or ""
    if linked_refund:
        text = account.strip()
        if text.upper().startswith("XXXX"):
            return MaskedSource(digits_last4(text[4:], "accountNumber"))
        return MaskedSource(digits_last4(text, "accountNumber"))
    account_type = bank.text("accountType")
    echeck_type = bank.text("echeckType")
    return BankSource(
        BankAccount.parse(
            bank.text("routingNumber") or "",
            account,
            bank.text("nameOnAccount") or "",
            BankAccountType(account_type) if account_type else None,
            EcheckType(echeck_type) if echeck_type else None,
            bank.text("bankName"),
        )
    )


# Track data as read from the stripe, sentinels optional: track 1 is
# "B<PAN>^<NAME>^<YYMM>...", track 2 is "<PAN>=<YYMM>...".
_TRACK1 = re.compile(r"%?B(?P<pan>[0-9]{1,19})\^[^^]{0,26}\^(?P<yy>[0-9]{2})(?P<mm>[0-9]{2})")
_TRACK2 = re.compile(r";?(?P<pan>[0-9]{1,19})[=D](?P<yy>[0-9]{2})(?P<mm>[0-9]{2})")


def track_card(track: Node) -> Card:
    """The card number and expiry read from track 1 or track 2 data (sentinels optional)."""
    name = "track1" if "track1" in track else "track2"
    pattern = _TRACK1 if name == "track1" else _TRACK2
    match = pattern.match((track.text(name) or "").strip())
    if match is None:
        raise TransactionRefused(
            INVALID_CARD_NUMBER,
            f"The {name} data could not be read: the card number and expiration date were not found.",
        )
    month = int(match["mm"])
    if not 1 <= month <= 12:
        raise TransactionRefused(INVALID_EXPIRY, f"The {name} expiration date is invalid.")
    return Card.with_number(match["pan"], YearMonth(2000 + int(match["yy"]), month))


def _track(track: Node, linked_refund: bool) -> PaymentSource:
    card = track_card(track)
    if linked_refund:
        return MaskedSource(card.last4)
    return CardSource(card, entry_mode=EntryMode.SWIPED)


_SOURCES: Final[dict[str, Callable[[Node, bool], PaymentSource]]] = {
    "creditCard": _card,
    "bankAccount": _bank,
    "trackData": _track,
}


def lenient_account(node: Node) -> tuple[str, str]:
    """XXXX + last four digits and the account type of the payment sent, when readable."""
    payment = node.node("payment")
    if payment is None:
        return "", ""
    card = payment.node("creditCard")
    if card is not None:
        number = (card.text("cardNumber") or "").strip()
        last4 = number[-4:]
        if len(last4) != 4 or not last4.isascii() or not last4.isdigit():
            return "", ""
        brand = card_brand(number) if number.isascii() and number.isdigit() else None
        return "XXXX" + last4, brand.value if brand is not None else ""
    bank = payment.node("bankAccount")
    if bank is not None:
        last4 = (bank.text("accountNumber") or "").strip()[-4:]
        valid = len(last4) == 4 and last4.isascii() and last4.isdigit()
        return ("XXXX" + last4, "eCheck") if valid else ("", "")
    track = payment.node("trackData")
    if track is not None:
        try:
            card_ = track_card(track)
        except (InvalidField, TransactionRefused):
            return "", ""
        return card_.masked_number, card_.brand.value
    return "", ""
