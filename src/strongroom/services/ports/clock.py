"""Where time comes from: the clock and the sandbox's stored offset."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Where time comes from; tests and the sandbox use a movable one."""

    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class ClockOffsets(Protocol):
    """Where a sandbox keeps how far its clock runs ahead of system time (implemented by
    storage, so every process sharing a database shares one sandbox clock)."""

    def offset(self) -> timedelta: ...

    def advance(self, delta: timedelta) -> timedelta:
        """Add `delta` to the stored offset; return the new offset."""
        ...
