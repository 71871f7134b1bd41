"""Recurring billing: payment schedules and subscription statuses.

A schedule bills occurrence 1 on its start date and each later one an interval (7–365 days or
1–12 months) after it. Monthly occurrences keep the start date's day of the month and fall on the
last day of months that are shorter (a start on the 31st bills on 28 or 29 February, 30 April,
31 May...). The first `trial` occurrences are billed at the trial amount; a total of 9999 means
no end. Dates are days of the gateway's billing calendar (Mountain Time, where the start date
rule is checked): an occurrence is due once that day has begun there.

`TRANSITIONS` is the one table of allowed status changes.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from strongroom.domain.errors import SubscriptionRefused, SubscriptionRule

ONGOING: Final = 9999  # totalOccurrences of a subscription without an end date
DAYS_RANGE: Final = (7, 365)
MONTHS_RANGE: Final = (1, 12)
BILLING_TIMEZONE: Final = ZoneInfo("America/Denver")


def billing_day(now: datetime) -> date:
    """The day `now` falls on in the billing calendar."""
    return now.astimezone(BILLING_TIMEZONE).date()


def add_months(day: date, months: int) -> date:
    """`months` calendar months after `day`, on the same day of the month or, when that month is
    shorter, on its last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


class IntervalUnit(StrEnum):
    DAYS = "days"
    MONTHS = "months"


