"""The cut-off rule: instants of the daily cut-off in the merchant's zone, across daylight-saving
changes, just before and after it; which batch a transaction joins; which statuses move."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from strongroom.domain.batches import (
    DEFAULT_CUTOFF,
    DEFAULT_TIMEZONE,
    EXPIRES,
    SETTLES,
    SHORTEST_LIFETIME,
    CutoffRule,
    batch_cutoff,
    expires,
    is_refund,
    parse_cutoff,
    settles,
)
from strongroom.domain.errors import InvalidField
from strongroom.domain.transactions import TRANSITIONS, Action, TransactionStatus

S = TransactionStatus
RULE = CutoffRule()  # 16:00 America/Los_Angeles
MINUTE = timedelta(minutes=1)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_the_default_is_four_pm_pacific() -> None:
    assert (RULE.cutoff, RULE.timezone) == (DEFAULT_CUTOFF, DEFAULT_TIMEZONE)
    assert (RULE.text, RULE.timezone) == ("16:00", "America/Los_Angeles")


@pytest.mark.parametrize(
    ("day", "instant"),
    [
        ((2026, 11, 22), utc(2026, 11, 23, 0, 0)),  # PST, UTC-8
        ((2026, 7, 1), utc(2026, 7, 1, 23, 0)),  # PDT, UTC-7
    ],
)
def test_the_cutoff_of_a_day_is_local_time_in_the_zone(day: tuple[int, int, int], instant: datetime) -> None:
    assert RULE.on(date(*day)) == instant
    assert RULE.local(instant) == datetime(*day, 16, 0)


def test_just_before_the_cutoff_the_previous_one_is_yesterdays() -> None:
    cutoff = utc(2026, 11, 23, 0, 0)
    now = cutoff - MINUTE

    assert RULE.next(now) == cutoff
    assert RULE.previous(now) == cutoff - timedelta(days=1)


def test_at_and_just_after_the_cutoff_it_is_the_previous_one() -> None:
    cutoff = utc(2026, 11, 23, 0, 0)

    assert RULE.previous(cutoff) == cutoff
    assert RULE.next(cutoff) == cutoff + timedelta(days=1)
    assert RULE.previous(cutoff + MINUTE) == cutoff
    assert RULE.next(cutoff + MINUTE) == cutoff + timedelta(days=1)


def test_a_utc_day_that_is_still_yesterday_in_the_zone() -> None:
    # 06:00 UTC on the 23rd is 22:00 PST on the 22nd: past that day's cut-off.
    now = utc(2026, 11, 23, 6, 0)

    assert RULE.previous(now) == utc(2026, 11, 23, 0, 0)
    assert RULE.next(now) == utc(2026, 11, 24, 0, 0)


def test_spring_forward_makes_a_23_hour_settlement_day() -> None:
    # 2026-03-08: clocks jump from 02:00 PST to 03:00 PDT.
    before = RULE.previous(utc(2026, 3, 8, 12, 0))
    after = RULE.next(utc(2026, 3, 8, 12, 0))

    assert before == utc(2026, 3, 8, 0, 0)  # 16:00 PST on the 7th
    assert after == utc(2026, 3, 8, 23, 0)  # 16:00 PDT on the 8th
    assert after - before == timedelta(hours=23)
    assert RULE.local(after) == datetime(2026, 3, 8, 16, 0)


def test_fall_back_makes_a_25_hour_settlement_day() -> None:
    # 2026-11-01: clocks go back from 02:00 PDT to 01:00 PST.
    before = RULE.previous(utc(2026, 11, 1, 12, 0))
    after = RULE.next(utc(2026, 11, 1, 12, 0))

    assert before == utc(2026, 10, 31, 23, 0)  # 16:00 PDT on the 31st
    assert after == utc(2026, 11, 2, 0, 0)  # 16:00 PST on the 1st
    assert after - before == timedelta(hours=25)


def test_a_cutoff_inside_the_spring_gap_happens_an_hour_later_by_the_clock() -> None:
    rule = CutoffRule(time(2, 30))  # 02:30 does not exist on 2026-03-08 in Los Angeles

    cutoff = rule.next(utc(2026, 3, 8, 0, 0))

    assert cutoff == utc(2026, 3, 8, 10, 30)
    assert rule.local(cutoff) == datetime(2026, 3, 8, 3, 30)
    assert rule.previous(cutoff - MINUTE) == utc(2026, 3, 7, 10, 30)
    assert rule.next(cutoff) == utc(2026, 3, 9, 9, 30)


def test_a_cutoff_in_the_repeated_hour_happens_at_its_first_occurrence() -> None:
    rule = CutoffRule(time(1, 30))  # 01:30 happens twice on 2026-11-01 in Los Angeles

    cutoff = rule.next(utc(2026, 11, 1, 0, 0))

    assert cutoff == utc(2026, 11, 1, 8, 30)  # 01:30 PDT
    # Later that night, during the second 01:30 (PST), the day's cut-off is already past.
    assert rule.previous(utc(2026, 11, 1, 9, 45)) == cutoff
    assert rule.next(cutoff) == utc(2026, 11, 2, 9, 30)


@pytest.mark.parametrize(
    "zone_name", ["America/Los_Angeles", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata", "UTC"]
)
def test_cutoffs_step_forward_one_local_day_at_a_time_all_year(zone_name: str) -> None:
    rule = CutoffRule(time(16, 0), zone_name)
    instant = rule.next(utc(2026, 1, 1))
    for _ in range(366):
        following = rule.next(instant)
        assert rule.previous(following - MINUTE) == instant
        assert rule.previous(following) == following
        assert timedelta(hours=23) <= following - instant <= timedelta(hours=25)
        assert rule.local(following).time() == time(16, 0)
        instant = following


@pytest.mark.parametrize("text", ["", "16", "24:00", "9:60", "16:00:00", "4pm", "-1:00"])
def test_a_malformed_cutoff_is_refused(text: str) -> None:
    with pytest.raises(InvalidField):
        parse_cutoff(text)


def test_cutoffs_parse_with_or_without_a_leading_zero() -> None:
    assert parse_cutoff("9:05") == time(9, 5)
    assert CutoffRule.parse("09:05", "Europe/Berlin").text == "09:05"


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "../etc/passwd"])
def test_an_unknown_time_zone_is_refused(name: str) -> None:
    with pytest.raises(InvalidField, match="time zone"):
        CutoffRule(DEFAULT_CUTOFF, name)


def test_a_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        RULE.next(datetime(2026, 11, 22, 12, 0))


# --------------------------------------------------------------------------- batches


def test_a_transaction_joins_the_first_cutoff_after_it_became_due() -> None:
    cutoff = utc(2026, 11, 23, 0, 0)

    assert batch_cutoff(RULE, cutoff - MINUTE, None) == cutoff
    assert batch_cutoff(RULE, cutoff, None) == cutoff + timedelta(days=1)


def test_a_late_arrival_joins_the_next_open_cutoff_not_a_closed_one() -> None:
    closed = utc(2026, 11, 24, 0, 0)

    assert batch_cutoff(RULE, utc(2026, 11, 22, 12, 0), closed) == closed + timedelta(days=1)
    assert batch_cutoff(RULE, closed + MINUTE, closed) == closed + timedelta(days=1)


def test_what_settles_and_expires_is_read_from_the_state_machine() -> None:
    assert SETTLES == {
        S.CAPTURED_PENDING_SETTLEMENT: S.SETTLED,
        S.REFUND_PENDING_SETTLEMENT: S.REFUND_SETTLED,
    }
    assert EXPIRES == {
        S.AUTHORIZED_PENDING_CAPTURE: S.EXPIRED,
        S.HELD_FOR_REVIEW: S.EXPIRED,
        S.AUTHORIZED_HELD_FOR_REVIEW: S.EXPIRED,
    }
    for status, target in SETTLES.items():
        assert TRANSITIONS[status, Action.SETTLE] is target
    assert is_refund(S.REFUND_PENDING_SETTLEMENT)
    assert not is_refund(S.CAPTURED_PENDING_SETTLEMENT)


def test_authorizations_expire_after_thirty_days() -> None:
    submitted = utc(2026, 11, 1, 12, 0)

    assert not expires(S.AUTHORIZED_PENDING_CAPTURE, submitted, submitted + timedelta(days=30))
    assert expires(S.AUTHORIZED_PENDING_CAPTURE, submitted, submitted + timedelta(days=30, seconds=1))
    assert not expires(S.CAPTURED_PENDING_SETTLEMENT, submitted, submitted + timedelta(days=90))


def test_unreviewed_holds_expire_after_five_days_or_thirty_once_authorized() -> None:
    submitted = utc(2026, 11, 1, 12, 0)

    assert not expires(S.HELD_FOR_REVIEW, submitted, submitted + timedelta(days=5))
    assert expires(S.HELD_FOR_REVIEW, submitted, submitted + timedelta(days=5, seconds=1))
    assert not expires(S.AUTHORIZED_HELD_FOR_REVIEW, submitted, submitted + timedelta(days=30))
    assert expires(S.AUTHORIZED_HELD_FOR_REVIEW, submitted, submitted + timedelta(days=30, seconds=1))
    assert timedelta(days=5) == SHORTEST_LIFETIME
    assert not settles(S.HELD_FOR_REVIEW)
    assert not settles(S.AUTHORIZED_HELD_FOR_REVIEW)
