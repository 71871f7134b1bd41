"""Running one task on several threads at once, lined up by a barrier (never by sleeping)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
# A safety net against a hung test, never a timing assertion.
BARRIER_TIMEOUT_S = 60


def run_together(task: Callable[[int, threading.Barrier], T], threads: int = 2) -> list[T]:
    """Run `task(index, barrier)` on `threads` threads at once; re-raise any thread's error."""
    barrier = threading.Barrier(threads, timeout=BARRIER_TIMEOUT_S)
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(task, index, barrier) for index in range(threads)]
        return [future.result() for future in futures]
