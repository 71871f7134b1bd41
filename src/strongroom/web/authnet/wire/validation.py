"""Checks a parsed request against our message definitions, in schema order, like the real service.

Violations raise `SchemaViolation` whose text follows the .NET validator's wording that the live
service sends with E00003; sensitive values are never echoed back.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from strongroom.web.authnet.wire.schema import NS, Choice, Complex, Field, Kind, Particle, Simple
from strongroom.web.authnet.wire.tree import Node, Raw

_BOOLEANS = ("true", "false", "1", "0")
_INT = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
# The .NET types behind xs:int and xs:short: (name in the message, lowest, highest).
_INTEGERS = {"int": ("Int32", -(2**31), 2**31 - 1), "short": ("Int16", -(2**15), 2**15 - 1)}
# Digits, leading zeros aside, that the widest of them can hold: longer text is refused
# before int() (which refuses more than 4,300 digits with ValueError).
_INT_DIGITS = 10
# xs:decimal is System.Decimal for the .NET validator: larger values are not valid Decimals.
_DECIMAL_MAX = Decimal("79228162514264337593543950335")
_DECIMAL_DIGITS = len(str(_DECIMAL_MAX))


class SchemaViolation(Exception):
    """The request breaks the schema; `text` is the validator message for E00003."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _names(names: list[str]) -> str:
    return f"'{', '.join(names)}' in namespace '{NS}'"


def _qualified(name: str, namespace: str) -> str:
    """An element name as the .NET validator quotes it in content-model messages."""
    return f"'{name}' in namespace '{namespace}'" if namespace else f"'{name}'"


def _colon(name: str, namespace: str) -> str:
    """An element name as the .NET validator quotes it in simple-content messages."""
    return f"'{namespace}:{name}'" if namespace else f"'{name}'"


def _expecting(names: list[str]) -> str:
    """The validator's list suffix; it is left out when no element may come next."""
    return f" List of possible elements expected: {_names(names)}." if names else ""


def _options(particle: Particle) -> list[str]:
    if isinstance(particle, Choice):
        return [option.name for option in particle.options]
    return [particle.name]


def _needed(particle: Particle) -> int:
    """How many occurrences a particle needs; a choice with an optional option may be empty."""
    emptiable = isinstance(particle, Choice) and any(option.min_occurs == 0 for option in particle.options)
    return 0 if emptiable else particle.min_occurs


class _Cursor:
    """Walks a complex type's particles while consuming children in document order.

    The state is (particle index, occurrences of that particle, option chosen if it is a
    choice). A failed `match` leaves the state as it was, so `expected()` then lists what the
    validator would have accepted at the offending child.
    """

    def __init__(self, type_: Complex) -> None:
        self.particles = type_.particles
        self.index = 0
        self.count = 0
        self.chosen: Field | None = None

    def _have(self, position: int) -> int:
        return self.count if position == self.index else 0

    def _limit(self, position: int) -> int | None:
        particle = self.particles[position]
        if isinstance(particle, Choice):
            chosen = self.chosen if position == self.index else None
            return chosen.max_occurs if chosen is not None else 1
        return particle.max_occurs

    def expected(self) -> list[str]:
        names: list[str] = []
        for position in range(self.index, len(self.particles)):
            particle = self.particles[position]
            have = self._have(position)
            limit = self._limit(position)
            if limit is None or have < limit:
                chosen = self.chosen if position == self.index else None
                names.extend([chosen.name] if chosen is not None else _options(particle))
            if have < _needed(particle):
                break
        return names

    def match(self, name: str) -> Field | None:
        saved = (self.index, self.count, self.chosen)
        while self.index < len(self.particles):
            found = self._match_here(name)
            if found is not None:
                return found
            if self.count < _needed(self.particles[self.index]):
                break
            self._advance()
        self.index, self.count, self.chosen = saved
        return None

    def _match_here(self, name: str) -> Field | None:
        limit = self._limit(self.index)
        if limit is not None and self.count >= limit:
            return None
        particle = self.particles[self.index]
        if isinstance(particle, Choice):
            option = self.chosen if self.chosen is not None else particle.option(name)
            if option is None or option.name != name:
                return None
            self.chosen = option
        elif particle.name != name:
            return None
        else:
            option = particle
        self.count += 1
        return option

    def _advance(self) -> None:
        self.index += 1
        self.count = 0
        self.chosen = None

    def missing(self) -> bool:
        return any(
            self._have(position) < _needed(self.particles[position])
            for position in range(self.index, len(self.particles))
        )


