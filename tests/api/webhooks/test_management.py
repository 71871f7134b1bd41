"""The webhook management REST API (/rest/v1/): HTTP Basic authentication, event types, webhook
create/list/get/update/delete with URL, event-type and status validation, pings to a loopback
receiver, the error shape, and tenancy."""

from __future__ import annotations

import base64
import re
import uuid

import pytest

from tests.api.live_server import LiveServer
from tests.api.raw import merchant_of
from tests.api.rest_client import ALL_PAYMENT_EVENTS, assert_error, create_webhook, rest
from tests.api.sdk import ApiMerchant, new_merchant
from tests.api.stored_rows import unit
from tests.api.webhook_receiver import Receiver

AUTHCAPTURE = "net.authorize.payment.authcapture.created"
CUSTOMER_CREATED = "net.authorize.customer.created"
ALL_EVENT_TYPES = [
    "net.authorize.payment.authcapture.created",
    "net.authorize.payment.authorization.created",
    "net.authorize.payment.capture.created",
    "net.authorize.payment.fraud.approved",
    "net.authorize.payment.fraud.declined",
    "net.authorize.payment.fraud.held",
    "net.authorize.payment.priorAuthCapture.created",
    "net.authorize.payment.refund.created",
    "net.authorize.payment.void.created",
    "net.authorize.customer.created",
    "net.authorize.customer.updated",
    "net.authorize.customer.deleted",
    "net.authorize.customer.paymentProfile.created",
    "net.authorize.customer.paymentProfile.updated",
    "net.authorize.customer.paymentProfile.deleted",
    "net.authorize.customer.subscription.created",
    "net.authorize.customer.subscription.updated",
    "net.authorize.customer.subscription.suspended",
    "net.authorize.customer.subscription.terminated",
    "net.authorize.customer.subscription.cancelled",
    "net.authorize.customer.subscription.expiring",
    "net.authorize.customer.subscription.expired",
    "net.authorize.customer.subscription.failed",
]
URL = "https://merchant.example.com/hooks/anet"


# ----------------------------------------------------------------------------- authentication


def test_every_call_needs_the_merchants_api_login_id_and_transaction_key(
    server: LiveServer, merchant: ApiMerchant
) -> None:
    with rest(server) as anonymous:
        for method, path in (
            ("GET", "/eventtypes"),
            ("GET", "/webhooks"),
            ("POST", "/webhooks"),
            ("GET", f"/webhooks/{uuid.uuid4()}"),
            ("GET", "/notifications"),
        ):
            answer = anonymous.request(method, path)
            assert_error(answer, 401, "AUTHENTICATION_FAILED")
            assert answer.headers["www-authenticate"].startswith("Basic")
    wrong = [
        (merchant.login_id, "WrongKey12345678"),
        ("nobody-here", merchant.transaction_key),
        (merchant.login_id, ""),
    ]
    for credentials in wrong:
        with rest(server, auth=credentials) as client:
            assert_error(client.get("/webhooks"), 401, "AUTHENTICATION_FAILED")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer abc",
        "Basic",
        "Basic !!!not-base64!!!",
        "Basic " + base64.b64encode(b"no-colon-here").decode(),
        "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode(),
    ],
)
def test_malformed_authorization_headers_are_401(server: LiveServer, header: str) -> None:
    with rest(server) as client:
        answer = client.get("/webhooks", headers={"Authorization": header})
        assert_error(answer, 401, "AUTHENTICATION_FAILED")


def test_the_transaction_key_never_appears_in_an_error(server: LiveServer, merchant: ApiMerchant) -> None:
    with rest(server, auth=(merchant.login_id, "Secret0Key0Value")) as client:
        answer = client.get("/webhooks")
    assert "Secret0Key0Value" not in answer.text


# ----------------------------------------------------------------------------- event types


def test_event_types_lists_all_23_names(server: LiveServer, merchant: ApiMerchant) -> None:
    with rest(server, merchant) as client:
        answer = client.get("/eventtypes")
    assert answer.status_code == 200
    assert answer.json() == [{"name": name} for name in ALL_EVENT_TYPES]


# ----------------------------------------------------------------------------- CRUD


