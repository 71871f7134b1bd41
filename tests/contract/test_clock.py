"""The Clock contract over every clock (SystemClock, MovableClock, SandboxClock on SQLite and
PostgreSQL), the movable clocks' `advance`, and the ClockOffsets contract of SqlClockOffsets on
both engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

import pytest

from strongroom.clocks import MovableClock, SandboxClock, SystemClock
from strongroom.services.ports import Clock, ClockOffsets
from strongroom.storage.sandbox_clock import SqlClockOffsets
from tests.contract.implementations import SQL, migrated_engine

START = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SYSTEM = "system"
MOVABLE = "movable"
SANDBOX = [f"sandbox-{kind}" for kind in SQL]  # system time plus an offset in the database


class MovingClock(Clock, Protocol):
    """The clocks that tests and the sandbox move forward."""

    def advance(self, delta: timedelta) -> object: ...


@pytest.fixture
def offsets(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ClockOffsets]:
    with migrated_engine(request.param, tmp_path) as engine:
        yield SqlClockOffsets(engine)


def _clock(kind: str, tmp_path: Path) -> Iterator[Clock]:
    if kind == SYSTEM:
        yield SystemClock()
    elif kind == MOVABLE:
        yield MovableClock(START)
    else:
        with migrated_engine(kind.removeprefix("sandbox-"), tmp_path) as engine:
            yield SandboxClock(SqlClockOffsets(engine), refresh=0.0)


@pytest.fixture(params=[SYSTEM, MOVABLE, *SANDBOX])
def clock(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Clock]:
    yield from _clock(request.param, tmp_path)


@pytest.fixture(params=[MOVABLE, *SANDBOX])
def moving_clock(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MovingClock]:
    for made in _clock(request.param, tmp_path):
        assert isinstance(made, MovableClock | SandboxClock)
        yield made


# --------------------------------------------------------------------------- Clock


def test_now_is_timezone_aware_utc(clock: Clock) -> None:
    now = clock.now()

    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)


def test_now_never_runs_backwards_between_two_readings(clock: Clock) -> None:
    first = clock.now()

    assert clock.now() >= first


def test_advance_moves_now_forward_by_at_least_the_delta(moving_clock: MovingClock) -> None:
    before = moving_clock.now()

    moving_clock.advance(timedelta(days=3))

    assert moving_clock.now() >= before + timedelta(days=3)
    assert moving_clock.now() < before + timedelta(days=3, hours=1)  # by the delta, not more


# --------------------------------------------------------------------------- ClockOffsets


@pytest.mark.parametrize("offsets", SQL, indirect=True)
def test_a_new_sandbox_has_no_offset(offsets: ClockOffsets) -> None:
    assert offsets.offset() == timedelta(0)


@pytest.mark.parametrize("offsets", SQL, indirect=True)
def test_advances_add_up_and_return_the_new_offset(offsets: ClockOffsets) -> None:
    assert offsets.advance(timedelta(days=1)) == timedelta(days=1)
    assert offsets.advance(timedelta(hours=2)) == timedelta(days=1, hours=2)
    assert offsets.offset() == timedelta(days=1, hours=2)
