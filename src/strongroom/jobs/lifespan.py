"""Runs a scheduler for as long as an ASGI server serves an app: started on the lifespan
startup event and stopped on shutdown, so `strongroom serve` stops its jobs cleanly (uvicorn
re-raises SIGTERM after shutting down, so a `finally` after `uvicorn.run` would never run)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from strongroom.jobs.scheduler import Scheduler

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class WithScheduler:
    """ASGI middleware: `app`, plus `scheduler` running between lifespan startup and shutdown."""

    def __init__(self, app: ASGIApp, scheduler: Scheduler) -> None:
        self.app = app
        self.scheduler = scheduler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def lifespan_receive() -> Message:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.scheduler.start()
            elif message["type"] == "lifespan.shutdown":
                await asyncio.to_thread(self.scheduler.stop)
            return message

        try:
            await self.app(scope, lifespan_receive, send)
        finally:
            if self.scheduler.is_running():
                await asyncio.to_thread(self.scheduler.stop)