def test_create_get_list_update_delete(server: LiveServer, merchant: ApiMerchant) -> None:
    with rest(server, merchant) as client:
        created = create_webhook(client, URL, [AUTHCAPTURE, CUSTOMER_CREATED], name="Orders")
        webhook_id = created["webhookId"]
        assert str(uuid.UUID(webhook_id)) == webhook_id
        assert created == {
            "_links": {"self": {"href": f"/rest/v1/webhooks/{webhook_id}"}},
            "webhookId": webhook_id,
            "name": "Orders",
            "eventTypes": [AUTHCAPTURE, CUSTOMER_CREATED],
            "status": "active",
            "url": URL,
        }
        assert client.get(f"/webhooks/{webhook_id}").json() == created
        second = create_webhook(client, "http://127.0.0.1:9/x", [CUSTOMER_CREATED], status="inactive")
        assert "name" not in second
        assert [item["webhookId"] for item in client.get("/webhooks").json()] == [
            webhook_id,
            second["webhookId"],
        ]

        changed = client.put(f"/webhooks/{webhook_id}", json={"status": "inactive"})
        assert changed.status_code == 200
        assert changed.json() == {**created, "status": "inactive"}
        moved = client.put(
            f"/webhooks/{webhook_id}",
            json={
                "url": "https://elsewhere.example.com/h",
                "eventTypes": ALL_PAYMENT_EVENTS,
                "status": "active",
            },
        )
        assert moved.json()["url"] == "https://elsewhere.example.com/h"
        assert moved.json()["eventTypes"] == ALL_PAYMENT_EVENTS
        assert client.get(f"/webhooks/{webhook_id}").json() == moved.json()

        deleted = client.delete(f"/webhooks/{webhook_id}")
        assert (deleted.status_code, deleted.content) == (200, b"")
        assert_error(client.get(f"/webhooks/{webhook_id}"), 404, "NOT_FOUND")
        assert_error(client.delete(f"/webhooks/{webhook_id}"), 404, "NOT_FOUND")
        assert [item["webhookId"] for item in client.get("/webhooks").json()] == [second["webhookId"]]


def test_a_new_merchant_has_no_webhooks(server: LiveServer, merchant: ApiMerchant) -> None:
    with rest(server, merchant) as client:
        answer = client.get("/webhooks")
    assert (answer.status_code, answer.json()) == (200, [])


def test_repeated_event_types_are_kept_once(server: LiveServer, merchant: ApiMerchant) -> None:
    with rest(server, merchant) as client:
        created = create_webhook(client, URL, [AUTHCAPTURE, AUTHCAPTURE, CUSTOMER_CREATED])
    assert created["eventTypes"] == [AUTHCAPTURE, CUSTOMER_CREATED]


# ----------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/hook",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "example.com/hook",
        "https://",
        "http:///path-only",
        "https://exa mple.com/",
        "https://example.com/\nx",
        "https://example.com:99999/",
        "https://example.com:0/",
        "mailto:someone@example.com",
        "https://example.com/" + "a" * 2048,
        "",
        "   ",
    ],
)
def test_webhook_urls_must_be_http_or_https_with_a_host(
    server: LiveServer, merchant: ApiMerchant, url: str
) -> None:
    with rest(server, merchant) as client:
        answer = client.post("/webhooks", json={"url": url, "eventTypes": [AUTHCAPTURE]})
        body = assert_error(answer, 400, "MISSING_DATA" if not url.strip() else "INVALID_DATA")
        assert "url" in body["message"]
        assert client.get("/webhooks").json() == []
        created = create_webhook(client, URL, [AUTHCAPTURE])
        answer = client.put(f"/webhooks/{created['webhookId']}", json={"url": url})
        assert answer.status_code == 400
        assert client.get(f"/webhooks/{created['webhookId']}").json()["url"] == URL


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "HTTPS://Example.COM/a?b=c#d",
        "https://[::1]:8443/hooks",
        "http://localhost/",
    ],
)
def test_valid_urls_are_kept_as_given(server: LiveServer, merchant: ApiMerchant, url: str) -> None:
    with rest(server, merchant) as client:
        assert create_webhook(client, url, [AUTHCAPTURE])["url"] == url


