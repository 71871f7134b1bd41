"""The REST error shape and the table from error classes to HTTP statuses and reasons."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from strongroom.domain.errors import (
    AuthenticationFailed,
    Duplicate,
    InvalidField,
    MissingField,
    NotFound,
    StrongroomError,
)
from strongroom.services.auth_guard import AuthenticationLocked
from strongroom.services.webhooks.management import PingFailed
from strongroom.web.rest.errors import CHALLENGE, Reply, RestError, error_reply, reply_for


def shape(reply: Reply) -> dict[str, object]:
    assert isinstance(reply.data, dict)
    data = dict(reply.data)
    uuid.UUID(str(data.pop("correlationId")))  # present, and a UUID
    return data


def test_an_error_reply_has_the_documented_members_and_a_fresh_correlation_id() -> None:
    first = error_reply(404, "NOT_FOUND", "No such webhook.")
    second = error_reply(404, "NOT_FOUND", "No such webhook.")
    assert first.status == 404
    assert first.headers == {}
    assert shape(first) == {"status": 404, "reason": "NOT_FOUND", "message": "No such webhook."}
    assert first.data != second.data  # the correlation ids differ


def test_a_rest_error_carries_its_reply_and_its_message() -> None:
    error = RestError(413, "REQUEST_TOO_LARGE", "Too big.", {"X-A": "b"})
    assert str(error) == "Too big."
    assert error.reply.status == 413
    assert error.reply.headers == {"X-A": "b"}
    assert shape(error.reply) == {"status": 413, "reason": "REQUEST_TOO_LARGE", "message": "Too big."}


@pytest.mark.parametrize(
    ("error", "status", "reason"),
    [
        (NotFound("No such webhook."), 404, "NOT_FOUND"),
        (MissingField("url"), 400, "MISSING_DATA"),  # before InvalidField, its base class
        (InvalidField("url"), 400, "INVALID_DATA"),
        (PingFailed("The receiver answered 500."), 502, "PING_FAILED"),
        (Duplicate("Taken."), 400, "INVALID_DATA"),  # not in the table
        (StrongroomError("Anything else."), 400, "INVALID_DATA"),
    ],
)
def test_each_error_class_maps_to_its_status_and_reason(
    error: StrongroomError, status: int, reason: str
) -> None:
    reply = reply_for(error)
    assert reply.status == status
    assert reply.headers == {}
    assert shape(reply) == {"status": status, "reason": reason, "message": str(error)}


def test_a_failed_authentication_is_401_with_a_basic_challenge() -> None:
    reply = reply_for(AuthenticationFailed("User authentication failed."))
    assert reply.status == 401
    assert reply.headers == CHALLENGE
    assert shape(reply)["reason"] == "AUTHENTICATION_FAILED"


def test_a_locked_login_is_429_with_when_to_come_back() -> None:
    until = datetime(2026, 11, 23, 10, 15, 30, tzinfo=UTC)
    reply = reply_for(AuthenticationLocked("login", until))
    assert reply.status == 429
    assert reply.headers == {"Retry-After": "Mon, 23 Nov 2026 10:15:30 GMT"}
    data = shape(reply)
    assert data["reason"] == "TOO_MANY_FAILED_AUTHENTICATIONS"
    assert "2026-11-23T10:15:30Z" in str(data["message"])
