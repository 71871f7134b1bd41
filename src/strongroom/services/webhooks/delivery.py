"""Delivery of webhook notifications: claim the due ones, POST each signed to its webhook's URL,
record every outcome; a failed attempt is retried with exponential backoff until the schedule
gives up and the notification is marked failed.

Notifications are claimed in a short write unit (their next attempt moves `HOLD` ahead), so two
runs never send the same one at once, and one whose run died mid-attempt (a crash, a restart)
is simply due again later: delivery is at least once, never lost. Receivers tell repeats apart
by `notificationId`.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from strongroom.domain.webhooks import RetrySchedule
from strongroom.services.ports import (
    Clock,
    DeliveryFailed,
    DueNotification,
    UnitOfWorkFactory,
    Vault,
    WebhookSender,
)
from strongroom.services.webhooks.signing import (
    SignatureKeys,
    notification_body,
    signed_headers,
)

logger = logging.getLogger("strongroom.webhooks")

BATCH = 100
WORKERS = 8  # one slow receiver must not hold up the others
HOLD = timedelta(minutes=15)  # longer than any run: sends time out long before
DELIVERED, RETRYING, FAILED = "delivered", "retrying", "failed"


@dataclass(frozen=True, slots=True)
class WebhookDeliveryReport:
    delivered: int = 0
    retrying: int = 0  # failed this time, another attempt is scheduled
    failed: int = 0  # failed for the last time


@dataclass(frozen=True, slots=True)
class _Request:
    due: DueNotification
    body: bytes
    headers: dict[str, str] | None  # None: not signed, so not sent (`problem` says why)
    problem: str = ""


class WebhookDelivery:
    def __init__(
        self,
        units: UnitOfWorkFactory,
        vault: Vault,
        sender: WebhookSender,
        clock: Clock,
        schedule: RetrySchedule | None = None,
        workers: int = WORKERS,
    ) -> None:
        self._units = units
        self._vault = vault
        self._sender = sender
        self._clock = clock
        self.schedule = schedule or RetrySchedule()
        self._workers = workers

    def deliver(self, limit: int = BATCH) -> WebhookDeliveryReport:
        """Attempt up to `limit` due notifications, longest due first; each outcome recorded."""
        now = self._clock.now()
        with self._units() as uow:
            due = uow.notifications.claim_due(now, now + HOLD, limit)
            uow.commit()
        if not due:
            return WebhookDeliveryReport()
        keys = SignatureKeys(self._units, self._vault)
        requests = [self._request(item, keys) for item in due]
        with ThreadPoolExecutor(
            max_workers=min(self._workers, len(requests)), thread_name_prefix="strongroom-webhook"
        ) as pool:
            outcomes = list(pool.map(self._attempt, requests))
        return WebhookDeliveryReport(
            outcomes.count(DELIVERED), outcomes.count(RETRYING), outcomes.count(FAILED)
        )

    @staticmethod
    def _request(due: DueNotification, keys: SignatureKeys) -> _Request:
        item = due.notification
        body = notification_body(item.ref, item.event_type, item.occurred_at, item.webhook_ref, item.payload)
        try:
            key = keys.of(item.merchant_key)
        except Exception as failure:  # one merchant's key must not strand the others
            logger.error("signature key unavailable: %s", type(failure).__name__)
            return _Request(due, body, None, "the signature key could not be read")
        if key is None:
            return _Request(due, body, None, "the merchant has no signature key to sign with")
        return _Request(due, body, signed_headers(key, body))

    def _attempt(self, request: _Request) -> str:
        error: str | None = None
        try:
            if request.headers is None:
                raise DeliveryFailed(request.problem)
            self._sender.post(request.due.url, request.body, request.headers)
        except DeliveryFailed as failure:
            error = str(failure) or "not delivered"
        except Exception as failure:  # a sender bug must not strand the rest of the run
            logger.error("webhook delivery failed unexpectedly: %s", type(failure).__name__)
            error = f"internal error ({type(failure).__name__})"
        if error is not None:
            logger.info("webhook notification %s not delivered: %s", request.due.notification.ref, error)
        return self._record(request.due, error)

    def _record(self, due: DueNotification, error: str | None) -> str:
        item = due.notification
        at = self._clock.now()
        outcome = DELIVERED
        with self._units() as uow:
            if error is None:
                uow.notifications.delivered(item.key, at)
            else:
                wait = self.schedule.wait_after(item.attempts + 1)
                outcome = RETRYING if wait is not None else FAILED
                uow.notifications.attempt_failed(item.key, at, error, at + wait if wait is not None else None)
            uow.commit()
        return outcome
