"""The webhook API's routes, in process: each path and method reaches its one service call with
the decoded values and answers the rendered view; unknown paths and methods answer in the REST
error shape. The webhook service is a recording fake; the HTTP stack is Starlette's own, called
through httpx's ASGI transport."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from strongroom.domain.errors import AuthenticationFailed, NotFound
from strongroom.domain.events import EventType
from strongroom.domain.merchants import Merchant
from strongroom.domain.sensitive import Secret
from strongroom.domain.webhooks import NotificationState, WebhookStatus
from strongroom.services.auth_guard import Attempt
from strongroom.services.catalog import Services
from strongroom.services.merchants import Authenticated, SignatureKey, UnsealedSignatureKeys
from strongroom.services.ports import Vault
from strongroom.services.webhooks.management import WebhookChange, WebhookDraft
from strongroom.services.webhooks.summaries import Notification, Webhook
from strongroom.web.rest.routes import PREFIX, rest_routes

MERCHANT = Merchant(7, "Shop", "login-1", 70, "pub", datetime(2026, 1, 1, tzinfo=UTC))
AUTH = ("login-1", "key-1")
EVENT = EventType.AUTHCAPTURE_CREATED
HOOK = Webhook("wh-1", "Orders", "https://h.example/in", (EVENT,), WebhookStatus.ACTIVE)
SENT = Notification(
    "n-1", "wh-1", EVENT, '{"x": 1}', datetime(2026, 11, 23, tzinfo=UTC), NotificationState.DELIVERED, 1, None
)


class Merchants:
    def authenticate(
        self, login: str | None, key: Secret[str] | None, attempt: Attempt | None = None
    ) -> Authenticated:
        assert attempt is not None
        assert attempt.dialect == "rest"
        if (login, key.reveal() if key else None) != AUTH:
            raise AuthenticationFailed("User authentication failed due to invalid authentication values.")
        # No signature key: a REST answer is never signed, so the vault is never asked.
        return Authenticated(
            MERCHANT, SignatureKey(UnsealedSignatureKeys(cast("Vault", object())), MERCHANT.key, None)
        )


class RecordingWebhooks:
    """Records (method, arguments after the merchant); checks the merchant is the caller."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[object, ...]]] = []

    def _called(self, name: str, merchant: Merchant | None, *args: object) -> None:
        assert merchant in (None, MERCHANT)
        self.calls.append((name, args))

    def event_types(self) -> tuple[EventType, ...]:
        self._called("event_types", None)
        return (EVENT,)

    def of_merchant(self, merchant: Merchant) -> Sequence[Webhook]:
        self._called("of_merchant", merchant)
        return [HOOK]

    def create(self, merchant: Merchant, draft: WebhookDraft) -> Webhook:
        self._called("create", merchant, draft)
        return HOOK

    def get(self, merchant: Merchant, ref: str) -> Webhook:
        self._called("get", merchant, ref)
        if ref != HOOK.ref:
            raise NotFound("The webhook could not be found.")
        return HOOK

    def update(self, merchant: Merchant, ref: str, change: WebhookChange) -> Webhook:
        self._called("update", merchant, ref, change)
        return HOOK

    def delete(self, merchant: Merchant, ref: str) -> None:
        self._called("delete", merchant, ref)

    def ping(self, merchant: Merchant, ref: str) -> None:
        self._called("ping", merchant, ref)

    def notifications(self, merchant: Merchant, offset: int, limit: int) -> Sequence[Notification]:
        self._called("notifications", merchant, offset, limit)
        return [SENT]

    def notification(self, merchant: Merchant, ref: str) -> Notification:
        self._called("notification", merchant, ref)
        return SENT


@pytest.fixture
def webhooks() -> RecordingWebhooks:
    return RecordingWebhooks()


class Client:
    """Requests to `app` in process, one event loop per request."""

    def __init__(self, app: Starlette) -> None:
        self._transport = httpx.ASGITransport(app=app)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            async with httpx.AsyncClient(transport=self._transport, base_url="http://rest.test") as client:
                return await client.request(method, path, **kwargs)

        return asyncio.run(send())

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)


