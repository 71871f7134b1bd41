"""The bounded set of threads the doors run their blocking work on (database, vault, processor)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, TypeVarTuple, Unpack

import anyio.to_thread
from anyio import CapacityLimiter

from strongroom.config import DEFAULT_THREADS

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


class WorkerThreads:
    """At most `size` requests do blocking work at once; the others wait their turn on the event
    loop. A few threads keep the database's connections and the GIL busy without the convoys
    that dozens of threads contending for one SQLite writer cause."""

    def __init__(self, size: int = DEFAULT_THREADS) -> None:
        if size < 1:
            raise ValueError("at least one worker thread is needed")
        self.size = size
        self._limiter = CapacityLimiter(size)

    async def run(self, function: Callable[[Unpack[Ts]], T], *args: *Ts) -> T:
        return await anyio.to_thread.run_sync(function, *args, limiter=self._limiter)

    @property
    def waiting(self) -> int:
        """Calls waiting for a thread."""
        return int(self._limiter.statistics().tasks_waiting)

    def __repr__(self) -> str:
        return f"WorkerThreads(size={self.size})"
