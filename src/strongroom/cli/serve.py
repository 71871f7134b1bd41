"""`strongroom serve`: the API server, with its scheduler."""

from __future__ import annotations

import sys

import click

from strongroom import __version__
from strongroom.bootstrap import SANDBOX_TRANSACTION_KEY, build_scheduler, ensure_sandbox_merchant
from strongroom.cli.common import open_application, print_credentials, settings_or_exit
from strongroom.domain.errors import StrongroomError
from strongroom.jobs.lifespan import WithScheduler
from strongroom.production_checks import check_production
from strongroom.web.app import AUTHNET_PATH


@click.command()
@click.option("--host", default=None, help="Interface to bind (default STRONGROOM_HOST or 127.0.0.1).")
@click.option(
    "--port", default=None, type=click.IntRange(1, 65_535), help="Port (default STRONGROOM_PORT or 8080)."
)
def serve(host: str | None, port: int | None) -> None:
    """Run the API server (creates the sandbox merchant on a fresh sandbox)."""
    import uvicorn

    from strongroom.web.app import create_app
    from strongroom.web.serving import Bounds, bounds_protocol

    settings = settings_or_exit()
    application = open_application(settings)
    try:
        check_production(application)
    except StrongroomError as exc:
        application.close()
        raise click.ClickException(exc.message) from None
    host = settings.host if host is None else host
    port = settings.port if port is None else port
    sandbox = ensure_sandbox_merchant(application)
    click.echo(f"Strongroom {__version__} ({settings.environment})")
    click.echo(f"  endpoint:        http://{host}:{port}{AUTHNET_PATH}")
    if sandbox is not None:
        merchant, credentials = sandbox
        print_credentials(merchant, credentials, SANDBOX_TRANSACTION_KEY)
    scheduler = build_scheduler(application)
    if scheduler is not None:
        click.echo(
            f"  jobs:            {', '.join(scheduler.job_names)}, every {settings.scheduler_interval} s"
        )
    sys.stdout.flush()
    app = create_app(application.services, settings.max_body_bytes, application.idempotency)
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
