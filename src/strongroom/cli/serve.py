"""`strongroom serve`: the API server, with its scheduler, in one process or several workers."""

from __future__ import annotations

import os
import sys

import click

from strongroom import __version__
from strongroom.bootstrap import (
    SANDBOX_TRANSACTION_KEY,
    Application,
    build_scheduler,
    ensure_sandbox_merchant,
)
from strongroom.cli.common import open_application, print_credentials, settings_or_exit
from strongroom.config import MAX_WORKERS, Settings
from strongroom.domain.errors import StrongroomError
from strongroom.jobs.lifespan import WithScheduler
from strongroom.jobs.scheduler import Scheduler
from strongroom.production_checks import check_production
from strongroom.web.app import AUTHNET_PATH

SQLITE_WORKERS_REFUSED = (
    "Several workers need PostgreSQL (STRONGROOM_DATABASE_URL=postgresql+psycopg://...): "
    "SQLite has one writer, so more processes would only wait on each other. "
    "Run one worker on SQLite."
)


@click.command()
@click.option("--host", default=None, help="Interface to bind (default STRONGROOM_HOST or 127.0.0.1).")
@click.option(
    "--port", default=None, type=click.IntRange(1, 65_535), help="Port (default STRONGROOM_PORT or 8080)."
)
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, MAX_WORKERS),
    help="Worker processes, PostgreSQL only (default STRONGROOM_WORKERS or 1).",
)
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Run the API server (creates the sandbox merchant on a fresh sandbox)."""
    settings = settings_or_exit()
    workers = settings.workers if workers is None else workers
    if workers > 1 and settings.is_sqlite:
        raise click.ClickException(SQLITE_WORKERS_REFUSED)
    application = open_application(settings)
    try:
        check_production(application)
    except StrongroomError as exc:
        application.close()
        raise click.ClickException(exc.message) from None
    host = settings.host if host is None else host
    port = settings.port if port is None else port
    scheduler = announce(application, host, port, workers)
    if workers == 1:
        serve_in_process(application, scheduler, host, port)
    else:
        application.close()  # each worker builds its own
        serve_workers(settings, host, port, workers)


def announce(application: Application, host: str, port: int, workers: int) -> Scheduler | None:
    """Create the sandbox merchant if due, then print the endpoint, the credentials and the
    jobs, once; the scheduler for them."""
    settings = application.settings
    sandbox = ensure_sandbox_merchant(application)
    click.echo(f"Strongroom {__version__} ({settings.environment})")
    click.echo(f"  endpoint:        http://{host}:{port}{AUTHNET_PATH}")
    if workers > 1:
        click.echo(f"  workers:         {workers}")
    if sandbox is not None:
        merchant, credentials = sandbox
        print_credentials(merchant, credentials, SANDBOX_TRANSACTION_KEY)
    scheduler = build_scheduler(application)
    if scheduler is not None:
        click.echo(
            f"  jobs:            {', '.join(scheduler.job_names)}, every {settings.scheduler_interval} s"
        )
    sys.stdout.flush()
    return scheduler


def serve_in_process(application: Application, scheduler: Scheduler | None, host: str, port: int) -> None:
    """uvicorn in this process, on the application already built."""
    import uvicorn

    from strongroom.web.app import create_app
    from strongroom.web.serving import Bounds, bounds_protocol
    from strongroom.web.threads import WorkerThreads

    settings = application.settings
    app = create_app(
        application.services,
        settings.max_body_bytes,
        application.idempotency,
        WorkerThreads(settings.threads),
    )
    served = app if scheduler is None else WithScheduler(app, scheduler)
    bounds = Bounds(settings.header_timeout, settings.body_timeout, settings.max_connections)
    try:
        uvicorn.run(
            served,
            host=host,
            port=port,
            log_level=settings.log_level,
            server_header=False,
            date_header=True,
            http=bounds_protocol(bounds),
            ws="none",
        )
    finally:
        application.close()


def serve_workers(settings: Settings, host: str, port: int, workers: int) -> None:
    """uvicorn's supervisor: `workers` processes on one socket, each building the application
    (and its scheduler) through `strongroom.asgi`. They read the same environment, with this
    command's host and port, and only check the schema: it was migrated here, once."""
    import uvicorn

    os.environ.update(STRONGROOM_HOST=host, STRONGROOM_PORT=str(port), STRONGROOM_AUTO_MIGRATE="false")
    uvicorn.run(
        "strongroom.asgi:create_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level=settings.log_level,
        server_header=False,
        date_header=True,
        http="strongroom.asgi:HttpProtocol",
        ws="none",
    )
