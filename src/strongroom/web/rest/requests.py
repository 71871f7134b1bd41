"""HTTP details of the REST door: HTTP Basic credentials and bodies read up to a limit."""

from __future__ import annotations

import base64
import binascii

from starlette.requests import Request

from strongroom.domain.sensitive import Secret
from strongroom.web.content_length import declared_over
from strongroom.web.rest.control_characters import check_credentials
from strongroom.web.rest.errors import CHALLENGE, UNAUTHORIZED, RestError

AUTH_FAILED = "User authentication failed due to invalid authentication values."


def basic_credentials(header: str | None) -> tuple[str, Secret[str]]:
    """(API login ID, transaction key) from an `Authorization: Basic` header."""
    scheme, _, encoded = (header or "").strip().partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        raise RestError(
            UNAUTHORIZED,
            "AUTHENTICATION_FAILED",
            "HTTP Basic authentication with the API login ID and transaction key is required.",
            CHALLENGE,
        )
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise RestError(UNAUTHORIZED, "AUTHENTICATION_FAILED", AUTH_FAILED, CHALLENGE) from None
    login, colon, key = decoded.partition(":")
    if not colon or not login or not key:
        raise RestError(UNAUTHORIZED, "AUTHENTICATION_FAILED", AUTH_FAILED, CHALLENGE)
    check_credentials(login, key)
    return login, Secret(key)


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or 413 as soon as it is known to exceed `limit` (the rest unread)."""
    declared = request.headers.get("content-length", "")
    if declared_over(declared, limit):
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> RestError:
    return RestError(413, "REQUEST_TOO_LARGE", f"The request body is larger than {limit} bytes.")