@pytest.fixture
def client(webhooks: RecordingWebhooks) -> Client:
    services = cast(Services, SimpleNamespace(merchants=Merchants(), webhooks=webhooks))
    return Client(Starlette(routes=[Mount(PREFIX, routes=rest_routes(services, 1000))]))


def answer(client: Client, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
    response = client.request(method, PREFIX + path, auth=AUTH, **kwargs)
    return response.status_code, response.json() if response.content else None


def test_event_types(client: Client, webhooks: RecordingWebhooks) -> None:
    assert answer(client, "GET", "/eventtypes") == (200, [{"name": EVENT.value}])
    assert webhooks.calls == [("event_types", ())]


def test_the_merchants_webhooks_are_listed(client: Client, webhooks: RecordingWebhooks) -> None:
    status, data = answer(client, "GET", "/webhooks")
    assert status == 200
    assert [item["webhookId"] for item in data] == ["wh-1"]
    assert webhooks.calls == [("of_merchant", ())]


def test_create_passes_the_decoded_draft(client: Client, webhooks: RecordingWebhooks) -> None:
    status, data = answer(client, "POST", "/webhooks", content=b'{"url": "u", "eventTypes": ["a"]}')
    assert (status, data["webhookId"]) == (200, "wh-1")
    assert webhooks.calls == [("create", (WebhookDraft("u", ("a",)),))]


def test_get_update_delete_and_ping_take_the_webhook_id_from_the_path(
    client: Client, webhooks: RecordingWebhooks
) -> None:
    assert answer(client, "GET", "/webhooks/wh-1")[0] == 200
    assert answer(client, "PUT", "/webhooks/wh-1", content=b'{"status": "inactive"}')[0] == 200
    assert answer(client, "DELETE", "/webhooks/wh-1") == (200, None)
    assert answer(client, "POST", "/webhooks/wh-1/pings") == (200, None)
    assert webhooks.calls == [
        ("get", ("wh-1",)),
        ("update", ("wh-1", WebhookChange(status="inactive"))),
        ("delete", ("wh-1",)),
        ("ping", ("wh-1",)),
    ]


def test_notification_history_pages_and_one_notification(client: Client, webhooks: RecordingWebhooks) -> None:
    status, page = answer(client, "GET", "/notifications", params={"offset": "3", "limit": "2"})
    assert status == 200
    assert page["_links"]["self"]["href"] == "/rest/v1/notifications?offset=3&limit=2"
    status, one = answer(client, "GET", "/notifications/n-1")
    assert (status, one["payload"]) == (200, {"x": 1})
    assert webhooks.calls == [("notifications", (3, 2)), ("notification", ("n-1",))]


def test_a_service_refusal_answers_in_the_error_shape(client: Client) -> None:
    status, data = answer(client, "GET", "/webhooks/nope")
    assert (status, data["reason"], data["message"]) == (404, "NOT_FOUND", "The webhook could not be found.")


def test_a_method_a_path_does_not_take_is_405_naming_those_it_does(
    client: Client, webhooks: RecordingWebhooks
) -> None:
    response = client.request("PATCH", PREFIX + "/webhooks/wh-1", auth=AUTH)
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET, PUT"
    assert response.json()["reason"] == "METHOD_NOT_ALLOWED"
    assert webhooks.calls == []


def test_an_unknown_path_is_404_in_the_error_shape(client: Client) -> None:
    status, data = answer(client, "GET", "/nowhere/at/all")
    assert (status, data["reason"]) == (404, "NOT_FOUND")


def test_wrong_credentials_reach_no_service_call(client: Client, webhooks: RecordingWebhooks) -> None:
    response = client.get(PREFIX + "/webhooks", auth=("login-1", "wrong"))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="Strongroom"'
    assert webhooks.calls == []
