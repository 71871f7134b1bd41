"""The guard around credential checks: its refusal, its clock, and its audit line."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from strongroom.clocks import MovableClock
from strongroom.domain.auth_throttle import Limit
from strongroom.services.auth_guard import Attempt, AuthenticationLocked, AuthGuard

START = datetime(2026, 11, 22, 12, 0, 0, 250_000, tzinfo=UTC)  # a quarter second past
ATTEMPT = Attempt("rest", "2001:db8:1:2::7")


def guard(clock: MovableClock) -> AuthGuard:
    return AuthGuard(Limit(3, 60, 120), Limit(100, 60, 120), clock)


def test_a_locked_login_is_refused_until_the_whole_second_after_its_lockout() -> None:
    clock = MovableClock(START)
    subject = guard(clock)
    for _ in range(3):
        subject.failed("victim", ATTEMPT)

    with pytest.raises(AuthenticationLocked) as refusal:
        subject.refuse_if_locked("victim", ATTEMPT)

    assert refusal.value.scope == "login"
    assert refusal.value.until == datetime(2026, 11, 22, 12, 2, 1, tzinfo=UTC)
    assert refusal.value.message.endswith("try again after 2026-11-22T12:02:01Z.")
    clock.advance(timedelta(seconds=120))
    subject.refuse_if_locked("victim", ATTEMPT)  # the lockout has ended


def test_the_audit_line_escapes_the_login_and_names_the_slash_64(caplog: pytest.LogCaptureFixture) -> None:
    subject = guard(MovableClock(START))
    hostile = "evil\nauthentication lockout: scope=forged" + "x" * 100
    caplog.set_level(logging.WARNING, logger="strongroom.audit")

    for _ in range(3):
        subject.failed(hostile, ATTEMPT)

    (line,) = [record.getMessage() for record in caplog.records]
    assert "\n" not in line
    assert "login='evil\\nauthentication lockout: scope=forged" in line
    assert "x" * 40 not in line  # shortened
    assert "scope=login dialect=rest" in line
    assert "address=2001:db8:1:2::/64 failures=3 until=2026-11-22T12:02:01Z" in line
