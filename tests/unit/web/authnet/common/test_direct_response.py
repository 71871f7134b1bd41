"""The one directResponse builder: field positions, validation records and transaction records
built from the transactionResponse they accompany."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from strongroom.domain.customers import Address
from strongroom.domain.instruments import BankAccount, Card, YearMonth
from strongroom.domain.money import Money
from strongroom.services.ports import Outcome, ProcessorResult
from strongroom.services.profiles.verification import ValidationOutcome
from strongroom.services.transactions.requests import Charge, OrderDetails
from strongroom.web.authnet.common.direct_response import (
    FIELD_COUNT,
    DirectRecord,
    encode,
    transaction_record,
    validation_record,
)

CARD = Card.with_number("4111111111111111", YearMonth(2035, 12))
BANK = BankAccount.parse("121042882", "987654321", "John Doe", None, None, None)
BILL_TO = Address(
    first_name="Ellen",
    last_name="Johnson",
    company="Souveniropolis, Inc.",
    address="14 Main Street",
    city="Pecan Springs",
    state="TX",
    zip="44628",
    country="US",
    phone_number="888-888-8888",
    email="ignored@example.com",
)
SHIP_TO = Address(first_name="China", last_name="Bayles", zip="44628")


def record(**overrides: Any) -> DirectRecord:
    values: dict[str, Any] = {
        "response_code": "1",
        "reason_code": 1,
        "reason_text": "Approved",
        "auth_code": "ABC123",
        "avs": "Y",
        "trans_id": "60000000001",
        "invoice": "INV-1",
        "description": "Herbs",
        "amount": Decimal("12.5"),
        "method": "CC",
        "type": "auth_capture",
        "customer_id": "cust-1",
        "bill_to": BILL_TO,
        "email": "e@example.com",
        "ship_to": SHIP_TO,
        "tax": "1.00",
        "duty": "",
        "freight": "2.00",
        "tax_exempt": "FALSE",
        "po_number": "PO-1",
        "card_code_result": "M",
        "cavv_result": "2",
        "account_number": "XXXX1111",
        "account_type": "Visa",
    }
    values.update(overrides)
    return DirectRecord(**values)


def test_every_field_is_in_its_documented_position() -> None:
    fields = encode(record(split_tender_id="123456", requested_amount="5.00", balance_on_card="0.00")).split(
        ","
    )
    assert len(fields) == FIELD_COUNT
    assert fields[:13] == [
        "1",
        "1",
        "1",
        "Approved",
        "ABC123",
        "Y",
        "60000000001",
        "INV-1",
        "Herbs",
        "12.50",
        "CC",
        "auth_capture",
        "cust-1",
    ]
    assert fields[13:23] == [
        "Ellen",
        "Johnson",
        "Souveniropolis  Inc.",
        "14 Main Street",
        "Pecan Springs",
        "TX",
        "44628",
        "US",
        "888-888-8888",
        "",
    ]
    assert fields[23] == "e@example.com"  # the customer's e-mail, not the address's
    assert fields[24:32] == ["China", "Bayles", "", "", "", "", "44628", ""]
    assert fields[32:40] == ["1.00", "", "2.00", "FALSE", "PO-1", "", "M", "2"]
    assert fields[40:50] == [""] * 10
    assert fields[50:55] == ["XXXX1111", "Visa", "123456", "5.00", "0.00"]
    assert fields[55:] == [""] * (FIELD_COUNT - 55)


def test_commas_inside_values_never_shift_fields() -> None:
    fields = encode(record(reason_text="a, b", description="x,y", customer_id="c,1")).split(",")
    assert len(fields) == FIELD_COUNT
    assert (fields[3], fields[8], fields[12]) == ("a  b", "x y", "c 1")


def test_a_test_mode_validation_record() -> None:
    outcome = ValidationOutcome(
        ProcessorResult(Outcome.APPROVED, 1, "000000", "P"),
        True,
        "0",
        Money.of("1.00"),
        CARD,
        BILL_TO,
        None,
        "cust-1",
        "e@example.com",
    )
    fields = validation_record(outcome).split(",")
    assert fields[:12] == [
        "1",
        "1",
        "1",
        "(TESTMODE) This transaction has been approved.",
        "000000",
        "P",
        "0",
        "none",
        "Test transaction for ValidateCustomerPaymentProfile.",
        "1.00",
        "CC",
        "auth_only",
    ]
    assert fields[32:37] == ["0.00", "0.00", "0.00", "FALSE", "none"]
    assert fields[50:52] == ["XXXX1111", "Visa"]


def test_a_bank_validation_record_is_an_echeck() -> None:
    outcome = ValidationOutcome(
        ProcessorResult(Outcome.DECLINED, 2), False, "0", Money.of("0.01"), BANK, None, None, None, None
    )
    fields = validation_record(outcome).split(",")
    assert (fields[0], fields[10], fields[50], fields[51]) == ("2", "ECHECK", "XXXX4321", "Bank Account")


def response(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "responseCode": "1",
        "authCode": "QWE123",
        "avsResultCode": "Y",
        "cvvResultCode": "M",
        "cavvResultCode": "",
        "transId": "60000000002",
        "accountNumber": "XXXX1111",
        "accountType": "Visa",
        "splitTenderId": None,
        "prePaidCard": None,
        "messages": {"message": [{"code": "1", "description": "This transaction has been approved."}]},
        "errors": None,
    }
    values.update(overrides)
    return values


ORDER = OrderDetails(
    invoice_number="INV-2",
    description="Seeds",
    po_number="PO-2",
    tax=Charge(Decimal("0.5")),
    shipping=Charge(Decimal("3")),
    tax_exempt=True,
    bill_to=BILL_TO,
    ship_to=SHIP_TO,
)


def test_a_transaction_record_agrees_with_its_transaction_response() -> None:
    fields = transaction_record(
        response(), "auth_only", Decimal("20"), ORDER, "cust-9", "c@example.com"
    ).split(",")
    assert len(fields) == FIELD_COUNT
    assert fields[:13] == [
        "1",
        "1",
        "1",
        "This transaction has been approved.",
        "QWE123",
        "Y",
        "60000000002",
        "INV-2",
        "Seeds",
        "20.00",
        "CC",
        "auth_only",
        "cust-9",
    ]
    assert fields[23] == "c@example.com"
    assert fields[32:40] == ["0.50", "", "3.00", "TRUE", "PO-2", "", "M", ""]
    assert fields[50:53] == ["XXXX1111", "Visa", ""]


def test_an_error_record_takes_the_error_code_and_text() -> None:
    errors = {"error": [{"errorCode": "16", "errorText": "The transaction cannot be found."}]}
    fields = transaction_record(
        response(
            responseCode="3",
            authCode="",
            avsResultCode="P",
            cvvResultCode="",
            transId="0",
            accountNumber="",
            accountType="",
            messages=None,
            errors=errors,
        ),
        "void",
        Decimal(0),
        OrderDetails(),
        None,
        None,
    ).split(",")
    assert fields[:12] == [
        "3",
        "1",
        "16",
        "The transaction cannot be found.",
        "",
        "P",
        "0",
        "",
        "",
        "0.00",
        "CC",
        "void",
    ]
    assert fields[35] == "FALSE"
    assert fields[50:52] == ["", ""]


def test_a_bank_transaction_and_a_prepaid_card() -> None:
    bank = transaction_record(
        response(accountType="eCheck", accountNumber="XXXX4321"),
        "credit",
        Decimal("1"),
        OrderDetails(),
        None,
        None,
    ).split(",")
    assert (bank[10], bank[50], bank[51]) == ("ECHECK", "XXXX4321", "Bank Account")
    prepaid = transaction_record(
        response(
            responseCode="4",
            splitTenderId="1234567890",
            prePaidCard={"requestedAmount": "5.00", "approvedAmount": "1.23", "balanceOnCard": "0.00"},
        ),
        "auth_capture",
        Decimal("5"),
        OrderDetails(),
        None,
        None,
    ).split(",")
    assert prepaid[0] == "4"
    assert prepaid[52:55] == ["1234567890", "5.00", "0.00"]
