"""JSON values of the webhook API, in the documented member order; payloads are embedded as
the exact JSON text that was (or will be) sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson

from strongroom.domain.events import EventType
from strongroom.domain.webhooks import NotificationState
from strongroom.services.webhooks.summaries import Notification, Webhook

BASE = "/rest/v1"
_STATES = {NotificationState.DELIVERED: "Delivered", NotificationState.FAILED: "Failed"}


def _links(href: str) -> dict[str, Any]:
    return {"self": {"href": href}}


def event_types(items: Sequence[EventType]) -> list[dict[str, str]]:
    return [{"name": item.value} for item in items]


def webhook(row: Webhook) -> dict[str, Any]:
    data: dict[str, Any] = {"_links": _links(f"{BASE}/webhooks/{row.ref}"), "webhookId": row.ref}
    if row.name:
        data["name"] = row.name
    data["eventTypes"] = [item.value for item in row.event_types]
    data["status"] = row.status.value
    data["url"] = row.url
    return data


def webhooks(rows: Sequence[Webhook]) -> list[dict[str, Any]]:
    return [webhook(row) for row in rows]


def delivery_status(row: Notification) -> str:
    """Delivered, Failed, RetryPending (an attempt failed, another is scheduled) or Pending."""
    if row.state in _STATES:
        return _STATES[row.state]
    return "RetryPending" if row.attempts else "Pending"


def history_date(at: datetime) -> str:
    """UTC to the millisecond, as notification history writes it."""
    utc = at.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}"


def notification_summary(row: Notification) -> dict[str, Any]:
    return {
        "_links": _links(f"{BASE}/notifications/{row.ref}"),
        "notificationId": row.ref,
        "deliveryStatus": delivery_status(row),
        "eventType": row.event_type.value,
        "eventDate": history_date(row.occurred_at),
    }


def notifications(rows: Sequence[Notification], offset: int, limit: int) -> dict[str, Any]:
    return {
        "_links": _links(f"{BASE}/notifications?offset={offset}&limit={limit}"),
        "notifications": [notification_summary(row) for row in rows],
    }


def notification(row: Notification) -> dict[str, Any]:
    data = notification_summary(row)
    data["webhookId"] = row.webhook_ref
    data["payload"] = orjson.Fragment(row.payload)
    return data
