"""Customer receipts: sendCustomerTransactionReceiptRequest and the emailCustomer setting write
rendered receipts to the outbox (delivery is the outbox job's, tested in integration)."""

from __future__ import annotations

from typing import Any

import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from tests.api.builders import DECLINE_ZIP, VISA, address, card, error, ok, text
from tests.api.live_server import LiveServer
from tests.api.raw import call, envelope
from tests.api.sdk import ApiMerchant, execute, new_merchant
from tests.api.stored_rows import outbox, outbox_size, settle
from tests.api.transactions.test_create_transaction import (
    AUTH_CAPTURE,
    AUTH_ONLY,
    PRIOR_AUTH_CAPTURE,
    REFUND,
    VOID,
    Gateway,
    failed,
    trans_id,
    transaction,
)


@pytest.fixture
def gateway(server: LiveServer, merchant: ApiMerchant) -> Gateway:
    return Gateway(server, merchant)


def send_receipt(gateway: Gateway, trans_id_: str, email: str, settings: dict[str, str] | None = None) -> Any:
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


def with_email(item: Any, email: str | None) -> Any:
    if email is not None:
        item.customer = contracts.customerDataType()
        item.customer.email = email
    return item


def charge(
    gateway: Gateway,
    settings: dict[str, str] | None = None,
    *,
    email: str | None = None,
    user_fields: dict[str, str] | None = None,
) -> str:
    item = transaction(
        AUTH_CAPTURE,
        "42.50",
        card(VISA),
        invoice="INV-9",
        bill_to=address(),
        settings=settings,
        user_fields=user_fields,
    )
    return trans_id(gateway.approved(with_email(item, email)))


def test_a_receipt_is_rendered_into_the_outbox(gateway: Gateway) -> None:
    ref = charge(gateway)
    ok(
        send_receipt(
            gateway,
            ref,
            "buyer@example.com",
            {"headerEmailReceipt": "Thank you for shopping!", "footerEmailReceipt": "Questions? Call us."},
        )
    )
    [message] = outbox(gateway.server, gateway.merchant, ref)
    assert message.recipient == "buyer@example.com"
    assert message.kind == "receipt"
    assert message.sent_at is None
    assert message.subject == "Transaction Receipt from Test merchant for 42.50 (USD)"
    body = message.body
    assert body.startswith("Thank you for shopping!\n")
    assert body.rstrip().endswith("Questions? Call us.")
    for expected in (
        f"Transaction ID      : {ref}",
        "Invoice Number      : INV-9",
        "Payment Method      : Visa XXXX1111",
        "Name                : Ellen Johnson",
        "Response            : This transaction has been approved.",
        "Transaction Type    : Purchase",
        "Total               : 42.50 (USD)",
    ):
        assert expected in body, expected
    assert VISA not in body


def test_a_receipt_needs_a_known_transaction_and_a_valid_address(gateway: Gateway) -> None:
    assert error(send_receipt(gateway, "99999999999", "buyer@example.com"))[0] == "E00040"
    ref = charge(gateway)
    for bad in (
        "not-an-address",
        "a@b",
        "two@example.com, more@example.com",
        "x@example.com\r\nBcc: y@example.com",
    ):
        assert error(send_receipt(gateway, ref, bad))[0] == "E00013", bad
    assert outbox(gateway.server, gateway.merchant, ref) == []


def test_another_merchants_transaction_has_no_receipt(server: LiveServer, gateway: Gateway) -> None:
    ref = charge(Gateway(server, new_merchant(server, "Other")))
    assert error(send_receipt(gateway, ref, "buyer@example.com"))[0] == "E00040"


def test_email_customer_queues_the_receipt_of_an_approved_charge(gateway: Gateway) -> None:
    ref = charge(
        gateway,
        {"emailCustomer": "true", "merchantEmail": "shop@example.com", "footerEmailReceipt": "See you soon"},
        email="buyer@example.com",
    )
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
    answer = call(
        gateway.server,
        dialect,
        "sendCustomerTransactionReceiptRequest",
        envelope(
            gateway.merchant,
            ("refId", "r-1"),
            ("transId", ref),
            ("customerEmail", f"{dialect}@example.com"),
            (
                "emailSettings",
                [("setting", [("settingName", "headerEmailReceipt"), ("settingValue", "Hello")])],
            ),
        ),
    )
    answer.ok()
    [message] = outbox(gateway.server, gateway.merchant, ref)
    assert message.recipient == f"{dialect}@example.com"
    assert message.body.startswith("Hello\n")


