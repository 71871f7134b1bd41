"""Charges with cardholder authentication (3-D Secure done elsewhere): the processor gets the
cryptogram, the CAVV result is stored, the indicator is kept and the cryptogram never is;
invalid combinations are refused before the processor; other kinds and bank accounts ignore it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from strongroom.domain.card_authentication import CardholderAuthentication
from strongroom.domain.sensitive import Secret
from strongroom.domain.transactions import TransactionKind
from strongroom.services.transactions.requests import Settings
from tests.integration.payments.conftest import (
    AMEX,
    DECLINE_ZIP,
    MASTERCARD,
    Gateway,
    bank,
    card,
    charge,
)

CAVV = "AAABCZIhcQAAAABZlyFxAAAAAAA="


def authenticated(indicator: str = "05", value: str = CAVV) -> CardholderAuthentication:
    return CardholderAuthentication(indicator, Secret(value))


@pytest.mark.parametrize(
    ("kind", "number", "indicator", "letter"),
    [
        (TransactionKind.CHARGE, "4111111111111111", "05", "2"),
        (TransactionKind.AUTHORIZATION, "4111111111111111", "06", "8"),
        (TransactionKind.CHARGE, MASTERCARD, "2", "2"),
        (TransactionKind.AUTHORIZATION, MASTERCARD, "1", "8"),
    ],
)
def test_the_cavv_result_is_answered_and_stored(
    gateway: Gateway, kind: TransactionKind, number: str, indicator: str, letter: str
) -> None:
    record = gateway.approved(
        charge("10.00", card(number), kind, cardholder_authentication=authenticated(indicator))
    )

    sent = gateway.processor.authorizations[-1].cardholder_authentication
    assert sent == authenticated(indicator)
    assert gateway.stored(record.ref).cavv_result == letter
    details = json.loads(gateway.stored(record.ref).details_json)
    assert details["authentication_indicator"] == indicator


def test_the_cryptogram_is_not_stored(gateway: Gateway) -> None:
    gateway.approved(charge(cardholder_authentication=authenticated()))
    with gateway.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM transactions")).all()
    assert rows
    assert all(CAVV not in str(value) for row in rows for value in row)


def test_a_declined_charge_keeps_its_cavv_result(gateway: Gateway) -> None:
    result = gateway.charge(charge(zip_code=DECLINE_ZIP, cardholder_authentication=authenticated()))
    assert result.response_code == 2
    assert result.record is not None
    assert gateway.stored(result.record.ref).cavv_result == "2"


def test_a_profile_card_can_be_authenticated(gateway: Gateway) -> None:
    source = gateway.profile(card(MASTERCARD))
    record = gateway.approved(charge(source=source, cardholder_authentication=authenticated("02")))
    assert record.cavv_result == "2"


@pytest.mark.parametrize(
    ("number", "authentication", "reason"),
    [
        ("4111111111111111", authenticated("9"), 116),
        ("4111111111111111", authenticated("05", "not-a-cryptogram"), 117),
        ("4111111111111111", authenticated("05", ""), 117),
        ("4111111111111111", authenticated("2"), 118),
        (AMEX, authenticated("05"), 118),
        ("4111111111111111", authenticated("07"), 118),
    ],
)
def test_invalid_combinations_are_refused_before_the_processor(
    gateway: Gateway, number: str, authentication: CardholderAuthentication, reason: int
) -> None:
    result = gateway.charge(
        charge(
            "10.00",
            card(number, code="1234" if number == AMEX else None),
            cardholder_authentication=authentication,
        )
    )

    assert (result.response_code, result.reason_code, result.record) == (3, reason, None)
    assert gateway.processor.authorizations == []
    assert gateway.count() == 0


def test_a_recurring_charge_cannot_carry_authentication(gateway: Gateway) -> None:
    result = gateway.charge(
        charge(
            settings=Settings(duplicate_window=0, recurring_billing=True),
            cardholder_authentication=authenticated(),
        )
    )
    assert (result.response_code, result.reason_code) == (3, 119)


def test_capture_only_ignores_authentication(gateway: Gateway) -> None:
    record = gateway.approved(
        charge(
            kind=TransactionKind.CAPTURE_ONLY,
            auth_code="AB12C",
            cardholder_authentication=authenticated("9", "x"),
        )
    )
    assert gateway.processor.authorizations[-1].cardholder_authentication is None
    assert record.cavv_result == ""
    assert "authentication_indicator" not in json.loads(record.details_json)


def test_a_bank_account_ignores_authentication(gateway: Gateway) -> None:
    record = gateway.approved(charge(source=bank(), cardholder_authentication=authenticated("9", "x")))
    assert gateway.processor.authorizations[-1].cardholder_authentication is None
    assert record.cavv_result == ""


def test_without_authentication_there_is_no_cavv_result(gateway: Gateway) -> None:
    record = gateway.approved(charge())
    assert gateway.processor.authorizations[-1].cardholder_authentication is None
    assert record.cavv_result == ""
