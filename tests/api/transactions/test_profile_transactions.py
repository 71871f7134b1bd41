"""createCustomerProfileTransactionRequest (legacy CIM charges) through the official SDK and
raw JSON: every profileTrans* type, the CSV directResponse beside the transactionResponse, and
the refusals (unknown profiles, mismatched profile ids, declines, refusals at the door)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from strongroom.domain.transactions import TransactionStatus
from tests.api.builders import (
    DECLINE_ZIP,
    Cim,
    address,
    bank,
    child,
    fields,
    payment_profile,
    profile,
    shipping,
    text,
)
from tests.api.live_server import LiveServer
from tests.api.raw import call, envelope, merchant_of
from tests.api.reports import Reports
from tests.api.sdk import ApiMerchant, execute, result
from tests.api.stored_rows import settle, transaction_row, unit

APPROVED_TEXT = "This transaction has been approved."
FIELD_COUNT = 68


@dataclass(frozen=True)
class Customer:
    profile_id: str
    payment_profile_id: str
    address_id: str | None


@dataclass(frozen=True)
class Legacy:
    """createCustomerProfileTransaction for one merchant, through the SDK controller."""

    server: LiveServer
    merchant: ApiMerchant

    def send(self, kind: str, item: Any, ref_id: str | None = None) -> Any:
        request = contracts.createCustomerProfileTransactionRequest()
        request.merchantAuthentication = self.merchant.auth()
        if ref_id is not None:
            request.refId = ref_id
        request.transaction = contracts.profileTransactionType()
        setattr(request.transaction, kind, item)
        return execute(self.server, controllers.createCustomerProfileTransactionController, request)

    def customer(
        self,
        payment: Any = None,
        bill_to: Any = None,
        *,
        ship: bool = True,
        email: str = "ellen@example.com",
        customer_id: str = "cust-7",
    ) -> Customer:
        cim = Cim(self.server, self.merchant)
        profile_id = cim.new_profile(profile(customer_id, email=email))
        payment_profile_id = cim.new_payment_profile(
            profile_id, payment_profile(payment, address() if bill_to is None else bill_to)
        )
        address_id = cim.new_address(profile_id, shipping()) if ship else None
        return Customer(profile_id, payment_profile_id, address_id)

    def status(self, ref: str) -> TransactionStatus:
        services = self.server.application.services
        return services.payments.get(merchant_of(self.server, self.merchant), ref).status


@pytest.fixture
def legacy(server: LiveServer, merchant: ApiMerchant) -> Legacy:
    return Legacy(server, merchant)


def charge_item(
    kind: str,
    customer: Customer,
    amount: str = "12.23",
    *,
    approval_code: str | None = None,
    card_code: str | None = None,
    split_tender_id: str | None = None,
    with_address: bool = True,
) -> Any:
    """A profileTransAuthCapture/AuthOnly/CaptureOnly element, in schema order."""
    item = getattr(contracts, kind + "Type")()
    item.amount = amount
    item.tax = contracts.extendedAmountType()
    item.tax.amount = "1.00"
    item.tax.name = "State tax"
    item.shipping = contracts.extendedAmountType()
    item.shipping.amount = "2.00"
    line = contracts.lineItemType()
    line.itemId = "item-1"
    line.name = "Widget"
    line.quantity = "2"
    line.unitPrice = "4.00"
    item.lineItems.append(line)
    item.customerProfileId = customer.profile_id
    item.customerPaymentProfileId = customer.payment_profile_id
    if with_address and customer.address_id is not None:
        item.customerShippingAddressId = customer.address_id
    item.order = contracts.orderExType()
    item.order.invoiceNumber = "INV-77"
    item.order.description = "Herbs, dried"
    item.order.purchaseOrderNumber = "PO-5"
    item.taxExempt = False
    if card_code is not None:
        item.cardCode = card_code
    if split_tender_id is not None:
        item.splitTenderId = split_tender_id
    if approval_code is not None:
        item.approvalCode = approval_code
    return item


def follow_up(
    kind: str,
    trans_id: str,
    amount: str | None = None,
    *,
    customer: Customer | None = None,
    masked_card: str | None = None,
) -> Any:
    item = getattr(contracts, kind + "Type")()
    if amount is not None:
        item.amount = amount
    if customer is not None:
        item.customerProfileId = customer.profile_id
        item.customerPaymentProfileId = customer.payment_profile_id
    if masked_card is not None:
        item.creditCardNumberMasked = masked_card
    item.transId = trans_id
    return item


def ok_answer(response: Any) -> tuple[Any, list[str]]:
    """(transactionResponse, directResponse fields) of an accepted transaction."""
    assert result(response)[:2] == ("Ok", "I00001"), (result(response), response.directResponse)
    record = fields(str(response.directResponse))
    assert len(record) == FIELD_COUNT
    return response.transactionResponse, record


def refused_answer(response: Any) -> tuple[Any, list[str]]:
    assert result(response) == ("Error", "E00027", "The transaction was unsuccessful."), result(response)
    return response.transactionResponse, fields(str(response.directResponse))


# ----------------------------------------------------------------------------- charges


def test_an_auth_capture_answers_both_records(legacy: Legacy) -> None:
    customer = legacy.customer()
    response = legacy.send(
        "profileTransAuthCapture",
        charge_item("profileTransAuthCapture", customer, card_code="123"),
        ref_id="legacy-1",
    )
    assert response.refId == "legacy-1"
    answer, record = ok_answer(response)
    trans_id = text(answer, "transId") or ""
    assert trans_id.isdigit()
    assert trans_id != "0"
    assert text(answer, "responseCode") == "1"
    assert text(answer, "accountNumber") == "XXXX1111"
    assert record[:4] == ["1", "1", "1", APPROVED_TEXT]
    assert record[4] == text(answer, "authCode")
    assert len(record[4]) == 6
    assert record[5] == text(answer, "avsResultCode") == "Y"
    assert record[6:12] == [trans_id, "INV-77", "Herbs  dried", "12.23", "CC", "auth_capture"]
    assert record[12] == "cust-7"
    assert record[13:23] == [
        "Ellen",
        "Johnson",
        "Souveniropolis",
        "14 Main Street",
        "Pecan Springs",
        "TX",
        "44628",
        "US",
        "888-888-8888",
        "",
    ]
    assert record[23] == "ellen@example.com"
    assert record[24:32] == [
        "China",
        "Bayles",
        "Thyme for Herbs",
        "12 Main Street",
        "Pecan Springs",
        "TX",
        "44628",
        "US",
    ]
    assert record[32:37] == ["1.00", "", "2.00", "FALSE", "PO-5"]
    assert record[38] == "M"  # card code result
    assert record[50:52] == ["XXXX1111", "Visa"]
    assert legacy.status(trans_id) is TransactionStatus.CAPTURED_PENDING_SETTLEMENT
    stored = legacy.server.application.services.payments.get(
        merchant_of(legacy.server, legacy.merchant), trans_id
    )
    assert (stored.customer_profile_ref, stored.payment_profile_ref, stored.shipping_address_ref) == (
        customer.profile_id,
        customer.payment_profile_id,
        customer.address_id,
    )


def test_a_profile_charge_records_the_fingerprint_stored_with_the_profile(legacy: Legacy) -> None:
    customer = legacy.customer()
    answer, _ = ok_answer(
        legacy.send("profileTransAuthCapture", charge_item("profileTransAuthCapture", customer))
    )
    stored_merchant = merchant_of(legacy.server, legacy.merchant)
    with unit(legacy.server) as uow:
        row = uow.profiles.payment_profile(
            stored_merchant.container_key, customer.profile_id, customer.payment_profile_id
        )
    assert row is not None
    assert row.fingerprint
    charged = transaction_row(legacy.server, legacy.merchant, text(answer, "transId") or "")
    assert charged.fingerprint == row.fingerprint


def test_an_auth_only_is_captured_then_voided_through_the_legacy_call(legacy: Legacy) -> None:
    customer = legacy.customer(ship=False)
    answer, record = ok_answer(
        legacy.send("profileTransAuthOnly", charge_item("profileTransAuthOnly", customer, "20.00"))
    )
    trans_id = text(answer, "transId") or ""
    assert record[11] == "auth_only"
    assert record[24:32] == [""] * 8  # no shipping address was named
    assert legacy.status(trans_id) is TransactionStatus.AUTHORIZED_PENDING_CAPTURE

    captured, record = ok_answer(
        legacy.send(
            "profileTransPriorAuthCapture",
            follow_up("profileTransPriorAuthCapture", trans_id, "15.00", customer=customer),
        )
    )
    assert text(captured, "transId") == trans_id
    assert text(captured, "refTransID") == trans_id
    assert (record[6], record[9], record[11]) == (trans_id, "15.00", "prior_auth_capture")
    assert legacy.status(trans_id) is TransactionStatus.CAPTURED_PENDING_SETTLEMENT

    voided, record = ok_answer(legacy.send("profileTransVoid", follow_up("profileTransVoid", trans_id)))
    assert text(voided, "transId") == trans_id
    assert (record[6], record[9], record[11], record[12]) == (trans_id, "20.00", "void", "cust-7")
    assert record[13:15] == ["Ellen", "Johnson"]  # billing of the original transaction
    assert legacy.status(trans_id) is TransactionStatus.VOIDED


def test_a_capture_only_keeps_its_approval_code(legacy: Legacy) -> None:
    customer = legacy.customer()
    answer, record = ok_answer(
        legacy.send(
            "profileTransCaptureOnly",
            charge_item("profileTransCaptureOnly", customer, "9.00", approval_code="ABC123"),
        )
    )
    assert text(answer, "authCode") == "ABC123"
    assert (record[4], record[11]) == ("ABC123", "capture_only")


def test_a_capture_only_without_an_approval_code_is_reason_12(legacy: Legacy) -> None:
    customer = legacy.customer()
    answer, record = refused_answer(
        legacy.send(
            "profileTransCaptureOnly",
            charge_item("profileTransCaptureOnly", customer, "9.00", approval_code=""),
        )
    )
    assert text(answer, "transId") == "0"
    assert (record[0], record[2], record[6], record[11]) == ("3", "12", "0", "capture_only")


def test_a_bank_account_profile_is_an_echeck_record(legacy: Legacy) -> None:
    customer = legacy.customer(bank())
    answer, record = ok_answer(
        legacy.send("profileTransAuthCapture", charge_item("profileTransAuthCapture", customer, "25.00"))
    )
    assert text(answer, "accountType") == "eCheck"
    assert (record[10], record[50], record[51]) == ("ECHECK", "XXXX4321", "Bank Account")


def test_a_decline_is_e00027_with_a_declined_record(legacy: Legacy) -> None:
    customer = legacy.customer(bill_to=address(zip=DECLINE_ZIP))
    answer, record = refused_answer(
        legacy.send("profileTransAuthCapture", charge_item("profileTransAuthCapture", customer))
    )
    assert text(answer, "responseCode") == "2"
    assert record[:4] == ["2", "1", "2", "This transaction has been declined."]
    assert record[6] == text(answer, "transId") != "0"


def test_an_unknown_profile_is_e00040(legacy: Legacy) -> None:
    customer = legacy.customer()
    for unknown in (
        Customer("999999999", customer.payment_profile_id, None),
        Customer(customer.profile_id, "999999999", None),
        Customer(customer.profile_id, customer.payment_profile_id, "99999999"),
    ):
        response = legacy.send("profileTransAuthCapture", charge_item("profileTransAuthCapture", unknown))
        assert result(response)[:2] == ("Error", "E00040")
        assert child(response, "directResponse") is None


def test_another_merchants_profile_is_e00040(server: LiveServer, legacy: Legacy) -> None:
    from tests.api.sdk import new_merchant

    other = Legacy(server, new_merchant(server, "Other")).customer()
    response = legacy.send("profileTransAuthCapture", charge_item("profileTransAuthCapture", other))
    assert result(response)[:2] == ("Error", "E00040")


# ----------------------------------------------------------------------------- follow-ups


def test_a_follow_up_naming_another_payment_profile_is_e00051(legacy: Legacy) -> None:
    customer = legacy.customer()
    answer, _ = ok_answer(
        legacy.send("profileTransAuthOnly", charge_item("profileTransAuthOnly", customer, "5.00"))
    )
    trans_id = text(answer, "transId") or ""
    other = legacy.customer(customer_id="cust-8")
    response = legacy.send("profileTransVoid", follow_up("profileTransVoid", trans_id, customer=other))
    assert result(response) == (
        "Error",
        "E00051",
        "The original transaction was not issued for this payment profile.",
    )
    assert legacy.status(trans_id) is TransactionStatus.AUTHORIZED_PENDING_CAPTURE


def test_a_void_of_an_unknown_transaction_is_reason_16(legacy: Legacy) -> None:
    answer, record = refused_answer(
        legacy.send("profileTransVoid", follow_up("profileTransVoid", "99999999999"))
    )
    assert text(answer, "refTransID") == "99999999999"
    assert (record[0], record[2], record[11]) == ("3", "16", "void")


def test_a_settled_charge_is_refunded_by_masked_number_or_by_default(legacy: Legacy) -> None:
    customer = legacy.customer()
    answer, _ = ok_answer(
        legacy.send("profileTransAuthCapture", charge_item("profileTransAuthCapture", customer, "30.00"))
    )
    trans_id = text(answer, "transId") or ""
    settle(legacy.server, legacy.merchant, trans_id)

    refund, record = ok_answer(
        legacy.send(
            "profileTransRefund", follow_up("profileTransRefund", trans_id, "10.00", masked_card="XXXX1111")
        )
    )
    refund_id = text(refund, "transId") or ""
    assert refund_id not in ("", "0", trans_id)
    assert text(refund, "refTransID") == trans_id
    assert (record[6], record[9], record[11], record[50]) == (refund_id, "10.00", "credit", "XXXX1111")
    assert legacy.status(refund_id) is TransactionStatus.REFUND_PENDING_SETTLEMENT

    by_default, _ = ok_answer(
        legacy.send("profileTransRefund", follow_up("profileTransRefund", trans_id, "5.00"))
    )
    by_profile, _ = ok_answer(
        legacy.send(
            "profileTransRefund", follow_up("profileTransRefund", trans_id, "4.00", customer=customer)
        )
    )
    assert text(by_default, "transId") != text(by_profile, "transId")

    wrong, record = refused_answer(
        legacy.send(
            "profileTransRefund", follow_up("profileTransRefund", trans_id, "1.00", masked_card="XXXX2222")
        )
    )
    assert record[2] == text(wrong, "errors", "error", "errorCode")


def test_a_refund_without_a_transaction_is_an_unlinked_credit_and_refused(legacy: Legacy) -> None:
    customer = legacy.customer()
    item = contracts.profileTransRefundType()
    item.amount = "5.00"
    item.customerProfileId = customer.profile_id
    item.customerPaymentProfileId = customer.payment_profile_id
    answer, record = refused_answer(legacy.send("profileTransRefund", item))
    assert (record[0], record[2], record[11]) == ("3", "54", "credit")
    assert text(answer, "transId") == "0"


# ----------------------------------------------------------------------------- JSON


def test_a_json_auth_capture(server: LiveServer, merchant: ApiMerchant) -> None:
    customer = Legacy(server, merchant).customer()
    answer = call(
        server,
        "json",
        "createCustomerProfileTransactionRequest",
        envelope(
            merchant,
            ("refId", "json-1"),
            (
                "transaction",
                [
                    (
                        "profileTransAuthCapture",
                        [
                            ("amount", "7.10"),
                            ("customerProfileId", customer.profile_id),
                            ("customerPaymentProfileId", customer.payment_profile_id),
                            ("order", [("invoiceNumber", "J-1")]),
                        ],
                    )
                ],
            ),
        ),
    )
    document = answer.ok().json()
    assert document["refId"] == "json-1"
    record = fields(document["directResponse"])
    response = document["transactionResponse"]
    assert (record[0], record[6], record[7], record[9], record[11]) == (
        "1",
        response["transId"],
        "J-1",
        "7.10",
        "auth_capture",
    )
    assert response["responseCode"] == "1"


def test_xml_with_two_transaction_types_is_a_schema_error(server: LiveServer, merchant: ApiMerchant) -> None:
    item = [("amount", "1.00"), ("customerProfileId", "1"), ("customerPaymentProfileId", "2")]
    answer = call(
        server,
        "xml",
        "createCustomerProfileTransactionRequest",
        envelope(
            merchant, ("transaction", [("profileTransAuthCapture", item), ("profileTransAuthOnly", item)])
        ),
    )
    assert answer.error()[0] == "E00003"


def test_the_authorization_indicator_is_kept_and_reported(legacy: Legacy) -> None:
    item = charge_item("profileTransAuthOnly", legacy.customer(ship=False), "20.00")
    item.authorizationIndicatorType = contracts.authorizationIndicatorType()
    item.authorizationIndicatorType.authorizationIndicator = "final"
    answer, _ = ok_answer(legacy.send("profileTransAuthOnly", item))

    found = Reports(legacy.server, legacy.merchant).transaction(text(answer, "transId") or "")

    assert text(found, "authorizationIndicator") == "final"
