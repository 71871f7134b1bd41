"""The mail job: it delivers the outbox when a mail server is configured, and does nothing otherwise."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from strongroom.jobs.mail import run_mail_delivery
from strongroom.services.catalog import Services
from strongroom.services.receipts.outbox import DeliveryReport


class CountingDelivery:
    def __init__(self) -> None:
        self.calls = 0

    def deliver(self) -> DeliveryReport:
        self.calls += 1
        return DeliveryReport(sent=2, failed=1)


def test_with_a_mail_server_the_outbox_is_delivered_once_per_run() -> None:
    delivery = CountingDelivery()
    services = cast(Services, SimpleNamespace(mail_delivery=delivery))
    assert run_mail_delivery(services) == DeliveryReport(sent=2, failed=1)
    assert delivery.calls == 1


def test_without_a_mail_server_nothing_is_done() -> None:
    assert run_mail_delivery(cast(Services, SimpleNamespace(mail_delivery=None))) is None
