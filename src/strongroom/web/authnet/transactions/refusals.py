"""How the door refuses a payment request before any service is asked: a transaction error
(responseCode 3 with a reason code, `TransactionRefused`) or, for the documented profile
combinations, an API message (`ApiRefused`); and the reason codes of those refusals."""

from __future__ import annotations

from typing import Final

from strongroom.domain.errors import InvalidField, MissingField
from strongroom.domain.transactions import Reason
from strongroom.web.authnet.codes import WireMessage, reason_text

# Reason codes of refusals decided at the door (others come from domain.transactions.Reason).
INVALID_CARD_NUMBER = 6
INVALID_EXPIRY = 7
INVALID_ROUTING_NUMBER = 9
INVALID_ACCOUNT_NUMBER = 10
INVALID_TRANSACTION_ID = 15
INVALID_CURRENCY = 39
AMOUNT_TOO_LARGE = 49
NOT_ACCEPTED = 66
PAYMENT_DATA_ERROR = 153
PAYMENT_METHOD_NOT_SUPPORTED = 155
TOO_MANY_LINE_ITEMS = 271
INVALID_FIELDS = 290
INVALID_SPLIT_TENDER_ID = 296
TRANS_ID_WITH_SPLIT_TENDER_ID = 297
EMV_NOT_SUPPORTED = 356
PAYPAL_NOT_ACCEPTED = 2001


class TransactionRefused(Exception):
    """A transaction error (responseCode 3) decided before any service is asked."""

    def __init__(self, reason_code: int, text: str | None = None) -> None:
        super().__init__(reason_code)
        self.reason_code = reason_code
        self.text = text or reason_text(reason_code)


class ApiRefused(Exception):
    """An API-level refusal (messages E000xx) of an impossible field combination."""

    def __init__(self, message: WireMessage) -> None:
        super().__init__(message.code)
        self.message = message


# Domain parse errors by field: the protocol's reason code for each.
_FIELD_REASONS: Final = {
    "amount": Reason.INVALID_AMOUNT,
    "cardNumber": INVALID_CARD_NUMBER,
    "expirationDate": INVALID_EXPIRY,
    "routingNumber": INVALID_ROUTING_NUMBER,
    "accountNumber": INVALID_ACCOUNT_NUMBER,
    "cardCode": Reason.CARD_CODE_INVALID,
}


def refusal_for(error: InvalidField) -> TransactionRefused:
    """The documented reason text for the fields that have a reason code of their own."""
    reason = _FIELD_REASONS.get(error.field)
    if reason is not None:
        return TransactionRefused(reason)
    if isinstance(error, MissingField):
        return TransactionRefused(Reason.REQUIRED_FIELD, f"{error.field} cannot be left blank.")
    return TransactionRefused(INVALID_FIELDS, error.message)
