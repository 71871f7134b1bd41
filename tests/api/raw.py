"""Raw HTTP against the live server: hand-written XML and JSON bodies, answers read by hand.

Requests are written as ordered (name, value) pairs so that one description yields both
dialects with the same element order: a value is a scalar (str, int, float, bool) or a nested
list of pairs. In JSON, consecutive pairs with the same name become one array.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import httpx
from lxml import etree

from strongroom.domain.merchants import Merchant
from strongroom.domain.sensitive import Secret
from strongroom.services.profiles.customer_profiles import ProfileLookup
from tests.api.live_server import LiveServer
from tests.api.sdk import ApiMerchant

BOM = b"\xef\xbb\xbf"
NS = "AnetApi/xml/v1/schema/AnetApiSchema.xsd"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
DIALECTS = ("xml", "json")

Pairs = list[tuple[str, Any]]
Body = bytes | Iterable[bytes]


# ----------------------------------------------------------------------------- writing requests


def auth(merchant: ApiMerchant, key: str | None = None, login: str | None = None) -> Pairs:
    return [
        ("name", merchant.login_id if login is None else login),
        ("transactionKey", merchant.transaction_key if key is None else key),
    ]


def envelope(merchant: ApiMerchant, *content: tuple[str, Any]) -> Pairs:
    """merchantAuthentication followed by the operation's elements."""
    return [("merchantAuthentication", auth(merchant)), *content]


def _xml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def xml_content(pairs: Pairs, prefix: str = "") -> str:
    out = []
    for name, value in pairs:
        inner = xml_content(value, prefix) if isinstance(value, list) else _xml_scalar(value)
        out.append(f"<{prefix}{name}>{inner}</{prefix}{name}>")
    return "".join(out)


def to_xml(root: str, pairs: Pairs, *, namespace: str = NS, prefix: str | None = None) -> bytes:
    """`<root xmlns=NS>…</root>`, or with `prefix` every element as `prefix:name`."""
    if prefix is None:
        return f'<{root} xmlns="{namespace}">{xml_content(pairs)}</{root}>'.encode()
    tag = f"{prefix}:{root}"
    return (f'<{tag} xmlns:{prefix}="{namespace}">{xml_content(pairs, prefix + ":")}</{tag}>').encode()


def _json_value(value: Any) -> str:
    if isinstance(value, list):
        return json_object(value)
    return json.dumps(value)


def json_object(pairs: Pairs) -> str:
    members: list[str] = []
    index = 0
    while index < len(pairs):
        name = pairs[index][0]
        run = [value for _, value in _run(pairs, index)]
        index += len(run)
        encoded = (
            _json_value(run[0]) if len(run) == 1 else "[" + ",".join(_json_value(item) for item in run) + "]"
        )
        members.append(f"{json.dumps(name)}:{encoded}")
    return "{" + ",".join(members) + "}"


def _run(pairs: Pairs, start: int) -> Iterator[tuple[str, Any]]:
    name = pairs[start][0]
    for pair in pairs[start:]:
        if pair[0] != name:
            return
        yield pair


def to_json(root: str, pairs: Pairs) -> bytes:
    return ("{" + json.dumps(root) + ":" + json_object(pairs) + "}").encode()


def encode(dialect: str, root: str, pairs: Pairs) -> bytes:
    return to_xml(root, pairs) if dialect == "xml" else to_json(root, pairs)


def content_type(dialect: str) -> str:
    return "application/xml" if dialect == "xml" else "application/json"


# ----------------------------------------------------------------------------- reading answers


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes

    @property
    def is_json(self) -> bool:
        return self.content_type.startswith("application/json")

    @property
    def payload(self) -> bytes:
        assert self.body.startswith(BOM), self.body[:20]
        return self.body[len(BOM) :]

    def json(self) -> dict[str, Any]:
        assert self.is_json, self.content_type
        document = json.loads(self.payload)
        assert isinstance(document, dict)
        return document

    def xml(self) -> etree._Element:
        assert self.content_type.startswith("application/xml"), self.content_type
        return etree.fromstring(self.payload)

    @property
    def root_name(self) -> str:
        """XML: the root's local name; JSON: ErrorResponse for a messages-only body."""
        if self.is_json:
            return "ErrorResponse" if set(self.json()) == {"messages"} else "(content)"
        root = self.xml()
        assert etree.QName(root).namespace == NS
        return etree.QName(root).localname

    def messages(self) -> tuple[str, list[tuple[str, str]]]:
        """(resultCode, [(code, text), …]) in either dialect."""
        if self.is_json:
            messages = self.json()["messages"]
            return messages["resultCode"], [(item["code"], item["text"]) for item in messages["message"]]
        root = self.xml()
        result = root.findtext(f"{{{NS}}}messages/{{{NS}}}resultCode") or ""
        return result, [
            (item.findtext(f"{{{NS}}}code") or "", item.findtext(f"{{{NS}}}text") or "")
            for item in root.iterfind(f"{{{NS}}}messages/{{{NS}}}message")
        ]

    def error(self) -> tuple[str, str]:
        """(code, text) of a refused request, checking it is a single-message Error."""
        result, messages = self.messages()
        assert result == "Error", (result, messages)
        assert len(messages) == 1, messages
        return messages[0]

    def ok(self) -> Answer:
        result, messages = self.messages()
        assert (result, messages[0][0]) == ("Ok", "I00001"), (result, messages)
        return self


def post(
    server: LiveServer, body: Body, content_type: str | None = None, headers: dict[str, str] | None = None
) -> Answer:
    """POST a raw body; an iterable body goes out chunked (no Content-Length)."""
    sent = dict(headers or {})
    if content_type is not None:
        sent["content-type"] = content_type
    with httpx.Client(trust_env=False, timeout=30) as client:
        response = client.post(server.endpoint, content=body, headers=sent)
    answer = Answer(response.status_code, response.headers.get("content-type", ""), response.content)
    assert answer.status == 200, answer
    return answer


def call(server: LiveServer, dialect: str, root: str, pairs: Pairs) -> Answer:
    return post(server, encode(dialect, root, pairs), content_type(dialect))


# ----------------------------------------------------------------------------- what is stored


def merchant_of(server: LiveServer, merchant: ApiMerchant) -> Merchant:
    return server.application.services.merchants.authenticate(
        merchant.login_id, Secret(merchant.transaction_key)
    ).merchant


def stored(server: LiveServer, merchant: ApiMerchant) -> dict[str, tuple[Any, ...]]:
    """Everything the merchant's vault holds, per profile, read through the services."""
    services = server.application.services
    owner = merchant_of(server, merchant)
    state: dict[str, tuple[Any, ...]] = {}
    for ref in services.customer_profiles.ids(owner):
        profile = services.customer_profiles.get(owner, ProfileLookup(ref))
        state[ref] = (
            profile.merchant_customer_id,
            profile.description,
            profile.email,
            tuple(
                (item.ref, item.is_default, item.bill_to, item.customer_type)
                for item in profile.payment_profiles
            ),
            tuple((item.ref, item.address, item.is_default) for item in profile.ship_to),
        )
    return state
