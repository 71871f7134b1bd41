"""A real Strongroom server (subprocess) that dies like kill -9 at one chosen step of a charge.

Run as `python -m tests.integration.crashes.crashing_server STEP`, with the STRONGROOM_*
settings in the environment; it prints `port N` once it listens. While the file
`crash.armed` exists in the data directory, the next request to reach STEP removes it and the
process ends on the spot (`os._exit`, no cleanup, no rollback sent, nothing flushed), except
`processor-fails` which makes the processor raise once instead. Steps, in the order a charge
with an Idempotency-Key meets them:

- `claimed`: the key is held, no work done yet;
- `processor-answered`: the processor approved, nothing committed yet;
- `processor-fails`: the processor call fails unexpectedly (the server lives on);
- `committed`: the work and the stored answer are committed, the client has no answer yet.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path

import uvicorn

from strongroom.bootstrap import build
from strongroom.config import load_settings
from strongroom.processors.simulated import SimulatedProcessor
from strongroom.services.idempotency import Idempotency
from strongroom.services.ports import (
    AuthorizationRequest,
    IdempotencyEntry,
    IdempotencyStore,
    KeyGuard,
    ProcessorResult,
)
from strongroom.storage.idempotency import SqlIdempotencyStore
from strongroom.web.app import create_app

STEPS = ("claimed", "processor-answered", "processor-fails", "committed")
CRASH_EXIT = 86
ARMED = "crash.armed"


class Trigger:
    """Fires once per arming: the armed file is removed before the process dies."""

    def __init__(self, step: str, armed: Path) -> None:
        self._step = step
        self._armed = armed

    def reached(self, step: str) -> bool:
        if step != self._step or not self._armed.exists():
            return False
        self._armed.unlink()
        return True

    def crash_at(self, step: str) -> None:
        if self.reached(step):
            os._exit(CRASH_EXIT)


class CrashingProcessor(SimulatedProcessor):
    def __init__(self, trigger: Trigger) -> None:
        super().__init__()
        self._trigger = trigger

    def authorize(self, request: AuthorizationRequest) -> ProcessorResult:
        if self._trigger.reached("processor-fails"):
            raise ConnectionResetError("the processor connection dropped")
        result = super().authorize(request)
        self._trigger.crash_at("processor-answered")
        return result


class CrashingGuard:
    def __init__(self, inner: KeyGuard, trigger: Trigger) -> None:
        self._inner = inner
        self._trigger = trigger
        self.busy = inner.busy
        self.existing = inner.existing

    def commit_with(self, entry: IdempotencyEntry) -> None:
        self._inner.commit_with(entry)
        self._trigger.crash_at("committed")


class CrashingStore:
    def __init__(self, inner: IdempotencyStore, trigger: Trigger) -> None:
        self._inner = inner
        self._trigger = trigger

    def guard(self, merchant_key: int, key: str) -> AbstractContextManager[KeyGuard]:
        return self._guarded(merchant_key, key)

    @contextmanager
    def _guarded(self, merchant_key: int, key: str) -> Iterator[KeyGuard]:
        with self._inner.guard(merchant_key, key) as guard:
            self._trigger.crash_at("claimed")
            yield CrashingGuard(guard, self._trigger)

    def purge(self, answers_before: datetime, keys_before: datetime) -> int:
        return self._inner.purge(answers_before, keys_before)


def serve(step: str) -> None:
    settings = load_settings(dict(os.environ))
    trigger = Trigger(step, settings.data_dir / ARMED)
    application = build(settings, processor=CrashingProcessor(trigger))
    store = CrashingStore(SqlIdempotencyStore(application.engine), trigger)
    idempotency = Idempotency(store, application.vault, application.services.clock)
    app = create_app(application.services, settings.max_body_bytes, idempotency)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    print(f"port {sock.getsockname()[1]}", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    server.run(sockets=[sock])


if __name__ == "__main__":
    serve(sys.argv[1])
