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
BAD_NAMESPACE: Final = WireMessage("E00045", "The root node does not reference a valid XML namespace.")
AUTH_TYPE_NOT_ALLOWED: Final = WireMessage(
    "E00059", "The authentication type is not allowed for this method call."
)


def parse_error(text: str) -> WireMessage:
    return WireMessage("E00003", text)


# One row per error class, most specific first; LimitReached and InUse pick by kind.
_CODES: Final[tuple[tuple[type[errors.StrongroomError], str], ...]] = (
    (errors.AuthenticationFailed, "E00007"),
    (errors.SubscriptionNotFound, "E00035"),
    (errors.NotFound, "E00040"),
    (errors.DuplicateSubscription, "E00012"),
    (errors.Duplicate, "E00039"),
    (errors.PaymentRequired, "E00029"),
    (errors.MissingField, "E00014"),
    (errors.FieldLength, "E00015"),
    (errors.InvalidField, "E00013"),
    (errors.NothingToChange, "E00041"),
    (errors.ValidationDeclined, "E00027"),
    # No Authorize.Net code exists for an Idempotency-Key conflict (our extension): the request
    # as a whole is refused, like an invalid field, with a text that names the header.
    (errors.RequestConflict, "E00013"),
    (errors.ProfileMismatch, "E00051"),
)
# Recurring-billing refusals, by SubscriptionRefused.rule.
_SUBSCRIPTION_CODES: Final = {
    errors.SubscriptionRule.INVALID: "E00013",
    errors.SubscriptionRule.INTERVAL: "E00022",
    errors.SubscriptionRule.START_IN_PAST: "E00017",
    errors.SubscriptionRule.CARD_EXPIRES: "E00018",
    errors.SubscriptionRule.TRIAL_AMOUNT_WITHOUT_OCCURRENCES: "E00024",
    errors.SubscriptionRule.TRIAL_INCOMPLETE: "E00026",
    errors.SubscriptionRule.TRIAL_OCCURRENCES: "E00028",
    errors.SubscriptionRule.TRIAL_FIXED: "E00013",
    errors.SubscriptionRule.TOTAL_TOO_LOW: "E00013",
    errors.SubscriptionRule.SCHEDULE_REQUIRED: "E00030",
    errors.SubscriptionRule.AMOUNT_REQUIRED: "E00031",
    errors.SubscriptionRule.START_REQUIRED: "E00032",
    errors.SubscriptionRule.START_FIXED: "E00033",
    errors.SubscriptionRule.INTERVAL_FIXED: "E00034",
    errors.SubscriptionRule.PAYMENT_TYPE_FIXED: "E00036",
    errors.SubscriptionRule.CANNOT_UPDATE: "E00037",
    errors.SubscriptionRule.CANNOT_CANCEL: "E00038",
    errors.SubscriptionRule.OTHER_PROFILE: "E00111",
}
_LIMIT_CODES: Final = {"payment_profile": "E00042", "shipping_address": "E00043"}
_IN_USE_CODES: Final = {
    "payment_profile": "E00105",
    "customer_profile": "E00106",
    "shipping_address": "E00107",
}
# createCustomerProfileFromTransaction refusals, by CannotCreateProfile.reason.
_PROFILE_FROM_TRANSACTION_CODES: Final = {
    "transaction": "E00099",
    "type": "E00100",
    "failed": "E00101",
    "customer": "E00102",
    "payment": "E00103",
}


def message_for(error: errors.StrongroomError) -> WireMessage:
    if isinstance(error, errors.LimitReached):
        return WireMessage(_LIMIT_CODES.get(error.kind, "E00013"), error.message)
    if isinstance(error, errors.InUse):
        return WireMessage(_IN_USE_CODES.get(error.kind, "E00013"), error.message)
    if isinstance(error, errors.SubscriptionRefused):
        return WireMessage(_SUBSCRIPTION_CODES.get(error.rule, "E00013"), error.message)
    if isinstance(error, errors.CannotCreateProfile):
        return WireMessage(_PROFILE_FROM_TRANSACTION_CODES.get(error.reason, "E00101"), error.message)
    for error_class, code in _CODES:
        if isinstance(error, error_class):
            return WireMessage(code, error.message)
    return SYSTEM_ERROR


# Reason texts as the protocol documents them (transactionResponse and directResponse).
_DECLINED = "This transaction has been declined."
REASON_TEXTS: Final[dict[int, str]] = {
    1: "This transaction has been approved.",
    2: _DECLINED,
    3: _DECLINED,
    4: _DECLINED,
    5: "A valid amount is required.",
    6: "The credit card number is invalid.",
    7: "Credit card expiration date is invalid.",
    8: "The credit card has expired.",
    9: "The ABA code is invalid",
    10: "The account number is invalid",
    11: "A duplicate transaction has been submitted.",
    12: "An authorization code is required but not present.",
    15: "The transaction ID is invalid or not present.",
    16: "The transaction cannot be found.",
    17: "The merchant does not accept this type of credit card.",
    18: "ACH transactions are not accepted by this merchant.",
    27: "The transaction has been declined because of an AVS mismatch. The address provided "
    "does not match billing address of cardholder.",
    39: "The supplied currency code is either invalid, not supported, not allowed for this "
    "merchant or doesnt have an exchange rate.",
    44: _DECLINED,
    45: _DECLINED,
    65: _DECLINED,
    250: _DECLINED,
    251: _DECLINED,
    254: _DECLINED,
    47: "The amount requested for settlement cannot be greater than the original amount authorized.",
    49: "The transaction amount submitted was greater than the maximum amount allowed.",
    50: "This transaction is awaiting settlement and cannot be refunded.",
    54: "The referenced transaction does not meet the criteria for issuing a credit.",
    55: "The sum of credits against the referenced transaction would exceed original debit amount.",
    66: "This transaction cannot be accepted for processing.",
    78: "The card code is invalid.",
    116: "The authentication indicator is invalid.",
    117: "The cardholder authentication value is invalid.",
    118: "The combination of card type, authentication indicator and cardholder authentication "
    "value is invalid.",
    119: "Transactions having cardholder authentication values cannot be marked as recurring.",
    153: "There was an error processing the payment data.",
    155: "This processor does not support this method of submitting payment data.",
    271: "The number of line items submitted is not allowed. A maximum of 30 line items can be submitted.",
    289: "This processor does not accept zero dollar authorization for this card type.",
    290: "There is one or more missing or invalid required fields.",
    296: "The specified SplitTenderID is invalid.",
    297: "Transaction ID and Split Tender ID cannot both be used in the same request.",
    298: "This order has already been released or voided therefore new transaction "
    "associations cannot be accepted.",
    310: "This transaction has already been voided.",
    311: "This transaction has already been captured.",
    327: "The void request failed. Either the original transaction type does not support void, "
    "or the transaction is in the process of being settled.",
    356: "EMV-based transactions are not currently supported for this processor and card type.",
    2001: "PayPal transactions are not accepted by this merchant.",
    252: "Your order has been received. Thank you for your business!",
    253: "Your order has been received. Thank you for your business!",
    295: "The amount of this request was only partially approved on the given prepaid card. "
    "An additional payment is required to fulfill the balance of this transaction.",
}


def reason_text(code: int) -> str:
    return REASON_TEXTS.get(code, "An error occurred during processing. Please try again.")
