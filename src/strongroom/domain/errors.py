"""The one error tree of Strongroom; each door maps these classes to its wire codes in one table.

StrongroomError
├── AuthenticationFailed      credentials missing or wrong
├── NotFound                  record absent or owned by another tenant
├── Duplicate                 an equal record exists (carries its public id)
├── LimitReached              too many payment profiles / shipping addresses
├── InvalidField              a value breaks a business rule (names the field)
│   ├── MissingField          a required value is absent
│   ├── PaymentRequired       payment information is absent
│   └── FieldLength           a value is too long or too short
├── NothingToChange           every field of a request is empty
├── ValidationDeclined        the processor refused a payment-profile validation
├── RequestConflict           an Idempotency-Key reused for another request, or in flight
├── InUse                     a record is still used by a subscription
├── CannotCreateProfile       a stored transaction cannot become a customer profile
├── ProfileMismatch           a follow-up names a profile its transaction was not paid by
├── DuplicateSubscription     an equal live subscription exists (carries its public id)
└── SubscriptionRefused       a recurring-billing rule refuses a request (names the rule)
(SubscriptionNotFound is the NotFound of subscriptions.)
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class StrongroomError(Exception):
    """A refusal with a stable code; messages never carry secrets."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class AuthenticationFailed(StrongroomError):
    code = "authentication_failed"


class NotFound(StrongroomError):
    code = "not_found"


class Duplicate(StrongroomError):
    code = "duplicate"

    def __init__(self, existing_ref: str) -> None:
        super().__init__(f"A duplicate record with ID {existing_ref} already exists.")
        self.existing_ref = existing_ref


class LimitReached(StrongroomError):
    code = "limit_reached"

    def __init__(self, kind: str, limit: int, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.limit = limit


class InvalidField(StrongroomError):
    code = "invalid_field"

    def __init__(self, field: str, message: str | None = None) -> None:
        super().__init__(message or f"{field} is invalid.")
        self.field = field


class MissingField(InvalidField):
    code = "missing_field"

    def __init__(self, field: str, message: str | None = None) -> None:
        super().__init__(field, message or f"{field} is required.")


class PaymentRequired(MissingField):
    code = "payment_required"

    def __init__(self) -> None:
        super().__init__("payment", "Payment information is required.")


class FieldLength(InvalidField):
    code = "field_length"

    def __init__(self, field: str, message: str | None = None) -> None:
        super().__init__(field, message or f"{field} has an invalid length.")


class NothingToChange(StrongroomError):
    code = "nothing_to_change"


class ValidationDeclined(StrongroomError):
    """A validation authorisation was declined; `outcome` is the processor's result."""

    code = "validation_declined"

    def __init__(self, outcome: Any) -> None:
        super().__init__("The payment profile could not be validated.")
        self.outcome = outcome


class InUse(StrongroomError):
    code = "in_use"

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class RequestConflict(StrongroomError):
    code = "request_conflict"


class CannotCreateProfile(StrongroomError):
    """A stored transaction cannot become a customer profile. `reason` is one of
    "transaction" (unknown or not approved), "type" (not a charge), "payment" (no card or bank
    account kept for it), "customer" (no customer information) or "failed"."""

    code = "cannot_create_profile"

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class ProfileMismatch(StrongroomError):
    """A capture, void or refund names a customer or payment profile other than the one the
    original transaction was paid by."""

    code = "profile_mismatch"


class SubscriptionNotFound(NotFound):
    code = "subscription_not_found"

    def __init__(self) -> None:
        super().__init__("The subscription cannot be found.")


class DuplicateSubscription(StrongroomError):
    code = "duplicate_subscription"

    def __init__(self, existing_ref: str) -> None:
        super().__init__(
            f"You have submitted a duplicate of Subscription {existing_ref}. "
            "A duplicate subscription will not be created."
        )
        self.existing_ref = existing_ref


class SubscriptionRule(StrEnum):
    """The recurring-billing rules a request can break."""

    INVALID = "invalid"  # a value no schedule accepts
    INTERVAL = "interval"  # 7-365 days or 1-12 months
    START_IN_PAST = "start_in_past"
    CARD_EXPIRES = "card_expires"  # before the start date (or the next payment)
    TRIAL_AMOUNT_WITHOUT_OCCURRENCES = "trial_amount_without_occurrences"
    TRIAL_INCOMPLETE = "trial_incomplete"  # trial occurrences without a trial amount
    TRIAL_OCCURRENCES = "trial_occurrences"  # must be fewer than the total
    TRIAL_FIXED = "trial_fixed"  # the trial is over
    TOTAL_TOO_LOW = "total_too_low"  # not above the payments already made
    SCHEDULE_REQUIRED = "schedule_required"
    AMOUNT_REQUIRED = "amount_required"
    START_REQUIRED = "start_required"
    START_FIXED = "start_fixed"  # a payment already succeeded
    INTERVAL_FIXED = "interval_fixed"
    PAYMENT_TYPE_FIXED = "payment_type_fixed"  # card <-> bank account
    CANNOT_UPDATE = "cannot_update"  # expired, canceled or terminated
    CANNOT_CANCEL = "cannot_cancel"  # expired or terminated
    OTHER_PROFILE = "other_profile"  # ids of a customer profile the subscription does not use


class SubscriptionRefused(StrongroomError):
    code = "subscription_refused"

    def __init__(self, rule: SubscriptionRule, message: str) -> None:
        super().__init__(message)
        self.rule = rule
