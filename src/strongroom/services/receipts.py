"""Customer receipts of stored transactions: rendered and written to the outbox, from which the
delivery job (`services.outbox`) sends them when a mail server is configured.

Two ways in: sendCustomerTransactionReceipt (any stored transaction, on request) and a
transaction's own emailCustomer setting (approved transactions, to the customer's e-mail).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from strongroom.domain.errors import InvalidField, NotFound
from strongroom.domain.merchants import Merchant
from strongroom.services.payment_requests import OrderDetails, TransactionResult
from strongroom.services.ports import Clock, OutboxMessage, TransactionRecord, UnitOfWorkFactory
from strongroom.services.receipt_text import render_receipt
from strongroom.services.stored_orders import stored_order

RECEIPT = "receipt"
APPROVED = 1
MAX_EMAIL = 255
# One address, no display name, no spaces or line breaks (header injection), a dotted domain.
_EMAIL = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+")


@dataclass(frozen=True, slots=True)
class ReceiptOptions:
    """emailSettings / transactionSettings: text above and below, and a merchant copy."""

    header: str | None = None
    footer: str | None = None
    merchant_email: str | None = None


def valid_email(value: str | None) -> bool:
    return bool(value) and len(value or "") <= MAX_EMAIL and _EMAIL.fullmatch(value or "") is not None


class Receipts:
    def __init__(self, units: UnitOfWorkFactory, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def send(self, merchant: Merchant, trans_ref: str, customer_email: str,
             options: ReceiptOptions = ReceiptOptions()) -> None:
        """Queue the receipt of one of the merchant's transactions for `customer_email`."""
        email = customer_email.strip()
        if not valid_email(email):
            raise InvalidField("customerEmail", "customerEmail is not a valid e-mail address.")
        with self._units(write=False) as uow:
            record = uow.transactions.get(merchant.key, trans_ref)
        if record is None:
            raise NotFound("The transaction cannot be found.")
        self._queue(merchant, record, stored_order(record), email, options)

    def after_transaction(self, merchant: Merchant, result: TransactionResult,
                          order: OrderDetails, options: ReceiptOptions = ReceiptOptions()
                          ) -> bool:
        """emailCustomer: queue the receipt of an approved, stored transaction to the
        customer's e-mail (customer, else billing address); False when none was queued."""
        record = result.record
        if record is None or result.test_request or record.response_code != APPROVED:
            return False
        stored = stored_order(record)
        email = _customer_email(order) or _customer_email(stored)
        if email is None:
            return False
        self._queue(merchant, record, stored, email, options)
        return True

    def _queue(self, merchant: Merchant, record: TransactionRecord, order: OrderDetails,
               email: str, options: ReceiptOptions) -> None:
        text = render_receipt(merchant.name, record, order, options.header, options.footer)
        now = self._clock.now()
        copy = options.merchant_email
        recipients = [email] + ([copy] if copy and valid_email(copy) and copy != email else [])
        with self._units() as uow:
            for recipient in recipients:
                uow.outbox.add(OutboxMessage(
                    merchant_key=merchant.key, kind=RECEIPT, recipient=recipient,
                    subject=text.subject, body=text.body, created_at=now,
                    reply_to=copy if copy and valid_email(copy) else None,
                    transaction_ref=record.ref))
            uow.commit()


def _customer_email(order: OrderDetails) -> str | None:
    for candidate in (order.customer.email if order.customer else None,
                      order.bill_to.email if order.bill_to else None):
        if candidate and valid_email(candidate.strip()):
            return candidate.strip()
    return None
