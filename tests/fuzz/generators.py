"""Hypothesis strategies for the fuzz campaign: valid requests built from our own message
definitions (every registered Authorize.Net operation, and the REST door's routes), then
mutated at the tree level (dropped, duplicated, reordered, renamed elements; wrong types, long
and huge numbers, control characters, deep nesting) and at the byte level (truncated bodies,
invalid UTF-8, wrong content types). Shared by tests/fuzz and bench/fuzz.py."""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from strongroom.web.authnet.registry import OPERATIONS
from strongroom.web.authnet.wire.schema import Choice, Complex, Field, Kind, Simple
from tests.api.raw import Pairs, to_json, to_xml

# Repeated elements get at most this many items in a seed; nesting at most this deep.
MAX_ITEMS = 2
MAX_DEPTH = 12
TODAY = date(2026, 11, 22)

# Values that exercise each door's number and text checks: long digits (Python's int() limit
# is 4,300 digits; System.Decimal holds 29), exponents, NaN, control characters, odd Unicode.
LONG_NUMBERS: tuple[Any, ...] = (
    "1" * 29,
    "9" * 30,
    "7" * 4301,
    "9" * 5000,
    "0" * 5000 + "1",
    "1" * 29 + ".99",
    "1" * 27 + ".5",
    "-" + "9" * 40,
    "1e300",
    "NaN",
    "Infinity",
    1e300,
    1e-300,
    10**30,
    -(10**25),
    2**63,
)
WRONG_TYPES: tuple[Any, ...] = (
    "",
    " ",
    "abc",
    "-1",
    "0",
    "-0",
    "+5",
    ".5",
    "5.",
    "1.5",
    "1E-300",
    "true",
    "2035-13-45",
    "2026-02-30T25:61:00",
    "XXXX",
    "12,50",
    "0x1F",
    "١٢٣",
    True,
    False,
    None,
    0,
    -1,
    3.25,
    -0.0,
    123456789012.345678,
    [],
    {},
)
CONTROL_TEXT: tuple[str, ...] = (
    "\x00",
    "a\x00b",
    "\x01",
    "\x08",
    "\x1b[31m",
    "\x1f",
    "\x7f",
    "\u0085",
    "\u2028",
    "\ufeff",
    "\ufffe",
    "\U0001f4a9",
    "a\tb",
    "line\r\nbreak",
    "é" * 300,
    "<x>&amp;</x>",
    "]]>",
    "%00",
)
# Plausible values by element name, so that seeds reach the handlers, not just the validator.
SAMPLES: Mapping[str, tuple[str, ...]] = {
    "cardNumber": ("4111111111111111", "5424000000000015", "370000000000002", "1111"),
    "expirationDate": ("2035-12", "XXXX", "1235"),
    "cardCode": ("123", "9999"),
    "routingNumber": ("121042882",),
    "accountNumber": ("987654321", "XXXX4321"),
    "nameOnAccount": ("John Doe",),
    "email": ("buyer@example.com",),
    "amount": ("5.00", "12.34", "0.01", "1000.00"),
    "currencyCode": ("USD",),
    "zip": ("44628", "46282"),
    "country": ("US",),
    "state": ("WA",),
    "merchantCustomerId": ("cust-1",),
    "settingName": ("duplicateWindow", "allowPartialAuth", "testRequest", "emailCustomer"),
    "settingValue": ("0", "true", "false", "600"),
    "url": ("http://127.0.0.1:1/hook",),
}
# Element names whose value is an id the fuzzing fixture knows (a real record of the merchant).
ID_FIELDS: tuple[str, ...] = (
    "customerProfileId",
    "customerPaymentProfileId",
    "customerAddressId",
    "shippingProfileId",
    "paymentProfileId",
    "transId",
    "refTransId",
    "subscriptionId",
    "batchId",
    "splitTenderId",
)
CONTENT_TYPES: tuple[str | None, ...] = (
    None,
    "",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/json; charset=utf-16",
    "application/xml; charset=latin-1",
    "text/xml",
    "application/soap+xml",
    "*/*",
)
INVALID_UTF8: tuple[bytes, ...] = (
    b"\xff",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\x80",
    b"\xe2\x82",
    b"\xc0\xaf",
    b"\x00",
)


@dataclass(frozen=True)
class Request:
    """One HTTP request the campaign sends: method, path (with query), headers, body."""

    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        return f"{self.method} {self.path} {self.headers} {self.body[:300]!r}"


# ----------------------------------------------------------------------------- valid seeds


