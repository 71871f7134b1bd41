"""Column types that keep Python values honest across SQLite and PostgreSQL: UTC-aware times, and
money as exact integer minor units (never a float, on either engine)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from typing_extensions import override

MONEY_PLACES = 2
# The widest amount the API carries (xs:decimal, totalDigits 15 with 2 places): 9999999999999.99.
MONEY_DIGITS = 15


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant stored as UTC; SQLite's naive values come back as aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @override
    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: storage accepts timezone-aware instants only")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    @override
    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class MinorUnits(TypeDecorator[Decimal]):
    """A money amount stored as a BIGINT count of minor units (cents): Decimal('12.34') is 1234.

    Binds a Decimal with at most two places and at most 15 digits; refuses anything else (a
    float, an int that might already be minor units, more places, a non-finite value, a wider
    amount) instead of rounding or guessing. Reads back a Decimal with exactly two places, so
    SQLite (which has no exact decimal type) is as exact as PostgreSQL.
    """

    impl = BigInteger
    cache_ok = True

    @override
    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return to_minor_units(value)

    @override
    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return from_minor_units(value)


def to_minor_units(amount: Decimal) -> int:
    """The exact count of minor units of `amount`, by integer arithmetic (no decimal context can
    round it); ValueError if that is not a whole number or too wide."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"money is stored from a Decimal, not {type(amount).__name__}")
    if not amount.is_finite():
        raise ValueError(f"money amount {amount} is not a finite number")
    if amount.is_zero():
        return 0
    sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # finite
    coefficient = int("".join(map(str, digits)))
    shift = exponent + MONEY_PLACES  # minor units = coefficient * 10**shift
    units: int
    if shift < 0:
        # A nonzero coefficient of n digits has fewer than n trailing zeros to drop.
        divisor: int = 10 ** min(-shift, len(digits))
        if -shift >= len(digits) or coefficient % divisor:
            raise ValueError(f"money amount {amount} has more than {MONEY_PLACES} decimal places")
        units = coefficient // divisor
    elif shift + len(digits) > MONEY_DIGITS:
        raise ValueError(f"money amount {amount} has more than {MONEY_DIGITS} digits")
    else:
        units = coefficient * 10**shift
    if units >= 10**MONEY_DIGITS:
        raise ValueError(f"money amount {amount} has more than {MONEY_DIGITS} digits")
    return -units if sign else units


def from_minor_units(units: int) -> Decimal:
    """Decimal with exactly two places for a count of minor units: 1234 is Decimal('12.34')."""
    return Decimal(int(units)).scaleb(-MONEY_PLACES)
