"""The webhooks job: it drains whole batches until one comes back short, at most MAX_BATCHES a run,
and adds up what each batch did."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from strongroom.jobs.webhooks import MAX_BATCHES, describe, run_webhook_delivery
from strongroom.services.catalog import Services
from strongroom.services.webhooks.delivery import BATCH, WebhookDeliveryReport


class ScriptedDelivery:
    """Answers each `deliver` with the next report; an exhausted script means a call too many."""

    def __init__(self, *reports: WebhookDeliveryReport) -> None:
        self.reports = list(reports)
        self.limits: list[int] = []

    def deliver(self, limit: int) -> WebhookDeliveryReport:
        self.limits.append(limit)
        return self.reports.pop(0)


def run(delivery: ScriptedDelivery) -> WebhookDeliveryReport:
    return run_webhook_delivery(cast(Services, SimpleNamespace(webhook_delivery=delivery)))


def test_a_short_batch_ends_the_run() -> None:
    delivery = ScriptedDelivery(WebhookDeliveryReport(3, 1, 1))
    assert run(delivery) == WebhookDeliveryReport(3, 1, 1)
    assert delivery.limits == [BATCH]


def test_full_batches_are_followed_by_another_and_the_counts_add_up() -> None:
    full = WebhookDeliveryReport(BATCH - 2, 1, 1)
    delivery = ScriptedDelivery(full, full, WebhookDeliveryReport(0, 0, 0))
    assert run(delivery) == WebhookDeliveryReport(2 * (BATCH - 2), 2, 2)
    assert delivery.limits == [BATCH, BATCH, BATCH]


def test_a_backlog_is_left_for_the_next_run_after_max_batches() -> None:
    full = WebhookDeliveryReport(BATCH, 0, 0)
    delivery = ScriptedDelivery(*[full] * (MAX_BATCHES + 1))
    assert run(delivery) == WebhookDeliveryReport(MAX_BATCHES * BATCH, 0, 0)
    assert len(delivery.limits) == MAX_BATCHES
    assert len(delivery.reports) == 1


def test_describe() -> None:
    assert describe(WebhookDeliveryReport(5, 2, 1)) == (
        "Webhooks: 5 notifications delivered, 2 to retry, 1 failed for good."
    )
