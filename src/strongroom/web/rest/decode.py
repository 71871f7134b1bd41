"""Request bodies and query strings of the webhook API, into service values; wrong JSON or a
wrong type is refused in the REST error shape, naming the member."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from strongroom.domain.errors import InvalidField, MissingField
from strongroom.services.webhooks.management import DEFAULT_PAGE, WebhookChange, WebhookDraft
from strongroom.web.rest.control_characters import check_json
from strongroom.web.rest.errors import RestError

MAX_QUERY_DIGITS = 9


def json_object(body: bytes) -> dict[str, Any]:
    if not body.strip():
        raise RestError(400, "MISSING_DATA", "The request needs a JSON object body.")
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise RestError(400, "INVALID_JSON", "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise RestError(400, "INVALID_DATA", "The request body must be a JSON object.")
    check_json(data)
    return data


def _text(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidField(name, f"{name} must be a string.")
    return value


def _names(data: Mapping[str, Any], name: str) -> tuple[str, ...] | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidField(name, f"{name} must be an array of event type names.")
    return tuple(value)


def webhook_draft(body: bytes) -> WebhookDraft:
    data = json_object(body)
    url = _text(data, "url")
    if url is None:
        raise MissingField("url", "A webhook needs a url.")
    event_types = _names(data, "eventTypes")
    if event_types is None:
        raise MissingField("eventTypes", "eventTypes must name at least one event type.")
    return WebhookDraft(url, event_types, _text(data, "name"), _text(data, "status"))


def webhook_change(body: bytes) -> WebhookChange:
    data = json_object(body)
    return WebhookChange(
        _text(data, "url"), _names(data, "eventTypes"), _text(data, "name"), _text(data, "status")
    )


def page(query: Mapping[str, str]) -> tuple[int, int]:
    """(offset, limit) of a notification history request; defaults 0 and 1000."""
    return _number(query, "offset", 0), _number(query, "limit", DEFAULT_PAGE)


def _number(query: Mapping[str, str], name: str, default: int) -> int:
    text = query.get(name)
    if text is None or text == "":
        return default
    if not text.isascii() or not text.isdigit() or len(text) > MAX_QUERY_DIGITS:
        raise InvalidField(name, f"{name} must be a whole number.")
    return int(text)