@pytest.mark.parametrize(
    ("body", "reason", "named"),
    [
        ({"url": URL}, "MISSING_DATA", "eventTypes"),
        ({"url": URL, "eventTypes": []}, "MISSING_DATA", "eventTypes"),
        (
            {"url": URL, "eventTypes": ["net.authorize.payment.nothing"]},
            "INVALID_DATA",
            "net.authorize.payment.nothing",
        ),
        ({"url": URL, "eventTypes": "net.authorize.customer.created"}, "INVALID_DATA", "eventTypes"),
        ({"url": URL, "eventTypes": [1]}, "INVALID_DATA", "eventTypes"),
        ({"eventTypes": [AUTHCAPTURE]}, "MISSING_DATA", "url"),
        ({"url": 12, "eventTypes": [AUTHCAPTURE]}, "INVALID_DATA", "url"),
        ({"url": URL, "eventTypes": [AUTHCAPTURE], "status": "paused"}, "INVALID_DATA", "status"),
        ({"url": URL, "eventTypes": [AUTHCAPTURE], "name": "n" * 101}, "INVALID_DATA", "name"),
        ({"url": URL, "eventTypes": [AUTHCAPTURE], "name": ["x"]}, "INVALID_DATA", "name"),
    ],
)
def test_bad_webhook_bodies_are_refused_naming_the_member(
    server: LiveServer, merchant: ApiMerchant, body: dict[str, object], reason: str, named: str
) -> None:
    with rest(server, merchant) as client:
        error = assert_error(client.post("/webhooks", json=body), 400, reason)
        assert named in error["message"]
        assert client.get("/webhooks").json() == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "MISSING_DATA"),
        (b"{not json", "INVALID_JSON"),
        (b"[1, 2]", "INVALID_DATA"),
        (b'"text"', "INVALID_DATA"),
        (b"\xff\xfe", "INVALID_JSON"),
    ],
)
def test_bodies_that_are_not_json_objects(
    server: LiveServer, merchant: ApiMerchant, content: bytes, reason: str
) -> None:
    with rest(server, merchant) as client:
        answer = client.post("/webhooks", content=content, headers={"Content-Type": "application/json"})
        assert_error(answer, 400, reason)


def test_an_update_must_change_something_valid(server: LiveServer, merchant: ApiMerchant) -> None:
    with rest(server, merchant) as client:
        created = create_webhook(client, URL, [AUTHCAPTURE])
        path = f"/webhooks/{created['webhookId']}"
        assert_error(client.put(path, json={}), 400, "MISSING_DATA")
        assert_error(client.put(path, json={"eventTypes": []}), 400, "MISSING_DATA")
        assert_error(client.put(path, json={"status": "on"}), 400, "INVALID_DATA")
        assert client.get(path).json() == created


def test_a_body_over_the_limit_is_refused_unread(server: LiveServer, merchant: ApiMerchant) -> None:
    with rest(server, merchant) as client:
        big = b'{"url": "' + b"a" * (server.settings.max_body_bytes + 1) + b'"}'
        assert_error(client.post("/webhooks", content=big), 413, "REQUEST_TOO_LARGE")


def test_unknown_paths_and_methods(server: LiveServer, merchant: ApiMerchant) -> None:
    with rest(server, merchant) as client:
        assert_error(client.get("/subscriptions"), 404, "NOT_FOUND")
        assert_error(client.get("/webhooks/a/b/c"), 404, "NOT_FOUND")
        answer = client.delete("/webhooks")
        assert_error(answer, 405, "METHOD_NOT_ALLOWED")
        assert answer.headers["allow"] == "GET, POST"
        assert_error(client.post("/eventtypes"), 405, "METHOD_NOT_ALLOWED")
        assert_error(client.get(f"/webhooks/{uuid.uuid4()}/pings"), 405, "METHOD_NOT_ALLOWED")
        assert_error(client.get(f"/webhooks/{uuid.uuid4()}"), 404, "NOT_FOUND")
        assert_error(client.get("/notifications/not-a-guid"), 404, "NOT_FOUND")


@pytest.mark.parametrize(
    "query", [{"offset": "-1"}, {"limit": "0"}, {"limit": "1001"}, {"offset": "x"}, {"limit": "1.5"}]
)
def test_notification_paging_is_checked(
    server: LiveServer, merchant: ApiMerchant, query: dict[str, str]
) -> None:
    with rest(server, merchant) as client:
        assert_error(client.get("/notifications", params=query), 400, "INVALID_DATA")


