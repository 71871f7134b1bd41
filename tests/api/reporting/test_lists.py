"""getTransactionList, getUnsettledTransactionList and getTransactionListForCustomer through the
official SDK (and raw JSON): summaries, sorting by id or submission time either way, paging
counted in pages, the pendingApproval filter, and tenancy."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from strongroom.domain.transactions import TransactionStatus
from tests.api.builders import (
    DECLINE_ZIP,
    MASTERCARD,
    Cim,
    address,
    bank,
    card,
    items,
    payment_profile,
    profile,
    text,
)
from tests.api.live_server import LiveServer
from tests.api.raw import call, envelope
from tests.api.reports import Reports, settle, store_as, stored, trans_ids
from tests.api.sdk import ApiMerchant, new_merchant, result
from tests.api.transactions.test_create_transaction import (
    AUTH_CAPTURE,
    AUTH_ONLY,
    VOID,
    Gateway,
    failed,
    stored_profile,
    trans_id,
    transaction,
)

S = TransactionStatus


@pytest.fixture
def gateway(server: LiveServer, merchant: ApiMerchant) -> Gateway:
    return Gateway(server, merchant)


@pytest.fixture
def reports(server: LiveServer, merchant: ApiMerchant) -> Reports:
    return Reports(server, merchant)


def charges(gateway: Gateway, count: int) -> list[str]:
    """`count` approved charges, one second apart (submission order is time order)."""
    refs = []
    for number in range(count):
        refs.append(gateway.charge(f"{number + 1}.00"))
        gateway.server.clock.advance(timedelta(seconds=1))
    return refs


def summary(response: Any, trans_id_: str) -> Any:
    for item in items(response, "transactions", "transaction"):
        if text(item, "transId") == trans_id_:
            return item
    raise AssertionError(f"{trans_id_} is not listed")


def amount(item: object, name: str = "settleAmount") -> Decimal:
    return Decimal(text(item, name) or "nan")


def batch_of(gateway: Gateway, ref: str) -> str:
    batch = stored(gateway.server, gateway.merchant, ref).batch_ref
    assert batch is not None
    return batch


# ----------------------------------------------------------------------------- a batch


def test_a_batch_lists_its_transactions_oldest_first(gateway: Gateway, reports: Reports) -> None:
    named = gateway.charge("10.00", bill_to=address(), invoice="INV-7")
    gateway.server.clock.advance(timedelta(seconds=1))
    other = gateway.charge("5.50", card(MASTERCARD))
    gateway.server.clock.advance(timedelta(seconds=1))
    voided = gateway.charge("3.00")
    gateway.approved(transaction(VOID, None, ref=voided))
    gateway.server.clock.advance(timedelta(seconds=1))
    answer, _ = failed(
        gateway.send(transaction(AUTH_CAPTURE, "4.00", card(), bill_to=address(zip=DECLINE_ZIP))), "2", "2"
    )
    declined = trans_id(answer)
    settle(gateway.server, gateway.merchant)

    response = reports.transaction_list(batch_of(gateway, named))

    assert result(response) == ("Ok", "I00001", "Successful.")
    assert trans_ids(response) == [named, other, voided, declined]
    assert text(response, "totalNumInResultSet") == "4"
    first = summary(response, named)
    assert text(first, "transactionStatus") == "settledSuccessfully"
    assert (text(first, "invoiceNumber"), text(first, "firstName"), text(first, "lastName")) == (
        "INV-7",
        "Ellen",
        "Johnson",
    )
    assert (text(first, "accountType"), text(first, "accountNumber")) == ("Visa", "XXXX1111")
    assert amount(first) == Decimal("10.00")
    assert (text(first, "marketType"), text(first, "product")) == ("eCommerce", "Card Not Present")
    assert text(first, "submitTimeUTC")
    assert text(first, "submitTimeLocal")
    assert text(summary(response, other), "accountType") == "MasterCard"
    assert text(summary(response, voided), "transactionStatus") == "voided"
    assert amount(summary(response, voided)) == Decimal("0.00")
    assert text(summary(response, declined), "transactionStatus") == "declined"
    assert amount(summary(response, declined)) == Decimal("4.00")


@pytest.mark.parametrize("order_by", ["id", "submitTimeUTC"])
@pytest.mark.parametrize("descending", [False, True])
def test_a_batch_is_sorted_and_paged(
    gateway: Gateway, reports: Reports, order_by: str, descending: bool
) -> None:
    refs = charges(gateway, 7)
    settle(gateway.server, gateway.merchant)
    batch = batch_of(gateway, refs[0])
    expected = sorted(refs) if order_by == "id" else list(refs)
    if descending:
        expected.reverse()

    pages = [
        reports.transaction_list(batch, order_by=order_by, descending=descending, limit=3, offset=number)
        for number in (1, 2, 3, 4)
    ]

    assert [trans_ids(page) for page in pages] == [expected[:3], expected[3:6], expected[6:], []]
    assert [text(page, "totalNumInResultSet") for page in pages] == ["7"] * 4
    assert [result(page)[1] for page in pages] == ["I00001"] * 4


def test_a_batch_id_of_no_batch_has_no_records(reports: Reports) -> None:
    response = reports.transaction_list("99999999")

    assert result(response) == ("Ok", "I00004", "No records found.")
    assert trans_ids(response) == []


# ----------------------------------------------------------------------------- unsettled


def test_unsettled_lists_what_is_in_no_batch_yet_newest_first(gateway: Gateway, reports: Reports) -> None:
    captured = gateway.charge("10.00")
    gateway.server.clock.advance(timedelta(seconds=1))
    authorized = gateway.authorize("7.00")
    gateway.server.clock.advance(timedelta(seconds=1))
    voided = gateway.charge("3.00")
    gateway.approved(transaction(VOID, None, ref=voided))
    gateway.server.clock.advance(timedelta(seconds=1))
    echeck = gateway.charge("20.00", bank())

    before = reports.unsettled()

    assert trans_ids(before) == [echeck, voided, authorized, captured]
    assert text(before, "totalNumInResultSet") == "4"
    statuses = {ref: text(summary(before, ref), "transactionStatus") for ref in trans_ids(before)}
    assert statuses == {
        captured: "capturedPendingSettlement",
        voided: "voided",
        authorized: "authorizedPendingCapture",
        echeck: "capturedPendingSettlement",
    }
    assert amount(summary(before, authorized)) == Decimal("7.00")  # what would settle
    assert text(summary(before, echeck), "accountType") == "eCheck"
    assert text(summary(before, echeck), "hasReturnedItems") == "false"

    settle(gateway.server, gateway.merchant)

    after = reports.unsettled()
    assert trans_ids(after) == [authorized]
    assert text(after, "totalNumInResultSet") == "1"


@pytest.mark.parametrize("order_by", ["id", "submitTimeUTC"])
def test_unsettled_is_sorted_and_paged(gateway: Gateway, reports: Reports, order_by: str) -> None:
    refs = charges(gateway, 5)
    ascending = sorted(refs) if order_by == "id" else refs

    up = [
        trans_ids(reports.unsettled(order_by=order_by, descending=False, limit=2, offset=number))
        for number in (1, 2, 3)
    ]
    down = [
        trans_ids(reports.unsettled(order_by=order_by, descending=True, limit=2, offset=number))
        for number in (1, 2, 3)
    ]

    assert up == [ascending[:2], ascending[2:4], ascending[4:]]
    assert down == [ascending[::-1][:2], ascending[::-1][2:4], ascending[::-1][4:]]


def test_nothing_unsettled_has_no_records(reports: Reports) -> None:
    response = reports.unsettled()

    assert result(response) == ("Ok", "I00004", "No records found.")


def test_pending_approval_lists_the_transactions_held_for_review(gateway: Gateway, reports: Reports) -> None:
    charged, held, authorized_held = charges(gateway, 3)
    store_as(
        gateway.server,
        held,
        status=S.HELD_FOR_REVIEW,
        fraud_action="hold",
        fraud_filters=json.dumps([["Amount Filter", "hold"], ["Velocity Filter", "report"]]),
    )
    store_as(gateway.server, authorized_held, status=S.AUTHORIZED_HELD_FOR_REVIEW)

    response = reports.unsettled(status="pendingApproval")

    assert trans_ids(response) == [authorized_held, held]
    assert text(summary(response, held), "transactionStatus") == "FDSPendingReview"
    assert text(summary(response, authorized_held), "transactionStatus") == "FDSAuthorizedPendingReview"
    fraud = summary(response, held).fraudInformation
    assert [item.text for item in items(fraud, "fraudFilterList", "fraudFilter")] == [
        "Amount Filter",
        "Velocity Filter",
    ]
    assert text(fraud, "fraudAction") == "hold"
    assert charged in trans_ids(reports.unsettled(status="any"))


def test_expired_authorizations_leave_the_unsettled_list(gateway: Gateway, reports: Reports) -> None:
    expiring = gateway.authorize("7.00")
    gateway.server.clock.advance(timedelta(days=31))
    kept = gateway.authorize("8.00")
    settle(gateway.server, gateway.merchant)

    assert stored(gateway.server, gateway.merchant, expiring).status is S.EXPIRED
    assert trans_ids(reports.unsettled()) == [kept]


def test_a_subscription_payment_names_its_subscription(gateway: Gateway, reports: Reports) -> None:
    ref = gateway.charge("9.99")
    store_as(gateway.server, ref, subscription_ref="2341621", pay_num=3)

    item = summary(reports.unsettled(), ref)

    assert (text(item, "subscription", "id"), text(item, "subscription", "payNum")) == ("2341621", "3")


def test_unsettled_in_json(gateway: Gateway, server: LiveServer) -> None:
    ref = gateway.charge("12.50", bill_to=address())

    answer = call(
        server,
        "json",
        "getUnsettledTransactionListRequest",
        envelope(
            gateway.merchant,
            ("status", "any"),
            ("sorting", [("orderBy", "id"), ("orderDescending", "false")]),
            ("paging", [("limit", "100"), ("offset", "1")]),
        ),
    ).json()

    assert answer["messages"]["message"][0]["code"] == "I00001"
    assert answer["totalNumInResultSet"] == 1
    [item] = answer["transactions"]
    assert item["transId"] == ref
    assert item["settleAmount"] == 12.50
    assert item["transactionStatus"] == "capturedPendingSettlement"
    assert item["submitTimeUTC"].endswith("Z")
    assert not item["submitTimeLocal"].endswith("Z")
    assert (item["firstName"], item["lastName"]) == ("Ellen", "Johnson")


def test_paging_outside_its_bounds_is_a_schema_error(gateway: Gateway, server: LiveServer) -> None:
    for limit, offset in (("0", "1"), ("1001", "1"), ("10", "0")):
        answer = call(
            server,
            "xml",
            "getUnsettledTransactionListRequest",
            envelope(gateway.merchant, ("paging", [("limit", limit), ("offset", offset)])),
        )
        code, message = answer.error()
        assert answer.root_name == "ErrorResponse"
        assert code == "E00003"
        assert "inclusive" in message or "constraint" in message.lower(), message


# ----------------------------------------------------------------------------- a customer


def test_a_customer_lists_the_transactions_it_paid(gateway: Gateway, reports: Reports) -> None:
    cim = Cim(gateway.server, gateway.merchant)
    profile_id = cim.new_profile(profile("payer-7"))
    visa = cim.new_payment_profile(profile_id, payment_profile(card()))
    mastercard = cim.new_payment_profile(profile_id, payment_profile(card(MASTERCARD)))
    paid = []
    for amount_, payment_profile_id in (("15.00", visa), ("16.00", mastercard), ("17.00", visa)):
        paid.append(
            trans_id(
                gateway.approved(
                    transaction(
                        AUTH_CAPTURE, amount_, profile_=stored_profile(profile_id, payment_profile_id)
                    )
                )
            )
        )
        gateway.server.clock.advance(timedelta(seconds=1))
    gateway.charge("1.00")  # not the customer's

    everything = reports.for_customer(profile_id)
    with_visa = reports.for_customer(profile_id, visa, order_by="submitTimeUTC", descending=False)

    assert result(everything)[:2] == ("Ok", "I00001")
    assert trans_ids(everything) == paid[::-1]
    assert text(everything, "totalNumInResultSet") == "3"
    assert trans_ids(with_visa) == [paid[0], paid[2]]
    item = summary(everything, paid[1])
    assert (
        text(item, "profile", "customerProfileId"),
        text(item, "profile", "customerPaymentProfileId"),
    ) == (profile_id, mastercard)


def test_another_merchants_customer_is_not_found(gateway: Gateway, server: LiveServer) -> None:
    cim = Cim(server, gateway.merchant)
    profile_id = cim.new_profile(profile("payer-8"))
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card()))
    gateway.approved(
        transaction(AUTH_CAPTURE, "15.00", profile_=stored_profile(profile_id, payment_profile_id))
    )
    stranger = Reports(server, new_merchant(server, "Stranger"))
    own = Reports(server, gateway.merchant)

    assert result(stranger.for_customer(profile_id)) == ("Error", "E00040", "The record cannot be found.")
    assert result(own.for_customer(profile_id, "1234567890"))[1] == "E00040"
    assert result(own.for_customer("1234567890"))[1] == "E00040"


def test_a_customer_without_transactions_has_no_records(gateway: Gateway, reports: Reports) -> None:
    profile_id = Cim(gateway.server, gateway.merchant).new_profile(profile("payer-9"))

    assert result(reports.for_customer(profile_id)) == ("Ok", "I00004", "No records found.")


def test_auth_only_transactions_show_their_type_in_lists_and_details(
    gateway: Gateway, reports: Reports
) -> None:
    ref = trans_id(gateway.approved(transaction(AUTH_ONLY, "6.00", card())))

    assert text(summary(reports.unsettled(), ref), "transactionStatus") == ("authorizedPendingCapture")
    assert text(reports.transaction(ref), "transactionType") == "authOnlyTransaction"