def _simple(name: str, type_: Simple, ids: Mapping[str, str]) -> st.SearchStrategy[Any]:
    if name in ids:
        return st.just(ids[name])
    if name in SAMPLES and not type_.enumeration:
        return st.sampled_from(SAMPLES[name])
    if type_.enumeration:
        return st.sampled_from(type_.enumeration)
    return _by_kind(type_)


def _by_kind(type_: Simple) -> st.SearchStrategy[Any]:
    kind = type_.kind
    if kind is Kind.BOOLEAN:
        return st.sampled_from(("true", "false"))
    if kind is Kind.INT:
        low = int(type_.min_value) if type_.min_value is not None else 0
        high = int(type_.max_value) if type_.max_value is not None else 999
        return st.integers(low, min(high, low + 999))
    if kind is Kind.DECIMAL:
        return st.integers(1, 99999).map(lambda cents: f"{cents // 100}.{cents % 100:02d}")
    if kind is Kind.DATE:
        return st.integers(-30, 400).map(lambda days: (TODAY + timedelta(days)).isoformat())
    if kind is Kind.DATETIME:
        return st.integers(-30, 30).map(lambda days: f"{(TODAY + timedelta(days)).isoformat()}T12:00:00")
    if type_.pattern is not None:
        low, high = type_.min_length or 1, type_.max_length or 12
        return st.from_regex(type_.pattern, fullmatch=True).filter(lambda text: low <= len(text) <= high)
    low, high = type_.min_length or 1, min(type_.max_length or 12, 12)
    return st.text("abcdefghijklmnopqrstuvwxyz0123456789 ", min_size=low, max_size=max(low, high))


def _field(fld: Field, ids: Mapping[str, str], depth: int, required: bool) -> st.SearchStrategy[Pairs]:
    """The occurrences of one field as (name, value) pairs, optional ones maybe left out."""
    low = fld.min_occurs if required else 0
    high = min(fld.max_occurs or MAX_ITEMS, MAX_ITEMS)
    if fld.min_occurs == 0 and depth > MAX_DEPTH:
        return st.just([])
    value = (
        instance(fld.type, ids, depth + 1)
        if isinstance(fld.type, Complex)
        else _simple(fld.name, fld.type, ids)
    )
    return st.lists(value, min_size=low, max_size=max(low, high)).map(
        lambda values: [(fld.name, item) for item in values]
    )


def _particle(particle: Field | Choice, ids: Mapping[str, str], depth: int) -> st.SearchStrategy[Pairs]:
    if isinstance(particle, Field):
        return _field(particle, ids, depth, True)
    options = st.sampled_from(particle.options).flatmap(
        lambda option: _field(option, ids, depth, particle.min_occurs > 0)
    )
    return options if particle.min_occurs > 0 else st.one_of(st.just([]), options)


def instance(type_: Complex, ids: Mapping[str, str], depth: int = 0) -> st.SearchStrategy[Pairs]:
    """A schema-valid element of `type_`, in schema order."""
    parts = [_particle(particle, ids, depth) for particle in type_.particles]
    return st.tuples(*parts).map(lambda runs: [pair for run in runs for pair in run])


def authnet_seed(operation: str, credentials: Pairs, ids: Mapping[str, str]) -> st.SearchStrategy[Pairs]:
    """A valid request of `operation` with the merchant's credentials in front."""
    type_ = OPERATIONS[operation].request
    rest = Complex(
        type_.name,
        tuple(particle for particle in type_.particles if _options(particle) != ("merchantAuthentication",)),
    )
    return instance(rest, ids).map(lambda pairs: _with_credentials(type_, credentials, pairs))


def _options(particle: Field | Choice) -> tuple[str, ...]:
    return (
        tuple(option.name for option in particle.options)
        if isinstance(particle, Choice)
        else (particle.name,)
    )


def _with_credentials(type_: Complex, credentials: Pairs, pairs: Pairs) -> Pairs:
    if "merchantAuthentication" not in type_.fields_by_name:
        return pairs
    return [("merchantAuthentication", credentials), *pairs]


# ----------------------------------------------------------------------------- tree mutations


def _paths(pairs: Pairs, prefix: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
    """Every element's position, depth first, iteratively."""
    found: list[tuple[int, ...]] = []
    stack: list[tuple[Pairs, tuple[int, ...]]] = [(pairs, prefix)]
    while stack:
        current, at = stack.pop()
        for index, (_, value) in enumerate(current):
            found.append((*at, index))
            if isinstance(value, list) and value and isinstance(value[0], tuple):
                stack.append((value, (*at, index)))
    return sorted(found)


def _parent(pairs: Pairs, path: tuple[int, ...]) -> Pairs:
    current = pairs
    for index in path[:-1]:
        value = current[index][1]
        assert isinstance(value, list)
        current = value
    return current


def _retuple(value: Any) -> Any:
    """JSON round trips turn (name, value) tuples into lists; this turns them back."""
    if isinstance(value, list) and all(
        isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) for item in value
    ):
        return [(item[0], _retuple(item[1])) for item in value]
    return value


