"""createTransactionRequest's surcharge, tip, otherTax, shipFrom, subMerchant, merchantDescriptor
and cardholderAuthentication through the official SDK (and raw XML/JSON where the SDK cannot
go): what is stored with the transaction, the CAVV result, and the refusals of bad values."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from authorizenet import apicontractsv1 as contracts

from strongroom.domain.customers import Address
from strongroom.services.transactions.requests import Charge, OtherTax, SubMerchant
from strongroom.services.transactions.stored_orders import stored_order
from tests.api.builders import AMEX, EXPIRY, MASTERCARD, VISA, card, text
from tests.api.live_server import LiveServer
from tests.api.raw import call, envelope, post
from tests.api.sdk import ApiMerchant
from tests.api.stored_rows import transaction_row
from tests.api.transactions.test_create_transaction import (
    AUTH_CAPTURE,
    AUTH_ONLY,
    CAPTURE_ONLY,
    PRIOR_AUTH_CAPTURE,
    Gateway,
    approved,
    refused,
    trans_id,
    transaction,
)

CAVV = "AAABCZIhcQAAAABZlyFxAAAAAAA="
SHIP_FROM = {
    "firstName": "China",
    "lastName": "Bayles",
    "company": "Thyme for Herbs",
    "address": "12 Main Street",
    "city": "Pecan Springs",
    "state": "TX",
    "zip": "44628",
    "country": "US",
}
SUB_MERCHANT = {
    "identifier": "SM-1",
    "doingBusinessAs": "Thyme for Herbs",
    "paymentServiceProviderName": "Herb PSP",
    "paymentServiceFacilitator": "HPF-9",
    "streetAddress": "12 Main Street",
    "phone": "999-999-9999",
    "email": "herbs@example.com",
    "postalCode": "44628",
    "city": "Pecan Springs",
    "regionCode": "TX",
    "countryCode": "US",
}
OTHER_TAX = {
    "nationalTaxAmount": "1.10",
    "localTaxAmount": "0.20",
    "alternateTaxAmount": "0.30",
    "alternateTaxId": "ALT-7",
    "vatTaxRate": "0.2",
    "vatTaxAmount": "2.00",
}
EXPECTED_SUB_MERCHANT = SubMerchant(
    "SM-1",
    "Thyme for Herbs",
    "Herb PSP",
    "HPF-9",
    "12 Main Street",
    "999-999-9999",
    "herbs@example.com",
    "44628",
    "Pecan Springs",
    "TX",
    "US",
)
EXPECTED_OTHER_TAX = OtherTax(
    Decimal("1.10"), Decimal("0.20"), Decimal("0.30"), "ALT-7", Decimal("0.2"), Decimal("2.00")
)
EXPECTED_SHIP_FROM = Address(
    first_name="China",
    last_name="Bayles",
    company="Thyme for Herbs",
    address="12 Main Street",
    city="Pecan Springs",
    state="TX",
    zip="44628",
    country="US",
)


@pytest.fixture
def gateway(server: LiveServer, merchant: ApiMerchant) -> Gateway:
    return Gateway(server, merchant)


def contract(kind: Any, values: dict[str, str]) -> Any:
    item = kind()
    for name, value in values.items():
        setattr(item, name, value)
    return item


def amount_of(value: str, name: str | None = None, description: str | None = None) -> Any:
    item = contracts.extendedAmountType()
    item.amount = value
    if name is not None:
        item.name = name
    if description is not None:
        item.description = description
    return item


def authentication(indicator: str = "05", value: str = CAVV) -> Any:
    return contract(
        contracts.ccAuthenticationType,
        {"authenticationIndicator": indicator, "cardholderAuthenticationValue": value},
    )


def with_extras(item: Any, *, cavv: Any = None) -> Any:
    """`item` with every extra set (the SDK writes them in schema order)."""
    item.cardholderAuthentication = cavv if cavv is not None else authentication()
    item.surcharge = amount_of("0.75", "Card fee", "2% of the total")
    item.merchantDescriptor = "HERBS*PECAN SPRINGS"
    item.subMerchant = contract(contracts.subMerchantType, SUB_MERCHANT)
    item.tip = amount_of("2.00", "Tip")
    item.otherTax = contract(contracts.otherTaxType, OTHER_TAX)
    item.shipFrom = contract(contracts.nameAndAddressType, SHIP_FROM)
    return item


# ----------------------------------------------------------------------------- stored


def test_every_extra_is_stored_with_the_transaction(gateway: Gateway) -> None:
    answer = gateway.approved(with_extras(transaction(AUTH_CAPTURE, "30.00", card(VISA))))
    assert text(answer, "cavvResultCode") == "2"
    ref = trans_id(answer)

    row = transaction_row(gateway.server, gateway.merchant, ref)
    order = stored_order(row)
    assert order.surcharge == Charge(Decimal("0.75"), "Card fee", "2% of the total")
    assert order.tip == Charge(Decimal("2.00"), "Tip")
    assert order.other_tax == EXPECTED_OTHER_TAX
    assert order.ship_from == EXPECTED_SHIP_FROM
    assert order.merchant_descriptor == "HERBS*PECAN SPRINGS"
    assert order.sub_merchant == EXPECTED_SUB_MERCHANT
    assert row.cavv_result == "2"
    assert json.loads(row.details_json)["authentication_indicator"] == "05"
    assert CAVV not in row.details_json
    assert row.amount == Decimal("30.00")  # surcharge and tip are inside the amount


def test_a_tip_given_at_capture_joins_the_stored_extras(gateway: Gateway) -> None:
    item = transaction(AUTH_ONLY, "40.00", card(MASTERCARD))
    item.surcharge = amount_of("1.00")
    ref = trans_id(gateway.approved(item))

    capture = transaction(PRIOR_AUTH_CAPTURE, "40.00", ref=ref)
    capture.tip = amount_of("6.00", "Tip")
    gateway.approved(capture)

    order = stored_order(transaction_row(gateway.server, gateway.merchant, ref))
    assert (order.surcharge, order.tip) == (Charge(Decimal("1.00")), Charge(Decimal("6.00"), "Tip"))


def test_json_extras_are_stored_too(server: LiveServer, merchant: ApiMerchant) -> None:
    request = {
        "createTransactionRequest": {
            "merchantAuthentication": {"name": merchant.login_id, "transactionKey": merchant.transaction_key},
            "transactionRequest": {
                "transactionType": AUTH_CAPTURE,
                "amount": 20,
                "payment": {"creditCard": {"cardNumber": MASTERCARD, "expirationDate": EXPIRY}},
                "cardholderAuthentication": {
                    "authenticationIndicator": 1,
                    "cardholderAuthenticationValue": "AAABCZIhcQAAAABZlyFxAAAAAAA%3D",
                },
                "surcharge": {"amount": 0.5},
                "merchantDescriptor": "HERBS",
                "subMerchant": {"identifier": "SM-2"},
                "tip": {"amount": 3},
                "otherTax": {"vatTaxRate": 0.2, "vatTaxAmount": 1.5},
                "shipFrom": {"zip": "44628", "country": "US"},
            },
        }
    }
    document = post(server, json.dumps(request).encode(), "application/json").json()

    answer = document["transactionResponse"]
    assert answer["responseCode"] == "1"
    assert answer["cavvResultCode"] == "8"
    order = stored_order(transaction_row(server, merchant, answer["transId"]))
    assert (order.surcharge, order.tip) == (Charge(Decimal("0.5")), Charge(Decimal("3")))
    assert order.other_tax == OtherTax(vat_tax_rate=Decimal("0.2"), vat_tax_amount=Decimal("1.5"))
    assert order.ship_from == Address(zip="44628", country="US")
    assert (order.merchant_descriptor, order.sub_merchant) == ("HERBS", SubMerchant("SM-2"))


# ----------------------------------------------------------------------------- CAVV


@pytest.mark.parametrize(
    ("kind", "number", "indicator", "letter"),
    [
        (AUTH_CAPTURE, VISA, "05", "2"),
        (AUTH_ONLY, VISA, "06", "8"),
        (AUTH_CAPTURE, MASTERCARD, "2", "2"),
        (AUTH_ONLY, MASTERCARD, "1", "8"),
    ],
)
def test_a_cryptogram_gets_a_cavv_result(
    gateway: Gateway, kind: str, number: str, indicator: str, letter: str
) -> None:
    item = transaction(kind, "10.00", card(number))
    item.cardholderAuthentication = authentication(indicator)
    answer = gateway.approved(item)
    assert text(answer, "cavvResultCode") == letter
    assert transaction_row(gateway.server, gateway.merchant, trans_id(answer)).cavv_result == (letter)


def test_no_cryptogram_no_cavv_result(gateway: Gateway) -> None:
    item = transaction(AUTH_CAPTURE, "10.00", card(VISA))
    item.cardholderAuthentication = authentication("07", "")
    assert text(gateway.approved(item), "cavvResultCode") == ""


@pytest.mark.parametrize(
    ("number", "indicator", "value", "reason", "error_text"),
    [
        (VISA, "9", CAVV, "116", "The authentication indicator is invalid."),
        (VISA, "05", "not-a-cryptogram", "117", "The cardholder authentication value is invalid."),
        (
            MASTERCARD,
            "05",
            CAVV,
            "118",
            "The combination of card type, authentication indicator "
            "and cardholder authentication value is invalid.",
        ),
        (
            AMEX,
            "05",
            CAVV,
            "118",
            "The combination of card type, authentication indicator and "
            "cardholder authentication value is invalid.",
        ),
    ],
)
def test_invalid_authentication_is_refused(
    gateway: Gateway, number: str, indicator: str, value: str, reason: str, error_text: str
) -> None:
    item = transaction(AUTH_CAPTURE, "10.00", card(number))
    item.cardholderAuthentication = authentication(indicator, value)
    _, answered = refused(gateway.send(item), reason)
    assert answered == error_text


def test_a_recurring_charge_cannot_carry_authentication(gateway: Gateway) -> None:
    item = transaction(AUTH_CAPTURE, "10.00", card(VISA), settings={"recurringBilling": "true"})
    item.cardholderAuthentication = authentication()
    _, answered = refused(gateway.send(item), "119")
    assert answered == ("Transactions having cardholder authentication values cannot be marked as recurring.")


def test_capture_only_ignores_authentication(gateway: Gateway) -> None:
    item = transaction(CAPTURE_ONLY, "10.00", card(VISA), auth_code="AB12C")
    item.cardholderAuthentication = authentication("9", "x")
    assert text(gateway.approved(item), "cavvResultCode") == ""


# ----------------------------------------------------------------------------- bad values


@pytest.mark.parametrize(
    ("field", "value", "error_text"),
    [
        (
            "tip",
            "1.234",
            "tip amount must be an amount from 0.00 to 9999999999999.99 with at most two decimal places.",
        ),
        (
            "surcharge",
            "0.0001",
            "surcharge amount must be an amount from 0.00 to 9999999999999.99 "
            "with at most two decimal places.",
        ),
    ],
)
def test_amounts_with_fractions_of_a_cent_are_refused(
    gateway: Gateway, field: str, value: str, error_text: str
) -> None:
    item = transaction(AUTH_CAPTURE, "10.00", card())
    setattr(item, field, amount_of(value))
    _, answered = refused(gateway.send(item), "290")
    assert answered == error_text


def test_a_negative_other_tax_is_refused(gateway: Gateway) -> None:
    item = transaction(AUTH_CAPTURE, "10.00", card())
    item.otherTax = contract(contracts.otherTaxType, {"localTaxAmount": "-0.50"})
    _, answered = refused(gateway.send(item), "290")
    assert answered.startswith("otherTax localTaxAmount must be an amount from 0.00")


def test_a_blank_sub_merchant_identifier_is_refused(gateway: Gateway) -> None:
    item = transaction(AUTH_CAPTURE, "10.00", card())
    item.subMerchant = contract(contracts.subMerchantType, {"identifier": " "})
    _, answered = refused(gateway.send(item), "33")
    assert answered == "subMerchant identifier cannot be left blank."


def _raw(merchant: ApiMerchant, *extra: tuple[str, Any]) -> Any:
    return envelope(
        merchant,
        (
            "transactionRequest",
            [
                ("transactionType", AUTH_CAPTURE),
                ("amount", "5.00"),
                ("payment", [("creditCard", [("cardNumber", VISA), ("expirationDate", EXPIRY)])]),
                *extra,
            ],
        ),
    )


@pytest.mark.parametrize("dialect", ["xml", "json"])
@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (("surcharge", [("amount", "-1.00")]), "The MinInclusive constraint failed."),
        (("tip", [("amount", "1.00001")]), "The FractionDigits constraint failed."),
        (("subMerchant", [("identifier", "I" * 41)]), "xsd:identifier' element is invalid"),
        (("otherTax", [("alternateTaxId", "A" * 16)]), "xsd:alternateTaxId' element is invalid"),
        (("cardholderAuthentication", [("authenticationIndicator", "05")]), "cardholderAuthentication"),
    ],
)
def test_what_the_schema_refuses_is_e00003(
    server: LiveServer, merchant: ApiMerchant, dialect: str, extra: tuple[str, Any], fragment: str
) -> None:
    code, message = call(server, dialect, "createTransactionRequest", _raw(merchant, extra)).error()
    assert code == "E00003"
    assert fragment in message
    assert transaction_free(server, merchant)


def transaction_free(server: LiveServer, merchant: ApiMerchant) -> bool:
    """Nothing was charged: the merchant's first transaction is still to come."""
    answer = approved(Gateway(server, merchant).send(transaction(AUTH_CAPTURE, "5.01", card())))
    return transaction_row(server, merchant, trans_id(answer)).amount == Decimal("5.01")
