"""uvicorn's HTTP protocol with bounds on slow and vanishing clients: a deadline for each request
head and body, a cap on open connections, and at most one quiet log line per dropped client."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from uvicorn._types import ASGI3Application
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

logger = logging.getLogger("uvicorn.error")  # uvicorn configures its handlers and format


def _raw_response(status: bytes, text: bytes, *extra: bytes) -> bytes:
    lines = [
        b"HTTP/1.1 " + status,
        b"content-type: text/plain; charset=utf-8",
        b"content-length: " + str(len(text)).encode(),
        b"connection: close",
        *extra,
    ]
    return b"\r\n".join(lines) + b"\r\n\r\n" + text


TIMED_OUT = _raw_response(b"408 Request Timeout", b"Request Timeout")
OVER_CAP = _raw_response(b"503 Service Unavailable", b"Service Unavailable", b"retry-after: 1")


@dataclass(frozen=True, slots=True)
class Bounds:
    """How long a client may take to send a request, and how many may be connected at once."""

    header_timeout: float  # seconds from a request's first byte to the end of its head
    body_timeout: float  # seconds from the end of the head to the end of the body
    max_connections: int  # open connections per server process


@dataclass(slots=True)
class Refusals:
    """Connections refused over the cap since the last one accepted: two log lines a streak."""

    count: int = 0

    def refused(self, cap: int) -> None:
        if self.count == 0:
            logger.warning(
                "Refusing new connections with 503: %d are open, the most allowed "
                "(STRONGROOM_MAX_CONNECTIONS)",
                cap,
            )
        self.count += 1

    def accepted(self) -> None:
        if self.count:
            logger.info("Accepting connections again after refusing %d", self.count)
            self.count = 0


class QuietTransport(asyncio.Transport):
    """A transport whose writes after closing are dropped, as asyncio's own transports do; uvloop's
    raise RuntimeError, which uvicorn logs with a traceback when a pipelined client has gone."""

    def __init__(self, inner: asyncio.Transport) -> None:
        super().__init__()
        self._inner = inner

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._inner.is_closing():
            self._inner.write(data)

    def close(self) -> None:
        self._inner.close()

    def is_closing(self) -> bool:
        return self._inner.is_closing()

    def pause_reading(self) -> None:
        self._inner.pause_reading()

    def resume_reading(self) -> None:
        if not self._inner.is_closing():
            self._inner.resume_reading()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._inner.get_extra_info(name, default)

    def get_write_buffer_size(self) -> int:
        return self._inner.get_write_buffer_size()


class BoundedHttpProtocol(HttpToolsProtocol):
    """One connection, as uvicorn's httptools protocol with the bounds of `bounds` (set on a
    subclass: `bounds_protocol`)."""

    bounds: ClassVar[Bounds]
    refusals: ClassVar[Refusals] = Refusals()

    _timer: asyncio.TimerHandle | None = None
    _active: RequestResponseCycle | None = None  # the request the app is answering
    _phase = "idle"  # "head" or "body" while a request is arriving
    _received = 0  # body bytes of the request arriving now
    _eof = False  # the client half-closed: answer what fully arrived, then close
    _dropped = False  # closed here; any log line is written already

    # -------------------------------------------------------------------- connections

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        over_cap = len(self.connections) >= self.bounds.max_connections
        super().connection_made(QuietTransport(transport))
        if over_cap:
            self.refusals.refused(self.bounds.max_connections)
            self.transport.write(OVER_CAP)
            self._close()
            return
        self.refusals.accepted()
        self._arm(self.bounds.header_timeout, self._head_overdue)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._phase == "body" and not self._dropped:
            logger.info(
                "%s - Client closed the connection during the request body (%s)",
                self._peer(),
                self._progress(),
            )
        self._close()
        super().connection_lost(exc)

    def eof_received(self) -> bool:  # type: ignore[override]
        """A half-close: keep the connection open to answer requests that fully arrived."""
        self._eof = True
        return self._phase == "idle" and self._busy()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._eof and not self._busy():
            self._close()

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: ASGI3Application) -> None:
        self._active = cycle
        super()._start_asgi_task(cycle, app)

    # -------------------------------------------------------------------- parser callbacks

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._phase, self._received = "head", 0
        self._arm(self.bounds.header_timeout, self._head_overdue)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._phase = "body"
        self._arm(self.bounds.body_timeout, self._body_overdue)

    def on_body(self, body: bytes) -> None:
        self._received += len(body)
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._phase = "idle"
        self._disarm()
        super().on_message_complete()

    # -------------------------------------------------------------------- deadlines

    def _arm(self, seconds: float, overdue: Callable[[], None]) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, overdue)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _head_overdue(self) -> None:
        if self.flow.read_paused:  # the server stopped reading, not the client sending
            self._arm(self.bounds.header_timeout, self._head_overdue)
        elif self._phase == "idle":
            self._close()  # connected and sent nothing, like an idle keep-alive connection
        else:
            self._drop(f"request head not complete within {self.bounds.header_timeout:g} s")

    def _body_overdue(self) -> None:
        if self.flow.read_paused:
            self._arm(self.bounds.body_timeout, self._body_overdue)
        else:
            self._drop(
                f"request body not complete within {self.bounds.body_timeout:g} s ({self._progress()})"
            )

    def _drop(self, reason: str) -> None:
        logger.info("%s - Dropped a slow client: %s", self._peer(), reason)
        if self._may_answer():
            self.transport.write(TIMED_OUT)
        self._close()

    def _close(self) -> None:
        """Close once; the app's requests on this connection read a disconnect from now on."""
        self._dropped = True
        self._disarm()
        for cycle in self._cycles():
            if not cycle.response_complete:
                cycle.disconnected = True
            cycle.message_event.set()
        if not self.transport.is_closing():
            self.transport.close()

    # -------------------------------------------------------------------- state

    def _busy(self) -> bool:
        """The app is still answering a request, or more wait in the pipeline."""
        return self._answering(started_only=False) or bool(self.pipeline)

    def _answering(self, started_only: bool = True) -> bool:
        active = self._active
        if active is None or active.response_complete:
            return False
        return active.response_started or not started_only

    def _may_answer(self) -> bool:
        """No answer is on the wire, and the request arriving now has none yet (an early one,
        such as the refusal of an oversized body, leaves the rest of the body unanswered)."""
        if self._answering():
            return False
        return self._phase == "head" or self.cycle is None or not self.cycle.response_started

    def _cycles(self) -> list[RequestResponseCycle]:
        """Every request of the connection: uvicorn's own `connection_lost` tells only the newest
        parsed one, so a pipelined request the app is still answering would write on."""
        pipelined = [cycle for cycle, _ in self.pipeline]
        return [c for c in (self._active, self.cycle) if c is not None] + pipelined

    def _progress(self) -> str:
        declared = dict(self.headers or []).get(b"content-length", b"").decode("latin-1")
        return f"{self._received} of {declared} bytes" if declared else f"{self._received} bytes"

    def _peer(self) -> str:
        return f"{self.client[0]}:{self.client[1]}" if self.client else "-"


def bounds_protocol(bounds: Bounds) -> type[BoundedHttpProtocol]:
    """A protocol class for one server: its bounds and its own refusal streak."""

    class ServedHttpProtocol(BoundedHttpProtocol):
        pass

    ServedHttpProtocol.bounds = bounds
    ServedHttpProtocol.refusals = Refusals()
    return ServedHttpProtocol
