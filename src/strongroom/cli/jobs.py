"""`strongroom jobs run`: a scheduled job, once, now."""

from __future__ import annotations

from collections.abc import Callable

import click

from strongroom.cli.common import open_application, settings_or_exit
from strongroom.jobs import retention
from strongroom.jobs.billing import NAME as BILLING_JOB
from strongroom.jobs.billing import describe as describe_billing
from strongroom.jobs.billing import run_billing
from strongroom.jobs.settlement import NAME as SETTLEMENT_JOB
from strongroom.jobs.settlement import describe, run_settlement
from strongroom.jobs.webhooks import NAME as WEBHOOKS_JOB
from strongroom.jobs.webhooks import describe as describe_webhooks
from strongroom.jobs.webhooks import run_webhook_delivery
from strongroom.services.catalog import Services


@click.group()
def jobs() -> None:
    """Scheduled jobs (`serve` runs them by itself every STRONGROOM_SCHEDULER_INTERVAL s)."""


@jobs.command("run")
@click.argument("name", type=click.Choice([SETTLEMENT_JOB, BILLING_JOB, retention.NAME, WEBHOOKS_JOB]))
def jobs_run(name: str) -> None:
    """Run a job once now and print its report (settlement: close due batches; billing:
    charge due subscription payments; instrument-purge: delete kept cards and accounts past
    their retention period; webhooks: send the notifications that are due)."""
    application = open_application(settings_or_exit())
    try:
        report = _JOBS[name](application.services)
    finally:
        application.close()
    click.echo(report)


def _settle(services: Services) -> str:
    return describe(run_settlement(services, services.clock.now()))


def _purge_instruments(services: Services) -> str:
    return retention.describe(retention.run_instrument_purge(services), services)


def _bill(services: Services) -> str:
    return describe_billing(run_billing(services, services.clock.now()))


def _send_webhooks(services: Services) -> str:
    return describe_webhooks(run_webhook_delivery(services))


_JOBS: dict[str, Callable[[Services], str]] = {
    SETTLEMENT_JOB: _settle,
    BILLING_JOB: _bill,
    retention.NAME: _purge_instruments,
    WEBHOOKS_JOB: _send_webhooks,
}
