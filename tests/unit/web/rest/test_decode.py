"""Webhook API bodies and query strings into service values; wrong JSON, wrong types and missing
members are refused naming the member."""

from __future__ import annotations

import pytest

from strongroom.domain.errors import InvalidField, MissingField
from strongroom.services.webhooks.management import DEFAULT_PAGE, WebhookChange, WebhookDraft
from strongroom.web.rest.decode import json_object, page, webhook_change, webhook_draft
from strongroom.web.rest.errors import RestError


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "MISSING_DATA"),
        (b"  \n", "MISSING_DATA"),
        (b"{not json", "INVALID_JSON"),
        (b"[1, 2]", "INVALID_DATA"),
        (b'"text"', "INVALID_DATA"),
        (b'{"name": "a\\u0000b"}', "INVALID_DATA"),  # a control character
    ],
)
def test_a_body_that_is_not_a_clean_json_object_is_refused(body: bytes, reason: str) -> None:
    with pytest.raises(RestError) as error:
        json_object(body)
    assert error.value.reply.status == 400
    assert error.value.reply.data["reason"] == reason  # type: ignore[index]


def test_a_draft_takes_every_member() -> None:
    body = b'{"url": "https://h.example/x", "eventTypes": ["a.b", "c.d"], "name": "N", "status": "inactive"}'
    assert webhook_draft(body) == WebhookDraft("https://h.example/x", ("a.b", "c.d"), "N", "inactive")


def test_a_draft_leaves_name_and_status_to_the_service() -> None:
    assert webhook_draft(b'{"url": "u", "eventTypes": []}') == WebhookDraft("u", ())


@pytest.mark.parametrize(
    ("body", "error", "field"),
    [
        (b'{"eventTypes": ["a"]}', MissingField, "url"),
        (b'{"url": null, "eventTypes": ["a"]}', MissingField, "url"),
        (b'{"url": "u"}', MissingField, "eventTypes"),
        (b'{"url": 5, "eventTypes": ["a"]}', InvalidField, "url"),
        (b'{"url": "u", "eventTypes": "a"}', InvalidField, "eventTypes"),
        (b'{"url": "u", "eventTypes": ["a", 1]}', InvalidField, "eventTypes"),
        (b'{"url": "u", "eventTypes": ["a"], "name": ["n"]}', InvalidField, "name"),
        (b'{"url": "u", "eventTypes": ["a"], "status": true}', InvalidField, "status"),
    ],
)
def test_a_bad_draft_names_the_member(body: bytes, error: type[InvalidField], field: str) -> None:
    with pytest.raises(error) as raised:
        webhook_draft(body)
    assert type(raised.value) is error
    assert raised.value.field == field


def test_a_change_leaves_what_it_does_not_name() -> None:
    assert webhook_change(b"{}") == WebhookChange()
    assert webhook_change(b'{"status": "active", "eventTypes": ["a"]}') == WebhookChange(
        None, ("a",), None, "active"
    )
    with pytest.raises(InvalidField) as raised:
        webhook_change(b'{"url": 1}')
    assert raised.value.field == "url"


def test_a_page_defaults_to_the_first_thousand() -> None:
    assert page({}) == (0, DEFAULT_PAGE)
    assert page({"offset": "", "limit": ""}) == (0, DEFAULT_PAGE)
    assert page({"offset": "20", "limit": "5"}) == (20, 5)
    assert page({"offset": "999999999"}) == (999_999_999, DEFAULT_PAGE)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"offset": "-1"}, "offset"),
        ({"offset": "1.5"}, "offset"),
        ({"limit": "1e3"}, "limit"),
        ({"limit": "٣"}, "limit"),  # a digit, but not an ASCII one
        ({"limit": "1234567890"}, "limit"),  # more digits than MAX_QUERY_DIGITS
    ],
)
def test_a_page_number_that_is_not_a_short_whole_number_is_refused(query: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidField) as raised:
        page(query)
    assert raised.value.field == field
