"""The little language our Authorize.Net message definitions are written in: simple and complex types.

A complex type is an ordered sequence of particles (fields and choices), exactly as the wire
protocol orders elements. The same definitions drive request validation (XML and JSON alike),
response encoding in schema order, and the JSON array-collapsing rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

NS = "AnetApi/xml/v1/schema/AnetApiSchema.xsd"
XSD_NS = "http://www.w3.org/2001/XMLSchema"


class Kind(Enum):
    ANY = "anyType"  # xs:anyType: any content, read as its character data
    STRING = "string"
    DECIMAL = "decimal"
    INT = "int"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "dateTime"


@dataclass(frozen=True, slots=True)
class Simple:
    """A simple type: a kind plus facets. `type_name` is what validator messages call it."""

    kind: Kind
    type_name: str
    min_length: int | None = None
    max_length: int | None = None
    pattern: re.Pattern[str] | None = None
    enumeration: tuple[str, ...] = ()
    min_value: str | None = None
    max_value: str | None = None
    sensitive: bool = False  # never echo the value in an error message
    total_digits: int | None = None
    fraction_digits: int | None = None


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: Simple | Complex
    min_occurs: int = 0
    max_occurs: int | None = 1  # None = unbounded

    @property
    def repeated(self) -> bool:
        return self.max_occurs != 1


@dataclass(frozen=True, slots=True)
class Choice:
    options: tuple[Field, ...]
    min_occurs: int = 1

    def option(self, name: str) -> Field | None:
        for candidate in self.options:
            if candidate.name == name:
                return candidate
        return None


Particle = Field | Choice


@dataclass(frozen=True, slots=True)
class Complex:
    name: str
    particles: tuple[Particle, ...]
    fields_by_name: dict[str, Field] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        for particle in self.particles:
            options = particle.options if isinstance(particle, Choice) else (particle,)
            for option in options:
                self.fields_by_name[option.name] = option

    @property
    def collapses_to_array(self) -> bool:
        """JSON shows a wrapper whose only content is one repeated element as a bare array."""
        only = self.particles[0] if len(self.particles) == 1 else None
        return isinstance(only, Field) and only.repeated


# ----------------------------------------------------------------------------- constructors


def string(
    max_length: int | None = None,
    min_length: int | None = None,
    *,
    length: int | None = None,
    sensitive: bool = False,
) -> Simple:
    if length is not None:
        min_length = max_length = length
    return Simple(Kind.STRING, "String", min_length, max_length, sensitive=sensitive)


def pattern(
    type_name: str,
    regex: str,
    max_length: int | None = None,
    min_length: int | None = None,
    *,
    sensitive: bool = False,
) -> Simple:
    return Simple(
        Kind.STRING,
        f"{NS}:{type_name}",
        min_length,
        max_length,
        pattern=re.compile(regex),
        sensitive=sensitive,
    )


def enum(type_name: str, *values: str) -> Simple:
    return Simple(Kind.STRING, f"{NS}:{type_name}", enumeration=values)


def integer(min_value: int | None = None, max_value: int | None = None) -> Simple:
    return Simple(
        Kind.INT,
        f"{XSD_NS}:int",
        min_value=None if min_value is None else str(min_value),
        max_value=None if max_value is None else str(max_value),
    )


def decimal(
    min_value: str | None = None, *, total_digits: int | None = None, fraction_digits: int | None = None
) -> Simple:
    return Simple(
        Kind.DECIMAL,
        f"{XSD_NS}:decimal",
        min_value=min_value,
        total_digits=total_digits,
        fraction_digits=fraction_digits,
    )


STRING = string()
NUMERIC_STRING = pattern("numericString", r"[0-9]+")
BOOLEAN = Simple(Kind.BOOLEAN, f"{XSD_NS}:boolean")
DECIMAL = Simple(Kind.DECIMAL, f"{XSD_NS}:decimal")
INT = integer()
DATE = Simple(Kind.DATE, f"{XSD_NS}:date")
DATETIME = Simple(Kind.DATETIME, f"{XSD_NS}:dateTime")
ANY = Simple(Kind.ANY, f"{XSD_NS}:anyType")


def el(name: str, type_: Simple | Complex, min_occurs: int = 0, max_occurs: int | None = 1) -> Field:
    """An optional element (pass min_occurs=1 for a required one)."""
    return Field(name, type_, min_occurs, max_occurs)


def req(name: str, type_: Simple | Complex) -> Field:
    """A required element."""
    return Field(name, type_, 1, 1)


def many(name: str, type_: Simple | Complex, min_occurs: int = 0) -> Field:
    """An element that may repeat without bound."""
    return Field(name, type_, min_occurs, None)


def one_of(*options: Field, min_occurs: int = 1) -> Choice:
    return Choice(options, min_occurs)


def seq(name: str, *particles: Particle, base: Complex | None = None) -> Complex:
    """A complex type; `base` prepends the particles of the type it extends."""
    inherited = base.particles if base is not None else ()
    return Complex(name, inherited + particles)


def array_of(name: str, item: str, type_: Simple | Complex) -> Complex:
    return seq(name, many(item, type_))
