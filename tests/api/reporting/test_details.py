"""getTransactionDetails through the official SDK (and raw XML/JSON): the full element set of a
charge (order, line items, amounts, billTo/shipTo, customer, batch), refunds, captures, profiles,
card-on-file originals, eCheck accounts, declines, what other features store in the details
(subscription, fraud filters, surcharge, tip, other tax, ship-from), and tenancy."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from authorizenet import apicontractsv1 as contracts

from tests.api.builders import (
    DECLINE_ZIP,
    MASTERCARD,
    SHIPPING,
    Cim,
    address,
    bank,
    card,
    items,
    payment_profile,
    profile,
    shipping,
    text,
)
from tests.api.live_server import LiveServer
from tests.api.raw import call, envelope
from tests.api.reports import Reports, settle, store_as, stored
from tests.api.sdk import ApiMerchant, new_merchant, result
from tests.api.transactions.test_create_transaction import (
    AUTH_CAPTURE,
    AUTH_ONLY,
    PRIOR_AUTH_CAPTURE,
    REFUND,
    Gateway,
    failed,
    stored_profile,
    trans_id,
    transaction,
)


@pytest.fixture
def gateway(server: LiveServer, merchant: ApiMerchant) -> Gateway:
    return Gateway(server, merchant)


@pytest.fixture
def reports(server: LiveServer, merchant: ApiMerchant) -> Reports:
    return Reports(server, merchant)


def number(node: Any, *path: str) -> Decimal:
    return Decimal(text(node, *path) or "nan")


def read_time(value: str | None) -> datetime:
    assert value, value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def full_order(amount: str) -> Any:
    """An authCapture with every order detail the request can carry."""
    ship_to = address(SHIPPING, contracts.nameAndAddressType, phoneNumber=None, faxNumber=None)
    item = transaction(
        AUTH_CAPTURE,
        amount,
        card(code="123"),
        invoice="INV-42",
        line_items=2,
        bill_to=address(),
        ship_to=ship_to,
    )
    item.order.description = "Two widgets"
    for name in ("tax", "duty", "shipping"):
        charge = contracts.extendedAmountType()
        charge.amount = "1.25"
        charge.name = f"{name} name"
        charge.description = f"{name} description"
        setattr(item, name, charge)
    item.taxExempt = False
    item.poNumber = "PO-9"
    item.customer = contracts.customerDataType()
    item.customer.type = "business"
    item.customer.id = "cust-42"
    item.customer.email = "buyer@example.com"
    item.customerIP = "192.0.2.7"
    item.employeeId = "E17"
    return item


def test_details_of_a_settled_charge_carry_the_whole_order(gateway: Gateway, reports: Reports) -> None:
    ref = trans_id(gateway.approved(full_order("23.75")))
    submitted = stored(gateway.server, gateway.merchant, ref).submitted_at
    cutoff = settle(gateway.server, gateway.merchant)

    response = reports.details(ref, ref_id="details-1")

    assert result(response) == ("Ok", "I00001", "Successful.")
    assert response.refId == "details-1"
    found = response.transaction
    assert text(found, "transId") == ref
    assert read_time(text(found, "submitTimeUTC")) == submitted.replace(
        microsecond=submitted.microsecond // 1000 * 1000
    )
    assert (text(found, "transactionType"), text(found, "transactionStatus")) == (
        "authCaptureTransaction",
        "settledSuccessfully",
    )
    assert (
        text(found, "responseCode"),
        text(found, "responseReasonCode"),
        text(found, "responseReasonDescription"),
    ) == ("1", "1", "Approval")
    assert len(text(found, "authCode") or "") == 6
    assert (text(found, "AVSResponse"), text(found, "cardCodeResponse")) == ("Y", "M")
    batch = found.batch
    assert text(batch, "batchId") == stored(gateway.server, gateway.merchant, ref).batch_ref
    assert read_time(text(batch, "settlementTimeUTC")) == cutoff
    assert text(batch, "settlementState") == "settledSuccessfully"
    assert (
        text(found, "order", "invoiceNumber"),
        text(found, "order", "description"),
        text(found, "order", "purchaseOrderNumber"),
    ) == ("INV-42", "Two widgets", "PO-9")
    assert text(found, "requestedAmount") is None
    assert (number(found, "authAmount"), number(found, "settleAmount")) == (
        Decimal("23.75"),
        Decimal("23.75"),
    )
    for name in ("tax", "duty", "shipping"):
        assert number(found, name, "amount") == Decimal("1.25")
        assert text(found, name, "name") == f"{name} name"
    lines = items(found, "lineItems", "lineItem")
    assert [(text(line, "itemId"), text(line, "name"), number(line, "unitPrice")) for line in lines] == [
        ("item-0", "Widget", Decimal("0.10")),
        ("item-1", "Widget", Decimal("0.10")),
    ]
    assert text(found, "taxExempt") == "false"
    assert (
        text(found, "payment", "creditCard", "cardNumber"),
        text(found, "payment", "creditCard", "expirationDate"),
        text(found, "payment", "creditCard", "cardType"),
    ) == ("XXXX1111", "XXXX", "Visa")
    assert (
        text(found, "customer", "type"),
        text(found, "customer", "id"),
        text(found, "customer", "email"),
    ) == ("business", "cust-42", "buyer@example.com")
    assert (
        text(found, "billTo", "firstName"),
        text(found, "billTo", "zip"),
        text(found, "billTo", "phoneNumber"),
    ) == ("Ellen", "44628", "888-888-8888")
    assert (text(found, "shipTo", "lastName"), text(found, "shipTo", "company")) == (
        "Bayles",
        "Thyme for Herbs",
    )
    assert text(found, "recurringBilling") == "false"
    assert text(found, "customerIP") == "192.0.2.7"
    assert (text(found, "product"), text(found, "marketType")) == ("Card Not Present", "eCommerce")
    assert text(found, "employeeId") == "E17"
    assert (text(found, "networkTransId") or "").isdigit()
    assert text(found, "profile") is None
    assert text(found, "subscription") is None


def test_an_unsettled_charge_has_no_batch(gateway: Gateway, reports: Reports) -> None:
    ref = gateway.charge("8.00")

    found = reports.transaction(ref)

    assert text(found, "transactionStatus") == "capturedPendingSettlement"
    assert text(found, "batch") is None


def test_a_refund_names_the_transaction_it_credits(gateway: Gateway, reports: Reports) -> None:
    original = gateway.charge("25.00")
    settle(gateway.server, gateway.merchant)
    refund = trans_id(gateway.approved(transaction(REFUND, "10.00", card("XXXX1111", "XXXX"), ref=original)))

    found = reports.transaction(refund)

    assert text(found, "refTransId") == original
    assert (text(found, "transactionType"), text(found, "transactionStatus")) == (
        "refundTransaction",
        "refundPendingSettlement",
    )
    assert number(found, "authAmount") == Decimal("10.00")
    assert text(reports.transaction(original), "refTransId") is None


def test_a_partial_capture_settles_less_than_it_authorized(gateway: Gateway, reports: Reports) -> None:
    ref = gateway.authorize("40.00")
    gateway.approved(transaction(PRIOR_AUTH_CAPTURE, "30.00", ref=ref))

    found = reports.transaction(ref)

    assert (text(found, "transactionType"), text(found, "transactionStatus")) == (
        "authOnlyTransaction",
        "capturedPendingSettlement",
    )
    assert (number(found, "authAmount"), number(found, "settleAmount")) == (
        Decimal("40.00"),
        Decimal("30.00"),
    )


def test_a_profile_payment_names_its_profile_and_card_on_file_original(
    gateway: Gateway, reports: Reports
) -> None:
    cim = Cim(gateway.server, gateway.merchant)
    profile_id = cim.new_profile(profile("payer-3"))
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(MASTERCARD)))
    address_id = cim.new_address(profile_id, shipping())
    item = transaction(
        AUTH_CAPTURE, "30.00", profile_=stored_profile(profile_id, payment_profile_id, shipping_id=address_id)
    )
    item.processingOptions = contracts.processingOptions()
    item.processingOptions.isSubsequentAuth = True
    item.subsequentAuthInformation = contracts.subsequentAuthInformation()
    item.subsequentAuthInformation.originalNetworkTransId = "0123456789ABCDE"
    item.subsequentAuthInformation.originalAuthAmount = "45.00"
    item.subsequentAuthInformation.reason = "reauthorization"
    ref = trans_id(gateway.approved(item))

    found = reports.transaction(ref)

    assert (
        text(found, "profile", "customerProfileId"),
        text(found, "profile", "customerPaymentProfileId"),
        text(found, "profile", "customerAddressId"),
    ) == (profile_id, payment_profile_id, address_id)
    assert text(found, "originalNetworkTransId") == "0123456789ABCDE"
    assert number(found, "originalAuthAmount") == Decimal("45.00")
    assert text(found, "payment", "creditCard", "cardType") == "MasterCard"
    assert text(found, "shipTo", "firstName") == "China"


def test_an_echeck_shows_its_account_masked(gateway: Gateway, reports: Reports) -> None:
    ref = gateway.charge("20.00", bank("987654321", echeck_type="WEB", bank_name="First Bank"))

    account = reports.transaction(ref).payment.bankAccount

    assert (
        text(account, "accountType"),
        text(account, "routingNumber"),
        text(account, "accountNumber"),
        text(account, "nameOnAccount"),
        text(account, "echeckType"),
        text(account, "bankName"),
    ) == ("checking", "XXXX2882", "XXXX4321", "John Doe", "WEB", "First Bank")


def test_a_decline_is_reported_with_its_reason(gateway: Gateway, reports: Reports) -> None:
    answer, _ = failed(
        gateway.send(transaction(AUTH_CAPTURE, "4.00", card(), bill_to=address(zip=DECLINE_ZIP))), "2", "2"
    )

    found = reports.transaction(trans_id(answer))

    assert (
        text(found, "transactionStatus"),
        text(found, "responseCode"),
        text(found, "responseReasonCode"),
        text(found, "responseReasonDescription"),
    ) == ("declined", "2", "2", "This transaction has been declined.")
    assert text(found, "authCode") is None
    assert number(found, "settleAmount") == Decimal("4.00")


def test_what_other_features_store_is_reported(gateway: Gateway, reports: Reports) -> None:
    ref = gateway.charge("50.00", bill_to=address())
    details = json.loads(stored(gateway.server, gateway.merchant, ref).details_json)
    details.update(
        {
            "surcharge": {"amount": "1.50", "name": "Card fee"},
            "tip": {"amount": "5.00"},
            "other_tax": {
                "national_tax_amount": "0.50",
                "vat_tax_rate": "0.20000",
                "alternate_tax_id": "ALT-1",
            },
            "ship_from": {
                "first_name": "Warehouse",
                "city": "Reno",
                "zip": "89501",
                "phone_number": "not in nameAndAddressType",
            },
            "entry_mode": "Keyed",
            "authorization_indicator": "final",
            "market_type": "1",
            "requested_amount": "60.00",
            "balance_on_card": "3.21",
        }
    )
    store_as(
        gateway.server,
        ref,
        details_json=json.dumps(details),
        subscription_ref="2341621",
        pay_num=4,
        fraud_action="authorize-and-hold",
        fraud_filters=json.dumps([["Amount Filter", "authorize-and-hold"], ["Big spender", "report"]]),
    )

    found = reports.transaction(ref)

    assert (text(found, "subscription", "id"), text(found, "subscription", "payNum")) == ("2341621", "4")
    assert text(found, "FDSFilterAction") == "authAndHold"
    assert [
        (text(item, "name"), text(item, "action")) for item in items(found, "FDSFilters", "FDSFilter")
    ] == [("Amount Filter", "authAndHold"), ("Big spender", "report")]
    assert (number(found, "surcharge", "amount"), text(found, "surcharge", "name")) == (
        Decimal("1.50"),
        "Card fee",
    )
    assert number(found, "tip", "amount") == Decimal("5.00")
    assert number(found, "otherTax", "nationalTaxAmount") == Decimal("0.50")
    assert text(found, "otherTax", "alternateTaxId") == "ALT-1"
    assert (text(found, "shipFrom", "firstName"), text(found, "shipFrom", "city")) == ("Warehouse", "Reno")
    assert text(found, "entryMode") == "Keyed"
    assert text(found, "authorizationIndicator") == "final"
    assert (text(found, "marketType"), text(found, "product")) == ("MOTO", "Card Not Present")
    assert number(found, "requestedAmount") == Decimal("60.00")
    assert number(found, "prepaidBalanceRemaining") == Decimal("3.21")
    assert text(found, "recurringBilling") == "true"  # a subscription payment


def test_unreadable_details_still_report_the_transaction(gateway: Gateway, reports: Reports) -> None:
    ref = gateway.charge("6.00", invoice="INV-1")
    store_as(gateway.server, ref, details_json='{"tip": {"amount": "x"}, "line_items": 7, "ship_from": []}')

    found = reports.transaction(ref)

    assert text(found, "order", "invoiceNumber") == "INV-1"
    for absent in ("tip", "lineItems", "shipFrom", "FDSFilters"):
        assert text(found, absent) is None


def test_an_unknown_or_foreign_transaction_is_not_found(gateway: Gateway, server: LiveServer) -> None:
    ref = gateway.charge("6.00")
    stranger = Reports(server, new_merchant(server, "Stranger"))

    for response in (stranger.details(ref), Reports(server, gateway.merchant).details("123")):
        assert result(response) == ("Error", "E00040", "The record cannot be found.")
    for dialect in ("xml", "json"):
        answer = call(
            server, dialect, "getTransactionDetailsRequest", envelope(stranger.merchant, ("transId", ref))
        )
        assert answer.root_name == "ErrorResponse"
        assert answer.error() == ("E00040", "The record cannot be found.")


def test_details_in_json(gateway: Gateway, server: LiveServer) -> None:
    ref = trans_id(gateway.approved(full_order("23.75")))

    answer = call(
        server, "json", "getTransactionDetailsRequest", envelope(gateway.merchant, ("transId", ref))
    ).json()

    found = answer["transaction"]
    assert list(found)[:4] == ["transId", "submitTimeUTC", "submitTimeLocal", "transactionType"]
    assert found["responseCode"] == 1
    assert found["authAmount"] == 23.75
    assert found["lineItems"][0]["itemId"] == "item-0"
    assert found["payment"]["creditCard"]["cardNumber"] == "XXXX1111"
    assert found["recurringBilling"] is False
    submitted = stored(server, gateway.merchant, ref).submitted_at
    assert found["submitTimeUTC"] == (
        submitted.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{submitted.microsecond // 1000:03d}Z"
    )


def test_an_auth_only_never_captured_reports_what_it_would_settle(gateway: Gateway, reports: Reports) -> None:
    ref = trans_id(gateway.approved(transaction(AUTH_ONLY, "9.00", card())))

    found = reports.transaction(ref)

    assert text(found, "transactionStatus") == "authorizedPendingCapture"
    assert number(found, "settleAmount") == Decimal("9.00")


@pytest.mark.parametrize("indicator", ["pre", "final"])
def test_the_authorization_indicator_sent_is_reported(
    gateway: Gateway, reports: Reports, indicator: str
) -> None:
    item = transaction(AUTH_ONLY, "30.00", card())
    item.authorizationIndicatorType = contracts.authorizationIndicatorType()
    item.authorizationIndicatorType.authorizationIndicator = indicator
    ref = trans_id(gateway.approved(item))
    plain = gateway.charge("31.00")

    assert text(reports.transaction(ref), "authorizationIndicator") == indicator
    assert text(reports.transaction(plain), "authorizationIndicator") is None
