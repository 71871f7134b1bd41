"""What webhook management answers: a webhook and a notification as the doors show them,
never the storage rows they are read from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from strongroom.domain.events import EventType
from strongroom.domain.webhooks import NotificationState, WebhookStatus
from strongroom.services.ports import NotificationRow, WebhookRow


@dataclass(frozen=True, slots=True)
class Webhook:
    """Where a merchant wants notifications of some event types sent."""

    ref: str  # public webhookId (a GUID)
    name: str | None
    url: str
    event_types: tuple[EventType, ...]
    status: WebhookStatus

    @classmethod
    def of(cls, row: WebhookRow) -> Webhook:
        return cls(row.ref, row.name, row.url, row.event_types, row.status)


@dataclass(frozen=True, slots=True)
class Notification:
    """One event for one webhook: what it says, and how far its delivery got."""

    ref: str  # public notificationId (a GUID)
    webhook_ref: str
    event_type: EventType
    payload: str  # the payload's JSON text, exactly as it is sent
    occurred_at: datetime  # eventDate
    state: NotificationState
    attempts: int
    last_error: str | None

    @classmethod
    def of(cls, row: NotificationRow) -> Notification:
        return cls(
            row.ref,
            row.webhook_ref,
            row.event_type,
            row.payload,
            row.occurred_at,
            row.state,
            row.attempts,
            row.last_error,
        )
