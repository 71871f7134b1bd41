"""A real Strongroom server on a loopback port, in a thread, recording every response it sends."""

from __future__ import annotations

import socket
import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from strongroom.bootstrap import Application, build
from strongroom.clocks import MovableClock
from strongroom.config import Settings
from strongroom.processors import SimulatedProcessor
from strongroom.web.app import AUTHNET_PATH, create_app
from strongroom.web.serving import Bounds, bounds_protocol
from tests.databases import throwaway_database

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

START = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@dataclass
class Recorder:
    """ASGI middleware keeping (content type, body) of every response, for schema checks."""

    app: ASGIApp
    responses: list[tuple[str, bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        content_type = ""
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal content_type
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                content_type = headers.get(b"content-type", b"").decode()
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        with self.lock:
            self.responses.append((content_type, b"".join(chunks)))

    def take(self) -> list[tuple[str, bytes]]:
        with self.lock:
            taken, self.responses = self.responses, []
        return taken


@dataclass
class LiveServer:
    url: str
    application: Application
    clock: MovableClock
    processor: SimulatedProcessor
    recorder: Recorder
    settings: Settings

    @property
    def endpoint(self) -> str:
        return self.url + AUTHNET_PATH


def settings_for(database_url: str, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "database_url": database_url,
        "master_key_file": data_dir / "master.key",
        "master_key": None,
        "environment": "sandbox",
        "host": "127.0.0.1",
        "port": 0,
        "max_body_bytes": 64 * 1024,
        "auto_migrate": True,
        "log_level": "warning",
        # Every test client is 127.0.0.1 and a test server's clock stands still: one address
        # limit would make tests depend on each other's failures. tests/api/test_auth_throttle
        # runs servers with the default limits.
        "auth_address_failures": 0,
    }
    values.update(overrides)
    return Settings(**values)


def start_server(settings: Settings) -> tuple[LiveServer, Callable[[], None]]:
    """Start on a pre-bound socket: clients can connect at once, no waiting or polling needed."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    clock = MovableClock(START)
    processor = SimulatedProcessor()
    application = build(settings, clock=clock, processor=processor)
    url, recorder, stop = serve_application(application)
    return LiveServer(url, application, clock, processor, recorder, settings), stop


def serve_application(application: Application) -> tuple[str, Recorder, Callable[[], None]]:
    """Serve a built application on a loopback port: (its URL, the recorder, stop), where
    stop also closes the application."""
    recorder = Recorder(
        create_app(application.services, application.settings.max_body_bytes, application.idempotency)
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    settings = application.settings
    bounds = Bounds(settings.header_timeout, settings.body_timeout, settings.max_connections)
    server = uvicorn.Server(
        uvicorn.Config(recorder, log_level="warning", lifespan="off", http=bounds_protocol(bounds), ws="none")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
        application.close()

    return f"http://127.0.0.1:{port}", recorder, stop


def serve_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, name: str
) -> Iterator[LiveServer]:
    """A live server on a throwaway database of the engine `request.param`, for as long as the
    fixture that yields from this lives."""
    directory = tmp_path_factory.mktemp(f"{name}-{request.param}")
    with throwaway_database(request.param, directory) as url:
        live, stop = start_server(settings_for(url, directory / "data"))
        try:
            yield live
        finally:
            stop()
