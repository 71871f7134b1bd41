"""Delivery of the outbox (receipts): a job hands pending messages to the mail server.

Run it under one lease at a time (two concurrent runs could both send a message before either
records it). A message that fails is retried on later runs, up to MAX_ATTEMPTS times.
"""

from __future__ import annotations

from dataclasses import dataclass

from strongroom.services.ports import Clock, Mailer, MailUnavailable, UnitOfWorkFactory

MAX_ATTEMPTS = 5
BATCH = 100


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    sent: int
    failed: int


class OutboxDelivery:
    def __init__(self, units: UnitOfWorkFactory, mailer: Mailer, clock: Clock) -> None:
        self._units = units
        self._mailer = mailer
        self._clock = clock

    def deliver(self, limit: int = BATCH) -> DeliveryReport:
        """Send up to `limit` pending messages, oldest first; each outcome is recorded."""
        with self._units(write=False) as uow:
            pending = list(uow.outbox.pending(limit, MAX_ATTEMPTS))
        sent = failed = 0
        for message in pending:
            try:
                self._mailer.send(message)
            except MailUnavailable as error:
                failed += 1
                with self._units() as uow:
                    uow.outbox.mark_failed(message.key, str(error) or "not delivered")
                    uow.commit()
                continue
            with self._units() as uow:
                sent += uow.outbox.mark_sent(message.key, self._clock.now())
                uow.commit()
        return DeliveryReport(sent, failed)
