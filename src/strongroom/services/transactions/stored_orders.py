"""The order details a stored transaction was submitted with, read back from its JSON text
(receipts, legacy directResponse records and transaction details report them)."""

from __future__ import annotations

import json
from dataclasses import fields
from decimal import Decimal, InvalidOperation
from typing import Any

from strongroom.domain.customers import Address
from strongroom.services.ports import TransactionRecord
from strongroom.services.transactions.requests import (
    Charge,
    Customer,
    LineItem,
    OrderDetails,
    OtherTax,
    SubMerchant,
)

_ADDRESS_FIELDS = frozenset(item.name for item in fields(Address))
_SUB_MERCHANT_FIELDS = frozenset(item.name for item in fields(SubMerchant))


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _address(value: Any) -> Address | None:
    if not isinstance(value, dict):
        return None
    address = Address(**{name: _text(item) for name, item in value.items() if name in _ADDRESS_FIELDS})
    return None if address.is_empty() else address


def _charge(value: Any) -> Charge | None:
    if not isinstance(value, dict):
        return None
    amount = _decimal(value.get("amount"))
    if amount is None:
        return None
    return Charge(amount, _text(value.get("name")), _text(value.get("description")))


def _customer(value: Any) -> Customer | None:
    if not isinstance(value, dict):
        return None
    return Customer(_text(value.get("type")), _text(value.get("id")), _text(value.get("email")))


def _other_tax(value: Any) -> OtherTax | None:
    if not isinstance(value, dict):
        return None
    other_tax = OtherTax(
        national_tax_amount=_decimal(value.get("national_tax_amount")),
        local_tax_amount=_decimal(value.get("local_tax_amount")),
        alternate_tax_amount=_decimal(value.get("alternate_tax_amount")),
        alternate_tax_id=_text(value.get("alternate_tax_id")),
        vat_tax_rate=_decimal(value.get("vat_tax_rate")),
        vat_tax_amount=_decimal(value.get("vat_tax_amount")),
    )
    return None if other_tax == OtherTax() else other_tax


def _sub_merchant(value: Any) -> SubMerchant | None:
    identifier = _text(value.get("identifier")) if isinstance(value, dict) else None
    if identifier is None:
        return None
    return SubMerchant(
        identifier,
        **{
            name: _text(item) for name, item in value.items() if name in _SUB_MERCHANT_FIELDS - {"identifier"}
        },
    )


def _line_items(value: Any) -> tuple[LineItem, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(
        LineItem(
            str(item.get("item_id") or ""),
            str(item.get("name") or ""),
            _text(item.get("description")),
            _decimal(item.get("quantity")) or Decimal(0),
            _decimal(item.get("unit_price")) or Decimal(0),
            item.get("taxable") if isinstance(item.get("taxable"), bool) else None,
        )
        for item in value
        if isinstance(item, dict)
    )


def _user_fields(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list):
        return ()
    return tuple(
        (item[0], item[1])
        for item in value
        if isinstance(item, list) and len(item) == 2 and all(isinstance(part, str) for part in item)
    )


def stored_order(record: TransactionRecord) -> OrderDetails:
    """What the transaction's order looked like; unknown or unreadable parts are left out."""
    try:
        details = json.loads(record.details_json or "{}")
    except ValueError:
        details = {}
    if not isinstance(details, dict):
        details = {}
    tax_exempt = details.get("tax_exempt")
    return OrderDetails(
        invoice_number=record.invoice_number,
        description=record.description,
        po_number=record.po_number,
        line_items=_line_items(details.get("line_items")),
        tax=_charge(details.get("tax")),
        duty=_charge(details.get("duty")),
        shipping=_charge(details.get("shipping")),
        tax_exempt=tax_exempt if isinstance(tax_exempt, bool) else None,
        customer=_customer(details.get("customer")),
        bill_to=_address(details.get("bill_to")),
        ship_to=_address(details.get("ship_to")),
        surcharge=_charge(details.get("surcharge")),
        tip=_charge(details.get("tip")),
        other_tax=_other_tax(details.get("other_tax")),
        ship_from=_address(details.get("ship_from")),
        merchant_descriptor=_text(details.get("merchant_descriptor")),
        sub_merchant=_sub_merchant(details.get("sub_merchant")),
        user_fields=_user_fields(details.get("user_fields")),
    )
