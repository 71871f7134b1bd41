"""Leases over a real database (SQLite file and PostgreSQL) and a movable clock: one holder at a
time, renewal, takeover only after expiry, release by the holder only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from strongroom.bootstrap import build
from strongroom.clocks import MovableClock
from strongroom.services.leases import Leases
from strongroom.services.ports import Lease
from tests.api.live_server import START, settings_for

TTL = timedelta(minutes=3)


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(START)


@pytest.fixture
def leases(database_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Leases]:
    settings = settings_for(database_url, tmp_path / "data")
    settings.data_dir.mkdir(parents=True)
    app = build(settings, clock=clock)
    try:
        yield app.services.leases
    finally:
        app.close()


def test_a_lease_is_held_until_it_expires_then_taken_over(leases: Leases, clock: MovableClock) -> None:
    assert leases.get("billing") is None
    assert leases.acquire("billing", "a", TTL)
    assert leases.get("billing") == Lease("billing", "a", START + TTL)
    assert not leases.acquire("billing", "b", TTL)
    clock.advance(TTL - timedelta(seconds=1))
    assert not leases.acquire("billing", "b", TTL)
    clock.advance(timedelta(seconds=1))
    assert leases.acquire("billing", "b", TTL)  # free from its expiry instant on
    assert leases.get("billing") == Lease("billing", "b", clock.now() + TTL)


def test_the_holder_renews_from_now(leases: Leases, clock: MovableClock) -> None:
    assert leases.acquire("mail", "a", TTL)
    clock.advance(timedelta(minutes=2))
    assert leases.acquire("mail", "a", TTL)
    assert leases.get("mail") == Lease("mail", "a", clock.now() + TTL)


def test_only_the_holder_releases_and_leases_are_independent(leases: Leases) -> None:
    assert leases.acquire("mail", "a", TTL)
    assert leases.acquire("billing", "b", TTL)
    leases.release("mail", "b")
    assert not leases.acquire("mail", "b", TTL)
    leases.release("mail", "a")
    assert leases.acquire("mail", "b", TTL)
    assert leases.get("billing") == Lease("billing", "b", START + TTL)


@pytest.mark.parametrize("ttl", [timedelta(0), timedelta(seconds=-1)])
def test_a_lease_needs_a_positive_time_to_live(leases: Leases, ttl: timedelta) -> None:
    with pytest.raises(ValueError, match="positive"):
        leases.acquire("mail", "a", ttl)
    assert leases.get("mail") is None
