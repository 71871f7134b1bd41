"""Cards and bank accounts: Luhn, brands, every documented expiry form, masking, routing checks."""

from __future__ import annotations

import pytest

from strongroom.domain.errors import FieldLength, InvalidField, MissingField
from strongroom.domain.instruments import (
    BankAccount,
    Card,
    CardBrand,
    YearMonth,
    card_brand,
    card_code_valid,
    is_masked,
    luhn_valid,
    parse_expiry,
)


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4111111111111111", CardBrand.VISA),
        ("4007000000027", CardBrand.VISA),
        ("4012888818888", CardBrand.VISA),
        ("5424000000000015", CardBrand.MASTERCARD),
        ("2223000010309703", CardBrand.MASTERCARD),
        ("370000000000002", CardBrand.AMEX),
        ("6011000000000012", CardBrand.DISCOVER),
        ("3088000000000017", CardBrand.JCB),
        ("38000000000006", CardBrand.DINERS),
        ("6221499053360818", CardBrand.UNIONPAY),
    ],
)
def test_sandbox_test_cards_parse_with_their_brand(number: str, brand: CardBrand) -> None:
    card = Card.parse(number, "2035-12")
    assert card.brand is brand
    assert card.last4 == number[-4:]
    assert card.masked_number == "XXXX" + number[-4:]
    assert card.issuer_number == number[:6]


@pytest.mark.parametrize(
    "number",
    [
        "4111111111111112",  # Luhn fails
        "411111111111",  # 12 digits
        "41111111111111111",  # 17 digits
        "4111-1111-1111-1111",
        "9111111111111111",  # unknown brand (Luhn-valid prefix 9 is not issued)
    ],
)
def test_invalid_card_numbers_are_refused(number: str) -> None:
    with pytest.raises(InvalidField) as refused:
        Card.parse(number, "2035-12")
    assert refused.value.field == "cardNumber"
    assert number not in str(refused.value)


def test_missing_card_number() -> None:
    with pytest.raises(MissingField):
        Card.parse("", "2035-12")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2035-12", YearMonth(2035, 12)),
        ("1235", YearMonth(2035, 12)),
        ("12/35", YearMonth(2035, 12)),
        ("12-35", YearMonth(2035, 12)),
        ("122035", YearMonth(2035, 12)),
        ("12/2035", YearMonth(2035, 12)),
        ("12-2035", YearMonth(2035, 12)),
        ("0845", YearMonth(2045, 8)),
    ],
)
def test_every_documented_expiry_form(text: str, expected: YearMonth) -> None:
    assert parse_expiry(text) == expected


@pytest.mark.parametrize("text", ["13/35", "2035-13", "00/35", "2035/12", "12.35", "XXXX", ""])
def test_bad_expiry_forms(text: str) -> None:
    with pytest.raises(InvalidField):
        parse_expiry(text)


def test_luhn_and_brand_helpers() -> None:
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")
    assert card_brand("5105105105105100") is CardBrand.MASTERCARD
    assert card_brand("1234567890123") is None


def test_card_codes() -> None:
    assert card_code_valid("123")
    assert card_code_valid("1234")
    assert not card_code_valid("12")
    assert not card_code_valid("12a")


def test_masked_values() -> None:
    assert is_masked("XXXX1111")
    assert is_masked("xxxx")
    assert not is_masked("4111111111111111")


def test_bank_account_rules() -> None:
    account = BankAccount.parse("121042882", "123456789", "John Doe")
    assert account.masked_account == "XXXX6789"
    assert account.masked_routing == "XXXX2882"
    assert "123456789" not in repr(account)
    with pytest.raises(InvalidField):
        BankAccount.parse("121042883", "123456789", "John Doe")  # checksum
    with pytest.raises(InvalidField):
        BankAccount.parse("12104288", "123456789", "John Doe")  # 8 digits
    with pytest.raises(FieldLength):
        BankAccount.parse("121042882", "1234", "John Doe")
    with pytest.raises(FieldLength):
        BankAccount.parse("121042882", "1" * 18, "John Doe")
    with pytest.raises(MissingField):
        BankAccount.parse("121042882", "123456789", "  ")


def test_card_repr_never_shows_the_number() -> None:
    card = Card.parse("4111111111111111", "2035-12")
    assert "4111111111111111" not in repr(card)
    assert "4111111111111111" not in str(card)
