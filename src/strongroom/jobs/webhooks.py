"""The webhooks job: send the notifications that are due, retrying failed ones on schedule."""

from __future__ import annotations

from strongroom.services.catalog import Services
from strongroom.services.webhooks.delivery import BATCH, WebhookDeliveryReport

NAME = "webhooks"
MAX_BATCHES = 10  # per run; what remains is due at the next run


def run_webhook_delivery(services: Services) -> WebhookDeliveryReport:
    """Deliver due notifications batch after batch while whole batches come back (at most
    MAX_BATCHES), so a backlog drains without one run holding the scheduler for long."""
    delivered = retrying = failed = 0
    for _ in range(MAX_BATCHES):
        report = services.webhook_delivery.deliver(BATCH)
        delivered += report.delivered
        retrying += report.retrying
        failed += report.failed
        if report.delivered + report.retrying + report.failed < BATCH:
            break
    return WebhookDeliveryReport(delivered, retrying, failed)


def describe(report: WebhookDeliveryReport) -> str:
    return (
        f"Webhooks: {report.delivered} notifications delivered, {report.retrying} to retry, "
        f"{report.failed} failed for good."
    )
