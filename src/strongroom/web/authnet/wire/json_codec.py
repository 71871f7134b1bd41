"""JSON on the wire: requests mapped onto the XML shape, responses unwrapped with bare arrays."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import orjson

from strongroom.web.authnet.wire.schema import Complex, Field, Kind, Simple
from strongroom.web.authnet.wire.tree import Raw
from strongroom.web.authnet.wire.xml_codec import BOM, format_simple, present_fields


class JsonRejected(Exception):
    """The body is not acceptable JSON for this API."""


# Far deeper than any message definition; keeps the recursive mapping well inside Python's
# recursion limit (orjson itself accepts 1024 levels).
MAX_DEPTH = 64
_JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
# Characters XML 1.0 cannot carry: the service maps JSON onto XML, and whatever we accept here
# is later written into XML responses.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def parse_json(body: bytes) -> Raw:
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise JsonRejected(f"The request is not valid JSON: {exc}") from None
    if not isinstance(document, dict) or len(document) != 1:
        raise JsonRejected("The request must be a JSON object with exactly one request name.")
    ((name, content),) = document.items()
    if not isinstance(content, dict):
        raise JsonRejected(f"'{_checked(name)}' must be a JSON object.")
    return _object(name, content, 1)


def _checked(text: str) -> str:
    bad = _NOT_XML.search(text)
    if bad is not None:
        raise JsonRejected(f"Hexadecimal value 0x{ord(bad.group()):02X} is an invalid character.")
    return text


def _object(name: str, content: dict[str, Any], depth: int) -> Raw:
    if depth > MAX_DEPTH:
        raise JsonRejected(f"The request nests objects more than {MAX_DEPTH} levels deep.")
    children: list[Raw] = []
    for key, value in content.items():
        children.extend(_members(_checked(key), value, depth + 1))
    return Raw(name=_checked(name), children=children, has_children=bool(children))


def _members(name: str, value: Any, depth: int) -> list[Raw]:
    if value is None:
        return []
    if isinstance(value, list):
        if any(isinstance(item, list) for item in value):
            raise JsonRejected(f"'{name}' must not contain nested arrays.")
        return [raw for item in value for raw in _members(name, item, depth)]
    if isinstance(value, dict):
        return [_object(name, value, depth)]
    return [Raw(name=name, text=_checked(_scalar(value)))]


def _scalar(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float):
        # xs:decimal has no exponent: 1e-07 is sent on as 0.0000001.
        return format(Decimal(repr(value)), "f")
    return str(value)


# ----------------------------------------------------------------------------- writing


def write_json(type_: Complex, values: Mapping[str, Any]) -> bytes:
    return BOM + _complex(type_, values).encode("utf-8")


def _complex(type_: Complex, values: Mapping[str, Any]) -> str:
    members: list[str] = []
    for particle in type_.particles:
        for field, value in present_fields(particle, values):
            encoded = _member(field, value)
            if encoded is not None:
                members.append(f'"{field.name}":{encoded}')
    return "{" + ",".join(members) + "}"


def _member(field: Field, value: Any) -> str | None:
    if value is None:
        if field.min_occurs and isinstance(field.type, Complex):
            return "[]" if field.type.collapses_to_array else "{}"
        return None
    if field.repeated:
        return "[" + ",".join(_value(field.type, item) for item in value) + "]"
    return _value(field.type, value)


def _value(type_: Simple | Complex, value: Any) -> str:
    if isinstance(type_, Complex):
        if type_.collapses_to_array:
            inner = type_.particles[0]
            assert isinstance(inner, Field)
            items = value.get(inner.name) or []
            return "[" + ",".join(_value(inner.type, item) for item in items) + "]"
        return _complex(type_, value)
    return _simple(type_, value)


def _simple(type_: Simple, value: Any) -> str:
    text = format_simple(value, type_)
    if type_.kind is Kind.BOOLEAN:
        return text
    if type_.kind in (Kind.INT, Kind.DECIMAL) and _JSON_NUMBER.fullmatch(text):
        return text
    return orjson.dumps(text).decode()
