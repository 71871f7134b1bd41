"""Order details read back from a stored transaction's JSON text, and the receipt they make."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from strongroom.domain.customers import Address
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.ports import TransactionRecord
from strongroom.services.receipts.text import render_receipt
from strongroom.services.transactions.records import details_json
from strongroom.services.transactions.requests import (
    Charge,
    Customer,
    LineItem,
    OrderDetails,
    OtherTax,
    SubMerchant,
)
from strongroom.services.transactions.stored_orders import stored_order

ORDER = OrderDetails(
    invoice_number="INV-1",
    description="Herbs",
    po_number="PO-1",
    line_items=(LineItem("sku-1", "Thyme", "Dried", Decimal("2"), Decimal("4.50"), True),),
    tax=Charge(Decimal("1.25"), "State"),
    duty=Charge(Decimal("0.50")),
    shipping=Charge(Decimal("3.00"), "Ground", "3 days"),
    tax_exempt=False,
    customer=Customer("individual", "cust-1", "e@example.com"),
    bill_to=Address(first_name="Ellen", last_name="Johnson", zip="44628"),
    ship_to=Address(first_name="China", city="Pecan Springs"),
    surcharge=Charge(Decimal("0.75"), "Card fee", "2%"),
    tip=Charge(Decimal("2.00")),
    other_tax=OtherTax(Decimal("1.10"), Decimal("0.20"), None, "ALT-7", Decimal("0.20000"), Decimal("2.00")),
    ship_from=Address(company="Thyme", zip="44628", country="US"),
    merchant_descriptor="HERBS*PECAN",
    sub_merchant=SubMerchant("SM-1", doing_business_as="Thyme for Herbs", country_code="US"),
    user_fields=(("table", "12"), ("server", "Ana")),
)


def record(details: str, **overrides: object) -> TransactionRecord:
    values: dict[str, object] = {
        "ref": "60000000001",
        "merchant_key": 1,
        "kind": TransactionKind.CHARGE,
        "status": TransactionStatus.CAPTURED_PENDING_SETTLEMENT,
        "amount": Decimal("12.25"),
        "currency": "USD",
        "settle_amount": Decimal("12.25"),
        "refunded": Decimal("0.00"),
        "response_code": 1,
        "reason_code": 1,
        "auth_code": "ABC123",
        "avs_result": "Y",
        "card_code_result": "M",
        "cavv_result": "",
        "payment_method": "card",
        "account_last4": "1111",
        "account_type": "Visa",
        "fingerprint": "f",
        "duplicate_key": "d",
        "submitted_at": datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC),
        "invoice_number": "INV-1",
        "description": "Herbs",
        "po_number": "PO-1",
        "details_json": details,
    }
    values.update(overrides)
    return TransactionRecord(**values)  # type: ignore[arg-type]


def test_the_stored_order_is_the_submitted_one() -> None:
    assert stored_order(record(details_json(ORDER, expiry="2035-12"))) == ORDER


def test_amounts_keep_their_places() -> None:
    back = stored_order(record(details_json(ORDER)))
    assert back.other_tax is not None
    assert str(back.other_tax.vat_tax_rate) == "0.20000"
    assert back.tip is not None
    assert str(back.tip.amount) == "2.00"


def test_unreadable_details_leave_only_the_columns() -> None:
    for details in (
        "",
        "not json",
        "[1, 2]",
        '{"tax": {"amount": "x"}, "bill_to": {}}',
        '{"surcharge": 5, "tip": {"amount": null}, "other_tax": {"x": 1}, '
        '"ship_from": [], "merchant_descriptor": 7, "sub_merchant": {"city": "X"}}',
        '{"user_fields": [["only a name"], [1, 2], "text"]}',
    ):
        assert stored_order(record(details)) == OrderDetails("INV-1", "Herbs", "PO-1")


def test_a_receipt_shows_the_order_masked() -> None:
    text = render_receipt("Herb shop", record(details_json(ORDER)), ORDER, "Hello", "Bye")
    assert text.subject == "Transaction Receipt from Herb shop for 12.25 (USD)"
    lines = text.body.splitlines()
    assert lines[0] == "Hello"
    assert lines[-1] == "Bye"
    for expected in (
        "Date/Time           : 2030-01-02 03:04:05 UTC",
        "  sku-1 Thyme  2 x 4.50",
        "Tax                 : 1.25",
        "Duty                : 0.50",
        "Shipping            : 3.00",
        "Authorization Code  : ABC123",
        "Payment Method      : Visa XXXX1111",
        "Name                : Ellen Johnson",
        "City/State/Zip      : Pecan Springs",
    ):
        assert expected in lines, expected


def test_only_the_merchant_copy_lists_the_user_fields() -> None:
    stored = record(details_json(ORDER))
    customer = render_receipt("Herb shop", stored, ORDER).body
    merchant = render_receipt("Herb shop", stored, ORDER, merchant_copy=True).body
    assert "table" not in customer
    assert (
        "MERCHANT-DEFINED FIELDS\n" + "=" * 40 + "\ntable               : 12\n"
        "server              : Ana\n" in merchant
    )
    assert merchant.startswith(customer.rstrip())


def test_a_captured_authorization_receipt_shows_the_captured_amount() -> None:
    captured = record(
        details_json(ORDER),
        kind=TransactionKind.AUTHORIZATION,
        amount=Decimal("12.25"),
        settle_amount=Decimal("10.00"),
    )
    pending = replace(
        captured, status=TransactionStatus.AUTHORIZED_PENDING_CAPTURE, settle_amount=Decimal("0.00")
    )
    text = render_receipt("Herb shop", captured, ORDER)
    assert text.subject == "Transaction Receipt from Herb shop for 10.00 (USD)"
    assert "Transaction Type    : Prior Authorization Capture" in text.body
    assert "Total               : 10.00 (USD)" in text.body
    authorized = render_receipt("Herb shop", pending, ORDER).body
    assert "Transaction Type    : Authorization Only" in authorized
    assert "Total               : 12.25 (USD)" in authorized
