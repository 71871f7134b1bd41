"""The mail job: hand the outbox's pending receipts to the SMTP server, when one is configured."""

from __future__ import annotations

from strongroom.services.catalog import Services
from strongroom.services.receipts.outbox import DeliveryReport

NAME = "mail"


def run_mail_delivery(services: Services) -> DeliveryReport | None:
    """Deliver pending messages; None (nothing done) when no mail server is configured."""
    delivery = services.mail_delivery
    return delivery.deliver() if delivery is not None else None
