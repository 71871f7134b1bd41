"""Checks a parsed request against our message definitions, in schema order, like the real service.

Violations raise `SchemaViolation` whose text follows the .NET validator's wording that the live
service sends with E00003; sensitive values are never echoed back.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from strongroom.web.authnet.schema import NS, Choice, Complex, Field, Kind, Particle, Simple
from strongroom.web.authnet.tree import Node, Raw

_BOOLEANS = ("true", "false", "1", "0")
_INT = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


class SchemaViolation(Exception):
    """The request breaks the schema; `text` is the validator message for E00003."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _names(names: list[str]) -> str:
    return f"'{', '.join(names)}' in namespace '{NS}'"


def _options(particle: Particle) -> list[str]:
    if isinstance(particle, Choice):
        return [option.name for option in particle.options]
    return [particle.name]


def _required(particle: Particle) -> bool:
    return particle.min_occurs > 0


class _Cursor:
    """Walks a complex type's particles while consuming children in document order."""

    def __init__(self, type_: Complex) -> None:
        self.particles = type_.particles
        self.index = 0
        self.count = 0
        self.chosen: Field | None = None

    def expected(self) -> list[str]:
        names: list[str] = []
        for position in range(self.index, len(self.particles)):
            particle = self.particles[position]
            current = position == self.index
            limit = self._limit(particle)
            if not current or limit is None or self.count < limit:
                names.extend(self._names_at(particle, current))
            if _required(particle) and not (current and self.count >= particle.min_occurs):
                break
        return names

    def _names_at(self, particle: Particle, current: bool) -> list[str]:
        if current and isinstance(particle, Choice) and self.chosen is not None:
            return [self.chosen.name]
        return _options(particle)

    def _limit(self, particle: Particle) -> int | None:
        if isinstance(particle, Choice):
            return (self.chosen.max_occurs if self.chosen else 1)
        return particle.max_occurs

    def match(self, name: str) -> Field | None:
        while self.index < len(self.particles):
            particle = self.particles[self.index]
            found = self._match_here(particle, name)
            if found is not None:
                return found
            if self.count < particle.min_occurs:
                return None
            self._advance()
        return None

    def _match_here(self, particle: Particle, name: str) -> Field | None:
        limit = self._limit(particle)
        if limit is not None and self.count >= limit:
            return None
        if isinstance(particle, Choice):
            option = self.chosen if self.chosen is not None else particle.option(name)
            if option is None or option.name != name:
                return None
            self.chosen = option
        elif particle.name != name:
            return None
        self.count += 1
        return self.chosen if isinstance(particle, Choice) else particle

    def _advance(self) -> None:
        self.index += 1
        self.count = 0
        self.chosen = None

    def missing(self) -> bool:
        for position in range(self.index, len(self.particles)):
            particle = self.particles[position]
            have = self.count if position == self.index else 0
            if have < particle.min_occurs:
                return True
        return False


def validate(raw: Raw, type_: Complex) -> Node:
    """Validate a complex element and return its content as a `Node`."""
    node = Node()
    cursor = _Cursor(type_)
    for child in raw.children:
        field = cursor.match(child.name) if child.in_namespace else None
        if field is None:
            raise SchemaViolation(
                f"The element '{raw.name}' in namespace '{NS}' has invalid child element "
                f"'{child.name}' in namespace '{NS if child.in_namespace else ''}'. "
                f"List of possible elements expected: {_names(cursor.expected())}.")
        value = _value(child, field)
        if field.repeated:
            existing = node.setdefault(field.name, [])
            assert isinstance(existing, list)
            existing.append(value)
        else:
            node[field.name] = value
    if raw.text and raw.text.strip():
        raise SchemaViolation(
            f"The element '{raw.name}' in namespace '{NS}' cannot contain text. "
            f"List of possible elements expected: {_names(cursor.expected())}.")
    if cursor.missing():
        raise SchemaViolation(
            f"The element '{raw.name}' in namespace '{NS}' has incomplete content. "
            f"List of possible elements expected: {_names(cursor.expected())}.")
    return node


def _value(raw: Raw, field: Field) -> str | Node:
    if isinstance(field.type, Complex):
        return validate(raw, field.type)
    if raw.has_children:
        raise SchemaViolation(
            f"The element '{raw.name}' in namespace '{NS}' cannot contain child element "
            f"'{raw.children[0].name}' in namespace '{NS}' because the parent element's "
            "content model is text only.")
    return check_simple(field.name, raw.text or "", field.type)


def check_simple(name: str, text: str, type_: Simple) -> str:
    """Return the value (whitespace-collapsed for non-strings) or raise SchemaViolation."""
    value = text if type_.kind is Kind.STRING else text.strip()
    problem = _kind_problem(value, type_) or _facet_problem(value, type_)
    if problem is None:
        return value
    shown = "****" if type_.sensitive else value
    raise SchemaViolation(
        f"The '{NS}:{name}' element is invalid - The value '{shown}' is invalid according to "
        f"its datatype '{type_.type_name}' - {problem}")


def _kind_problem(value: str, type_: Simple) -> str | None:
    kind = type_.kind
    if kind is Kind.BOOLEAN and value not in _BOOLEANS:
        return f"The string '{value}' is not a valid Boolean value."
    if kind is Kind.INT and (not _INT.fullmatch(value) or not _INT_MIN <= int(value) <= _INT_MAX):
        return f"The string '{value}' is not a valid Int32 value."
    if kind is Kind.DECIMAL and not _DECIMAL.fullmatch(value):
        return f"The string '{value}' is not a valid Decimal value."
    if kind is Kind.DATE and not _is_date(value):
        return f"The string '{value}' is not a valid Date value."
    if kind is Kind.DATETIME and not _is_datetime(value):
        return f"The string '{value}' is not a valid DateTime value."
    return None


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value


def _facet_problem(value: str, type_: Simple) -> str | None:
    if type_.enumeration and value not in type_.enumeration:
        return "The Enumeration constraint failed."
    if type_.pattern is not None and not type_.pattern.fullmatch(value):
        return "The Pattern constraint failed."
    return _length_problem(value, type_) or _range_problem(value, type_)


def _length_problem(value: str, type_: Simple) -> str | None:
    low, high = type_.min_length, type_.max_length
    if low is not None and low == high and len(value) != low:
        return "The actual length is not equal to the specified length."
    if high is not None and len(value) > high:
        return "The actual length is greater than the MaxLength value."
    if low is not None and len(value) < low:
        return "The actual length is less than the MinLength value."
    return None


def _range_problem(value: str, type_: Simple) -> str | None:
    if type_.min_value is None and type_.max_value is None:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    if type_.min_value is not None and number < Decimal(type_.min_value):
        return "The MinInclusive constraint failed."
    if type_.max_value is not None and number > Decimal(type_.max_value):
        return "The MaxInclusive constraint failed."
    return None