EMAIL_ME = {"emailCustomer": "true", "duplicateWindow": "0"}


def test_header_footer_and_merchant_copy_with_its_user_fields(gateway: Gateway) -> None:
    ref = charge(
        gateway,
        {
            **EMAIL_ME,
            "headerEmailReceipt": "Thanks for visiting Pecan Springs!",
            "footerEmailReceipt": "Returns within 30 days.",
            "merchantEmail": "orders@shop.example",
        },
        email="buyer@example.com",
        user_fields={"tableNumber": "12", "server": "Ana"},
    )
    customer, merchant = outbox(gateway.server, gateway.merchant, ref)
    assert (customer.recipient, merchant.recipient) == ("buyer@example.com", "orders@shop.example")
    for message in (customer, merchant):
        assert message.reply_to == "orders@shop.example"
        assert message.body.startswith("Thanks for visiting Pecan Springs!\n")
        assert message.body.rstrip().endswith("Returns within 30 days.")
        assert f"Transaction ID      : {ref}" in message.body
    # User fields are added to the merchant's receipt only.
    assert "MERCHANT-DEFINED FIELDS" in merchant.body
    assert "tableNumber         : 12" in merchant.body
    assert "server              : Ana" in merchant.body
    assert "tableNumber" not in customer.body


def test_an_invalid_merchant_email_gets_no_copy(gateway: Gateway) -> None:
    ref = charge(gateway, {**EMAIL_ME, "merchantEmail": "not an address"}, email="buyer@example.com")
    [message] = outbox(gateway.server, gateway.merchant, ref)
    assert (message.recipient, message.reply_to) == ("buyer@example.com", None)


def test_declines_and_test_requests_queue_no_receipt(gateway: Gateway) -> None:
    item = transaction(
        AUTH_CAPTURE,
        "42.50",
        card(VISA),
        bill_to=address(zip=DECLINE_ZIP),
        settings={**EMAIL_ME, "merchantEmail": "orders@shop.example"},
    )
    declined, _ = failed(gateway.send(with_email(item, "buyer@example.com")), "2", "2")
    assert outbox(gateway.server, gateway.merchant, trans_id(declined)) == []
    tested = gateway.approved(
        with_email(
            transaction(AUTH_CAPTURE, "42.60", card(VISA), settings={**EMAIL_ME, "testRequest": "true"}),
            "buyer@example.com",
        )
    )
    assert text(tested, "transId") == "0"
    assert outbox_size(gateway.server, gateway.merchant) == 0


def test_captures_and_refunds_queue_their_receipts_and_voids_none(gateway: Gateway) -> None:
    auth = trans_id(
        gateway.approved(
            with_email(transaction(AUTH_ONLY, "30.00", card(VISA), bill_to=address()), "buyer@example.com")
        )
    )
    assert outbox(gateway.server, gateway.merchant, auth) == []
    gateway.approved(transaction(PRIOR_AUTH_CAPTURE, "25.00", ref=auth, settings=EMAIL_ME))
    [captured] = outbox(gateway.server, gateway.merchant, auth)
    assert captured.recipient == "buyer@example.com"
    assert captured.subject == "Transaction Receipt from Test merchant for 25.00 (USD)"
    assert "Transaction Type    : Prior Authorization Capture" in captured.body

    settle(gateway.server, gateway.merchant, auth)
    refund = transaction(
        REFUND,
        "5.00",
        card(VISA[-4:], "XXXX"),
        ref=auth,
        settings={**EMAIL_ME, "footerEmailReceipt": "Refunded."},
    )
    refund_id = trans_id(gateway.approved(with_email(refund, "refunds@example.com")))
    [refunded] = outbox(gateway.server, gateway.merchant, refund_id)
    assert refunded.recipient == "refunds@example.com"
    assert "Transaction Type    : Refund" in refunded.body
    assert refunded.body.rstrip().endswith("Refunded.")

    other = charge(gateway, {"duplicateWindow": "0"}, email="buyer@example.com")
    gateway.approved(transaction(VOID, None, ref=other, settings=EMAIL_ME))
    assert outbox(gateway.server, gateway.merchant, other) == []
