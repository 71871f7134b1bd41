"""The Authorize.Net door's one table from Strongroom errors to message codes, and reason texts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from strongroom.domain import errors


@dataclass(frozen=True, slots=True)
class WireMessage:
    code: str
    text: str


SUCCESS: Final = WireMessage("I00001", "Successful.")
SYSTEM_ERROR: Final = WireMessage("E00001", "An error occurred during processing. Please try again.")
UNKNOWN_METHOD: Final = WireMessage("E00004", "The name of the requested API method is invalid.")
BAD_NAMESPACE: Final = WireMessage("E00045",
                                   "The root node does not reference a valid XML namespace.")
AUTH_TYPE_NOT_ALLOWED: Final = WireMessage(
    "E00059", "The authentication type is not allowed for this method call.")


def parse_error(text: str) -> WireMessage:
    return WireMessage("E00003", text)


# One row per error class, most specific first; LimitReached and InUse pick by kind.
_CODES: Final[tuple[tuple[type[errors.StrongroomError], str], ...]] = (
    (errors.AuthenticationFailed, "E00007"),
    (errors.NotFound, "E00040"),
    (errors.Duplicate, "E00039"),
    (errors.PaymentRequired, "E00029"),
    (errors.MissingField, "E00014"),
    (errors.FieldLength, "E00015"),
    (errors.InvalidField, "E00013"),
    (errors.NothingToChange, "E00041"),
    (errors.ValidationDeclined, "E00027"),
)
_LIMIT_CODES: Final = {"payment_profile": "E00042", "shipping_address": "E00043"}
_IN_USE_CODES: Final = {"payment_profile": "E00105", "customer_profile": "E00106",
                        "shipping_address": "E00107"}


def message_for(error: errors.StrongroomError) -> WireMessage:
    if isinstance(error, errors.LimitReached):
        return WireMessage(_LIMIT_CODES.get(error.kind, "E00013"), error.message)
    if isinstance(error, errors.InUse):
        return WireMessage(_IN_USE_CODES.get(error.kind, "E00013"), error.message)
    for error_class, code in _CODES:
        if isinstance(error, error_class):
            return WireMessage(code, error.message)
    return SYSTEM_ERROR


# Reason texts as the protocol documents them (transactionResponse and directResponse).
_DECLINED = "This transaction has been declined."
REASON_TEXTS: Final[dict[int, str]] = {
    1: "This transaction has been approved.",
    2: _DECLINED, 3: _DECLINED, 4: _DECLINED,
    5: "A valid amount is required.",
    6: "The credit card number is invalid.",
    7: "Credit card expiration date is invalid.",
    8: "The credit card has expired.",
    9: "The ABA code is invalid",
    10: "The account number is invalid",
    11: "A duplicate transaction has been submitted.",
    16: "The transaction cannot be found.",
    17: "The merchant does not accept this type of credit card.",
    27: "The transaction has been declined because of an AVS mismatch. The address provided "
        "does not match billing address of cardholder.",
    44: _DECLINED, 45: _DECLINED, 65: _DECLINED, 251: _DECLINED,
    78: "The card code is invalid.",
    252: "Your order has been received. Thank you for your business!",
    253: "Your order has been received. Thank you for your business!",
    295: "The amount of this request was only partially approved on the given prepaid card. "
         "An additional payment is required to fulfill the balance of this transaction.",
}


def reason_text(code: int) -> str:
    return REASON_TEXTS.get(code, "An error occurred during processing. Please try again.")
