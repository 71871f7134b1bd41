"""Money: decimals with two places, never floats; bad amounts are refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from strongroom.domain.errors import InvalidField
from strongroom.domain.money import Money


@pytest.mark.parametrize(("text", "amount"), [
    ("12.23", Decimal("12.23")),
    ("1234.0", Decimal("1234.00")),
    ("12.5", Decimal("12.50")),
    ("0", Decimal("0.00")),
    (" 7 ", Decimal("7.00")),
])
def test_parse(text: str, amount: Decimal) -> None:
    money = Money.parse(text)
    assert money.amount == amount
    assert money.currency == "USD"
    assert str(money) == f"{amount:.2f}"


@pytest.mark.parametrize("text", ["-1", "abc", "1.234", "NaN", "Infinity", ""])
def test_refused(text: str) -> None:
    with pytest.raises(InvalidField):
        Money.parse(text)


def test_minor_units_and_rounding() -> None:
    assert Money.of("10.005").amount == Decimal("10.01")
    assert Money.of(3).minor_units() == 300
    assert Money.parse("9999999999999.99").minor_units() == 999999999999999