def test_an_empty_history(server: LiveServer, merchant: ApiMerchant) -> None:
    with rest(server, merchant) as client:
        answer = client.get("/notifications", params={"offset": 0, "limit": 100})
    assert answer.json() == {
        "_links": {"self": {"href": "/rest/v1/notifications?offset=0&limit=100"}},
        "notifications": [],
    }


# ----------------------------------------------------------------------------- pings


def test_a_ping_posts_a_signed_test_notification_to_the_url(
    server: LiveServer, merchant: ApiMerchant, receiver: Receiver
) -> None:
    url = receiver.endpoint(merchant.signature_key)
    with rest(server, merchant) as client:
        created = create_webhook(
            client, url, [CUSTOMER_CREATED, AUTHCAPTURE], status="inactive"
        )  # pings reach inactive webhooks too
        answer = client.post(f"/webhooks/{created['webhookId']}/pings")
        assert (answer.status_code, answer.content) == (200, b"")
        assert client.get("/notifications").json()["notifications"] == []  # not history
    [ping] = receiver.accepted(url)
    assert receiver.state(url).bad_signatures == 0
    assert ping.headers["content-type"] == "application/json"
    notification = ping.json
    assert list(notification) == ["notificationId", "eventType", "eventDate", "webhookId", "payload"]
    assert notification["eventType"] == CUSTOMER_CREATED
    assert notification["webhookId"] == created["webhookId"]
    assert notification["payload"] == {"entityName": "customerProfile", "id": "0"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z", notification["eventDate"])


def test_a_ping_the_receiver_refuses_is_reported(
    server: LiveServer, merchant: ApiMerchant, receiver: Receiver
) -> None:
    url = receiver.endpoint(merchant.signature_key, fail_first=1, fail_status=503)
    with rest(server, merchant) as client:
        created = create_webhook(client, url, [AUTHCAPTURE])
        error = assert_error(client.post(f"/webhooks/{created['webhookId']}/pings"), 502, "PING_FAILED")
        assert "HTTP 503" in error["message"]
        assert client.post(f"/webhooks/{created['webhookId']}/pings").status_code == 200
    assert receiver.state(url).attempts == 2


def test_a_ping_to_a_closed_port_is_reported(server: LiveServer, merchant: ApiMerchant) -> None:
    closed = Receiver()
    url = closed.endpoint(merchant.signature_key)
    closed.close()
    with rest(server, merchant) as client:
        created = create_webhook(client, url, [AUTHCAPTURE])
        error = assert_error(client.post(f"/webhooks/{created['webhookId']}/pings"), 502, "PING_FAILED")
    assert "connection refused" in error["message"]


# ----------------------------------------------------------------------------- tenancy


def test_another_merchants_webhooks_are_not_found(
    server: LiveServer, merchant: ApiMerchant, receiver: Receiver
) -> None:
    other = new_merchant(server, "Other")
    url = receiver.endpoint(merchant.signature_key)
    with rest(server, merchant) as owner:
        mine = create_webhook(owner, url, [AUTHCAPTURE])
    path = f"/webhooks/{mine['webhookId']}"
    with rest(server, other) as intruder:
        assert intruder.get("/webhooks").json() == []
        assert_error(intruder.get(path), 404, "NOT_FOUND")
        assert_error(intruder.put(path, json={"url": "https://evil.example.com/"}), 404, "NOT_FOUND")
        assert_error(intruder.post(path + "/pings"), 404, "NOT_FOUND")
        assert_error(intruder.delete(path), 404, "NOT_FOUND")
    with rest(server, merchant) as owner:
        assert owner.get(path).json() == mine
    assert receiver.state(url).attempts == 0


def test_without_a_signature_key_there_are_no_webhooks_or_pings(
    server: LiveServer, merchant: ApiMerchant, receiver: Receiver
) -> None:
    url = receiver.endpoint(merchant.signature_key)
    with rest(server, merchant) as client:
        created = create_webhook(client, url, [AUTHCAPTURE])
        with unit(server, write=True) as uow:
            uow.merchants.set_signature_key(merchant_of(server, merchant).key, None)
        error = assert_error(
            client.post("/webhooks", json={"url": URL, "eventTypes": [AUTHCAPTURE]}), 400, "MISSING_DATA"
        )
        assert "signature key" in error["message"]
        assert_error(client.post(f"/webhooks/{created['webhookId']}/pings"), 502, "PING_FAILED")
    assert receiver.state(url).attempts == 0
