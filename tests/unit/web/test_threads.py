"""WorkerThreads: blocking work runs off the event loop, never more than `size` at once."""

from __future__ import annotations

import threading

import anyio
import pytest

from strongroom.web.threads import WorkerThreads


def test_at_most_size_calls_run_at_once_and_each_gets_its_answer() -> None:
    threads = WorkerThreads(2)
    lock = threading.Lock()
    running = peak = 0
    release = threading.Event()
    two_inside = threading.Event()

    def work(n: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
            if running == 2:
                two_inside.set()
        release.wait(timeout=30)
        with lock:
            running -= 1
        return n * 10

    answers: list[int] = []

    async def main() -> None:
        async def one(n: int) -> None:
            answers.append(await threads.run(work, n))

        async with anyio.create_task_group() as group:
            for n in range(6):
                group.start_soon(one, n)
            await anyio.to_thread.run_sync(two_inside.wait, 30)
            with anyio.fail_after(30):
                while threads.waiting < 4:  # the other four queue instead of starting
                    await anyio.sleep(0)
            with lock:
                assert running == 2
            release.set()

    anyio.run(main)

    assert peak == 2
    assert sorted(answers) == [0, 10, 20, 30, 40, 50]


def test_the_work_runs_on_another_thread() -> None:
    async def main() -> int | None:
        return await WorkerThreads(1).run(threading.get_ident)

    assert anyio.run(main) != threading.get_ident()


def test_at_least_one_thread() -> None:
    with pytest.raises(ValueError, match="at least one"):
        WorkerThreads(0)