def _nest_marker(depth: int) -> str:
    """A value `encode` replaces with `depth` levels of nesting: built as text, so no encoder
    (ours or the standard library's) recurses that deep."""
    return f"NEST@@{depth}@@"


_NEST = re.compile(rb'"?NEST@@([0-9]+)@@"?')


def _nested(dialect: str, depth: int) -> bytes:
    if dialect == "xml":
        return b"<x>" * depth + b"1" + b"</x>" * depth
    return b'{"x":' * depth + b"1" + b"}" * depth


Siblings = list[tuple[str, Any]]


def _drop(_: st.DrawFn, siblings: Siblings, index: int) -> None:
    del siblings[index]


def _duplicate(_: st.DrawFn, siblings: Siblings, index: int) -> None:
    siblings.insert(index, siblings[index])


def _swap(draw: st.DrawFn, siblings: Siblings, index: int) -> None:
    other = draw(st.integers(0, len(siblings) - 1))
    siblings[index], siblings[other] = siblings[other], siblings[index]


def _rename(draw: st.DrawFn, siblings: Siblings, index: int) -> None:
    name, value = siblings[index]
    new = draw(st.sampled_from(("x", name.upper(), name + "s", "", "a:b", "refId", "merchantAuthentication")))
    siblings[index] = (new, value)


def _replace_with(values: tuple[Any, ...]) -> Mutation:
    def replace(draw: st.DrawFn, siblings: Siblings, index: int) -> None:
        siblings[index] = (siblings[index][0], draw(st.sampled_from(values)))

    return replace


def _control(draw: st.DrawFn, siblings: Siblings, index: int) -> None:
    name, value = siblings[index]
    text = value if isinstance(value, str) else "v"
    siblings[index] = (name, draw(st.sampled_from(CONTROL_TEXT)).join((text, text)))


def _nest(draw: st.DrawFn, siblings: Siblings, index: int) -> None:
    depth = draw(st.sampled_from((2, 70, 300, 1100)))
    siblings[index] = (siblings[index][0], _nest_marker(depth))


def _reshape(_: st.DrawFn, siblings: Siblings, index: int) -> None:
    """A simple element becomes complex and a complex one simple."""
    name, value = siblings[index]
    siblings[index] = (name, "flat" if isinstance(value, list) else [(name, value)])


Mutation = Callable[[st.DrawFn, Siblings, int], None]
MUTATIONS: dict[str, Mutation] = {
    "drop": _drop,
    "duplicate": _duplicate,
    "swap": _swap,
    "rename": _rename,
    "wrong_type": _replace_with(WRONG_TYPES),
    "long_number": _replace_with(LONG_NUMBERS),
    "control": _control,
    "nest": _nest,
    "reshape": _reshape,
}


@st.composite
def mutated(draw: st.DrawFn, pairs: Pairs, max_mutations: int = 3) -> Pairs:
    """`pairs` with one to `max_mutations` tree-level mutations applied."""
    tree: Pairs = _retuple(json.loads(json.dumps(pairs)))
    for _ in range(draw(st.integers(1, max_mutations))):
        paths = _paths(tree)
        if not paths:
            tree = [("unexpected", "x")]
            continue
        path = draw(st.sampled_from(paths))
        mutation = MUTATIONS[draw(st.sampled_from(sorted(MUTATIONS)))]
        mutation(draw, _parent(tree, path), path[-1])
    return tree


def numeric_names(type_: Complex) -> frozenset[str]:
    """Names of the int, short and decimal elements anywhere under `type_` (walked with a
    stack), plus settingValue, which carries duplicateWindow's seconds."""
    names = {"settingValue"}
    stack, seen = [type_], set()
    while stack:
        current = stack.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        for fld in current.fields_by_name.values():
            if isinstance(fld.type, Complex):
                stack.append(fld.type)
            elif fld.type.kind in (Kind.INT, Kind.DECIMAL):
                names.add(fld.name)
    return frozenset(names)


