"""Control characters at every door's edge (issue 8, defect 3), on both engines: the REST door
answers its 400 error JSON and the Authorize.Net door E00003, before anything is looked up or
stored (PostgreSQL cannot store NUL; SQLite can, so the same request must fail alike)."""

from __future__ import annotations

import base64
import json

import pytest

from tests.api.live_server import LiveServer
from tests.api.raw import envelope, post, to_json, to_xml
from tests.api.rest_client import ALL_PAYMENT_EVENTS, assert_error, create_webhook, rest
from tests.api.sdk import ApiMerchant

URL = "https://merchant.example.com/hooks/anet"


def _basic(login: str, key: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{login}:{key}".encode()).decode()}


@pytest.mark.parametrize(
    ("login", "key"),
    [("\0", "x"), ("a\0b", "key"), ("login", "k\x01y"), ("login\x7f", "key"), ("lo\ngin", "key")],
)
def test_control_characters_in_basic_credentials_are_400(server: LiveServer, login: str, key: str) -> None:
    with rest(server) as anonymous:
        answer = anonymous.get("/eventtypes", headers=_basic(login, key))

    body = assert_error(answer, 400, "INVALID_DATA")
    assert body["message"] == "The Authorization header contains a control character."


def test_the_issues_header_exactly(server: LiveServer) -> None:
    with rest(server) as anonymous:
        answer = anonymous.get("/eventtypes", headers={"Authorization": "Basic ADp4"})

    assert_error(answer, 400, "INVALID_DATA")


@pytest.mark.parametrize(
    "path",
    [
        "/webhooks/%00",
        "/webhooks/a%00b",
        "/webhooks/%01/pings",
        "/notifications/%00",
        "/notifications/%7F",
        "/webhooks/%0A",
    ],
)
@pytest.mark.parametrize("credentials", [True, False])
def test_control_characters_in_path_segments_are_400(
    server: LiveServer, merchant: ApiMerchant, path: str, credentials: bool
) -> None:
    method = "POST" if path.endswith("/pings") else "GET"
    with rest(server, merchant if credentials else None) as client:
        answer = client.request(method, path)

    body = assert_error(answer, 400, "INVALID_DATA")
    assert body["message"] == "The request path contains a control character."


@pytest.mark.parametrize("query", ["offset=%00", "limit=1%002", "x%00=1", "offset=0&limit=%1F"])
def test_control_characters_in_the_query_are_400(
    server: LiveServer, merchant: ApiMerchant, query: str
) -> None:
    with rest(server, merchant) as client:
        answer = client.get(f"/notifications?{query}")

    body = assert_error(answer, 400, "INVALID_DATA")
    assert body["message"] == "The query string contains a control character."


@pytest.mark.parametrize(
    "member",
    [
        {"name": "a\u0000b"},
        {"name": "bell\u0007"},
        {"url": URL + "\u0000"},
        {"eventTypes": [ALL_PAYMENT_EVENTS[0] + "\u0000"]},
        {"status": "active\u001b"},
        {"extra\u0000": 1},
        {"nested": [[{"deep": ["\u0000"]}]]},
    ],
)
def test_control_characters_in_json_bodies_are_400_and_nothing_is_stored(
    server: LiveServer, merchant: ApiMerchant, member: dict[str, object]
) -> None:
    body = {"url": URL, "eventTypes": ALL_PAYMENT_EVENTS[:1], **member}
    with rest(server, merchant) as client:
        answer = client.post(
            "/webhooks", content=json.dumps(body), headers={"content-type": "application/json"}
        )
        listed = client.get("/webhooks")

    refused = assert_error(answer, 400, "INVALID_DATA")
    assert refused["message"] == "The request body contains a control character."
    assert listed.json() == []


def test_a_control_character_in_an_update_is_400_and_changes_nothing(
    server: LiveServer, merchant: ApiMerchant
) -> None:
    with rest(server, merchant) as client:
        created = create_webhook(client, URL, ALL_PAYMENT_EVENTS[:1], name="kept")
        answer = client.put(f"/webhooks/{created['webhookId']}", json={"name": "a\u0000b"})
        after = client.get(f"/webhooks/{created['webhookId']}").json()

    assert_error(answer, 400, "INVALID_DATA")
    assert after["name"] == "kept"


def test_tab_line_feed_and_carriage_return_are_text(server: LiveServer, merchant: ApiMerchant) -> None:
    with rest(server, merchant) as client:
        created = create_webhook(client, URL, ALL_PAYMENT_EVENTS[:1], name="a\tb\r\nc")

    assert created["name"] == "a\tb\r\nc"


def test_a_control_character_deep_in_nested_json_is_found(server: LiveServer, merchant: ApiMerchant) -> None:
    # Deeper than Python's recursion limit, within orjson's 1024 levels.
    deep = ("[" * 1020 + '"\\u0000"' + "]" * 1020).encode()
    body = b'{"url": "' + URL.encode() + b'", "eventTypes": [], "deep": ' + deep + b"}"
    with rest(server, merchant) as client:
        answer = client.post("/webhooks", content=body, headers={"content-type": "application/json"})

    refused = assert_error(answer, 400, "INVALID_DATA")
    assert refused["message"] == "The request body contains a control character."


# ----------------------------------------------------------------------------- Authorize.Net


def _refused_e00003(body: bytes, content_type: str, server: LiveServer) -> str:
    answer = post(server, body, content_type)
    assert answer.root_name == "ErrorResponse"
    code, text = answer.error()
    assert code == "E00003", text
    return text


@pytest.mark.parametrize("value", ["a\u0000b", "\u0001", "x\u001f"])
def test_json_control_characters_are_e00003_in_authorize_net(
    server: LiveServer, merchant: ApiMerchant, value: str
) -> None:
    body = to_json(
        "createCustomerProfileRequest", envelope(merchant, ("profile", [("merchantCustomerId", value)]))
    )

    text = _refused_e00003(body, "application/json", server)

    assert "is an invalid character" in text
    ids = post(server, to_json("getCustomerProfileIdsRequest", envelope(merchant)), "application/json").json()
    assert ids.get("ids", []) == []


def test_json_control_characters_in_member_names_are_e00003(
    server: LiveServer, merchant: ApiMerchant
) -> None:
    body = (
        b'{"createCustomerProfileRequest": {"merchantAuthentication": {"name": "'
        + merchant.login_id.encode()
        + b'", "transactionKey": "'
        + merchant.transaction_key.encode()
        + b'"}, "pro\\u0000file": {}}}'
    )

    _refused_e00003(body, "application/json", server)


@pytest.mark.parametrize("value", ["a\x00b", "a&#0;b", "a&#x1;b", "\x1f"])
def test_xml_control_characters_are_e00003(server: LiveServer, merchant: ApiMerchant, value: str) -> None:
    body = to_xml(
        "createCustomerProfileRequest",
        envelope(merchant, ("profile", [("merchantCustomerId", "PLACEHOLDER")])),
    )
    body = body.replace(b"PLACEHOLDER", value.encode())

    _refused_e00003(body, "application/xml", server)


@pytest.mark.parametrize("path", ["/webhooks/%0A/pings", "/notifications/a%0Ab", "/%0A/x"])
def test_a_line_feed_inside_the_path_still_gets_the_error_json(
    server: LiveServer, merchant: ApiMerchant, path: str
) -> None:
    with rest(server, merchant) as client:
        answer = client.get(path)

    body = assert_error(answer, 400, "INVALID_DATA")
    assert body["message"] == "The request path contains a control character."


def test_other_unknown_paths_stay_plain_404s(server: LiveServer) -> None:
    with rest(server) as client:
        answer = client.get(server.url + "/nowhere%0A/x")

    assert (answer.status_code, answer.text) == (404, "Not Found")