@dataclass(frozen=True, slots=True)
class Interval:
    length: int
    unit: IntervalUnit

    def check(self) -> None:
        low, high = DAYS_RANGE if self.unit is IntervalUnit.DAYS else MONTHS_RANGE
        if not low <= self.length <= high:
            raise SubscriptionRefused(
                SubscriptionRule.INTERVAL, f"The interval length must be {low} to {high} {self.unit.value}."
            )

    def after(self, start: date, steps: int) -> date:
        """The date `steps` intervals after `start` (steps >= 0), month-end rule included."""
        if self.unit is IntervalUnit.DAYS:
            return date.fromordinal(start.toordinal() + steps * self.length)
        return add_months(start, steps * self.length)


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a subscription bills: `total` occurrences (ONGOING: no end), the first `trial` of
    them at the trial amount."""

    interval: Interval
    start: date
    total: int
    trial: int = 0

    def check(self) -> None:
        """The rules every schedule keeps (the start date is checked against the clock apart)."""
        self.interval.check()
        if self.total < 1:
            raise SubscriptionRefused(SubscriptionRule.INVALID, "totalOccurrences must be at least 1.")
        if self.trial < 0:
            raise SubscriptionRefused(SubscriptionRule.INVALID, "trialOccurrences cannot be negative.")
        if self.trial and self.trial >= self.total:
            raise SubscriptionRefused(
                SubscriptionRule.TRIAL_OCCURRENCES, "Trial Occurrences must be less than Total Occurrences."
            )

    @property
    def is_ongoing(self) -> bool:
        return self.total == ONGOING

    def date_of(self, pay_num: int) -> date:
        """The scheduled date of occurrence `pay_num` (1 is the start date)."""
        if pay_num < 1:
            raise ValueError("occurrences are numbered from 1")
        return self.interval.after(self.start, pay_num - 1)

    def exists(self, pay_num: int) -> bool:
        return pay_num >= 1 and (self.is_ongoing or pay_num <= self.total)

    def is_last(self, pay_num: int) -> bool:
        return not self.is_ongoing and pay_num == self.total

    def is_trial(self, pay_num: int) -> bool:
        return pay_num <= self.trial

    def last_date(self) -> date | None:
        """The date of the last occurrence; None for an ongoing schedule."""
        return None if self.is_ongoing else self.date_of(self.total)

    def is_due(self, pay_num: int, today: date) -> bool:
        return self.exists(pay_num) and self.date_of(pay_num) <= today

    def with_changes(
        self, *, start: date | None = None, total: int | None = None, trial: int | None = None
    ) -> Schedule:
        return replace(
            self,
            start=self.start if start is None else start,
            total=self.total if total is None else total,
            trial=self.trial if trial is None else trial,
        )


@dataclass(frozen=True, slots=True)
class Pricing:
    """What each occurrence costs: `amount`, or `trial_amount` during the trial."""

    amount: Decimal
    trial_amount: Decimal | None = None

    def amount_of(self, schedule: Schedule, pay_num: int) -> Decimal:
        if schedule.is_trial(pay_num) and self.trial_amount is not None:
            return self.trial_amount
        return self.amount

    def charged_before(self, schedule: Schedule, paid: int) -> int:
        """How many of the first `paid` occurrences cost something (free ones charge nothing)."""
        free_trial = min(paid, schedule.trial) if self.trial_amount == 0 else 0
        return paid - free_trial


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"  # billed every occurrence
    SUSPENDED = "suspended"  # a payment failed; an update reactivates it
    CANCELED = "canceled"  # by the merchant
    TERMINATED = "terminated"  # suspended and not reactivated before the next occurrence


class Event(StrEnum):
    LAST_PAID = "last_paid"
    PAYMENT_FAILED = "payment_failed"
    REACTIVATED = "reactivated"
    CANCELED = "canceled"
    TERMINATED = "terminated"


St = SubscriptionStatus

TRANSITIONS: Final[dict[tuple[SubscriptionStatus, Event], SubscriptionStatus]] = {
    (St.ACTIVE, Event.LAST_PAID): St.EXPIRED,
    (St.ACTIVE, Event.PAYMENT_FAILED): St.SUSPENDED,
    (St.ACTIVE, Event.CANCELED): St.CANCELED,
    (St.SUSPENDED, Event.REACTIVATED): St.ACTIVE,
    (St.SUSPENDED, Event.CANCELED): St.CANCELED,
    (St.SUSPENDED, Event.TERMINATED): St.TERMINATED,
}

# Statuses that still bill (or may again): their profiles, payment profiles and addresses are
# in use and cannot be deleted; they can be updated and canceled.
LIVE: Final = frozenset({St.ACTIVE, St.SUSPENDED})
ENDED: Final = frozenset(St) - LIVE


def transition(status: SubscriptionStatus, event: Event) -> SubscriptionStatus:
    """The status after `event`; `ValueError` when the table does not allow it."""
    after = TRANSITIONS.get((status, event))
    if after is None:
        raise ValueError(f"{event.value} is not allowed for a {status.value} subscription")
    return after


@dataclass(frozen=True, slots=True)
class Progress:
    """How far billing has come: the next occurrence to bill and its failed attempts so far."""

    next_pay_num: int = 1
    failed_attempts: int = 0

    @property
    def paid(self) -> int:
        """Occurrences billed successfully (or free trial occurrences passed)."""
        return self.next_pay_num - 1

    @property
    def past_occurrences(self) -> int:
        """Occurrences attempted, whether they succeeded or not."""
        return self.paid + (1 if self.failed_attempts else 0)

    @property
    def attempt_num(self) -> int:
        """The number the next attempt at `next_pay_num` gets (1 for a first attempt)."""
        return self.failed_attempts + 1

    def after_success(self) -> Progress:
        return Progress(self.next_pay_num + 1, 0)

    def after_failure(self) -> Progress:
        return Progress(self.next_pay_num, self.failed_attempts + 1)


class Step(StrEnum):
    CHARGE = "charge"
    TERMINATE = "terminate"
    WAIT = "wait"


def next_step(status: SubscriptionStatus, schedule: Schedule, progress: Progress, today: date) -> Step:
    """What billing does next on `today`: charge the next occurrence (active, and it is due),
    terminate (suspended, and the occurrence after the failed one has come), or wait."""
    pay_num = progress.next_pay_num
    if status is St.ACTIVE and schedule.is_due(pay_num, today):
        return Step.CHARGE
    if status is St.SUSPENDED and schedule.date_of(pay_num + 1) <= today:
        return Step.TERMINATE
    return Step.WAIT


def check_start(start: date, today: date) -> None:
    if start < today:
        raise SubscriptionRefused(
            SubscriptionRule.START_IN_PAST, "Start Date must not occur before the submission date."
        )


def check_trial(trial_occurrences: int | None, trial_amount: Decimal | None) -> None:
    """A trial needs both its number of occurrences and its amount."""
    if trial_amount is not None and trial_occurrences is None:
        raise SubscriptionRefused(
            SubscriptionRule.TRIAL_AMOUNT_WITHOUT_OCCURRENCES,
            "Trial Occurrences is required when Trial Amount is specified.",
        )
    if trial_occurrences and trial_amount is None:
        raise SubscriptionRefused(
            SubscriptionRule.TRIAL_INCOMPLETE, "Both Trial Amount and Trial Occurrences are required."
        )


@dataclass(frozen=True, slots=True)
class Subscription:
    """A subscription as stored. It always bills a stored payment profile (a subscription made
    from card or bank data gets a customer profile of its own); `payment_method` ("card" or
    "bank") is fixed for its life."""

    ref: str
    merchant_key: int
    name: str | None
    schedule: Schedule
    pricing: Pricing
    status: SubscriptionStatus
    profile_ref: str
    payment_profile_ref: str
    address_ref: str | None
    payment_method: str
    created_at: datetime
    invoice_number: str | None = None
    description: str | None = None
    progress: Progress = Progress()
    duplicate_key: str = ""
    updated_at: datetime | None = None

    @property
    def is_live(self) -> bool:
        return self.status in LIVE

    def wake_on(self) -> date | None:
        """The day billing has something to do for it next (None: never again): an active
        subscription's next occurrence, a suspended one's termination (the occurrence after
        the failed one)."""
        pay_num = self.progress.next_pay_num
        if self.status is St.ACTIVE and self.schedule.exists(pay_num):
            return self.schedule.date_of(pay_num)
        if self.status is St.SUSPENDED:
            return self.schedule.date_of(pay_num + 1)
        return None

    def occurrences_left(self) -> int | None:
        """Occurrences still to bill (a failed one included); None for an ongoing schedule."""
        if self.schedule.is_ongoing:
            return None
        return self.schedule.total - self.progress.paid

    def amount_due(self) -> Decimal:
        """What the next occurrence costs."""
        return self.pricing.amount_of(self.schedule, self.progress.next_pay_num)
