"""What a stored transaction's details JSON adds to its columns and its order, read for reports.

Payments write the order (services.transaction_records.details_json; read back whole by
services.stored_orders) plus facts of their own, read here. Reading is tolerant: an absent,
malformed or unknown value is left out, never an error, so old transactions report what they
have.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from strongroom.services.ports import TransactionRecord


@dataclass(frozen=True, slots=True)
class DetailFacts:
    """Everything reports read from the details JSON besides the order itself (surcharge, tip,
    other taxes and ship-from are the order's: `stored_orders.stored_order`)."""

    customer_ip: str | None = None
    employee_id: str | None = None
    solution_id: str | None = None
    requested_amount: Decimal | None = None  # partial authorisations: what was asked
    prepaid_balance: Decimal | None = None  # prepaid cards: the balance left
    card_present: bool = False
    market_type: str | None = None  # as sent in retail/marketType: "0", "1" or "2"
    entry_mode: str | None = None
    authorization_indicator: str | None = None  # pre | final
    recurring_billing: bool | None = None


def details_of(record: TransactionRecord) -> dict[str, Any]:
    try:
        details = json.loads(record.details_json or "{}")
    except ValueError:
        return {}
    return details if isinstance(details, dict) else {}


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def detail_facts(details: dict[str, Any]) -> DetailFacts:
    """The facts of a details document (see details_of)."""
    return DetailFacts(
        customer_ip=_text(details.get("customer_ip")),
        employee_id=_text(details.get("employee_id")),
        solution_id=_text(details.get("solution_id")),
        requested_amount=_decimal(details.get("requested_amount")),
        prepaid_balance=_decimal(details.get("balance_on_card")),
        card_present=details.get("card_present") is True,
        market_type=_text(details.get("market_type")),
        entry_mode=_text(details.get("entry_mode")),
        authorization_indicator=_text(details.get("authorization_indicator")),
        recurring_billing=_flag(details.get("recurring_billing")),
    )


def bill_to_name(details: dict[str, Any]) -> tuple[str | None, str | None]:
    """First and last name of the billing address (transaction lists show them)."""
    bill_to = details.get("bill_to")
    if not isinstance(bill_to, dict):
        return None, None
    return _text(bill_to.get("first_name")), _text(bill_to.get("last_name"))
