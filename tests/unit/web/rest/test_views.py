"""The webhook API's JSON values: member order, links, optional name, delivery status, dates to
the millisecond in UTC, and payloads embedded as the exact text sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import orjson
import pytest

from strongroom.domain.events import EventType
from strongroom.domain.webhooks import NotificationState, WebhookStatus
from strongroom.services.webhooks.summaries import Notification, Webhook
from strongroom.web.rest import views

EVENT = EventType.AUTHCAPTURE_CREATED
AT = datetime(2026, 11, 23, 10, 5, 7, 123_999, tzinfo=UTC)


def hook(name: str | None) -> Webhook:
    return Webhook(
        "wh-1", name, "https://h.example/in", (EVENT, EventType.AUTHORIZATION_CREATED), WebhookStatus.ACTIVE
    )


def sent(state: NotificationState = NotificationState.DELIVERED, attempts: int = 1) -> Notification:
    return Notification("n-1", "wh-1", EVENT, '{"b": 1,  "a": [2.50]}', AT, state, attempts, None)


def test_event_types_are_listed_by_name() -> None:
    assert views.event_types([EVENT]) == [{"name": EVENT.value}]


def test_a_webhook_in_member_order_with_its_link() -> None:
    data = views.webhook(hook("Orders"))
    assert list(data) == ["_links", "webhookId", "name", "eventTypes", "status", "url"]
    assert data == {
        "_links": {"self": {"href": "/rest/v1/webhooks/wh-1"}},
        "webhookId": "wh-1",
        "name": "Orders",
        "eventTypes": [EVENT.value, EventType.AUTHORIZATION_CREATED.value],
        "status": "active",
        "url": "https://h.example/in",
    }


@pytest.mark.parametrize("name", [None, ""])
def test_a_webhook_without_a_name_has_no_name_member(name: str | None) -> None:
    assert "name" not in views.webhook(hook(name))
    assert views.webhooks([hook(name), hook("x")])[1]["name"] == "x"


@pytest.mark.parametrize(
    ("state", "attempts", "status"),
    [
        (NotificationState.DELIVERED, 1, "Delivered"),
        (NotificationState.FAILED, 5, "Failed"),
        (NotificationState.PENDING, 2, "RetryPending"),
        (NotificationState.PENDING, 0, "Pending"),
    ],
)
def test_delivery_status(state: NotificationState, attempts: int, status: str) -> None:
    assert views.delivery_status(sent(state, attempts)) == status


def test_history_dates_are_utc_to_the_millisecond_truncated() -> None:
    assert views.history_date(AT) == "2026-11-23T10:05:07.123"
    plus_two = AT.astimezone(timezone(timedelta(hours=2)))
    assert views.history_date(plus_two) == "2026-11-23T10:05:07.123"
    assert views.history_date(AT.replace(microsecond=0)) == "2026-11-23T10:05:07.000"


def test_a_notification_page_links_its_offset_and_limit() -> None:
    page = views.notifications([sent()], 20, 5)
    assert page == {
        "_links": {"self": {"href": "/rest/v1/notifications?offset=20&limit=5"}},
        "notifications": [
            {
                "_links": {"self": {"href": "/rest/v1/notifications/n-1"}},
                "notificationId": "n-1",
                "deliveryStatus": "Delivered",
                "eventType": EVENT.value,
                "eventDate": "2026-11-23T10:05:07.123",
            }
        ],
    }


def test_a_notification_embeds_its_payload_as_the_exact_text_sent() -> None:
    data = views.notification(sent())
    assert list(data)[-2:] == ["webhookId", "payload"]
    assert data["webhookId"] == "wh-1"
    assert orjson.dumps(data).endswith(b'"payload":{"b": 1,  "a": [2.50]}}')
