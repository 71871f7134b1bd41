"""HTTP Basic credentials of the REST door, and bodies read up to a limit (413 past it)."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Sequence

import pytest
from starlette.requests import Request

from strongroom.web.rest.errors import CHALLENGE, RestError
from strongroom.web.rest.requests import basic_credentials, read_body


def basic(text: str) -> str:
    return "Basic " + base64.b64encode(text.encode()).decode()


def test_credentials_are_the_login_and_the_key_kept_secret() -> None:
    login, key = basic_credentials(basic("login-1:key:with:colons"))
    assert login == "login-1"
    assert key.reveal() == "key:with:colons"
    assert "key:with" not in repr(key)
    assert basic_credentials("  basic " + basic("a:b")[6:] + " ")[0] == "a"  # scheme in any case


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "HTTP Basic authentication"),
        ("", "HTTP Basic authentication"),
        ("Bearer abc", "HTTP Basic authentication"),
        ("Basic ", "HTTP Basic authentication"),
        ("Basic not*base64", "invalid authentication values"),
        ("Basic " + base64.b64encode(b"\xff\xfe:x").decode(), "invalid authentication values"),
        (basic("no-colon"), "invalid authentication values"),
        (basic(":key"), "invalid authentication values"),
        (basic("login:"), "invalid authentication values"),
    ],
)
def test_missing_or_malformed_credentials_are_401_with_a_challenge(header: str | None, message: str) -> None:
    with pytest.raises(RestError) as error:
        basic_credentials(header)
    reply = error.value.reply
    assert reply.status == 401
    assert reply.headers == CHALLENGE
    assert reply.data["reason"] == "AUTHENTICATION_FAILED"  # type: ignore[index]
    assert message in reply.data["message"]  # type: ignore[index]


def test_a_control_character_in_the_credentials_is_400() -> None:
    with pytest.raises(RestError) as error:
        basic_credentials(basic("login:k\x00y"))
    assert error.value.reply.status == 400


def request(chunks: Sequence[bytes], content_length: str | None) -> tuple[Request, list[int]]:
    """A request whose body arrives in `chunks`; the list says how many chunks were read."""
    read = [0]
    messages = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]

    async def receive() -> dict[str, object]:
        read[0] += 1
        return messages.pop(0)

    headers = [] if content_length is None else [(b"content-length", content_length.encode())]
    scope = {"type": "http", "method": "POST", "path": "/rest/v1/webhooks", "headers": headers}
    return Request(scope, receive), read


def test_a_body_within_the_limit_is_read_whole() -> None:
    req, read = request([b"abc", b"def", b""], None)
    assert asyncio.run(read_body(req, 6)) == b"abcdef"
    assert read == [3]


def too_large(req: Request, limit: int) -> RestError:
    with pytest.raises(RestError) as error:
        asyncio.run(read_body(req, limit))
    assert error.value.reply.status == 413
    assert error.value.reply.data["message"] == f"The request body is larger than {limit} bytes."  # type: ignore[index]
    return error.value


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    req, read = request([b"x" * 10], "10")
    too_large(req, 9)
    assert read == [0]


def test_an_undeclared_body_is_refused_at_the_chunk_that_passes_the_limit() -> None:
    req, read = request([b"1234", b"5678", b"90", b""], None)
    too_large(req, 6)
    assert read == [2]  # the rest is left unread
