"""ASGI entry point for process managers:
`uvicorn --factory strongroom.asgi:create_app --http strongroom.asgi:HttpProtocol`.

Each worker also runs the job scheduler (unless STRONGROOM_SCHEDULER_INTERVAL=0); the database
lease lets one of them at a time run each job. `HttpProtocol` gives each worker the slow-client
bounds of `strongroom serve`, read from the same settings as the app."""

from __future__ import annotations

import sys
from typing import NoReturn

from starlette.applications import Starlette

from strongroom.bootstrap import build, build_scheduler
from strongroom.config import (
    DEFAULT_BODY_TIMEOUT,
    DEFAULT_HEADER_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS,
    SettingsError,
    load_settings,
)
from strongroom.domain.errors import StrongroomError
from strongroom.jobs.lifespan import ASGIApp, WithScheduler
from strongroom.production_checks import ProductionNotReady, check_production
from strongroom.web.app import create_app as create_web_app
from strongroom.web.serving import BoundedHttpProtocol, Bounds
from strongroom.web.threads import WorkerThreads


class HttpProtocol(BoundedHttpProtocol):
    """uvicorn's HTTP protocol with the bounds `create_app` read (the defaults until then)."""

    bounds = Bounds(DEFAULT_HEADER_TIMEOUT, DEFAULT_BODY_TIMEOUT, DEFAULT_MAX_CONNECTIONS)


# uvicorn's supervisor stops on a worker that exits with this code instead of restarting it.
STARTUP_FAILURE = 3


def create_app() -> Starlette | ASGIApp:
    try:
        settings = load_settings()
        application = build(settings)
    except (SettingsError, StrongroomError) as refusal:
        _refuse(refusal.message if isinstance(refusal, StrongroomError) else str(refusal))
    HttpProtocol.bounds = Bounds(settings.header_timeout, settings.body_timeout, settings.max_connections)
    try:
        check_production(application)
    except ProductionNotReady as refusal:
        application.close()
        _refuse(refusal.message)
    scheduler = build_scheduler(application)
    app = create_web_app(
        application.services,
        settings.max_body_bytes,
        application.idempotency,
        WorkerThreads(settings.threads),
    )
    return app if scheduler is None else WithScheduler(app, scheduler)


def _refuse(message: str) -> NoReturn:
    """Stop this process with the reason and no traceback; the process manager shows the line
    and does not start the worker again."""
    print(f"Error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(STARTUP_FAILURE)
