"""REST errors: one JSON shape, {status, reason, message, correlationId}, and the one table
from Strongroom's error classes to HTTP statuses and reasons."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from email.utils import format_datetime

from strongroom.domain.errors import (
    AuthenticationFailed,
    InvalidField,
    MissingField,
    NotFound,
    StrongroomError,
)
from strongroom.services.auth_guard import AuthenticationLocked
from strongroom.services.webhooks.management import PingFailed

UNAUTHORIZED = 401
TOO_MANY_REQUESTS = 429


@dataclass(frozen=True, slots=True)
class Reply:
    """What an operation answers: a status and JSON data (None: an empty body)."""

    status: int
    data: object | None = None
    headers: dict[str, str] = field(default_factory=dict)


class RestError(Exception):
    """A refusal decided by the door itself (bad JSON, unknown path, wrong method)."""

    def __init__(self, status: int, reason: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.reply = error_reply(status, reason, message, headers)


# (class, HTTP status, reason); the first class the error is an instance of wins.
_TABLE: tuple[tuple[type[StrongroomError], int, str], ...] = (
    (AuthenticationFailed, UNAUTHORIZED, "AUTHENTICATION_FAILED"),
    (NotFound, 404, "NOT_FOUND"),
    (MissingField, 400, "MISSING_DATA"),
    (InvalidField, 400, "INVALID_DATA"),
    (PingFailed, 502, "PING_FAILED"),
)
CHALLENGE = {"WWW-Authenticate": 'Basic realm="Strongroom"'}


def error_reply(status: int, reason: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    data = {"status": status, "reason": reason, "message": message, "correlationId": str(uuid.uuid4())}
    return Reply(status, data, headers or {})


def reply_for(error: StrongroomError) -> Reply:
    if isinstance(error, AuthenticationLocked):
        # Too many failures for the login or this address: 429, and when to come back.
        return error_reply(
            TOO_MANY_REQUESTS,
            "TOO_MANY_FAILED_AUTHENTICATIONS",
            error.message,
            {"Retry-After": format_datetime(error.until, usegmt=True)},
        )
    for kind, status, reason in _TABLE:
        if isinstance(error, kind):
            return error_reply(status, reason, error.message, CHALLENGE if status == UNAUTHORIZED else None)
    return error_reply(400, "INVALID_DATA", error.message)
