"""Cardholder authentication: which indicator, cryptogram and card brand go together, what the
indicator establishes, and the reason code of each refusal."""

from __future__ import annotations

import pytest

from strongroom.domain.card_authentication import Assurance, CardholderAuthentication, check
from strongroom.domain.instruments import CardBrand
from strongroom.domain.sensitive import Secret
from strongroom.domain.transactions import Reason, Refusal

BASE64_CAVV = "AAABCZIhcQAAAABZlyFxAAAAAAA="
UNPADDED_AAV = "kAABApFSYyd4l2eQQFJjAAAAAAAA"  # 21 bytes: 28 characters without padding
HEX_CAVV = "0700010A2B3C4D5E6F708192A3B4C5D6E7F80912"
VISA, MASTERCARD = CardBrand.VISA, CardBrand.MASTERCARD


def auth(indicator: str, value: str = BASE64_CAVV) -> CardholderAuthentication:
    return CardholderAuthentication(indicator, Secret(value))


@pytest.mark.parametrize(
    ("brand", "indicator", "value", "assurance"),
    [
        (VISA, "05", BASE64_CAVV, Assurance.AUTHENTICATED),
        (VISA, "5", HEX_CAVV, Assurance.AUTHENTICATED),
        (VISA, "06", BASE64_CAVV, Assurance.ATTEMPTED),
        (VISA, "07", "", Assurance.NOT_AUTHENTICATED),
        (MASTERCARD, "2", BASE64_CAVV, Assurance.AUTHENTICATED),
        (MASTERCARD, "02", HEX_CAVV.lower(), Assurance.AUTHENTICATED),
        (MASTERCARD, "1", BASE64_CAVV, Assurance.ATTEMPTED),
        (MASTERCARD, "0", "", Assurance.NOT_AUTHENTICATED),
        (MASTERCARD, " 1 ", "  " + BASE64_CAVV + " ", Assurance.ATTEMPTED),
    ],
)
def test_what_an_indicator_establishes(
    brand: CardBrand, indicator: str, value: str, assurance: Assurance
) -> None:
    assert check(auth(indicator, value), brand) is assurance


@pytest.mark.parametrize(
    ("brand", "indicator", "value", "reason"),
    [
        (VISA, "", BASE64_CAVV, Reason.AUTHENTICATION_INDICATOR_INVALID),
        (VISA, "5a", BASE64_CAVV, Reason.AUTHENTICATION_INDICATOR_INVALID),
        (VISA, "105", BASE64_CAVV, Reason.AUTHENTICATION_INDICATOR_INVALID),
        (VISA, "09", BASE64_CAVV, Reason.AUTHENTICATION_INDICATOR_INVALID),
        (VISA, "05", BASE64_CAVV[:-2], Reason.AUTHENTICATION_VALUE_INVALID),
        (VISA, "05", BASE64_CAVV + "A", Reason.AUTHENTICATION_VALUE_INVALID),
        (VISA, "05", HEX_CAVV[:-1] + "G", Reason.AUTHENTICATION_VALUE_INVALID),
        (VISA, "05", "not a cryptogram at all, no!!", Reason.AUTHENTICATION_VALUE_INVALID),
        (VISA, "05", "", Reason.AUTHENTICATION_VALUE_INVALID),
        (MASTERCARD, "1", "", Reason.AUTHENTICATION_VALUE_INVALID),
        (VISA, "02", BASE64_CAVV, Reason.AUTHENTICATION_COMBINATION_INVALID),
        (MASTERCARD, "05", BASE64_CAVV, Reason.AUTHENTICATION_COMBINATION_INVALID),
        (CardBrand.AMEX, "05", BASE64_CAVV, Reason.AUTHENTICATION_COMBINATION_INVALID),
        (CardBrand.DISCOVER, "2", BASE64_CAVV, Reason.AUTHENTICATION_COMBINATION_INVALID),
        (VISA, "07", BASE64_CAVV, Reason.AUTHENTICATION_COMBINATION_INVALID),
        (MASTERCARD, "0", HEX_CAVV, Reason.AUTHENTICATION_COMBINATION_INVALID),
    ],
)
def test_refusals_carry_their_reason(brand: CardBrand, indicator: str, value: str, reason: int) -> None:
    refusal = check(auth(indicator, value), brand)
    assert isinstance(refusal, Refusal)
    assert refusal.reason_code == reason
    assert value.strip() == "" or value not in refusal.message


def test_an_unpadded_28_character_cryptogram_is_accepted() -> None:
    assert len(UNPADDED_AAV) == len(BASE64_CAVV) == 28
    assert check(auth("2", UNPADDED_AAV), MASTERCARD) is Assurance.AUTHENTICATED


def test_recurring_transactions_cannot_carry_authentication() -> None:
    refusal = check(auth("05"), VISA, recurring=True)
    assert isinstance(refusal, Refusal)
    assert refusal.reason_code == Reason.AUTHENTICATION_WITH_RECURRING == 119


def test_the_reason_codes_are_the_protocol_numbers() -> None:
    assert (
        Reason.AUTHENTICATION_INDICATOR_INVALID,
        Reason.AUTHENTICATION_VALUE_INVALID,
        Reason.AUTHENTICATION_COMBINATION_INVALID,
    ) == (116, 117, 118)


def test_the_cryptogram_never_shows() -> None:
    value = auth("05")
    assert BASE64_CAVV not in repr(value)
    assert BASE64_CAVV not in str(value)
