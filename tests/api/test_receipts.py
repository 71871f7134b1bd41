"""Customer receipts: sendCustomerTransactionReceiptRequest and the emailCustomer setting write
rendered receipts to the outbox (delivery is the outbox job's, tested in integration)."""

from __future__ import annotations

from typing import Any

import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from tests.api.builders import VISA, address, card, error, ok
from tests.api.live_server import LiveServer
from tests.api.raw import call, envelope
from tests.api.sdk import ApiMerchant, execute, new_merchant
from tests.api.stored_rows import outbox
from tests.api.test_transactions import AUTH_CAPTURE, Gateway, trans_id, transaction


@pytest.fixture
def gateway(server: LiveServer, merchant: ApiMerchant) -> Gateway:
    return Gateway(server, merchant)


def send_receipt(gateway: Gateway, trans_id_: str, email: str,
                 settings: dict[str, str] | None = None) -> Any:
    request = contracts.sendCustomerTransactionReceiptRequest()
    request.merchantAuthentication = gateway.merchant.auth()
    request.transId = trans_id_
    request.customerEmail = email
    if settings:
        request.emailSettings = contracts.emailSettingsType()
        for name, value in settings.items():
            setting = contracts.settingType()
            setting.settingName = name
            setting.settingValue = value
            request.emailSettings.setting.append(setting)
    return execute(gateway.server, controllers.sendCustomerTransactionReceiptController, request)


def charge(gateway: Gateway, settings: dict[str, str] | None = None, *,
           email: str | None = None) -> str:
    item = transaction(AUTH_CAPTURE, "42.50", card(VISA), invoice="INV-9",
                       bill_to=address(), settings=settings)
    if email is not None:
        item.customer = contracts.customerDataType()
        item.customer.email = email
    return trans_id(gateway.approved(item))


def test_a_receipt_is_rendered_into_the_outbox(gateway: Gateway) -> None:
    ref = charge(gateway)
    ok(send_receipt(gateway, ref, "buyer@example.com",
                    {"headerEmailReceipt": "Thank you for shopping!",
                     "footerEmailReceipt": "Questions? Call us."}))
    [message] = outbox(gateway.server, gateway.merchant, ref)
    assert message.recipient == "buyer@example.com"
    assert message.kind == "receipt"
    assert message.sent_at is None
    assert message.subject == "Transaction Receipt from Test merchant for 42.50 (USD)"
    body = message.body
    assert body.startswith("Thank you for shopping!\n")
    assert body.rstrip().endswith("Questions? Call us.")
    for expected in (f"Transaction ID      : {ref}", "Invoice Number      : INV-9",
                     "Payment Method      : Visa XXXX1111", "Name                : Ellen Johnson",
                     "Response            : This transaction has been approved.",
                     "Transaction Type    : Purchase", "Total               : 42.50 (USD)"):
        assert expected in body, expected
    assert VISA not in body


def test_a_receipt_needs_a_known_transaction_and_a_valid_address(gateway: Gateway) -> None:
    assert error(send_receipt(gateway, "99999999999", "buyer@example.com"))[0] == "E00040"
    ref = charge(gateway)
    for bad in ("not-an-address", "a@b", "two@example.com, more@example.com",
                "x@example.com\r\nBcc: y@example.com"):
        assert error(send_receipt(gateway, ref, bad))[0] == "E00013", bad
    assert outbox(gateway.server, gateway.merchant, ref) == []


def test_another_merchants_transaction_has_no_receipt(server: LiveServer,
                                                      gateway: Gateway) -> None:
    ref = charge(Gateway(server, new_merchant(server, "Other")))
    assert error(send_receipt(gateway, ref, "buyer@example.com"))[0] == "E00040"


def test_email_customer_queues_the_receipt_of_an_approved_charge(gateway: Gateway) -> None:
    ref = charge(gateway, {"emailCustomer": "true", "merchantEmail": "shop@example.com",
                           "footerEmailReceipt": "See you soon"}, email="buyer@example.com")
    messages = outbox(gateway.server, gateway.merchant, ref)
    assert [item.recipient for item in messages] == ["buyer@example.com", "shop@example.com"]
    assert all(item.reply_to == "shop@example.com" for item in messages)
    assert all(item.body.rstrip().endswith("See you soon") for item in messages)


def test_without_email_customer_or_an_address_nothing_is_queued(gateway: Gateway) -> None:
    quiet = charge(gateway, email="buyer@example.com")
    nowhere = charge(gateway, {"emailCustomer": "true", "duplicateWindow": "0"})
    assert outbox(gateway.server, gateway.merchant, quiet) == []
    assert outbox(gateway.server, gateway.merchant, nowhere) == []


@pytest.mark.parametrize("dialect", ["xml", "json"])
def test_raw_receipt_requests(gateway: Gateway, dialect: str) -> None:
    ref = charge(gateway, {"duplicateWindow": "0"})
    answer = call(gateway.server, dialect, "sendCustomerTransactionReceiptRequest", envelope(
        gateway.merchant, ("refId", "r-1"), ("transId", ref),
        ("customerEmail", f"{dialect}@example.com"),
        ("emailSettings", [("setting", [("settingName", "headerEmailReceipt"),
                                        ("settingValue", "Hello")])])))
    answer.ok()
    [message] = outbox(gateway.server, gateway.merchant, ref)
    assert message.recipient == f"{dialect}@example.com"
    assert message.body.startswith("Hello\n")
