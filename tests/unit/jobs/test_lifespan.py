"""WithScheduler: the scheduler starts on lifespan startup and stops on shutdown (or when the app
fails), and other scopes pass straight through to the app."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest

from strongroom.jobs.lifespan import Message, Receive, Scope, Send, WithScheduler
from strongroom.jobs.scheduler import Scheduler


class FakeScheduler:
    def __init__(self) -> None:
        self.events: list[str] = []
        self.running = False

    def start(self) -> None:
        self.events.append("start")
        self.running = True

    def stop(self) -> None:
        self.events.append("stop")
        self.running = False

    def is_running(self) -> bool:
        return self.running


def feeder(*messages: Message) -> Receive:
    queue = list(messages)

    async def receive() -> Message:
        return queue.pop(0)

    return receive


async def ignore(message: Message) -> None:
    return None


def wrapped(app: Any, scheduler: FakeScheduler) -> WithScheduler:
    return WithScheduler(app, cast(Scheduler, scheduler))


def test_startup_starts_and_shutdown_stops_the_scheduler() -> None:
    scheduler = FakeScheduler()
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append((await receive())["type"])
        seen.append(f"running={scheduler.running}")
        seen.append((await receive())["type"])
        seen.append(f"running={scheduler.running}")

    lifespan = feeder({"type": "lifespan.startup"}, {"type": "lifespan.shutdown"})
    asyncio.run(wrapped(app, scheduler)({"type": "lifespan"}, lifespan, ignore))
    assert seen == ["lifespan.startup", "running=True", "lifespan.shutdown", "running=False"]
    assert scheduler.events == ["start", "stop"]


def test_an_app_that_fails_after_startup_still_stops_the_scheduler() -> None:
    scheduler = FakeScheduler()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        asyncio.run(
            wrapped(app, scheduler)({"type": "lifespan"}, feeder({"type": "lifespan.startup"}), ignore)
        )
    assert scheduler.events == ["start", "stop"]


def test_other_scopes_reach_the_app_untouched_and_leave_the_scheduler_alone() -> None:
    scheduler = FakeScheduler()
    calls: list[tuple[Scope, Receive, Send]] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls.append((scope, receive, send))

    scope: Scope = {"type": "http", "path": "/"}
    receive = feeder()
    asyncio.run(wrapped(app, scheduler)(scope, receive, ignore))
    assert calls == [(scope, receive, ignore)]
    assert scheduler.events == []
