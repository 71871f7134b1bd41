"""The receipt text: subject, the sections shown only when they hold something, the captured
amount of a captured authorisation, masked numbers, and user fields on the merchant's copy only."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from strongroom.domain.customers import Address
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.ports import TransactionRecord
from strongroom.services.receipts.text import render_receipt
from strongroom.services.transactions.requests import Charge, LineItem, OrderDetails

NOW = datetime(2026, 11, 23, 14, 5, 9, tzinfo=UTC)
RECORD = TransactionRecord(
    ref="60000000042",
    merchant_key=1,
    kind=TransactionKind.CHARGE,
    status=TransactionStatus.CAPTURED_PENDING_SETTLEMENT,
    amount=Decimal("25.00"),
    currency="USD",
    settle_amount=Decimal("25.00"),
    refunded=Decimal("0.00"),
    response_code=1,
    reason_code=1,
    auth_code="ABC123",
    avs_result="Y",
    card_code_result="M",
    cavv_result="",
    payment_method="card",
    account_last4="1111",
    account_type="Visa",
    fingerprint="fp",
    duplicate_key="dup",
    submitted_at=NOW,
)


def test_a_bare_charge_shows_order_amounts_and_results() -> None:
    receipt = render_receipt("Thyme for Herbs", RECORD, OrderDetails())
    assert receipt.subject == "Transaction Receipt from Thyme for Herbs for 25.00 (USD)"
    rule = "=" * 40
    assert receipt.body == "\n".join(
        [
            rule,
            "ORDER INFORMATION",
            rule,
            "Merchant            : Thyme for Herbs",
            "Date/Time           : 2026-11-23 14:05:09 UTC",
            "",
            rule,
            "AMOUNTS",
            rule,
            "Total               : 25.00 (USD)",
            "",
            rule,
            "RESULTS",
            rule,
            "Response            : This transaction has been approved.",
            "Authorization Code  : ABC123",
            "Transaction ID      : 60000000042",
            "Transaction Type    : Purchase",
            "Payment Method      : Visa XXXX1111",
            "",
        ]
    )
    assert "4111" not in receipt.body


def test_order_details_line_items_addresses_header_and_footer_are_shown() -> None:
    order = OrderDetails(
        invoice_number="INV-1",
        line_items=(LineItem("SKU-1", "Basil", None, Decimal("2"), Decimal("5.00")),),
        tax=Charge(Decimal("1.50")),
        shipping=Charge(Decimal("3.50")),
        bill_to=Address(first_name="Pat", last_name="Doe", city="Austin", state="TX", zip="78701"),
        ship_to=Address(company="Doe Co"),
        user_fields=(("color", "green"),),
    )
    body = render_receipt("Shop", RECORD, order, "  Thanks!  ", " Come again. ").body
    assert body.startswith("Thanks!\n\n")
    assert body.endswith("\nCome again.\n")
    for line in [
        "Invoice Number      : INV-1",
        "  SKU-1 Basil  2 x 5.00",
        "Tax                 : 1.50",
        "Shipping            : 3.50",
        "BILLING INFORMATION",
        "Name                : Pat Doe",
        "City/State/Zip      : Austin TX 78701",
        "SHIPPING INFORMATION",
        "Company             : Doe Co",
    ]:
        assert line in body.splitlines()
    assert "Duty" not in body
    assert "MERCHANT-DEFINED FIELDS" not in body
    merchant_copy = render_receipt("Shop", RECORD, order, merchant_copy=True).body
    assert "MERCHANT-DEFINED FIELDS" in merchant_copy
    assert "color               : green" in merchant_copy.splitlines()


@pytest.mark.parametrize(
    ("status", "kind_name", "total"),
    [
        (TransactionStatus.CAPTURED_PENDING_SETTLEMENT, "Prior Authorization Capture", "18.00 (USD)"),
        (TransactionStatus.SETTLED, "Prior Authorization Capture", "18.00 (USD)"),
        (TransactionStatus.AUTHORIZED_PENDING_CAPTURE, "Authorization Only", "25.00 (USD)"),
    ],
)
def test_a_captured_authorisation_shows_the_amount_captured(
    status: TransactionStatus, kind_name: str, total: str
) -> None:
    record = replace(
        RECORD, kind=TransactionKind.AUTHORIZATION, status=status, settle_amount=Decimal("18.00")
    )
    receipt = render_receipt("Shop", record, OrderDetails())
    assert receipt.subject.endswith(f"for {total}")
    assert f"Transaction Type    : {kind_name}" in receipt.body.splitlines()


def test_a_decline_without_an_account_reads_as_declined_and_names_no_payment_method() -> None:
    record = replace(RECORD, response_code=2, reason_code=2, auth_code="", account_last4="", account_type="")
    body = render_receipt("Shop", record, OrderDetails()).body
    assert "Response            : This transaction has been declined." in body.splitlines()
    assert "Payment Method" not in body
    assert "Authorization Code" not in body
