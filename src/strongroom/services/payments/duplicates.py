"""The duplicate-transaction window: which requests count as the same one, and for how long.

Two requests are the same when every compared field is equal: the merchant, the number (by its
keyed fingerprint), expiry, transaction type, amount, invoice and PO numbers, customer id, the
billing name, company and address, and the window value itself. The fields are digested with
the vault's per-merchant keyed fingerprint, so a stored key reveals nothing, not even by
guessing numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from strongroom.domain.customers import Address
from strongroom.domain.errors import InvalidField
from strongroom.services.ports import Vault
from strongroom.services.transactions.requests import MAX_DUPLICATE_WINDOW, OrderDetails

_KEY_VERSION = "duplicate-window/v1"


def effective_window(seconds: int) -> int:
    """The window in force: 0 disables the check; values above the maximum are lowered to it."""
    if seconds < 0:
        raise InvalidField("duplicateWindow", f"duplicateWindow must be 0 to {MAX_DUPLICATE_WINDOW} seconds.")
    return min(seconds, MAX_DUPLICATE_WINDOW)


def window_start(now: datetime, seconds: int) -> datetime:
    """The earliest submission time an earlier transaction may have and still be a duplicate."""
    return now - timedelta(seconds=seconds)


@dataclass(frozen=True, slots=True)
class DuplicateFields:
    kind: str
    number: str  # a keyed fingerprint, or another keyed identity of the account (refunds)
    expiry: str
    amount: Decimal
    currency: str
    order: OrderDetails
    bill_to: Address | None
    window: int


def duplicate_key(vault: Vault, merchant_key: int, fields: DuplicateFields) -> str:
    order = fields.order
    bill_to = fields.bill_to or Address()
    parts = [
        _KEY_VERSION,
        str(merchant_key),
        fields.kind,
        fields.number,
        fields.expiry,
        f"{fields.amount:.2f}",
        fields.currency,
        order.invoice_number,
        order.po_number,
        order.customer.id if order.customer else None,
        bill_to.first_name,
        bill_to.last_name,
        bill_to.company,
        bill_to.address,
        bill_to.city,
        bill_to.state,
        bill_to.zip,
        bill_to.country,
        str(fields.window),
    ]
    return vault.fingerprint(merchant_key, json.dumps([part or "" for part in parts]))
