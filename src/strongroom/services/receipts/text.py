"""The text of a customer's transaction receipt (plain text; numbers masked, never whole)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from strongroom.domain.customers import Address
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.ports import TransactionRecord
from strongroom.services.transactions.requests import OrderDetails
from strongroom.services.transactions.results import reason_text

KIND_NAMES = {
    TransactionKind.CHARGE: "Purchase",
    TransactionKind.AUTHORIZATION: "Authorization Only",
    TransactionKind.CAPTURE_ONLY: "Capture Only",
    TransactionKind.REFUND: "Refund",
    TransactionKind.CREDIT: "Credit",
    TransactionKind.VERIFICATION: "Verification",
}
CAPTURED_AUTHORIZATION = "Prior Authorization Capture"
_CAPTURED = frozenset({TransactionStatus.CAPTURED_PENDING_SETTLEMENT, TransactionStatus.SETTLED})
_RULE = "=" * 40


@dataclass(frozen=True, slots=True)
class ReceiptText:
    subject: str
    body: str


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:.2f} ({currency})"


def _section(title: str, lines: list[tuple[str, str | None]]) -> list[str]:
    shown = [f"{label:<20}: {value}" for label, value in lines if value]
    return [f"{_RULE}", title, _RULE, *shown, ""] if shown else []


def _address_lines(address: Address | None) -> list[tuple[str, str | None]]:
    if address is None:
        return []
    name = " ".join(part for part in (address.first_name, address.last_name) if part)
    place = " ".join(part for part in (address.city, address.state, address.zip) if part)
    return [
        ("Name", name),
        ("Company", address.company),
        ("Address", address.address),
        ("City/State/Zip", place),
        ("Country", address.country),
        ("Phone", address.phone_number),
        ("Fax", address.fax_number),
        ("E-mail", address.email),
    ]


def _payment_method(record: TransactionRecord) -> str:
    if not record.account_last4:
        return ""
    return f"{record.account_type} XXXX{record.account_last4}".strip()


def _captured_authorization(record: TransactionRecord) -> bool:
    return record.kind is TransactionKind.AUTHORIZATION and record.status in _CAPTURED


def _transaction_type(record: TransactionRecord) -> str:
    if _captured_authorization(record):
        return CAPTURED_AUTHORIZATION
    return KIND_NAMES.get(record.kind, record.kind.value)


def _user_fields(order: OrderDetails) -> list[str]:
    """The order's user fields: the merchant's copy lists them, the customer's does not."""
    return _section("MERCHANT-DEFINED FIELDS", [(name, value) for name, value in order.user_fields])


def render_receipt(
    merchant_name: str,
    record: TransactionRecord,
    order: OrderDetails,
    header: str | None = None,
    footer: str | None = None,
    *,
    merchant_copy: bool = False,
) -> ReceiptText:
    """Subject and body of the receipt for one stored transaction (a captured authorisation
    shows the amount captured)."""
    total = record.settle_amount if _captured_authorization(record) else record.amount
    amount = _money(total, record.currency)
    subject = f"Transaction Receipt from {merchant_name} for {amount}"
    lines: list[str] = [header.strip(), ""] if header and header.strip() else []
    lines += _section(
        "ORDER INFORMATION",
        [
            ("Merchant", merchant_name),
            ("Date/Time", record.submitted_at.strftime("%Y-%m-%d %H:%M:%S UTC")),
            ("Invoice Number", order.invoice_number),
            ("Description", order.description),
            ("PO Number", order.po_number),
        ],
    )
    for item in order.line_items:
        lines.append(f"  {item.item_id} {item.name}  {item.quantity} x {item.unit_price:.2f}")
    if order.line_items:
        lines.append("")
    lines += _section(
        "AMOUNTS",
        [
            ("Tax", f"{order.tax.amount:.2f}" if order.tax else None),
            ("Duty", f"{order.duty.amount:.2f}" if order.duty else None),
            ("Shipping", f"{order.shipping.amount:.2f}" if order.shipping else None),
            ("Total", amount),
        ],
    )
    lines += _section(
        "RESULTS",
        [
            ("Response", reason_text(record.reason_code, record.response_code)),
            ("Authorization Code", record.auth_code),
            ("Transaction ID", record.ref),
            ("Transaction Type", _transaction_type(record)),
            ("Payment Method", _payment_method(record)),
        ],
    )
    lines += _section("BILLING INFORMATION", _address_lines(order.bill_to))
    lines += _section("SHIPPING INFORMATION", _address_lines(order.ship_to))
    if merchant_copy:
        lines += _user_fields(order)
    if footer and footer.strip():
        lines += [footer.strip(), ""]
    return ReceiptText(subject, "\n".join(lines).rstrip() + "\n")
