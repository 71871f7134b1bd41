"""Clock implementations: the system clock, a movable one for tests, and the sandbox clock
(system time plus an offset persisted in the database)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from strongroom.services.ports import ClockOffsets


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class MovableClock:
    """A clock that stands still until moved; thread-safe."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("MovableClock needs a timezone-aware start")
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta


class SandboxClock:
    """System time plus an offset kept in storage (`strongroom clock advance`), so every process
    sharing the database runs on one sandbox time. The offset is re-read at most every
    `refresh` seconds; this process's own `advance` takes effect at once."""

    def __init__(
        self, offsets: ClockOffsets, refresh: float = 1.0, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._offsets = offsets
        self._refresh = refresh
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._read_at: float | None = None

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset()

    def offset(self) -> timedelta:
        with self._lock:
            moment = self._monotonic()
            if self._read_at is None or moment - self._read_at >= self._refresh:
                self._offset = self._offsets.offset()
                self._read_at = moment
            return self._offset

    def advance(self, delta: timedelta) -> timedelta:
        """Move the sandbox clock forward by `delta` for every process; the new offset."""
        if delta <= timedelta(0):
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            self._offset = self._offsets.advance(delta)
            self._read_at = self._monotonic()
            return self._offset
