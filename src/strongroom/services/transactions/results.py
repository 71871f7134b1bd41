"""How the payment use cases answer: response codes, reason texts and `TransactionResult`s.

A refusal or a decline is an answer, never an exception. Refusals of actions that already
happened (310 already voided, 311 already captured) are answered with response code 1, as the
protocol does: the caller's intent holds, nothing new was done.
"""

from __future__ import annotations

from typing import Final

from strongroom.domain.transactions import Reason, Refusal
from strongroom.services.ports import ProcessorResult, TransactionRecord
from strongroom.services.transactions.facts import APPROVED as APPROVED
from strongroom.services.transactions.facts import DECLINED as DECLINED
from strongroom.services.transactions.facts import ERROR as ERROR
from strongroom.services.transactions.facts import HELD as HELD
from strongroom.services.transactions.facts import RESPONSE_CODES as RESPONSE_CODES
from strongroom.services.transactions.requests import TransactionResult

RECALLED: Final = frozenset({Reason.ALREADY_VOIDED, Reason.ALREADY_CAPTURED})

APPROVED_REASON: Final = 1
DECLINED_REASON: Final = 2
PARTIALLY_APPROVED_REASON: Final = 295
RECORD_NOT_FOUND: Final = "The record cannot be found."

_DECLINED_TEXT = "This transaction has been declined."
_REASON_TEXTS: Final[dict[int, str]] = {
    APPROVED_REASON: "This transaction has been approved.",
    DECLINED_REASON: _DECLINED_TEXT,
    Reason.INVALID_AMOUNT: "A valid amount is required.",
    Reason.CARD_EXPIRED: "The credit card has expired.",
    Reason.DUPLICATE: "A duplicate transaction has been submitted.",
    Reason.AUTH_CODE_REQUIRED: "An authorization code is required but not present.",
    Reason.NOT_FOUND: "The transaction cannot be found.",
    Reason.PROCESSING_ERROR: "An error occurred during processing. Please try again.",
    Reason.CARD_CODE_INVALID: "The card code is invalid.",
    252: "Your order has been received. Thank you for your business!",
    253: "The transaction was accepted and was authorized, but is being held for merchant review.",
    PARTIALLY_APPROVED_REASON: "The amount of this request was only partially approved on the "
    "given prepaid card. An additional payment is required to fulfill "
    "the balance of this transaction.",
}


def reason_text(reason_code: int, response_code: int = ERROR) -> str:
    text = _REASON_TEXTS.get(reason_code)
    if text is not None:
        return text
    return _DECLINED_TEXT if response_code == DECLINED else _REASON_TEXTS[Reason.PROCESSING_ERROR]


def refused(
    reason_code: int, message: str | None = None, *, record: TransactionRecord | None = None
) -> TransactionResult:
    """An answer given without storing anything (transId "0"), unless the action had already
    happened to `record` (310/311, response code 1)."""
    response = APPROVED if reason_code in RECALLED else ERROR
    return TransactionResult(
        response,
        reason_code,
        message or reason_text(reason_code),
        record=record if response == APPROVED else None,
    )


def from_refusal(refusal: Refusal, record: TransactionRecord) -> TransactionResult:
    return refused(refusal.reason_code, refusal.message, record=record)


def record_not_found() -> TransactionResult:
    """A stored customer profile, payment profile or shipping address does not exist."""
    return refused(Reason.NOT_FOUND, RECORD_NOT_FOUND)


def processor_answer(
    result: ProcessorResult, record: TransactionRecord | None = None, *, test_request: bool = False
) -> TransactionResult:
    """What the processor said, for `record` (None: nothing stored)."""
    response = record.response_code if record is not None else RESPONSE_CODES[result.outcome]
    reason = record.reason_code if record is not None else result.reason_code
    return TransactionResult(
        response,
        reason,
        reason_text(reason, response),
        record=record,
        processor=result,
        test_request=test_request,
    )


def duplicate(original: TransactionRecord) -> TransactionResult:
    return TransactionResult(ERROR, Reason.DUPLICATE, reason_text(Reason.DUPLICATE), duplicate_of=original)