@st.composite
def long_numbered(draw: st.DrawFn, pairs: Pairs, names: frozenset[str]) -> Pairs:
    """`pairs` with one of its numeric elements replaced by a long or huge number, everything
    else left valid so that the number reaches the handlers."""
    tree: Pairs = _retuple(json.loads(json.dumps(pairs)))
    targets = [
        path
        for path in _paths(tree)
        if _parent(tree, path)[path[-1]][0] in names
        and not isinstance(_parent(tree, path)[path[-1]][1], list)
    ]
    if not targets:
        return tree
    # One only, so that the rest of the request stays valid; often the first (an amount,
    # typically), which the handlers read first.
    path = targets[draw(st.one_of(st.just(0), st.integers(0, len(targets) - 1)))]
    siblings = _parent(tree, path)
    siblings[path[-1]] = (siblings[path[-1]][0], draw(st.sampled_from(LONG_NUMBERS)))
    return tree


# ----------------------------------------------------------------------------- bytes


def encode(dialect: str, root: str, pairs: Pairs) -> bytes:
    """XML or JSON of a possibly mutated tree, deep-nesting markers expanded."""
    body = to_xml(root, pairs) if dialect == "xml" else to_json(root, pairs)
    return _NEST.sub(lambda match: _nested(dialect, int(match.group(1))), body)


@st.composite
def body_bytes(draw: st.DrawFn, body: bytes) -> bytes:
    """`body` truncated, with invalid UTF-8 spliced in, BOM-prefixed, or left alone."""
    kind = draw(st.sampled_from(("none", "truncate", "utf8", "bom", "repeat", "empty")))
    if kind == "truncate":
        return body[: draw(st.integers(0, max(len(body) - 1, 0)))]
    if kind == "utf8":
        at = draw(st.integers(0, len(body)))
        return body[:at] + draw(st.sampled_from(INVALID_UTF8)) + body[at:]
    if kind == "bom":
        return (
            draw(st.sampled_from((b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b"  \n"))) + body
        )
    if kind == "repeat":
        return body + body
    if kind == "empty":
        return b""
    return body


def content_type(dialect: str) -> st.SearchStrategy[str | None]:
    right = "application/xml" if dialect == "xml" else "application/json"
    wrong = "application/json" if dialect == "xml" else "application/xml"
    return st.one_of(st.just(right), st.just(right), st.just(wrong), st.sampled_from(CONTENT_TYPES))


@st.composite
def authnet_request(
    draw: st.DrawFn,
    operation: str,
    credentials: Pairs,
    ids: Mapping[str, str],
    path: str,
    examples: Sequence[Pairs] = (),
) -> Request:
    """One mutated request of `operation`, in a drawn dialect, to the door at `path`.

    Long numbers go into a hand-written valid example of the operation when there is one
    (everything else in it passes the handlers' own checks, so the number is what they meet),
    else into a generated seed."""
    dialect = draw(st.sampled_from(("xml", "json")))
    pairs = draw(authnet_seed(operation, credentials, ids))
    shape = draw(st.sampled_from(("numbers", "numbers", "tree", "tree", "tree", "seed")))
    if shape == "numbers":
        if examples:
            pairs = _with_credentials(
                OPERATIONS[operation].request, credentials, draw(st.sampled_from(examples))
            )
        pairs = draw(long_numbered(pairs, numeric_names(OPERATIONS[operation].request)))
    elif shape == "tree":
        pairs = draw(mutated(pairs))
    body = draw(body_bytes(encode(dialect, operation, pairs)))
    kind = draw(content_type(dialect))
    headers = {} if kind is None else {"content-type": kind}
    if draw(st.integers(0, 9)) == 9:
        # A fresh key (a repeated one would answer the first request's reply, or a mismatch,
        # without running anything), or malformed ones.
        key = draw(st.sampled_from(("fresh", "x" * 300, "k k", "")))
        headers["idempotency-key"] = uuid.uuid4().hex if key == "fresh" else key
    return Request("POST", path, body, headers)


# ----------------------------------------------------------------------------- REST door


