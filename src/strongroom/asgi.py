"""ASGI entry point for process managers: `uvicorn --factory strongroom.asgi:create_app`.

Each worker also runs the job scheduler (unless STRONGROOM_SCHEDULER_INTERVAL=0); the database
lease lets one of them at a time run each job."""

from __future__ import annotations

from starlette.applications import Starlette

from strongroom.bootstrap import build, build_scheduler
from strongroom.config import load_settings
from strongroom.jobs.lifespan import ASGIApp, WithScheduler
from strongroom.production_checks import ProductionNotReady, check_production
from strongroom.web.app import create_app as create_web_app


def create_app() -> Starlette | ASGIApp:
    settings = load_settings()
    application = build(settings)
    try:
        check_production(application)
    except ProductionNotReady as refusal:
        application.close()
        raise SystemExit(refusal.message) from None  # the process manager shows it, no traceback
    scheduler = build_scheduler(application)
    app = create_web_app(application.services, settings.max_body_bytes,
                         application.idempotency)
    return app if scheduler is None else WithScheduler(app, scheduler)
