"""transactionRequest → the order's surcharge, tip, other taxes, ship-from address, merchant
descriptor, sub-merchant and cardholder authentication: decoded values, the schema's E00003
refusals, the door's own refusals of values the schema lets through, and which calls keep them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from strongroom.domain.customers import Address
from strongroom.domain.sensitive import Secret
from strongroom.services.transactions.requests import Charge, OrderDetails, OtherTax, SubMerchant
from strongroom.web.authnet.transactions import decode
from strongroom.web.authnet.wire.validation import SchemaViolation
from tests.unit.web.authnet.transactions.test_decode import Pairs, charge, charged, node, refused

CAVV = "AAABCZIhcQAAAABZlyFxAAAAAAA="
SUB_MERCHANT: Pairs = [
    ("identifier", "SM-1"),
    ("doingBusinessAs", "Thyme for Herbs"),
    ("paymentServiceProviderName", "Herb PSP"),
    ("paymentServiceFacilitator", "HPF-9"),
    ("streetAddress", "12 Main Street"),
    ("phone", "999-999-9999"),
    ("email", "herbs@example.com"),
    ("postalCode", "44628"),
    ("city", "Pecan Springs"),
    ("regionCode", "TX"),
    ("countryCode", "US"),
]
OTHER_TAX: Pairs = [
    ("nationalTaxAmount", "1.10"),
    ("localTaxAmount", "0.20"),
    ("alternateTaxAmount", "0.30"),
    ("alternateTaxId", "ALT-7"),
    ("vatTaxRate", "0.20000"),
    ("vatTaxAmount", "2.00"),
]
SHIP_FROM: Pairs = [
    ("firstName", "China"),
    ("lastName", "Bayles"),
    ("company", "Thyme"),
    ("address", "12 Main Street"),
    ("city", "Pecan Springs"),
    ("state", "TX"),
    ("zip", "44628"),
    ("country", "US"),
]


def everything(amount_text: str = "12.50") -> Any:
    """A charge with every extra, in schema order."""
    return charge(
        (
            "cardholderAuthentication",
            [("authenticationIndicator", "05"), ("cardholderAuthenticationValue", CAVV)],
        ),
        ("surcharge", [("amount", "0.75"), ("name", "Card fee"), ("description", "2%")]),
        ("merchantDescriptor", "HERBS*PECAN"),
        ("subMerchant", SUB_MERCHANT),
        ("tip", [("amount", "2.00"), ("name", "Tip")]),
        ("otherTax", OTHER_TAX),
        ("shipFrom", SHIP_FROM),
        amount=amount_text,
    )


def test_every_extra_is_decoded() -> None:
    request = charged(everything())
    order = request.order
    assert order.surcharge == Charge(Decimal("0.75"), "Card fee", "2%")
    assert order.tip == Charge(Decimal("2.00"), "Tip")
    assert order.other_tax == OtherTax(
        Decimal("1.10"), Decimal("0.20"), Decimal("0.30"), "ALT-7", Decimal("0.20000"), Decimal("2.00")
    )
    assert order.ship_from == Address(
        first_name="China",
        last_name="Bayles",
        company="Thyme",
        address="12 Main Street",
        city="Pecan Springs",
        state="TX",
        zip="44628",
        country="US",
    )
    assert order.merchant_descriptor == "HERBS*PECAN"
    assert order.sub_merchant == SubMerchant(
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
    authentication = request.cardholder_authentication
    assert authentication is not None
    assert authentication.indicator == "05"
    assert authentication.value == Secret(CAVV)
    assert CAVV not in repr(request)


def test_without_extras_nothing_is_set() -> None:
    request = charged(charge())
    assert request.cardholder_authentication is None
    order = request.order
    assert (
        order.surcharge,
        order.tip,
        order.other_tax,
        order.ship_from,
        order.merchant_descriptor,
        order.sub_merchant,
    ) == (None,) * 6


def test_empty_other_tax_and_ship_from_are_nothing() -> None:
    order = charged(charge(("otherTax", []), ("shipFrom", []))).order
    assert (order.other_tax, order.ship_from) == (None, None)


def test_a_url_encoded_cryptogram_is_decoded() -> None:
    request = charged(
        charge(
            (
                "cardholderAuthentication",
                [
                    ("authenticationIndicator", " 2 "),
                    ("cardholderAuthenticationValue", "AAABCZIhcQAAAABZlyFxAAAAAAA%3D"),
                ],
            )
        )
    )
    assert request.cardholder_authentication is not None
    assert request.cardholder_authentication.indicator == "2"
    assert request.cardholder_authentication.value == Secret(CAVV)


@pytest.mark.parametrize("type_", ["priorAuthCaptureTransaction", "refundTransaction"])
def test_follow_ups_keep_the_order_extras(type_: str) -> None:
    extras = (
        ("surcharge", [("amount", "0.75")]),
        ("tip", [("amount", "3.00")]),
        ("otherTax", [("localTaxAmount", "0.20")]),
    )
    if type_ == "refundTransaction":
        call = decode.call(
            charge(
                ("refTransId", "60163892435"),
                *extras,
                type_=type_,
                payment=[("creditCard", [("cardNumber", "1111"), ("expirationDate", "XXXX")])],
            )
        )
        assert isinstance(call, decode.RefundCall)
        order: OrderDetails = call.request.order
    else:
        call = decode.call(charge(("refTransId", "60163892435"), *extras, type_=type_, payment=None))
        assert isinstance(call, decode.CaptureCall)
        order = call.order
    assert (order.surcharge, order.tip) == (Charge(Decimal("0.75")), Charge(Decimal("3.00")))
    assert order.other_tax == OtherTax(local_tax_amount=Decimal("0.20"))


# ----------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (("surcharge", [("amount", "-0.01")]), "MinInclusive"),
        (("tip", [("amount", "1.23456")]), "FractionDigits"),
        (("tip", [("amount", "lots")]), "'lots'"),
        (("otherTax", [("alternateTaxId", "A" * 16)]), "actual length is greater"),
        (("otherTax", [("vatTaxRate", "123456")]), "TotalDigits"),
        (("subMerchant", [("doingBusinessAs", "x")]), "'doingBusinessAs'"),
        (("subMerchant", [("identifier", "I" * 41)]), "actual length is greater"),
        (("cardholderAuthentication", [("authenticationIndicator", "05")]), "cardholderAuthenticationValue"),
    ],
)
def test_what_the_schema_refuses_is_e00003(extra: tuple[str, Any], fragment: str) -> None:
    with pytest.raises(SchemaViolation) as caught:
        charge(extra)
    assert fragment in caught.value.text


def test_the_schema_never_echoes_a_cryptogram() -> None:
    with pytest.raises(SchemaViolation) as caught:
        node(
            ("transactionType", "authCaptureTransaction"),
            (
                "cardholderAuthentication",
                [("cardholderAuthenticationValue", CAVV), ("authenticationIndicator", "05")],
            ),
        )
    assert CAVV not in caught.value.text


@pytest.mark.parametrize(
    ("extra", "text"),
    [
        (
            ("surcharge", [("amount", "0.755")]),
            "surcharge amount must be an amount from 0.00 to 9999999999999.99 with at most two "
            "decimal places.",
        ),
        (
            ("tip", [("amount", "10000000000000.00")]),
            "tip amount must be an amount from 0.00 to 9999999999999.99 with at most two decimal places.",
        ),
        (
            ("otherTax", [("nationalTaxAmount", "-1.00")]),
            "otherTax nationalTaxAmount must be an amount from 0.00 to 9999999999999.99 with at most "
            "two decimal places.",
        ),
        (
            ("otherTax", [("vatTaxAmount", "0.001")]),
            "otherTax vatTaxAmount must be an amount from 0.00 to 9999999999999.99 with at most two "
            "decimal places.",
        ),
        (("otherTax", [("vatTaxRate", "-0.2")]), "otherTax vatTaxRate must not be negative."),
    ],
)
def test_amounts_must_be_money(extra: tuple[str, Any], text: str) -> None:
    refusal = refused(charge(extra))
    assert (refusal.reason_code, refusal.text) == (290, text)


def test_a_blank_sub_merchant_identifier_is_reason_33() -> None:
    refusal = refused(charge(("subMerchant", [("identifier", "  ")])))
    assert (refusal.reason_code, refusal.text) == (33, "subMerchant identifier cannot be left blank.")


def test_amounts_at_the_limits_are_accepted() -> None:
    order = charged(
        charge(
            ("surcharge", [("amount", "0")]),
            ("tip", [("amount", "9999999999999.99")]),
            ("otherTax", [("vatTaxRate", "0"), ("vatTaxAmount", "0.00")]),
        )
    ).order
    assert order.surcharge == Charge(Decimal("0"))
    assert order.tip == Charge(Decimal("9999999999999.99"))
    assert order.other_tax == OtherTax(vat_tax_rate=Decimal("0"), vat_tax_amount=Decimal("0.00"))