def validate(raw: Raw, type_: Complex) -> Node:
    """Validate a complex element and return its content as a `Node`."""
    node = Node()
    cursor = _Cursor(type_)
    element = _qualified(raw.name, NS)
    for child in raw.children:
        field = cursor.match(child.name) if child.in_namespace else None
        if field is None:
            raise SchemaViolation(
                f"The element {element} has invalid child element "
                f"{_qualified(child.name, child.namespace)}.{_expecting(cursor.expected())}"
            )
        value = _value(child, field)
        if field.repeated:
            existing = node.setdefault(field.name, [])
            assert isinstance(existing, list)
            existing.append(value)
        else:
            node[field.name] = value
    if raw.text and raw.text.strip():
        raise SchemaViolation(f"The element {element} cannot contain text.{_expecting(cursor.expected())}")
    if cursor.missing():
        raise SchemaViolation(f"The element {element} has incomplete content.{_expecting(cursor.expected())}")
    return node


def _value(raw: Raw, field: Field) -> str | Node:
    if isinstance(field.type, Complex):
        return validate(raw, field.type)
    if field.type.kind is Kind.ANY:
        return _character_data(raw)
    if raw.has_children:
        child = raw.children[0]
        raise SchemaViolation(
            f"The element {_colon(raw.name, NS)} cannot contain child element "
            f"{_colon(child.name, child.namespace)} because the parent element's "
            "content model is text only."
        )
    return check_simple(field.name, raw.text or "", field.type)


def _character_data(raw: Raw) -> str:
    """xs:anyType content: anything goes; what is kept is its text, children's included."""
    return (raw.text or "") + "".join(_character_data(child) for child in raw.children)


def check_simple(name: str, text: str, type_: Simple) -> str:
    """Return the value (whitespace-collapsed for non-strings) or raise SchemaViolation."""
    value = text if type_.kind is Kind.STRING else text.strip()
    shown = "****" if type_.sensitive else value
    problem = _kind_problem(value, shown, type_) or _facet_problem(value, type_)
    if problem is None:
        return _canonical_integer(value) if type_.kind is Kind.INT else value
    raise SchemaViolation(
        f"The '{NS}:{name}' element is invalid - The value '{shown}' is invalid according to "
        f"its datatype '{type_.type_name}' - {problem}"
    )


def _kind_problem(value: str, shown: str, type_: Simple) -> str | None:
    kind = type_.kind
    if kind is Kind.BOOLEAN and value not in _BOOLEANS:
        return f"The string '{shown}' is not a valid Boolean value."
    if kind is Kind.INT:
        return _integer_problem(value, shown, type_)
    if kind is Kind.DECIMAL and not _is_decimal(value):
        return f"The string '{shown}' is not a valid Decimal value."
    if kind is Kind.DATE and not _is_date(value):
        return f"The string '{shown}' is not a valid Date value."
    if kind is Kind.DATETIME and not _is_datetime(value):
        return f"The string '{shown}' is not a valid DateTime value."
    return None


def _integer_problem(value: str, shown: str, type_: Simple) -> str | None:
    """Length first, so that no text is ever too long for int()."""
    name, low, high = _INTEGERS.get(type_.type_name.rpartition(":")[2], _INTEGERS["int"])
    if not _INT.fullmatch(value):
        return f"The string '{shown}' is not a valid {name} value."
    canonical = _canonical_integer(value)
    if len(canonical.lstrip("-")) > _INT_DIGITS or not low <= int(canonical) <= high:
        return f"The string '{shown}' is not a valid {name} value."
    return None


def _canonical_integer(value: str) -> str:
    """A valid integer without sign or leading zeros that int() would count as digits."""
    digits = value.lstrip("+-").lstrip("0") or "0"
    return "-" + digits if value.startswith("-") and digits != "0" else digits


def _is_decimal(value: str) -> bool:
    """xs:decimal syntax, within System.Decimal's range (length checked before Decimal())."""
    if not _DECIMAL.fullmatch(value):
        return False
    whole = value.lstrip("+-").partition(".")[0].lstrip("0")
    return len(whole) < _DECIMAL_DIGITS or (
        len(whole) == _DECIMAL_DIGITS and Decimal(value).copy_abs() <= _DECIMAL_MAX
    )


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
    return _length_problem(value, type_) or _range_problem(value, type_) or _digits_problem(value, type_)


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


def _digits_problem(value: str, type_: Simple) -> str | None:
    """xs:totalDigits / xs:fractionDigits, counted on the value (trailing zeros do not count)."""
    if type_.total_digits is None and type_.fraction_digits is None:
        return None
    try:
        number = Decimal(value).normalize()
    except InvalidOperation:
        return None
    digits, exponent = len(number.as_tuple().digits), int(number.as_tuple().exponent)
    fraction = max(0, -exponent)
    total = digits + exponent if exponent > 0 else max(digits, fraction)
    if type_.total_digits is not None and total > type_.total_digits:
        return "The TotalDigits constraint failed."
    if type_.fraction_digits is not None and fraction > type_.fraction_digits:
        return "The FractionDigits constraint failed."
    return None
