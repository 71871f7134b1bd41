"""createTransactionRequest / createTransactionResponse definitions against the official XSD:
every element, in order, with its occurrence bounds, choices and simple-type facets."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pytest
from lxml import etree

from strongroom.web.authnet.transactions.messages import (
    CREATE_TRANSACTION_REQUEST,
    CREATE_TRANSACTION_RESPONSE,
)
from strongroom.web.authnet.wire.schema import Choice, Complex, Field, Kind, Simple
from tests.shared_spec import shared_dir

XS = "{http://www.w3.org/2001/XMLSchema}"
_KINDS = {
    "string": Kind.STRING,
    "decimal": Kind.DECIMAL,
    "int": Kind.INT,
    "boolean": Kind.BOOLEAN,
    "date": Kind.DATE,
    "dateTime": Kind.DATETIME,
    "anyType": Kind.ANY,
}
# Named simple types our DSL expresses differently but equivalently.
_EQUIVALENT = {
    # numericString restricted to 3-4 characters == the pattern [0-9]{3,4}
    "cardCode": lambda simple: simple.pattern is not None and simple.pattern.pattern == "[0-9]{3,4}",
}


@dataclass
class Facets:
    kind: Kind
    min_length: int | None = None
    max_length: int | None = None
    patterns: list[str] = field(default_factory=list)
    enumeration: tuple[str, ...] = ()
    min_value: str | None = None
    max_value: str | None = None
    total_digits: int | None = None
    fraction_digits: int | None = None


@cache
def _schema() -> tuple[dict[str, etree._Element], dict[str, etree._Element], dict[str, etree._Element]]:
    root = etree.parse(str(shared_dir() / "reference" / "AnetApiSchema.xsd")).getroot()

    def named(kind: str) -> dict[str, etree._Element]:
        return {str(node.get("name")): node for node in root.iterfind(f"{XS}{kind}")}

    return named("complexType"), named("simpleType"), named("element")


def _children(node: etree._Element) -> list[etree._Element]:
    """Child elements only (comments and processing instructions left out)."""
    return list(node.iterchildren("{*}*"))


def _local(qname: str) -> str:
    return qname.split(":", 1)[1] if ":" in qname else qname


def _occurs(node: etree._Element) -> tuple[int, int | None]:
    high = node.get("maxOccurs", "1")
    return int(node.get("minOccurs", "1")), None if high == "unbounded" else int(high)


def _facets(restriction: etree._Element) -> Facets:
    base = restriction.get("base", "")
    facets = Facets(_KINDS[_local(base)]) if base.startswith("xs:") else _named_simple(_local(base))
    values: list[str] = []
    for facet in _children(restriction):
        name, value = etree.QName(facet).localname, facet.get("value", "")
        if name == "length":
            facets.min_length = facets.max_length = int(value)
        elif name == "minLength":
            facets.min_length = int(value)
        elif name == "maxLength":
            facets.max_length = int(value)
        elif name == "pattern":
            facets.patterns.append(value)
        elif name == "enumeration":
            values.append(value)
        elif name == "minInclusive":
            facets.min_value = value
        elif name == "maxInclusive":
            facets.max_value = value
        elif name == "totalDigits":
            facets.total_digits = int(value)
        elif name == "fractionDigits":
            facets.fraction_digits = int(value)
    if values:
        facets.enumeration = tuple(values)
    return facets


def _named_simple(name: str) -> Facets:
    _, simple_types, _ = _schema()
    restriction = simple_types[name].find(f"{XS}restriction")
    assert restriction is not None, name
    return _facets(restriction)


def _particles(type_node: etree._Element) -> list[etree._Element]:
    """The sequence children of a complex type, its base type's first."""
    complex_types, _, _ = _schema()
    content = type_node.find(f"{XS}complexContent")
    if content is not None:
        extension = content.find(f"{XS}extension")
        assert extension is not None
        base = complex_types[_local(extension.get("base", ""))]
        return _particles(base) + _particles(extension)
    sequence = type_node.find(f"{XS}sequence")
    choice = type_node.find(f"{XS}choice")
    if sequence is not None:
        return _flattened(sequence)
    return [choice] if choice is not None else []


def _flattened(sequence: etree._Element) -> list[etree._Element]:
    """A sequence's elements and choices; a nested single-occurrence sequence is inlined."""
    particles: list[etree._Element] = []
    for child in _children(sequence):
        name = etree.QName(child).localname
        if name == "sequence":
            assert _occurs(child) == (1, 1)
            particles += _flattened(child)
        elif name in ("element", "choice"):
            particles.append(child)
    return particles


