"""The REST door's request cycle in process: method check, body limit, control characters,
credentials, one operation, and every refusal (even an unexpected failure) in the error shape."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any, cast

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from strongroom.domain.errors import AuthenticationFailed, InvalidField
from strongroom.domain.merchants import Merchant
from strongroom.domain.sensitive import Secret
from strongroom.services.auth_guard import Attempt
from strongroom.services.merchants import Authenticated, Merchants, SignatureKey, UnsealedSignatureKeys
from strongroom.services.ports import Vault
from strongroom.web.rest.door import Call, Operation, RestDoor, not_found, render
from strongroom.web.rest.errors import Reply

MERCHANT = Merchant(7, "Shop", "login-1", 70, "pub", datetime(2026, 1, 1, tzinfo=UTC))
AUTH = ("login-1", "key-1")
LIMIT = 16


class KnownMerchant:
    def __init__(self) -> None:
        self.attempts: list[Attempt | None] = []

    def authenticate(
        self, login: str | None, key: Secret[str] | None, attempt: Attempt | None = None
    ) -> Authenticated:
        self.attempts.append(attempt)
        if (login, key.reveal() if key else None) != AUTH:
            raise AuthenticationFailed("User authentication failed.")
        # No signature key: a REST answer is never signed, so the vault is never asked.
        return Authenticated(
            MERCHANT, SignatureKey(UnsealedSignatureKeys(cast("Vault", object())), MERCHANT.key, None)
        )


def echo(merchant: Merchant, call: Call) -> Reply:
    return Reply(
        201,
        {
            "merchant": merchant.key,
            "path": dict(call.path),
            "query": dict(call.query),
            "body": call.body.decode(),
        },
    )


def leaky(merchant: Merchant, call: Call) -> Reply:
    raise KeyError("4111111111111111")


def refusing(merchant: Merchant, call: Call) -> Reply:
    raise InvalidField("name", "name is too long.")


def nothing(merchant: Merchant, call: Call) -> Reply:
    return Reply(204, None, {"X-Done": "yes"})


def app(merchants: KnownMerchant) -> Starlette:
    door = RestDoor(cast(Merchants, merchants), LIMIT)

    def route(path: str, operations: dict[str, Operation]) -> Route:
        async def endpoint(request: Request) -> Response:
            return await door.dispatch(request, operations)

        return Route(path, endpoint, methods=["GET", "POST", "PUT", "DELETE"])

    return Starlette(
        routes=[
            route("/things/{thing_id}", {"POST": echo, "GET": nothing}),
            route("/leaky", {"GET": leaky}),
            route("/refusing", {"GET": refusing}),
            Route("/{path:path}", not_found, methods=["GET"]),
        ]
    )


@pytest.fixture
def merchants() -> KnownMerchant:
    return KnownMerchant()


def send(merchants: KnownMerchant, method: str, path: str, **kwargs: Any) -> httpx.Response:
    kwargs.setdefault("auth", AUTH)

    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=app(merchants), client=("203.0.113.9", 4000))
        async with httpx.AsyncClient(transport=transport, base_url="http://rest.test") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(run())


def reason(response: httpx.Response) -> str:
    assert response.headers["content-type"] == "application/json"
    return str(response.json()["reason"])


def test_the_operation_gets_the_merchant_path_query_and_body(merchants: KnownMerchant) -> None:
    response = send(merchants, "POST", "/things/t-1?a=1&b=2", content=b'{"k": 1}')
    assert response.status_code == 201
    assert response.json() == {
        "merchant": 7,
        "path": {"thing_id": "t-1"},
        "query": {"a": "1", "b": "2"},
        "body": '{"k": 1}',
    }
    assert merchants.attempts == [Attempt("rest", "203.0.113.9")]


def test_a_reply_without_data_has_an_empty_body_and_its_headers(merchants: KnownMerchant) -> None:
    response = send(merchants, "GET", "/things/t-1")
    assert (response.status_code, response.content, response.headers["x-done"]) == (204, b"", "yes")


def test_a_method_not_registered_is_405_before_credentials_are_checked(merchants: KnownMerchant) -> None:
    response = send(merchants, "DELETE", "/things/t-1")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert reason(response) == "METHOD_NOT_ALLOWED"
    assert merchants.attempts == []


def test_a_body_over_the_limit_is_413(merchants: KnownMerchant) -> None:
    response = send(merchants, "POST", "/things/t-1", content=b"x" * (LIMIT + 1))
    assert (response.status_code, reason(response)) == (413, "REQUEST_TOO_LARGE")
    assert merchants.attempts == []


def test_a_control_character_in_the_query_is_400(merchants: KnownMerchant) -> None:
    response = send(merchants, "POST", "/things/t-1?a=%00")
    assert (response.status_code, reason(response)) == (400, "INVALID_DATA")
    assert merchants.attempts == []


def test_wrong_credentials_are_401(merchants: KnownMerchant) -> None:
    response = send(merchants, "POST", "/things/t-1", auth=("login-1", "nope"))
    assert (response.status_code, reason(response)) == (401, "AUTHENTICATION_FAILED")
    response = send(merchants, "POST", "/things/t-1", auth=None)
    assert (response.status_code, reason(response)) == (401, "AUTHENTICATION_FAILED")


def test_a_service_refusal_is_rendered_from_the_error_table(merchants: KnownMerchant) -> None:
    response = send(merchants, "GET", "/refusing")
    assert (response.status_code, reason(response), response.json()["message"]) == (
        400,
        "INVALID_DATA",
        "name is too long.",
    )


def test_an_unexpected_failure_is_500_and_logged_by_type_only(
    merchants: KnownMerchant, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="strongroom.rest"):
        response = send(merchants, "GET", "/leaky")
    assert (response.status_code, reason(response)) == (500, "INTERNAL_ERROR")
    assert "4111" not in response.text
    assert "REST request failed: KeyError" in caplog.text
    assert "4111" not in caplog.text


def test_an_unknown_path_is_404_unless_it_holds_a_control_character(merchants: KnownMerchant) -> None:
    missing = send(merchants, "GET", "/nowhere")
    assert (missing.status_code, reason(missing)) == (404, "NOT_FOUND")
    assert send(merchants, "GET", "/nowhere%0A").status_code == 400


def test_render_writes_json_only_when_there_is_data() -> None:
    assert render(Reply(200, {"a": 1})).body == b'{"a":1}'
    empty = render(Reply(200))
    assert empty.body == b""
    assert "content-type" not in empty.headers
