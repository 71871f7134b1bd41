"""Schedule math and subscription statuses: the month-end rule, intervals, trials, ongoing
schedules, what billing does next, and the one table of status transitions."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from strongroom.domain.errors import SubscriptionRefused, SubscriptionRule
from strongroom.domain.subscriptions import (
    ENDED,
    LIVE,
    ONGOING,
    TRANSITIONS,
    Event,
    Interval,
    IntervalUnit,
    Pricing,
    Progress,
    Schedule,
    Step,
    SubscriptionStatus,
    add_months,
    billing_day,
    check_start,
    check_trial,
    next_step,
    transition,
)

St = SubscriptionStatus
MONTHLY = Interval(1, IntervalUnit.MONTHS)


def monthly(start: date, total: int = 12, trial: int = 0, length: int = 1) -> Schedule:
    return Schedule(Interval(length, IntervalUnit.MONTHS), start, total, trial)


# --------------------------------------------------------------------------- the month-end rule


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2027, 1, 31), 2, date(2027, 3, 31)),  # back to the 31st, not stuck on the 28th
        (date(2027, 1, 30), 1, date(2027, 2, 28)),
        (date(2027, 1, 29), 1, date(2027, 2, 28)),
        (date(2028, 1, 29), 1, date(2028, 2, 29)),
        (date(2027, 3, 31), 1, date(2027, 4, 30)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2027, 12, 15), 1, date(2028, 1, 15)),
        (date(2027, 12, 31), 12, date(2028, 12, 31)),
        (date(2027, 5, 28), 1, date(2027, 6, 28)),
        (date(2027, 2, 28), 1, date(2027, 3, 28)),  # the 28th stays the 28th
    ],
)
def test_months_are_added_on_the_same_day_or_the_last_day_of_a_shorter_month(
    start: date, months: int, expected: date
) -> None:
    assert add_months(start, months) == expected


def test_a_monthly_schedule_from_the_31st_bills_each_month_end_without_drifting() -> None:
    schedule = monthly(date(2027, 1, 31), total=7)

    assert [schedule.date_of(n) for n in range(1, 8)] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
        date(2027, 5, 31),
        date(2027, 6, 30),
        date(2027, 7, 31),
    ]


def test_every_monthly_schedule_keeps_its_day_or_the_month_end_for_four_years() -> None:
    """Property over every start day of 2027-2028 and every allowed length."""
    day = date(2027, 1, 1)
    while day.year < 2029:
        for length in range(1, 13):
            schedule = monthly(day, total=48, length=length)
            previous = schedule.date_of(1)
            assert previous == day
            for pay_num in range(2, 49):
                current = schedule.date_of(pay_num)
                months = (current.year - day.year) * 12 + current.month - day.month
                last = calendar.monthrange(current.year, current.month)[1]
                assert months == length * (pay_num - 1)
                assert current.day == min(day.day, last)
                assert current > previous
                previous = current
        day += timedelta(days=1)


@pytest.mark.parametrize("length", [7, 10, 30, 365])
def test_a_daily_interval_adds_whole_days(length: int) -> None:
    schedule = Schedule(Interval(length, IntervalUnit.DAYS), date(2027, 2, 27), 5)

    assert [schedule.date_of(n) for n in range(1, 6)] == [
        date(2027, 2, 27) + timedelta(days=length * step) for step in range(5)
    ]


def test_occurrences_are_numbered_from_one() -> None:
    with pytest.raises(ValueError, match="from 1"):
        monthly(date(2027, 1, 1)).date_of(0)


# --------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("length", "unit", "allowed"),
    [
        (6, IntervalUnit.DAYS, False),
        (7, IntervalUnit.DAYS, True),
        (365, IntervalUnit.DAYS, True),
        (366, IntervalUnit.DAYS, False),
        (0, IntervalUnit.MONTHS, False),
        (1, IntervalUnit.MONTHS, True),
        (12, IntervalUnit.MONTHS, True),
        (13, IntervalUnit.MONTHS, False),
    ],
)
def test_intervals_are_7_to_365_days_or_1_to_12_months(
    length: int, unit: IntervalUnit, allowed: bool
) -> None:
    interval = Interval(length, unit)
    if allowed:
        interval.check()
        return
    with pytest.raises(SubscriptionRefused) as refused:
        interval.check()
    assert refused.value.rule is SubscriptionRule.INTERVAL
    assert unit.value in refused.value.message


@pytest.mark.parametrize(
    ("total", "trial", "rule"),
    [
        (12, 11, None),
        (12, 12, SubscriptionRule.TRIAL_OCCURRENCES),
        (12, 13, SubscriptionRule.TRIAL_OCCURRENCES),
        (1, 0, None),
        (ONGOING, 99, None),
        (0, 0, SubscriptionRule.INVALID),
        (5, -1, SubscriptionRule.INVALID),
    ],
)
def test_trial_occurrences_are_fewer_than_the_total(
    total: int, trial: int, rule: SubscriptionRule | None
) -> None:
    schedule = monthly(date(2027, 1, 1), total=total, trial=trial)
    if rule is None:
        schedule.check()
        return
    with pytest.raises(SubscriptionRefused) as refused:
        schedule.check()
    assert refused.value.rule is rule


def test_an_ongoing_schedule_has_no_last_occurrence() -> None:
    ongoing = monthly(date(2027, 1, 31), total=ONGOING)
    fixed = monthly(date(2027, 1, 31), total=3)

    assert ongoing.is_ongoing
    assert ongoing.last_date() is None
    assert ongoing.exists(10_000)
    assert not ongoing.is_last(ONGOING)
    assert fixed.last_date() == date(2027, 3, 31)
    assert fixed.is_last(3)
    assert not fixed.exists(4)
    assert not fixed.is_due(4, date(2030, 1, 1))


def test_the_start_date_may_be_today_but_not_earlier() -> None:
    check_start(date(2027, 1, 1), date(2027, 1, 1))
    with pytest.raises(SubscriptionRefused) as refused:
        check_start(date(2026, 12, 31), date(2027, 1, 1))
    assert refused.value.rule is SubscriptionRule.START_IN_PAST


@pytest.mark.parametrize(
    ("occurrences", "amount", "rule"),
    [
        (None, None, None),
        (2, Decimal("1.00"), None),
        (0, None, None),
        (0, Decimal("1.00"), None),
        (None, Decimal("1.00"), SubscriptionRule.TRIAL_AMOUNT_WITHOUT_OCCURRENCES),
        (2, None, SubscriptionRule.TRIAL_INCOMPLETE),
    ],
)
def test_a_trial_needs_its_occurrences_and_its_amount(
    occurrences: int | None, amount: Decimal | None, rule: SubscriptionRule | None
) -> None:
    if rule is None:
        check_trial(occurrences, amount)
        return
    with pytest.raises(SubscriptionRefused) as refused:
        check_trial(occurrences, amount)
    assert refused.value.rule is rule


def test_the_billing_day_is_mountain_time() -> None:
    # 05:00 UTC on 1 December is still 30 November in Denver (UTC-7 in winter) ...
    assert billing_day(datetime(2026, 12, 1, 5, 0, tzinfo=UTC)) == date(2026, 11, 30)
    assert billing_day(datetime(2026, 12, 1, 7, 0, tzinfo=UTC)) == date(2026, 12, 1)
    # ... and UTC-6 in summer.
    assert billing_day(datetime(2027, 7, 1, 5, 59, tzinfo=UTC)) == date(2027, 6, 30)
    assert billing_day(datetime(2027, 7, 1, 6, 0, tzinfo=UTC)) == date(2027, 7, 1)


# --------------------------------------------------------------------------- amounts


def test_trial_occurrences_cost_the_trial_amount_then_the_regular_amount() -> None:
    schedule = monthly(date(2027, 1, 1), total=5, trial=2)
    pricing = Pricing(Decimal("10.00"), Decimal("1.00"))

    assert [pricing.amount_of(schedule, n) for n in range(1, 6)] == [
        Decimal("1.00"),
        Decimal("1.00"),
        Decimal("10.00"),
        Decimal("10.00"),
        Decimal("10.00"),
    ]
    assert Pricing(Decimal("10.00")).amount_of(schedule, 1) == Decimal("10.00")


@pytest.mark.parametrize(
    ("trial_amount", "paid", "charged"),
    [
        (Decimal("0.00"), 0, 0),
        (Decimal("0.00"), 1, 0),
        (Decimal("0.00"), 2, 0),
        (Decimal("0.00"), 3, 1),
        (Decimal("0.00"), 5, 3),
        (Decimal("1.00"), 2, 2),
        (None, 4, 4),
    ],
)
def test_free_trial_occurrences_are_not_counted_as_charges(
    trial_amount: Decimal | None, paid: int, charged: int
) -> None:
    schedule = monthly(date(2027, 1, 1), total=9, trial=2)

    assert Pricing(Decimal("10.00"), trial_amount).charged_before(schedule, paid) == charged


# --------------------------------------------------------------------------- statuses


def test_only_live_subscriptions_change_status() -> None:
    assert {status for status, _ in TRANSITIONS} == set(LIVE)
    assert set(St) == LIVE | ENDED
    assert not LIVE & ENDED
    for status in ENDED:
        for event in Event:
            with pytest.raises(ValueError, match="not allowed"):
                transition(status, event)


@pytest.mark.parametrize(
    ("status", "event", "after"),
    [
        (St.ACTIVE, Event.LAST_PAID, St.EXPIRED),
        (St.ACTIVE, Event.PAYMENT_FAILED, St.SUSPENDED),
        (St.ACTIVE, Event.CANCELED, St.CANCELED),
        (St.SUSPENDED, Event.REACTIVATED, St.ACTIVE),
        (St.SUSPENDED, Event.CANCELED, St.CANCELED),
        (St.SUSPENDED, Event.TERMINATED, St.TERMINATED),
        (St.ACTIVE, Event.TERMINATED, None),
        (St.ACTIVE, Event.REACTIVATED, None),
        (St.SUSPENDED, Event.PAYMENT_FAILED, None),
        (St.SUSPENDED, Event.LAST_PAID, None),
    ],
)
def test_status_transitions(
    status: SubscriptionStatus, event: Event, after: SubscriptionStatus | None
) -> None:
    if after is None:
        with pytest.raises(ValueError, match="not allowed"):
            transition(status, event)
    else:
        assert transition(status, event) is after


def test_progress_counts_attempted_occurrences_and_attempts() -> None:
    fresh = Progress()
    failed = fresh.after_failure()
    retried = failed.after_failure()
    paid = retried.after_success()

    assert (fresh.paid, fresh.past_occurrences, fresh.attempt_num) == (0, 0, 1)
    assert (failed.paid, failed.past_occurrences, failed.attempt_num) == (0, 1, 2)
    assert (retried.past_occurrences, retried.attempt_num) == (1, 3)
    assert paid == Progress(2, 0)
    assert (paid.paid, paid.past_occurrences, paid.attempt_num) == (1, 1, 1)


JAN_31 = date(2027, 1, 31)


@pytest.mark.parametrize(
    ("status", "next_pay_num", "today", "step"),
    [
        (St.ACTIVE, 1, date(2027, 1, 30), Step.WAIT),
        (St.ACTIVE, 1, JAN_31, Step.CHARGE),
        (St.ACTIVE, 2, JAN_31, Step.WAIT),
        (St.ACTIVE, 2, date(2027, 2, 27), Step.WAIT),
        (St.ACTIVE, 2, date(2027, 2, 28), Step.CHARGE),
        (St.ACTIVE, 2, date(2027, 6, 1), Step.CHARGE),  # catching up
        (St.ACTIVE, 4, date(2030, 1, 1), Step.WAIT),  # total 3: nothing left
        (St.SUSPENDED, 2, date(2027, 3, 30), Step.WAIT),  # occurrence 3 is on 31 March
        (St.SUSPENDED, 2, date(2027, 3, 31), Step.TERMINATE),
        (St.EXPIRED, 4, date(2030, 1, 1), Step.WAIT),
        (St.CANCELED, 2, date(2030, 1, 1), Step.WAIT),
        (St.TERMINATED, 2, date(2030, 1, 1), Step.WAIT),
    ],
)
def test_what_billing_does_next(
    status: SubscriptionStatus, next_pay_num: int, today: date, step: Step
) -> None:
    schedule = monthly(JAN_31, total=3)

    assert next_step(status, schedule, Progress(next_pay_num), today) is step
