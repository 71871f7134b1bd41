"""Payment transactions: kinds, statuses, the one table of allowed transitions, and money rules.

Capture and void act on the original transaction (its status moves); a refund is a new
transaction linked to the one it credits. Every refusal carries a reason code from Strongroom's
decline vocabulary (the Authorize.Net reason-code numbering, see processors.triggers.ReasonCode).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Final

AUTHORIZATION_LIFETIME: Final = timedelta(days=30)
REVIEW_LIFETIME: Final = timedelta(days=5)  # a hold not authorised yet, left unreviewed
REFUND_WINDOW: Final = timedelta(days=120)


class TransactionKind(StrEnum):
    CHARGE = "charge"  # authorise and capture at once
    AUTHORIZATION = "authorization"  # hold funds; captured later
    CAPTURE_ONLY = "capture_only"  # authorised elsewhere (auth code given)
    REFUND = "refund"  # a credit linked to a settled transaction
    CREDIT = "credit"  # an unlinked credit (expanded credit capabilities)
    VERIFICATION = "verification"  # payment-profile validation, reversed at once


class TransactionStatus(StrEnum):
    AUTHORIZED_PENDING_CAPTURE = "authorized_pending_capture"
    CAPTURED_PENDING_SETTLEMENT = "captured_pending_settlement"
    SETTLED = "settled"
    REFUND_PENDING_SETTLEMENT = "refund_pending_settlement"
    REFUND_SETTLED = "refund_settled"
    VOIDED = "voided"
    DECLINED = "declined"
    EXPIRED = "expired"
    COULD_NOT_VOID = "could_not_void"
    GENERAL_ERROR = "general_error"
    SETTLEMENT_ERROR = "settlement_error"
    HELD_FOR_REVIEW = "held_for_review"  # fraud filter: authorise only after approval
    AUTHORIZED_HELD_FOR_REVIEW = "authorized_held_for_review"  # authorised, held before capture


class Action(StrEnum):
    CAPTURE = "capture"
    VOID = "void"
    SETTLE = "settle"
    EXPIRE = "expire"
    REFUND = "refund"  # the original, when a refund is issued against it (status unchanged)
    DECLINE_REVIEW = "decline_review"


S = TransactionStatus
# The whole state machine: (status, action) -> new status. Anything absent is refused. The one
# move whose target depends on more than the status is approving a transaction held for review:
# it goes where the request was headed (`approved_status`), whichever way it was held.
TRANSITIONS: Final[dict[tuple[TransactionStatus, Action], TransactionStatus]] = {
    (S.AUTHORIZED_PENDING_CAPTURE, Action.CAPTURE): S.CAPTURED_PENDING_SETTLEMENT,
    (S.AUTHORIZED_PENDING_CAPTURE, Action.VOID): S.VOIDED,
    (S.AUTHORIZED_PENDING_CAPTURE, Action.EXPIRE): S.EXPIRED,
    (S.CAPTURED_PENDING_SETTLEMENT, Action.VOID): S.VOIDED,
    (S.CAPTURED_PENDING_SETTLEMENT, Action.SETTLE): S.SETTLED,
    (S.REFUND_PENDING_SETTLEMENT, Action.VOID): S.VOIDED,
    (S.REFUND_PENDING_SETTLEMENT, Action.SETTLE): S.REFUND_SETTLED,
    (S.SETTLED, Action.REFUND): S.SETTLED,
    (S.HELD_FOR_REVIEW, Action.DECLINE_REVIEW): S.DECLINED,
    (S.HELD_FOR_REVIEW, Action.VOID): S.VOIDED,
    (S.HELD_FOR_REVIEW, Action.EXPIRE): S.EXPIRED,
    (S.AUTHORIZED_HELD_FOR_REVIEW, Action.DECLINE_REVIEW): S.DECLINED,
    (S.AUTHORIZED_HELD_FOR_REVIEW, Action.VOID): S.VOIDED,
    (S.AUTHORIZED_HELD_FOR_REVIEW, Action.EXPIRE): S.EXPIRED,
}

HELD_FOR_REVIEW: Final = frozenset({S.HELD_FOR_REVIEW, S.AUTHORIZED_HELD_FOR_REVIEW})
# How long a transaction may wait in a status before the settlement run expires it (counted
# from submission): an uncaptured authorisation 30 days; a hold 5 days if nothing was authorised
# yet, 30 days if the authorisation is already there.
LIFETIMES: Final[dict[TransactionStatus, timedelta]] = {
    S.AUTHORIZED_PENDING_CAPTURE: AUTHORIZATION_LIFETIME,
    S.HELD_FOR_REVIEW: REVIEW_LIFETIME,
    S.AUTHORIZED_HELD_FOR_REVIEW: AUTHORIZATION_LIFETIME,
}

UNSETTLED: Final = frozenset(
    {
        S.AUTHORIZED_PENDING_CAPTURE,
        S.CAPTURED_PENDING_SETTLEMENT,
        S.REFUND_PENDING_SETTLEMENT,
        S.HELD_FOR_REVIEW,
        S.AUTHORIZED_HELD_FOR_REVIEW,
    }
)


class Reason:
    """Reason codes for refused actions (Strongroom's decline vocabulary)."""

    INVALID_AMOUNT = 5
    CARD_EXPIRED = 8
    DUPLICATE = 11
    AUTH_CODE_REQUIRED = 12
    NOT_FOUND = 16
    PROCESSING_ERROR = 19
    REQUIRED_FIELD = 33
    CAPTURE_EXCEEDS_AUTHORIZATION = 47
    AWAITING_SETTLEMENT = 50
    NOT_ELIGIBLE_FOR_CREDIT = 54
    CREDITS_EXCEED_ORIGINAL = 55
    CARD_CODE_INVALID = 78
    AUTHENTICATION_INDICATOR_INVALID = 116
    AUTHENTICATION_VALUE_INVALID = 117
    AUTHENTICATION_COMBINATION_INVALID = 118  # card brand, indicator and value do not agree
    AUTHENTICATION_WITH_RECURRING = 119
    BLOCKED_IP = 250  # fraud filters: the customer IP is blocked
    FRAUD_DECLINED = 251  # fraud filters: a filter set to decline fired
    HELD_FOR_REVIEW = 252  # fraud filters: held, not authorised until approved
    AUTHORIZED_HELD_FOR_REVIEW = 253  # fraud filters: authorised, held until approved
    DECLINED_AFTER_REVIEW = 254  # a held transaction the merchant declined
    SPLIT_TENDER_INVALID = 296  # no such split-tender order (for this merchant)
    SPLIT_TENDER_CLOSED = 298  # the order was completed or voided: it takes no new transaction
    ALREADY_VOIDED = 310
    ALREADY_CAPTURED = 311
    CANNOT_VOID = 327


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an action on a transaction is not allowed, as a reason code and a message."""

    reason_code: int
    message: str


@dataclass(frozen=True, slots=True)
class TransactionState:
    """What the rules need to know about a stored transaction."""

    kind: TransactionKind
    status: TransactionStatus
    amount: Decimal  # authorised (or requested) amount
    settle_amount: Decimal  # what is (or will be) settled: captured amount
    refunded: Decimal  # sum of refunds issued against it
    submitted_at: datetime
    settled_at: datetime | None
    last4: str


def next_status(status: TransactionStatus, action: Action) -> TransactionStatus | None:
    return TRANSITIONS.get((status, action))


def is_expired(state: TransactionState, now: datetime) -> bool:
    """An authorisation or a hold left past its lifetime (`LIFETIMES`)."""
    lifetime = LIFETIMES.get(state.status)
    return lifetime is not None and now - state.submitted_at > lifetime


def approved_status(kind: TransactionKind) -> TransactionStatus:
    """Where an approved charge goes: an authorisation waits for its capture, the rest settle."""
    if kind is TransactionKind.AUTHORIZATION:
        return S.AUTHORIZED_PENDING_CAPTURE
    return S.CAPTURED_PENDING_SETTLEMENT


def review_refusal(state: TransactionState) -> Refusal | None:
    """Only a transaction held for review (and not expired) can be approved or declined."""
    if state.status in HELD_FOR_REVIEW:
        return None
    return Refusal(Reason.NOT_FOUND, "The transaction is not held for review.")


def capture_refusal(state: TransactionState, amount: Decimal | None, now: datetime) -> Refusal | None:
    """A prior-auth capture: an unexpired authorisation, at most its amount, once."""
    if state.kind is not TransactionKind.AUTHORIZATION:
        return Refusal(Reason.NOT_FOUND, "The transaction cannot be found.")
    if state.status in (S.CAPTURED_PENDING_SETTLEMENT, S.SETTLED):
        return Refusal(Reason.ALREADY_CAPTURED, "This transaction has already been captured.")
    if state.status is S.VOIDED:
        return Refusal(Reason.ALREADY_VOIDED, "This transaction has already been voided.")
    if is_expired(state, now) or next_status(state.status, Action.CAPTURE) is None:
        return Refusal(Reason.NOT_FOUND, "The transaction cannot be found.")
    if amount is not None and amount > state.amount:
        return Refusal(
            Reason.CAPTURE_EXCEEDS_AUTHORIZATION,
            "The amount requested for settlement cannot be greater than the original amount authorized.",
        )
    return None


def void_refusal(state: TransactionState) -> Refusal | None:
    """Only unsettled transactions can be voided; settled ones are refunded instead."""
    if state.status is S.VOIDED:
        return Refusal(Reason.ALREADY_VOIDED, "This transaction has already been voided.")
    if next_status(state.status, Action.VOID) is None:
        return Refusal(
            Reason.CANNOT_VOID,
            "A void request could not be processed for this transaction; settled transactions are refunded.",
        )
    return None


def refundable(state: TransactionState) -> Decimal:
    return state.settle_amount - state.refunded


def refund_refusal(state: TransactionState, amount: Decimal, last4: str, now: datetime) -> Refusal | None:
    """A linked credit: settled, within 120 days, same card, not above what is left."""
    if state.kind not in (
        TransactionKind.CHARGE,
        TransactionKind.AUTHORIZATION,
        TransactionKind.CAPTURE_ONLY,
    ):
        return Refusal(
            Reason.NOT_ELIGIBLE_FOR_CREDIT,
            "The referenced transaction does not meet the criteria for issuing a credit.",
        )
    if state.status in UNSETTLED:
        return Refusal(
            Reason.NOT_ELIGIBLE_FOR_CREDIT, "The referenced transaction has not settled; void it instead."
        )
    if state.status is not S.SETTLED or state.settled_at is None:
        return Refusal(
            Reason.NOT_ELIGIBLE_FOR_CREDIT,
            "The referenced transaction does not meet the criteria for issuing a credit.",
        )
    if now - state.settled_at > REFUND_WINDOW or last4 != state.last4:
        return Refusal(
            Reason.NOT_ELIGIBLE_FOR_CREDIT,
            "The referenced transaction does not meet the criteria for issuing a credit.",
        )
    if amount > refundable(state):
        return Refusal(
            Reason.CREDITS_EXCEED_ORIGINAL,
            "The sum of credits against the referenced transaction would exceed the original debit amount.",
        )
    return None
