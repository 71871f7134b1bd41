"""XML on the wire: a hardened parser into `Raw` trees and a schema-ordered response writer."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Context, Decimal
from typing import Any

from lxml import etree

from strongroom.web.authnet.wire.schema import NS, Choice, Complex, Field, Kind, Particle, Simple
from strongroom.web.authnet.wire.tree import Raw

BOM = b"\xef\xbb\xbf"
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
ROOT_ATTRIBUTES = (
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    f'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="{NS}"'
)


_CENTS = Decimal("0.01")
# Wide enough for any xs:decimal the validator lets in (29 integer digits) to gain two places;
# the default 28-digit context raises InvalidOperation for such values.
_WIDE = Context(prec=64)


class XmlRejected(Exception):
    """The body is not acceptable XML (malformed, or it declares a DTD or entities)."""


def _parser() -> etree.XMLParser:
    # No DTD loading, no entity resolution, no network, default depth/size guards of libxml2.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


_LOCATION = re.compile(r"(, line \d+, column \d+)$")
_DIGIT_RUN = re.compile(r"\d{4,}")


def _syntax_problem(message: str) -> str:
    """libxml2's message without any quoted document content (it may quote a card number:
    "CData section not finished\n4111…"): first line only, long digit runs masked."""
    location = _LOCATION.search(message)
    text = message[: location.start()] if location else message
    text = _DIGIT_RUN.sub("****", text.split("\n", 1)[0].strip())
    return text + (location.group(1) if location else "")


# A DTD is refused before libxml2 sees it, wherever it sits (comments may push it far down)
# and in the encodings a body may use; the parsed tree is checked for a DTD again afterwards.
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def parse_xml(body: bytes) -> Raw:
    if any(marker in body for marker in _DTD_MARKERS):
        raise XmlRejected("DTDs and entity declarations are not allowed.")
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        problem = _syntax_problem(str(exc.msg or ""))
        raise XmlRejected(f"The request is not well-formed XML: {problem}") from None
    if getattr(root.getroottree().docinfo, "doctype", ""):
        raise XmlRejected("DTDs and entity declarations are not allowed.")
    return _to_raw(root)


def _to_raw(element: etree._Element) -> Raw:
    qname = etree.QName(element)
    children: list[Raw] = []
    text = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            raise XmlRejected("Entity references are not allowed.")
        children.append(_to_raw(child))
        text.append(child.tail or "")  # character data between children is content too
    return Raw(
        name=qname.localname,
        namespace=qname.namespace or "",
        text="".join(text),
        children=children,
        has_children=bool(children),
    )


# ----------------------------------------------------------------------------- writing


def _escape(text: str) -> str:
    # A literal CR would reach the reader as LF (XML end-of-line handling), so it is a reference.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#xD;")


def format_simple(value: Any, type_: Simple) -> str:
    if type_.kind is Kind.BOOLEAN:
        return "true" if value in (True, "true", "1") else "false"
    if isinstance(value, Decimal):
        if value.is_finite() and int(value.as_tuple().exponent) > -2 and value.adjusted() < 60:
            value = value.quantize(_CENTS, context=_WIDE)  # amounts are written with two decimals: 5.00
        return format(value, "f")
    return str(value)


def write_xml(root_name: str, type_: Complex, values: Mapping[str, Any]) -> bytes:
    out: list[str] = [DECLARATION, f"<{root_name} {ROOT_ATTRIBUTES}>"]
    _write_content(out, type_, values)
    out.append(f"</{root_name}>")
    return BOM + "".join(out).encode("utf-8")


def present_fields(particle: Particle, values: Mapping[str, Any]) -> list[tuple[Field, Any]]:
    """The fields of a particle to write: the one chosen option of a choice, or the field."""
    if isinstance(particle, Choice):
        return [
            (option, values[option.name])
            for option in particle.options
            if values.get(option.name) is not None
        ][:1]
    return [(particle, values.get(particle.name))]


def _write_content(out: list[str], type_: Complex, values: Mapping[str, Any]) -> None:
    for particle in type_.particles:
        for field, value in present_fields(particle, values):
            if value is None:
                if field.min_occurs and isinstance(field.type, Complex):
                    out.append(f"<{field.name} />")
                continue
            items: Sequence[Any] = value if field.repeated else (value,)
            for item in items:
                _write_element(out, field, item)


def _write_element(out: list[str], field: Field, value: Any) -> None:
    if isinstance(field.type, Complex):
        inner: list[str] = []
        _write_content(inner, field.type, value)
        out.append(f"<{field.name}>{''.join(inner)}</{field.name}>" if inner else f"<{field.name} />")
        return
    text = format_simple(value, field.type)
    out.append(f"<{field.name}>{_escape(text)}</{field.name}>" if text else f"<{field.name} />")
