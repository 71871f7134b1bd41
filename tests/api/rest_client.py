"""A plain HTTP client of the REST API (/rest/v1/) for one merchant, as any JSON integration
calls it: HTTP Basic with the API login ID and transaction key."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import httpx

from strongroom.jobs.webhooks import run_webhook_delivery
from strongroom.services.webhooks.delivery import WebhookDeliveryReport
from tests.api.live_server import LiveServer
from tests.api.sdk import ApiMerchant

PREFIX = "/rest/v1"
ALL_PAYMENT_EVENTS = [
    "net.authorize.payment.authcapture.created",
    "net.authorize.payment.authorization.created",
    "net.authorize.payment.capture.created",
    "net.authorize.payment.priorAuthCapture.created",
    "net.authorize.payment.refund.created",
    "net.authorize.payment.void.created",
]
PROFILE_EVENTS = [
    "net.authorize.customer.created",
    "net.authorize.customer.updated",
    "net.authorize.customer.deleted",
    "net.authorize.customer.paymentProfile.created",
    "net.authorize.customer.paymentProfile.updated",
    "net.authorize.customer.paymentProfile.deleted",
]


@contextmanager
def rest(
    server: LiveServer, merchant: ApiMerchant | None = None, auth: tuple[str, str] | None = None
) -> Iterator[httpx.Client]:
    """A client whose paths are relative to /rest/v1 (credentials of `merchant` or `auth`)."""
    credentials = auth or ((merchant.login_id, merchant.transaction_key) if merchant else None)
    with httpx.Client(base_url=server.url + PREFIX, auth=credentials, trust_env=False, timeout=60) as client:
        yield client


def create_webhook(
    client: httpx.Client,
    url: str,
    event_types: Sequence[str],
    *,
    status: str | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"url": url, "eventTypes": list(event_types)}
    if status is not None:
        body["status"] = status
    if name is not None:
        body["name"] = name
    answer = client.post("/webhooks", json=body)
    assert answer.status_code == 200, answer.text
    created: dict[str, Any] = answer.json()
    return created


def assert_error(answer: httpx.Response, status: int, reason: str) -> dict[str, Any]:
    """The REST error shape: {status, reason, message, correlationId}, nothing else."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = answer.json()
    assert list(body) == ["status", "reason", "message", "correlationId"]
    assert body["status"] == status
    assert body["reason"] == reason, body
    assert body["message"]
    assert len(body["correlationId"]) == 36
    return body


def deliver(server: LiveServer) -> WebhookDeliveryReport:
    """Run the webhooks job once on the server's own services (as its scheduler would)."""
    return run_webhook_delivery(server.application.services)


def history(client: httpx.Client, **query: int) -> list[dict[str, Any]]:
    answer = client.get("/notifications", params=query)
    assert answer.status_code == 200, answer.text
    notifications: list[dict[str, Any]] = answer.json()["notifications"]
    return notifications
