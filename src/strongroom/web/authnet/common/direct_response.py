"""The legacy comma-delimited directResponse record (the old AIM format) that validation answers
and createCustomerProfileTransaction answers carry: one builder, positions as §3.5 lists them.

`DirectRecord` holds the values; `encode` places them. `validation_record` and
`transaction_record` only say where the values come from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from strongroom.domain.customers import Address
from strongroom.domain.instruments import Card
from strongroom.services.profiles.verification import ValidationOutcome
from strongroom.services.transactions.requests import OrderDetails
from strongroom.web.authnet.codes import reason_text

FIELD_COUNT = 68
ACCOUNT_NUMBER_POSITION = 51  # 51 account number, 52 card type, 53-55 split tender, amounts
# Every captured validation record, testMode and liveMode alike, carries this description and
# fixed tax/duty/freight ("0.00"), tax-exempt ("FALSE") and PO-number ("none") fields (33-37).
DESCRIPTION = "Test transaction for ValidateCustomerPaymentProfile."
BANK_ACCOUNT_TYPE = "Bank Account"  # field 52 of an eCheck record
CARD_METHOD, BANK_METHOD = "CC", "ECHECK"
ECHECK = "eCheck"  # transactionResponse/accountType of a bank account


@dataclass(frozen=True, slots=True)
class DirectRecord:
    """The values of one record; empty strings where the record has nothing to say."""

    response_code: str
    reason_code: int
    reason_text: str
    auth_code: str
    avs: str
    trans_id: str
    invoice: str
    description: str
    amount: Decimal
    method: str  # CC | ECHECK
    type: str  # auth_capture | auth_only | prior_auth_capture | capture_only | credit | void
    customer_id: str | None
    bill_to: Address | None
    email: str | None
    ship_to: Address | None
    tax: str
    duty: str
    freight: str
    tax_exempt: str  # TRUE | FALSE
    po_number: str
    card_code_result: str
    cavv_result: str
    account_number: str  # XXXX1111
    account_type: str  # card brand, or "Bank Account"
    split_tender_id: str = ""
    requested_amount: str = ""
    balance_on_card: str = ""


def _clean(value: str | None) -> str:
    # The record is comma-delimited with no quoting: commas inside values would shift fields.
    return (value or "").replace(",", " ")


def _address(address: Address | None, with_contact: bool) -> list[str]:
    a = address or Address()
    values = [a.first_name, a.last_name, a.company, a.address, a.city, a.state, a.zip, a.country]
    if with_contact:
        values += [a.phone_number, a.fax_number]
    return [_clean(value) for value in values]


def encode(record: DirectRecord) -> str:
    """The 68-field record: 1-based positions as the legacy AIM format defines them."""
    fields = [
        record.response_code,
        "1",
        str(record.reason_code),
        _clean(record.reason_text),
        record.auth_code,
        record.avs,
        record.trans_id,
        _clean(record.invoice),
        _clean(record.description),
        f"{record.amount:.2f}",
        record.method,
        record.type,
        _clean(record.customer_id),
        *_address(record.bill_to, True),
        _clean(record.email),
        *_address(record.ship_to, False),
        record.tax,
        record.duty,
        record.freight,
        record.tax_exempt,
        _clean(record.po_number),
        "",
        record.card_code_result,
        record.cavv_result,
    ]
    fields += [""] * (ACCOUNT_NUMBER_POSITION - 1 - len(fields))
    fields += [
        record.account_number,
        record.account_type,
        record.split_tender_id,
        record.requested_amount,
        record.balance_on_card,
    ]
    fields += [""] * (FIELD_COUNT - len(fields))
    return ",".join(fields)


def validation_record(outcome: ValidationOutcome) -> str:
    """The record of a payment-profile validation (always an auth_only)."""
    result = outcome.processor_said
    card = outcome.instrument if isinstance(outcome.instrument, Card) else None
    text = reason_text(result.reason_code)
    if outcome.test_mode:
        text = "(TESTMODE) " + text
    return encode(
        DirectRecord(
            response_code=str(result.response_code),
            reason_code=result.reason_code,
            reason_text=text,
            auth_code=result.auth_code,
            avs=result.avs_result,
            trans_id=outcome.trans_id,
            invoice="none",
            description=DESCRIPTION,
            amount=outcome.amount.amount,
            method=CARD_METHOD if card else BANK_METHOD,
            type="auth_only",
            customer_id=outcome.merchant_customer_id,
            bill_to=outcome.bill_to,
            email=outcome.email,
            ship_to=outcome.ship_to,
            tax="0.00",
            duty="0.00",
            freight="0.00",
            tax_exempt="FALSE",
            po_number="none",
            card_code_result=result.card_code_result,
            cavv_result=result.cavv_result,
            account_number=f"XXXX{outcome.instrument.last4}",
            account_type=card.brand.value if card else BANK_ACCOUNT_TYPE,
        )
    )


def _amount(value: Decimal | None) -> str:
    return f"{value:.2f}" if value is not None else ""


def transaction_record(
    response: dict[str, Any],
    type_: str,
    amount: Decimal,
    order: OrderDetails,
    customer_id: str | None,
    email: str | None,
) -> str:
    """The record of a transaction, from the transactionResponse values it accompanies (so the
    two always agree) and the order and customer it was for."""
    bank = response.get("accountType") == ECHECK
    pre_paid = response.get("prePaidCard") or {}
    return encode(
        DirectRecord(
            response_code=response["responseCode"],
            reason_code=_reason(response),
            reason_text=_text(response),
            auth_code=response["authCode"],
            avs=response["avsResultCode"],
            trans_id=response["transId"],
            invoice=order.invoice_number or "",
            description=order.description or "",
            amount=amount,
            method=BANK_METHOD if bank else CARD_METHOD,
            type=type_,
            customer_id=customer_id,
            bill_to=order.bill_to,
            email=email,
            ship_to=order.ship_to,
            tax=_amount(order.tax.amount if order.tax else None),
            duty=_amount(order.duty.amount if order.duty else None),
            freight=_amount(order.shipping.amount if order.shipping else None),
            tax_exempt="TRUE" if order.tax_exempt else "FALSE",
            po_number=order.po_number or "",
            card_code_result=response["cvvResultCode"],
            cavv_result=response["cavvResultCode"],
            account_number=response.get("accountNumber") or "",
            account_type=BANK_ACCOUNT_TYPE if bank else response.get("accountType") or "",
            split_tender_id=response.get("splitTenderId") or "",
            requested_amount=pre_paid.get("requestedAmount", ""),
            balance_on_card=pre_paid.get("balanceOnCard", ""),
        )
    )


def _first(response: dict[str, Any]) -> tuple[str, str]:
    messages = response.get("messages")
    if messages:
        item = messages["message"][0]
        return item["code"], item["description"]
    item = response["errors"]["error"][0]
    return item["errorCode"], item["errorText"]


def _reason(response: dict[str, Any]) -> int:
    return int(_first(response)[0])


def _text(response: dict[str, Any]) -> str:
    return _first(response)[1]