REST_ROUTES: tuple[tuple[str, str], ...] = (
    ("GET", "/eventtypes"),
    ("GET", "/webhooks"),
    ("POST", "/webhooks"),
    ("GET", "/webhooks/{webhook}"),
    ("PUT", "/webhooks/{webhook}"),
    ("DELETE", "/webhooks/{webhook}"),
    ("POST", "/webhooks/{webhook}/pings"),
    ("GET", "/notifications"),
    ("GET", "/notifications/{notification}"),
)
EVENT_TYPE = "net.authorize.payment.authcapture.created"
PATH_SEGMENTS: tuple[str, ...] = (
    "%00",
    "a%00b",
    "%01",
    "%0A",
    "%7F",
    "%FF",
    "%ED%A0%80",
    "%C0%AF",
    "..",
    "%2F",
    "9" * 5000,
    "-1",
    "0",
    "%20",
    "%E2%80%AE",
    "x" * 300,
    "%25",
    "%3F",
    "null",
    "%u0000",
)
QUERIES: tuple[str, ...] = (
    "",
    "offset=0&limit=10",
    "offset=%00",
    "limit=" + "9" * 5000,
    "offset=-1",
    "limit=0",
    "limit=1001",
    "offset=1e3",
    "offset=%FF",
    "limit=%EF%BC%91",
    "offset=0&offset=1",
    "a=%00",
)


def _basic(text: bytes) -> str:
    return "Basic " + base64.b64encode(text).decode()


def authorizations(login: str, key: str) -> st.SearchStrategy[str | None]:
    good = _basic(f"{login}:{key}".encode())
    return st.one_of(
        st.just(good),
        st.just(good),
        st.sampled_from(
            (
                None,
                "",
                "Basic",
                "Basic ADp4",
                "Basic !!!",
                "Bearer x",
                _basic(b"\x00:\x00"),
                _basic(f"{login}\x00:{key}".encode()),
                _basic(f"{login}:{key}\x01".encode()),
                _basic(b"\xff\xfe:x"),
                _basic(b"a" * 5000 + b":b"),
                _basic(b"nocolon"),
                "Basic " + "A" * 9000,
                _basic(f"{login}:".encode()),
            )
        ),
    )


def _webhook_json(draw: st.DrawFn) -> Any:
    data: dict[str, Any] = {}
    if draw(st.booleans()):
        data["url"] = draw(st.sampled_from(("http://127.0.0.1:1/hook", "https://a.example/x")))
    if draw(st.booleans()):
        data["eventTypes"] = [EVENT_TYPE]
    if draw(st.booleans()):
        data["name"] = draw(st.sampled_from(("hook", "", "a\tb")))
    if draw(st.booleans()):
        data["status"] = draw(st.sampled_from(("active", "inactive")))
    return data


def _mutated_json(draw: st.DrawFn, data: Any) -> Any:
    """A few changes to a decoded JSON value: wrong types, long numbers, control characters,
    deep nesting, unknown members."""
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(("value", "number", "control", "nest", "member", "whole")))
        keys = sorted(data) if isinstance(data, dict) else []
        key = draw(st.sampled_from(keys)) if keys else "name"
        if kind == "whole":
            data = draw(st.sampled_from(([], "text", 5, None, [data], {"a": {"b": data}})))
        elif not isinstance(data, dict):
            continue
        elif kind == "value":
            data[key] = draw(st.sampled_from(WRONG_TYPES))
        elif kind == "number":
            data[key] = draw(st.sampled_from(LONG_NUMBERS))
        elif kind == "control":
            data[key] = draw(st.sampled_from(CONTROL_TEXT))
        elif kind == "nest":
            data[key] = json.loads("[" * 600 + "]" * 600)
        else:
            data[draw(st.sampled_from((*CONTROL_TEXT, "extra")))] = 1
    return data


@st.composite
def rest_request(draw: st.DrawFn, login: str, key: str, ids: Mapping[str, str]) -> Request:
    """One request to the REST door: a route, its ids, query, credentials and body, mutated."""
    method, template = draw(st.sampled_from(REST_ROUTES))
    if draw(st.integers(0, 3)) == 3:
        method = draw(st.sampled_from(("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")))
    segment = {
        name: ids[name] if draw(st.booleans()) else draw(st.sampled_from(PATH_SEGMENTS))
        for name in ("webhook", "notification")
    }
    path = "/rest/v1" + template.format(**segment)
    if draw(st.integers(0, 5)) == 5:
        path += "/" + draw(st.sampled_from(PATH_SEGMENTS))
    query = draw(st.sampled_from(QUERIES))
    if query:
        path += "?" + query
    headers: dict[str, str] = {}
    authorization = draw(authorizations(login, key))
    if authorization is not None:
        headers["authorization"] = authorization
    body = b""
    if method in ("POST", "PUT") or draw(st.integers(0, 5)) == 5:
        data = _mutated_json(draw, _webhook_json(draw))
        body = draw(body_bytes(json.dumps(data).encode()))
        kind = draw(
            st.sampled_from(("application/json", "application/json", None, "text/plain", "application/xml"))
        )
        if kind is not None:
            headers["content-type"] = kind
    return Request(method, path, body, headers)
