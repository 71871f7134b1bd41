"""Control characters are refused at the REST door's edge, before any lookup or storage.

PostgreSQL cannot store NUL in text (SQLite can), so without this the same request would be
stored on one engine and fail on the other. Path segments, query strings and credentials may
hold no C0 control character and no DEL; JSON string values (and member names) may hold tab,
line feed and carriage return, which are ordinary text, and no other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from strongroom.web.rest.errors import RestError

_IN_NAMES = re.compile("[\x00-\x1f\x7f]")
_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
REASON = "INVALID_DATA"


def _refusal(where: str) -> RestError:
    return RestError(400, REASON, f"The {where} contains a control character.")


def check_request(path: str, query: Iterable[tuple[str, str]]) -> None:
    """The decoded path (all of it: a route's pattern may not capture a trailing line feed),
    then query names and values."""
    if _IN_NAMES.search(path):
        raise _refusal("request path")
    if any(_IN_NAMES.search(name) or _IN_NAMES.search(value) for name, value in query):
        raise _refusal("query string")


def check_credentials(login: str, key: str) -> None:
    if _IN_NAMES.search(login) or _IN_NAMES.search(key):
        raise _refusal("Authorization header")


def check_json(document: Any) -> None:
    """Every string and member name of a decoded JSON document, however deeply nested: an
    explicit stack, so no depth can exhaust Python's recursion limit."""
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if _IN_TEXT.search(value):
                raise _refusal("request body")
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
