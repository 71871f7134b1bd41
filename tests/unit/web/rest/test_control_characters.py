"""Control characters at the REST door's edge: paths, queries and credentials hold none; JSON
text may hold tab, line feed and carriage return, at any depth, and no other."""

from __future__ import annotations

from typing import Any

import pytest

from strongroom.web.rest.control_characters import check_credentials, check_json, check_request
from strongroom.web.rest.errors import RestError

FORBIDDEN_EVERYWHERE = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\x7f"]
ORDINARY_TEXT = ["\t", "\n", "\r"]


def refused(error: pytest.ExceptionInfo[RestError], where: str) -> None:
    assert error.value.reply.status == 400
    assert error.value.reply.data == {
        "status": 400,
        "reason": "INVALID_DATA",
        "message": f"The {where} contains a control character.",
        "correlationId": error.value.reply.data["correlationId"],  # type: ignore[index]
    }


def test_clean_requests_credentials_and_documents_pass() -> None:
    check_request("/rest/v1/webhooks/abc-1", [("offset", "0"), ("limit", "10")])
    check_credentials("login-1", "Key with spaces ü")
    check_json({"name": "tab\there\nand\r\nthere", "list": ["a", 1, None, True, {"k": 2.5}]})


@pytest.mark.parametrize("char", FORBIDDEN_EVERYWHERE + ORDINARY_TEXT)
def test_any_control_character_in_the_path_is_refused(char: str) -> None:
    with pytest.raises(RestError) as error:
        check_request(f"/rest/v1/webhooks/abc{char}", [])
    refused(error, "request path")


@pytest.mark.parametrize("query", [[("off\x00set", "0")], [("offset", "0"), ("limit", "1\n")]])
def test_a_control_character_in_a_query_name_or_value_is_refused(query: list[tuple[str, str]]) -> None:
    with pytest.raises(RestError) as error:
        check_request("/rest/v1/notifications", query)
    refused(error, "query string")


@pytest.mark.parametrize(("login", "key"), [("log\tin", "key"), ("login", "k\x00ey"), ("login", "key\x7f")])
def test_a_control_character_in_either_credential_is_refused(login: str, key: str) -> None:
    with pytest.raises(RestError) as error:
        check_credentials(login, key)
    refused(error, "Authorization header")


@pytest.mark.parametrize("char", FORBIDDEN_EVERYWHERE)
@pytest.mark.parametrize(
    "shape",
    [
        lambda bad: bad,
        lambda bad: {"name": bad},
        lambda bad: {bad: "value"},
        lambda bad: {"outer": [1, {"inner": ["ok", bad]}]},
    ],
    ids=["bare", "value", "member-name", "nested"],
)
def test_other_control_characters_anywhere_in_json_are_refused(char: str, shape: Any) -> None:
    with pytest.raises(RestError) as error:
        check_json(shape(f"x{char}y"))
    refused(error, "request body")


def test_a_document_deeper_than_the_recursion_limit_is_checked_to_the_bottom() -> None:
    document: Any = "bottom\x00"
    for _ in range(5000):
        document = [document]
    with pytest.raises(RestError):
        check_json(document)