def compare_complex(type_node: etree._Element, ours: Complex, path: str) -> list[str]:
    theirs = _particles(type_node)
    problems: list[str] = []
    names = [_particle_names(node) for node in theirs]
    mine = [_dsl_names(particle) for particle in ours.particles]
    if names != mine:
        return [f"{path}: schema {names} != ours {mine}"]
    for node, particle in zip(theirs, ours.particles, strict=True):
        if etree.QName(node).localname == "choice":
            assert isinstance(particle, Choice)
            options = _children(node)
            for option_node, option in zip(options, particle.options, strict=True):
                problems += compare_element(option_node, option, path, in_choice=True)
        else:
            assert isinstance(particle, Field)
            problems += compare_element(node, particle, path)
    return problems


def _particle_names(node: etree._Element) -> str | tuple[str, ...]:
    if etree.QName(node).localname == "choice":
        return tuple(child.get("name", "") for child in _children(node))
    return node.get("name", "")


def _dsl_names(particle: Field | Choice) -> str | tuple[str, ...]:
    if isinstance(particle, Choice):
        return tuple(option.name for option in particle.options)
    return particle.name


def compare_element(node: etree._Element, ours: Field, path: str, in_choice: bool = False) -> list[str]:
    where = f"{path}/{ours.name}"
    problems: list[str] = []
    low, high = _occurs(node)
    # In a choice our DSL marks the options required (one must be chosen) unless optional.
    if not in_choice and (low, high) != (ours.min_occurs, ours.max_occurs):
        problems.append(f"{where}: occurs schema {(low, high)} != ours {(ours.min_occurs, ours.max_occurs)}")
    type_name = node.get("type")
    inline_complex = node.find(f"{XS}complexType")
    inline_simple = node.find(f"{XS}simpleType")
    complex_types, _, _ = _schema()
    if inline_complex is not None or (
        type_name and _local(type_name) in complex_types and not type_name.startswith("xs:")
    ):
        if not isinstance(ours.type, Complex):
            return [*problems, f"{where}: schema complex, ours simple"]
        target = inline_complex if inline_complex is not None else complex_types[_local(type_name or "")]
        return problems + compare_complex(target, ours.type, where)
    if isinstance(ours.type, Complex):
        return [*problems, f"{where}: schema simple, ours complex"]
    if inline_simple is not None:
        restriction = inline_simple.find(f"{XS}restriction")
        assert restriction is not None
        facets = _facets(restriction)
    elif type_name is None:
        facets = Facets(Kind.ANY)
    elif type_name.startswith("xs:"):
        facets = Facets(_KINDS[_local(type_name)])
    else:
        equivalent = _EQUIVALENT.get(_local(type_name))
        if equivalent is not None:
            return problems if equivalent(ours.type) else [*problems, f"{where}: not equivalent"]
        facets = _named_simple(_local(type_name))
    return problems + _compare_facets(facets, ours.type, where)


def _compare_facets(facets: Facets, ours: Simple, where: str) -> list[str]:
    expected = (
        facets.kind,
        facets.min_length,
        facets.max_length,
        facets.enumeration,
        facets.min_value,
        facets.max_value,
        facets.total_digits,
        facets.fraction_digits,
    )
    actual = (
        ours.kind,
        ours.min_length,
        ours.max_length,
        ours.enumeration,
        ours.min_value,
        ours.max_value,
        ours.total_digits,
        ours.fraction_digits,
    )
    problems = [] if expected == actual else [f"{where}: facets schema {expected} != ours {actual}"]
    pattern = ours.pattern.pattern if ours.pattern is not None else None
    if facets.patterns != ([pattern] if pattern is not None else []):
        # Our patterns are Python spellings of the schema's; compare what they accept.
        if len(facets.patterns) != 1 or pattern is None:
            problems.append(f"{where}: patterns schema {facets.patterns} != ours {pattern}")
        elif facets.patterns[0].replace(r"\s", " ").replace("0-9a-zA-Z", "A-Za-z0-9") != pattern:
            problems.append(f"{where}: pattern schema {facets.patterns[0]} != ours {pattern}")
    return problems


@pytest.mark.parametrize(
    "definition",
    [CREATE_TRANSACTION_REQUEST, CREATE_TRANSACTION_RESPONSE],
    ids=lambda definition: definition.name,
)
def test_definition_matches_the_official_schema(definition: Complex) -> None:
    _, _, elements = _schema()
    type_node = elements[definition.name].find(f"{XS}complexType")
    assert type_node is not None
    assert compare_complex(type_node, definition, definition.name) == []


def test_the_comparison_notices_a_difference() -> None:
    complex_types, _, _ = _schema()
    from strongroom.web.authnet.wire.schema import el, seq, string

    wrong = seq("nameAndAddressType", el("lastName", string(50)), el("firstName", string(50)))
    assert compare_complex(complex_types["nameAndAddressType"], wrong, "x")
    too_long = seq("settingType", el("settingName", string(5)), el("settingValue", string()))
    assert compare_complex(complex_types["settingType"], too_long, "x")
