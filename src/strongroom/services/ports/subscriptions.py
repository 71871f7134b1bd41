"""Recurring billing as stored: subscriptions, their summaries and attempts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from strongroom.domain.subscriptions import Subscription, SubscriptionStatus


class AttemptOutcome(StrEnum):
    CLAIMED = "claimed"  # being charged now (only ever seen inside the claiming unit of work)
    APPROVED = "approved"
    DECLINED = "declined"
    ERROR = "error"  # the processor or the gateway refused it (also held for review)
    FREE = "free"  # an occurrence of amount 0.00 (a free trial): nothing to charge


@dataclass(frozen=True, slots=True)
class OccurrenceAttempt:
    """One attempt at billing occurrence `pay_num` of a subscription (several when a failed one
    is retried after reactivation). (subscription, pay_num, attempt_num) is unique."""

    pay_num: int
    attempt_num: int
    outcome: AttemptOutcome
    submitted_at: datetime
    transaction_ref: str | None = None
    response: str | None = None  # the reason text of the answer


class SubscriptionFilter(StrEnum):
    LIVE = "live"  # active or suspended
    ENDED = "ended"  # expired, canceled or terminated
    ENDING_THIS_MONTH = "ending_this_month"  # live, last occurrence in this month
    CARD_EXPIRING_THIS_MONTH = "card_expiring_this_month"  # live, card expires this month


class SubscriptionOrder(StrEnum):
    REF = "ref"
    NAME = "name"
    STATUS = "status"
    CREATED_AT = "created_at"
    LAST_NAME = "last_name"
    FIRST_NAME = "first_name"
    ACCOUNT_LAST4 = "account_last4"
    AMOUNT = "amount"
    PAST_OCCURRENCES = "past_occurrences"


@dataclass(frozen=True, slots=True)
class SubscriptionSummary:
    """A subscription as listed, with what its payment profile shows (absent once deleted)."""

    subscription: Subscription
    first_name: str | None
    last_name: str | None
    account_last4: str | None


class SubscriptionRepository(Protocol):
    """Subscriptions and their billing attempts, scoped by merchant."""

    def add(self, subscription: Subscription) -> None:
        """Insert under the caller-chosen `subscription.ref`; `RefTaken` if it exists."""
        ...

    def get(self, merchant_key: int, ref: str, *, lock: bool = False) -> Subscription | None:
        """One subscription; `lock=True` (write units) holds it until the unit of work ends."""
        ...

    def update(self, subscription: Subscription) -> None:
        """Write every changeable field (hold the row with get(lock=True) first)."""
        ...

    def duplicate(
        self, merchant_key: int, duplicate_key: str, statuses: frozenset[SubscriptionStatus]
    ) -> str | None:
        """The ref of a subscription in `statuses` with this duplicate key, if any."""
        ...

    def refs_using(
        self,
        merchant_key: int,
        *,
        profile_ref: str | None = None,
        payment_profile_ref: str | None = None,
        address_ref: str | None = None,
    ) -> Sequence[str]:
        """The merchant's subscriptions (any status) billing these records, oldest first."""
        ...

    def live_using(
        self,
        *,
        profile_ref: str | None = None,
        payment_profile_ref: str | None = None,
        address_ref: str | None = None,
    ) -> str | None:
        """A live (active or suspended) subscription of any merchant billing these records."""
        ...

    def waking(self, through: date, limit: int, after_key: int = 0) -> Sequence[tuple[int, int, str]]:
        """(key, merchant_key, ref) of live subscriptions whose wake-up day is `through` or
        earlier, in key order after `after_key`: what a billing run looks at."""
        ...

    def add_attempt(self, merchant_key: int, ref: str, attempt: OccurrenceAttempt) -> bool:
        """Record an attempt; False when (subscription, pay_num, attempt_num) exists already."""
        ...

    def finish_attempt(self, merchant_key: int, ref: str, attempt: OccurrenceAttempt) -> None:
        """Write the outcome, transaction and response of a claimed attempt."""
        ...

    def attempts(self, merchant_key: int, ref: str) -> Sequence[OccurrenceAttempt]:
        """Every attempt at the subscription's occurrences, in order."""
        ...

    def search(
        self,
        merchant_key: int,
        which: SubscriptionFilter,
        month: tuple[date, date],
        order: SubscriptionOrder,
        descending: bool,
        offset: int,
        limit: int,
    ) -> tuple[int, Sequence[SubscriptionSummary]]:
        """(total, page) of the merchant's subscriptions matching `which`; `month` is the
        first and last day of the current billing month."""
        ...
