"""Webhooks, recorded events and their notifications, and the HTTP sender."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from strongroom.domain.events import EventType, Payload
from strongroom.domain.webhooks import NotificationState, WebhookStatus


@dataclass(frozen=True, slots=True)
class WebhookRow:
    """Where a merchant wants notifications of some event types sent."""

    ref: str  # public webhookId (a GUID)
    merchant_key: int
    url: str
    event_types: tuple[EventType, ...]
    status: WebhookStatus
    created_at: datetime
    name: str | None = None
    updated_at: datetime | None = None


class WebhookRepository(Protocol):
    """A merchant's webhooks, always scoped by merchant."""

    def add(self, row: WebhookRow) -> None: ...

    def get(self, merchant_key: int, ref: str) -> WebhookRow | None: ...

    def of_merchant(self, merchant_key: int) -> Sequence[WebhookRow]:
        """Every webhook of the merchant, oldest first."""
        ...

    def replace(self, row: WebhookRow) -> bool:
        """Write name, url, event types, status and updated_at; False if it no longer exists."""
        ...

    def delete(self, merchant_key: int, ref: str) -> bool:
        """Delete the webhook and its notifications (history included)."""
        ...


class EventRecorder(Protocol):
    """Where services record what happened, inside the unit of work that made it happen: the
    notifications commit or roll back with the change itself."""

    def record(
        self, merchant_key: int, event_type: EventType, payload: Payload, occurred_at: datetime
    ) -> int:
        """Queue one notification of the event for each of the merchant's active webhooks
        subscribed to `event_type` (due at once); returns how many (0: nothing stored)."""
        ...

    def listens(self, merchant_key: int, event_type: EventType) -> bool:
        """Whether the merchant may have a webhook for `event_type`: False means `record` would
        store nothing, so a payload need not be built (True is a hint; `record` decides)."""
        ...


@dataclass(frozen=True, slots=True)
class NotificationRow:
    """One event on its way to (or delivered to, or given up on for) one webhook."""

    ref: str  # public notificationId (a GUID)
    merchant_key: int
    webhook_ref: str
    event_type: EventType
    payload: str  # the payload's JSON text, exactly as it is sent
    occurred_at: datetime  # eventDate
    state: NotificationState
    attempts: int = 0
    next_attempt_at: datetime | None = None  # pending only
    last_attempt_at: datetime | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None
    key: int = 0


@dataclass(frozen=True, slots=True)
class DueNotification:
    """A notification claimed for an attempt, with the URL its webhook has now."""

    notification: NotificationRow
    url: str


class NotificationRepository(Protocol):
    """Notifications: the delivery job's queue and the merchants' notification history."""

    def claim_due(self, now: datetime, hold_until: datetime, limit: int) -> Sequence[DueNotification]:
        """Up to `limit` pending notifications of active webhooks due at `now`, longest due
        first; each one's next attempt moves to `hold_until`, so a concurrent run skips it
        and a run that dies mid-attempt leaves it due again at `hold_until`."""
        ...

    def delivered(self, key: int, at: datetime) -> bool:
        """Record the accepted attempt (False if the notification is gone or not pending)."""
        ...

    def attempt_failed(self, key: int, at: datetime, error: str, next_attempt_at: datetime | None) -> bool:
        """Record a failed attempt: due again at `next_attempt_at`, or failed for good when
        None (False if the notification is gone or not pending)."""
        ...

    def history(self, merchant_key: int, offset: int, limit: int) -> Sequence[NotificationRow]:
        """The merchant's notifications, newest first."""
        ...

    def get(self, merchant_key: int, ref: str) -> NotificationRow | None: ...


class DeliveryFailed(Exception):
    """A webhook receiver was not reached or did not accept a notification (the text says
    how: an HTTP status, a timeout; never the notification's content)."""


class WebhookSender(Protocol):
    """Where notifications leave the server (HTTP POST)."""

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> None:
        """POST `body`; returns once the receiver answered 2xx, else DeliveryFailed."""
        ...
