"""Customer receipts of stored transactions: rendered and written to the outbox, from which the
delivery job (`services.receipts.outbox`) sends them when a mail server is configured.

Two ways in: sendCustomerTransactionReceipt (`Receipts.send`: any stored transaction, on
request) and a transaction's own emailCustomer setting (`queue_transaction_receipt`, called by
the payment use cases inside the unit of work that stores the transaction, so a receipt exists
exactly when its approved transaction does).

A merchant copy (merchantEmail) also lists the order's user fields, which are added to the
merchant's receipts only; every copy replies to the merchant.
"""

from __future__ import annotations

import re
from datetime import datetime

from strongroom.domain.errors import InvalidField, NotFound
from strongroom.domain.merchants import Merchant
from strongroom.services.ports import (
    Clock,
    OutboxMessage,
    TransactionRecord,
    UnitOfWork,
    UnitOfWorkFactory,
)
from strongroom.services.receipts.text import ReceiptText, render_receipt
from strongroom.services.transactions.requests import OrderDetails, ReceiptOptions, Settings
from strongroom.services.transactions.stored_orders import stored_order

RECEIPT = "receipt"
APPROVED = 1
MAX_EMAIL = 255
# One address, no display name, no spaces or line breaks (header injection), a dotted domain.
_EMAIL = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+")


def valid_email(value: str | None) -> bool:
    return bool(value) and len(value or "") <= MAX_EMAIL and _EMAIL.fullmatch(value or "") is not None


class Receipts:
    def __init__(self, units: UnitOfWorkFactory, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def send(
        self, merchant: Merchant, trans_ref: str, customer_email: str, options: ReceiptOptions | None = None
    ) -> None:
        """Queue the receipt of one of the merchant's transactions for `customer_email`."""
        email = customer_email.strip()
        if not valid_email(email):
            raise InvalidField("customerEmail", "customerEmail is not a valid e-mail address.")
        with self._units(write=False) as uow:
            record = uow.transactions.get(merchant.key, trans_ref)
        if record is None:
            raise NotFound("The transaction cannot be found.")
        now = self._clock.now()
        with self._units() as uow:
            queue_receipt(uow, merchant, record, email, options or ReceiptOptions(), now)
            uow.commit()


def queue_transaction_receipt(
    uow: UnitOfWork,
    merchant: Merchant,
    record: TransactionRecord,
    order: OrderDetails,
    settings: Settings,
    now: datetime,
) -> bool:
    """emailCustomer: inside the unit that stores `record`, queue its receipt when it was
    approved, to the customer's e-mail (the request's customer, else billing address, else the
    stored order's); False when nothing was queued."""
    if (
        not settings.email_customer
        or settings.test_request
        or not record.ref
        or record.response_code != APPROVED
    ):
        return False
    email = _customer_email(order) or _customer_email(stored_order(record))
    if email is None:
        return False
    queue_receipt(uow, merchant, record, email, settings.receipt, now)
    return True


def queue_receipt(
    uow: UnitOfWork,
    merchant: Merchant,
    record: TransactionRecord,
    email: str,
    options: ReceiptOptions,
    now: datetime,
) -> None:
    """Write the receipt for `email` (and the merchant's copy, if asked) to the outbox."""
    order = stored_order(record)
    copy = options.merchant_email.strip() if options.merchant_email else None
    copy = copy if copy and valid_email(copy) else None
    customer_text = render_receipt(merchant.name, record, order, options.header, options.footer)
    uow.outbox.add(_message(merchant, record, email, customer_text, copy, now))
    if copy is not None and copy != email:
        merchant_text = render_receipt(
            merchant.name, record, order, options.header, options.footer, merchant_copy=True
        )
        uow.outbox.add(_message(merchant, record, copy, merchant_text, copy, now))


def _message(
    merchant: Merchant,
    record: TransactionRecord,
    recipient: str,
    text: ReceiptText,
    reply_to: str | None,
    now: datetime,
) -> OutboxMessage:
    return OutboxMessage(
        merchant_key=merchant.key,
        kind=RECEIPT,
        recipient=recipient,
        subject=text.subject,
        body=text.body,
        created_at=now,
        reply_to=reply_to,
        transaction_ref=record.ref,
    )


def _customer_email(order: OrderDetails) -> str | None:
    for candidate in (
        order.customer.email if order.customer else None,
        order.bill_to.email if order.bill_to else None,
    ):
        if candidate and valid_email(candidate.strip()):
            return candidate.strip()
    return None
