"""ASGI entry point for process managers: `uvicorn --factory strongroom.asgi:create_app`."""

from __future__ import annotations

from starlette.applications import Starlette

from strongroom.bootstrap import build
from strongroom.config import load_settings
from strongroom.web.app import create_app as create_web_app


def create_app() -> Starlette:
    settings = load_settings()
    application = build(settings)
    return create_web_app(application.services, settings.max_body_bytes)
