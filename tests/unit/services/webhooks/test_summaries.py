"""Webhook and notification summaries: what the REST door renders, taken field by field from the
storage rows (and nothing the door must not see, such as merchant keys or retry times)."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime, timedelta

from strongroom.domain.events import EventType
from strongroom.domain.webhooks import NotificationState, WebhookStatus
from strongroom.services.ports import NotificationRow, WebhookRow
from strongroom.services.webhooks.summaries import Notification, Webhook

AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
EVENTS = (EventType.AUTHCAPTURE_CREATED, EventType.AUTHORIZATION_CREATED)


def test_a_webhook_summary_copies_the_row() -> None:
    row = WebhookRow("wh-1", 7, "https://h.example/in", EVENTS, WebhookStatus.INACTIVE, AT, "Orders", AT)
    assert Webhook.of(row) == Webhook(
        "wh-1", "Orders", "https://h.example/in", EVENTS, WebhookStatus.INACTIVE
    )


def test_a_notification_summary_copies_the_row() -> None:
    row = NotificationRow(
        "n-1",
        7,
        "wh-1",
        EventType.AUTHCAPTURE_CREATED,
        '{"a": 1}',
        AT,
        NotificationState.PENDING,
        attempts=2,
        next_attempt_at=AT + timedelta(minutes=5),
        last_attempt_at=AT,
        last_error="HTTP 500",
        key=99,
    )
    assert Notification.of(row) == Notification(
        "n-1", "wh-1", EventType.AUTHCAPTURE_CREATED, '{"a": 1}', AT, NotificationState.PENDING, 2, "HTTP 500"
    )


def test_summaries_hold_no_merchant_key_or_storage_key() -> None:
    for summary in (Webhook, Notification):
        names = {item.name for item in fields(summary)}
        assert not names & {"merchant_key", "key", "next_attempt_at"}
