"""Fraud filters and held transactions through the official SDK: createTransaction answers
responseCode 4 with reason 252 or 253 (or declines with 250/251), updateHeldTransaction approves
or declines, approved holds settle at the next cut-off, and nobody reviews another merchant's
transactions. One call in raw JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from strongroom.domain.fraud import FilterKind, FraudAction, FraudFilter, blocked_networks
from strongroom.domain.money import Money
from strongroom.domain.transactions import TransactionStatus
from tests.api.builders import DECLINE_ZIP, address, card, child, items, text
from tests.api.live_server import LiveServer
from tests.api.raw import call, envelope, merchant_of
from tests.api.reports import Reports, trans_ids
from tests.api.sdk import ApiMerchant, execute, new_merchant, result
from tests.api.transactions.test_create_transaction import (
    APPROVED_TEXT,
    AUTH_CAPTURE,
    AUTH_ONLY,
    DECLINED_TEXT,
    Gateway,
    approved,
    failed,
    sha2,
    trans_id,
    transaction,
)
from tests.api.transactions.test_settlement import settle

S = TransactionStatus
A = FraudAction
HELD_TEXT = "Your order has been received. Thank you for your business!"
NOT_HELD = "The transaction is not held for review."
IP = "203.0.113.7"


@pytest.fixture
def gateway(server: LiveServer, merchant: ApiMerchant) -> Gateway:
    return Gateway(server, merchant)


def add(gateway: Gateway, item: FraudFilter) -> None:
    services = gateway.server.application.services
    services.fraud_filters.add(merchant_of(gateway.server, gateway.merchant), item)


def over(threshold: str, action: FraudAction) -> FraudFilter:
    return FraudFilter(
        f"Over {threshold} {action}", FilterKind.AMOUNT_OVER, action, threshold=Money(Decimal(threshold))
    )


def from_ip(type_: str, amount: str, ip: str = IP, **kw: Any) -> Any:
    item = transaction(type_, amount, card(), bill_to=address(), **kw)
    item.customerIP = ip
    return item


def held(response: Any, reason: str) -> Any:
    """The transactionResponse of a transaction held for review (Ok / I00001, responseCode 4)."""
    assert result(response)[:2] == ("Ok", "I00001")
    answer = response.transactionResponse
    assert text(answer, "responseCode") == "4"
    assert child(answer, "errors") is None
    assert text(answer, "messages", "message", "code") == reason
    assert text(answer, "messages", "message", "description") == HELD_TEXT
    return answer


def update_held(gateway: Gateway, action: str, ref: str, merchant: ApiMerchant | None = None) -> Any:
    request = contracts.updateHeldTransactionRequest()
    request.merchantAuthentication = (merchant or gateway.merchant).auth()
    request.refId = "review-1"
    request.heldTransactionRequest = contracts.heldTransactionRequestType()
    request.heldTransactionRequest.action = action
    request.heldTransactionRequest.refTransId = ref
    return execute(gateway.server, controllers.updateHeldTransactionController, request)


def refused_review(response: Any, reason: str, error_text: str) -> None:
    answer, said = failed(response, "3", reason)
    assert said == error_text
    assert text(answer, "transId") == "0"


# ----------------------------------------------------------------------------- createTransaction


def test_a_hold_answers_4_with_reason_252_and_no_authorisation(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.HOLD))

    answer = held(gateway.send(from_ip(AUTH_CAPTURE, "600.00")), "252")

    ref = trans_id(answer)
    assert text(answer, "authCode") == ""
    assert text(answer, "accountNumber") == "XXXX1111"
    assert text(answer, "transHashSha2") == sha2(gateway.merchant, ref, "600.00")
    assert gateway.status(ref) is S.HELD_FOR_REVIEW


def test_authorize_and_hold_answers_4_with_reason_253_and_an_auth_code(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.AUTHORIZE_AND_HOLD))

    answer = held(gateway.send(from_ip(AUTH_ONLY, "600.00")), "253")

    assert len(text(answer, "authCode") or "") == 6
    assert text(answer, "avsResultCode") == "Y"
    assert gateway.status(trans_id(answer)) is S.AUTHORIZED_HELD_FOR_REVIEW


def test_a_declining_filter_answers_2_with_reason_251(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.DECLINE))

    answer, said = failed(gateway.send(from_ip(AUTH_CAPTURE, "600.00")), "2", "251")

    assert said == DECLINED_TEXT
    assert gateway.status(trans_id(answer)) is S.DECLINED


def test_a_blocked_customer_ip_answers_2_with_reason_250(gateway: Gateway) -> None:
    add(
        gateway,
        FraudFilter(
            "IP Address Blocking",
            FilterKind.IP_BLOCKLIST,
            A.DECLINE,
            blocked=blocked_networks(["203.0.113.0/24"]),
        ),
    )

    failed(gateway.send(from_ip(AUTH_CAPTURE, "5.00")), "2", "250")
    approved(gateway.send(from_ip(AUTH_CAPTURE, "6.00", "198.51.100.1")))


def test_ip_velocity_holds_the_charge_past_the_limit(gateway: Gateway) -> None:
    add(
        gateway,
        FraudFilter("IP Velocity Filter", FilterKind.IP_VELOCITY, A.HOLD, max_count=2, window_seconds=3600),
    )

    approved(gateway.send(from_ip(AUTH_CAPTURE, "1.00")))
    approved(gateway.send(from_ip(AUTH_CAPTURE, "2.00")))
    held(gateway.send(from_ip(AUTH_CAPTURE, "3.00")), "252")
    approved(gateway.send(from_ip(AUTH_CAPTURE, "4.00", "198.51.100.1")))


# ----------------------------------------------------------------------------- updateHeldTransaction


def test_an_approved_hold_is_authorised_and_settles_at_the_next_cutoff(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.HOLD))
    ref = trans_id(held(gateway.send(from_ip(AUTH_CAPTURE, "600.00")), "252"))

    settle(gateway)
    assert gateway.status(ref) is S.HELD_FOR_REVIEW  # never settles while held

    response = update_held(gateway, "approve", ref)

    assert response.refId == "review-1"
    answer = approved(response)
    assert text(answer, "transId") == ref
    assert text(answer, "refTransID") == ref
    assert len(text(answer, "authCode") or "") == 6
    assert text(answer, "avsResultCode") == "Y"
    assert text(answer, "accountNumber") == "XXXX1111"
    assert text(answer, "accountType") == "Visa"
    assert text(answer, "messages", "message", "description") == APPROVED_TEXT
    assert text(answer, "transHashSha2") == sha2(gateway.merchant, ref, "600.00")
    assert gateway.status(ref) is S.CAPTURED_PENDING_SETTLEMENT

    settle(gateway)
    assert gateway.status(ref) is S.SETTLED


def test_an_approved_authorised_hold_waits_for_its_capture(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.AUTHORIZE_AND_HOLD))
    hold = held(gateway.send(from_ip(AUTH_ONLY, "600.00")), "253")
    ref = trans_id(hold)

    answer = approved(update_held(gateway, "approve", ref))

    assert text(answer, "authCode") == text(hold, "authCode")
    assert gateway.status(ref) is S.AUTHORIZED_PENDING_CAPTURE
    approved(gateway.send(transaction("priorAuthCaptureTransaction", None, ref=ref)))
    assert gateway.status(ref) is S.CAPTURED_PENDING_SETTLEMENT


@pytest.mark.parametrize("action", [A.HOLD, A.AUTHORIZE_AND_HOLD])
def test_a_declined_hold_answers_ok_with_reason_254_and_never_settles(
    gateway: Gateway, action: FraudAction
) -> None:
    add(gateway, over("500.00", action))
    ref = trans_id(gateway.send(from_ip(AUTH_CAPTURE, "600.00")).transactionResponse)

    response = update_held(gateway, "decline", ref)

    assert result(response)[:2] == ("Ok", "I00001")
    answer = response.transactionResponse
    assert text(answer, "responseCode") == "2"
    assert text(answer, "transId") == ref
    assert text(answer, "authCode") == ""
    [error] = items(answer, "errors", "error")
    assert (text(error, "errorCode"), text(error, "errorText")) == ("254", DECLINED_TEXT)
    settle(gateway)
    assert gateway.status(ref) is S.DECLINED


def test_an_approval_the_card_declines_is_unsuccessful(gateway: Gateway) -> None:
    add(gateway, over("5.00", A.HOLD))
    item = from_ip(AUTH_CAPTURE, "20.00")
    item.billTo.zip = DECLINE_ZIP
    ref = trans_id(held(gateway.send(item), "252"))

    answer, said = failed(update_held(gateway, "approve", ref), "2", "2")

    assert said == DECLINED_TEXT
    assert text(answer, "transId") == ref
    assert gateway.status(ref) is S.DECLINED


@pytest.mark.parametrize("action", ["approve", "decline"])
def test_only_held_transactions_are_reviewed(gateway: Gateway, action: str) -> None:
    plain = trans_id(approved(gateway.send(from_ip(AUTH_CAPTURE, "10.00"))))

    refused_review(update_held(gateway, action, plain), "16", NOT_HELD)
    refused_review(update_held(gateway, action, "99999999999"), "16", "The transaction cannot be found.")
    refused_review(
        update_held(gateway, action, "12ab"), "15", "The transaction ID is invalid or not present."
    )
    assert gateway.status(plain) is S.CAPTURED_PENDING_SETTLEMENT


def test_a_transaction_is_reviewed_once(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.HOLD))
    ref = trans_id(held(gateway.send(from_ip(AUTH_CAPTURE, "600.00")), "252"))
    approved(update_held(gateway, "approve", ref))

    refused_review(update_held(gateway, "decline", ref), "16", NOT_HELD)
    assert gateway.status(ref) is S.CAPTURED_PENDING_SETTLEMENT


def test_another_merchant_can_neither_see_nor_review_a_hold(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.HOLD))
    ref = trans_id(held(gateway.send(from_ip(AUTH_CAPTURE, "600.00")), "252"))
    other = new_merchant(gateway.server, "Other shop")

    refused_review(update_held(gateway, "approve", ref, other), "16", "The transaction cannot be found.")
    assert gateway.status(ref) is S.HELD_FOR_REVIEW
    # The other merchant has no filters: the same charge goes through there.
    approved(Gateway(gateway.server, other).send(from_ip(AUTH_CAPTURE, "600.00")))


def test_bad_credentials_answer_without_a_transaction_response(gateway: Gateway) -> None:
    wrong = ApiMerchant(gateway.merchant.login_id, "0" * 16, gateway.merchant.signature_key)

    response = update_held(gateway, "approve", "123", wrong)

    assert result(response)[:2] == ("Error", "E00007")
    assert getattr(response, "transactionResponse", None) is None


def test_update_held_transaction_in_json(server: LiveServer, gateway: Gateway) -> None:
    add(gateway, over("500.00", A.HOLD))
    ref = trans_id(held(gateway.send(from_ip(AUTH_CAPTURE, "600.00")), "252"))

    answer = call(
        server,
        "json",
        "updateHeldTransactionRequest",
        envelope(
            gateway.merchant,
            ("refId", "json-1"),
            ("heldTransactionRequest", [("action", "approve"), ("refTransId", ref)]),
        ),
    ).ok()

    document = answer.json()
    assert document["refId"] == "json-1"
    response = document["transactionResponse"]
    assert (response["responseCode"], response["transId"], response["refTransID"]) == ("1", ref, ref)
    assert response["messages"] == [{"code": "1", "description": APPROVED_TEXT}]
    assert "errors" not in response
    assert gateway.status(ref) is S.CAPTURED_PENDING_SETTLEMENT


@pytest.mark.parametrize("dialect", ["xml", "json"])
def test_an_unknown_action_is_a_schema_error(server: LiveServer, merchant: ApiMerchant, dialect: str) -> None:
    answer = call(
        server,
        dialect,
        "updateHeldTransactionRequest",
        envelope(merchant, ("heldTransactionRequest", [("action", "release"), ("refTransId", "1")])),
    )

    code, said = answer.error()
    assert code == "E00003"
    assert "afdsTransactionEnum" in said


# ----------------------------------------------------------------------------- reporting


def test_reports_show_a_real_hold_with_the_filters_that_fired(gateway: Gateway) -> None:
    add(gateway, over("500.00", A.HOLD))
    add(gateway, over("100.00", A.REPORT))
    ref = trans_id(held(gateway.send(from_ip(AUTH_CAPTURE, "600.00")), "252"))
    passed = trans_id(approved(gateway.send(from_ip(AUTH_CAPTURE, "50.00"))))
    reports = Reports(gateway.server, gateway.merchant)

    pending = reports.unsettled(status="pendingApproval")
    details = reports.transaction(ref)

    assert trans_ids(pending) == [ref]
    listed = child(pending, "transactions", "transaction")
    assert text(listed, "transactionStatus") == "FDSPendingReview"
    assert [item.text for item in items(listed, "fraudInformation", "fraudFilterList", "fraudFilter")] == [
        "Over 500.00 hold",
        "Over 100.00 report",
    ]
    assert text(listed, "fraudInformation", "fraudAction") == "hold"
    assert text(details, "transactionStatus") == "FDSPendingReview"
    assert text(details, "FDSFilterAction") == "hold"
    assert [
        (text(item, "name"), text(item, "action")) for item in items(details, "FDSFilters", "FDSFilter")
    ] == [("Over 500.00 hold", "hold"), ("Over 100.00 report", "report")]
    assert passed in trans_ids(reports.unsettled())
    assert child(reports.transaction(passed), "FDSFilters") is None
