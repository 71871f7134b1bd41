"""Money: decimals with two places, never floats; bad amounts are refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from strongroom.domain.errors import InvalidField
from strongroom.domain.money import Money, is_valid_amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12.23", Decimal("12.23")),
        ("1234.0", Decimal("1234.00")),
        ("12.5", Decimal("12.50")),
        ("0", Decimal("0.00")),
        (" 7 ", Decimal("7.00")),
        ("1" * 29, Decimal("1" * 29)),
        ("1" * 27 + ".5", Decimal("1" * 27 + ".50")),
        ("1e3", Decimal("1000.00")),
    ],
)
def test_parse(text: str, amount: Decimal) -> None:
    money = Money.parse(text)
    assert money.amount == amount
    assert money.currency == "USD"
    assert str(money) == f"{amount:.2f}"


@pytest.mark.parametrize(
    "text",
    [
        "-1",
        "abc",
        "1.234",
        "NaN",
        "-NaN",
        "sNaN",
        "Infinity",
        "-inf",
        "",
        "1e300",
        "1e999999999",
        "1" * 4301,
        "1e-999999999",
        "0." + "0" * 5000 + "1",
        "\x00",
        "1\x001",
    ],
)
def test_refused(text: str) -> None:
    with pytest.raises(InvalidField):
        Money.parse(text)


def test_validity_of_huge_and_tiny_decimals_never_signals() -> None:
    assert is_valid_amount(Decimal("1" * 27))
    assert not is_valid_amount(Decimal("1e300"))
    assert not is_valid_amount(Decimal("1e-300"))
    assert not is_valid_amount(Decimal("sNaN"))


def test_minor_units_and_rounding() -> None:
    assert Money.of("10.005").amount == Decimal("10.01")
    assert Money.of(3).minor_units() == 300
    assert Money.parse("9999999999999.99").minor_units() == 999999999999999
