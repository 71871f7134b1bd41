"""updateSplitTenderGroupRequest: a partially approved prepaid card starts a split-tender order,
further transactions join it, and the group is completed, held or voided as a whole. A completed
or voided order takes no further transaction (reason 298); an unknown one, or another
merchant's, is reason 296."""

from __future__ import annotations

from typing import Any

import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from strongroom.domain.transactions import TransactionStatus
from tests.api.builders import address, card, error, ok, text
from tests.api.live_server import LiveServer
from tests.api.raw import call, envelope
from tests.api.sdk import ApiMerchant, execute, new_merchant, result
from tests.api.stored_rows import settle
from tests.api.transactions.test_create_transaction import (
    AUTH_CAPTURE,
    AUTH_ONLY,
    Gateway,
    refused,
    trans_id,
    transaction,
)

PARTIAL_ZIP = "46225"  # the sandbox approves 1.23 of a prepaid card's amount
CLOSED = (
    "This order has already been released or voided therefore new transaction "
    "associations cannot be accepted."
)
INVALID = "The specified SplitTenderID is invalid."


@pytest.fixture
def gateway(server: LiveServer, merchant: ApiMerchant) -> Gateway:
    return Gateway(server, merchant)


def update_group(gateway: Gateway, split_tender_id: str, status: str) -> Any:
    request = contracts.updateSplitTenderGroupRequest()
    request.merchantAuthentication = gateway.merchant.auth()
    request.splitTenderId = split_tender_id
    request.splitTenderStatus = status
    return execute(gateway.server, controllers.updateSplitTenderGroupController, request)


def split_order(gateway: Gateway, kind: str = AUTH_ONLY) -> tuple[str, list[str]]:
    """(splitTenderId, transIds) of a 5.00 order paid 1.23 by a prepaid card, the rest by card."""
    response = gateway.send(
        transaction(
            kind,
            "5.00",
            card(),
            bill_to=address(zip=PARTIAL_ZIP),
            settings={"allowPartialAuth": "true", "duplicateWindow": "0"},
        )
    )
    assert result(response)[:2] == ("Ok", "I00001")
    first = response.transactionResponse
    split_tender_id = text(first, "splitTenderId") or ""
    assert split_tender_id.isdigit()
    second = gateway.approved(transaction(kind, "3.77", card(), split_tender_id=split_tender_id))
    assert text(second, "splitTenderId") == split_tender_id
    return split_tender_id, [trans_id(first), trans_id(second)]


def test_voiding_the_group_voids_every_transaction(gateway: Gateway) -> None:
    split_tender_id, refs = split_order(gateway)
    ok(update_group(gateway, split_tender_id, "voided"))
    assert [gateway.status(ref) for ref in refs] == [TransactionStatus.VOIDED] * 2
    ok(update_group(gateway, split_tender_id, "voided"))  # already voided: still Ok


@pytest.mark.parametrize("status", ["completed", "held"])
def test_completing_or_holding_leaves_the_transactions_as_they_are(gateway: Gateway, status: str) -> None:
    split_tender_id, refs = split_order(gateway)
    ok(update_group(gateway, split_tender_id, status))
    assert [gateway.status(ref) for ref in refs] == [TransactionStatus.AUTHORIZED_PENDING_CAPTURE] * 2


def test_a_group_with_a_settled_transaction_cannot_be_voided_whole(gateway: Gateway) -> None:
    split_tender_id, refs = split_order(gateway, AUTH_CAPTURE)
    settle(gateway.server, gateway.merchant, refs[0])
    code, message = error(update_group(gateway, split_tender_id, "voided"))
    assert code == "E00013"
    assert refs[0] in message
    assert gateway.status(refs[1]) is TransactionStatus.VOIDED


@pytest.mark.parametrize("split_tender_id", ["1234567890", "abc"])
def test_an_unknown_group_is_e00040(gateway: Gateway, split_tender_id: str) -> None:
    assert error(update_group(gateway, split_tender_id, "voided")) == (
        "E00040",
        "The specified SplitTenderID is invalid.",
    )


def test_another_merchants_group_is_e00040(server: LiveServer, gateway: Gateway) -> None:
    owner = Gateway(server, new_merchant(server, "Other"))
    split_tender_id, refs = split_order(owner)
    assert error(update_group(gateway, split_tender_id, "voided"))[0] == "E00040"
    assert [owner.status(ref) for ref in refs] == [TransactionStatus.AUTHORIZED_PENDING_CAPTURE] * 2


def test_an_unknown_status_is_a_schema_error(gateway: Gateway) -> None:
    answer = call(
        gateway.server,
        "xml",
        "updateSplitTenderGroupRequest",
        envelope(gateway.merchant, ("splitTenderId", "123"), ("splitTenderStatus", "closed")),
    )
    assert answer.error()[0] == "E00003"


def test_a_json_void_of_the_group(gateway: Gateway) -> None:
    split_tender_id, refs = split_order(gateway)
    answer = call(
        gateway.server,
        "json",
        "updateSplitTenderGroupRequest",
        envelope(
            gateway.merchant,
            ("refId", "split-1"),
            ("splitTenderId", split_tender_id),
            ("splitTenderStatus", "voided"),
        ),
    )
    assert answer.ok().json()["refId"] == "split-1"
    assert [gateway.status(ref) for ref in refs] == [TransactionStatus.VOIDED] * 2


def join(gateway: Gateway, split_tender_id: str, amount: str = "2.00", **settings: str) -> Any:
    """Another card paying part of the order."""
    return gateway.send(
        transaction(
            AUTH_CAPTURE,
            amount,
            card(),
            split_tender_id=split_tender_id,
            settings={"duplicateWindow": "0", **settings},
        )
    )


def test_a_completed_order_refuses_further_transactions(gateway: Gateway) -> None:
    split_tender_id, refs = split_order(gateway)
    ok(update_group(gateway, split_tender_id, "completed"))
    _, error_text = refused(join(gateway, split_tender_id), "298")
    assert error_text == CLOSED
    refused(join(gateway, split_tender_id, testRequest="true"), "298")
    ok(update_group(gateway, split_tender_id, "completed"))  # a retry changes nothing
    assert [gateway.status(ref) for ref in refs] == [TransactionStatus.AUTHORIZED_PENDING_CAPTURE] * 2


def test_a_held_order_still_takes_transactions(gateway: Gateway) -> None:
    split_tender_id, _ = split_order(gateway)
    ok(update_group(gateway, split_tender_id, "held"))
    answer = gateway.approved(transaction(AUTH_CAPTURE, "2.00", card(), split_tender_id=split_tender_id))
    assert text(answer, "splitTenderId") == split_tender_id
    ok(update_group(gateway, split_tender_id, "completed"))  # held, then completed
    refused(join(gateway, split_tender_id), "298")


def test_a_voided_order_refuses_further_transactions_and_stays_voided(gateway: Gateway) -> None:
    split_tender_id, refs = split_order(gateway)
    ok(update_group(gateway, split_tender_id, "voided"))
    _, error_text = refused(join(gateway, split_tender_id), "298")
    assert error_text == CLOSED
    for status in ("completed", "held"):
        code, message = error(update_group(gateway, split_tender_id, status))
        assert (code, message) == (
            "E00013",
            f"The split tender order has been voided; it cannot be {status}.",
        )
    assert [gateway.status(ref) for ref in refs] == [TransactionStatus.VOIDED] * 2


def test_a_completed_order_cannot_be_held_but_can_be_voided(gateway: Gateway) -> None:
    split_tender_id, refs = split_order(gateway)
    ok(update_group(gateway, split_tender_id, "completed"))
    assert error(update_group(gateway, split_tender_id, "held")) == (
        "E00013",
        "The split tender order is already completed; it can no longer be held.",
    )
    ok(update_group(gateway, split_tender_id, "voided"))
    assert [gateway.status(ref) for ref in refs] == [TransactionStatus.VOIDED] * 2


def test_an_unknown_or_another_merchants_order_cannot_be_joined(server: LiveServer, gateway: Gateway) -> None:
    owner = Gateway(server, new_merchant(server, "Other"))
    split_tender_id, refs = split_order(owner)
    for unknown in (split_tender_id, "1234567890"):
        _, error_text = refused(join(gateway, unknown), "296")
        assert error_text == INVALID
    assert owner.status(refs[0]) is TransactionStatus.AUTHORIZED_PENDING_CAPTURE
    # The owner's order is untouched: it still takes the owner's transactions.
    owner.approved(transaction(AUTH_CAPTURE, "1.00", card(), split_tender_id=split_tender_id))


def test_a_json_charge_into_a_completed_order(gateway: Gateway) -> None:
    split_tender_id, _ = split_order(gateway)
    ok(update_group(gateway, split_tender_id, "completed"))
    answer = call(
        gateway.server,
        "json",
        "createTransactionRequest",
        envelope(
            gateway.merchant,
            (
                "transactionRequest",
                [
                    ("transactionType", AUTH_CAPTURE),
                    ("amount", "2.00"),
                    (
                        "payment",
                        [("creditCard", [("cardNumber", "4111111111111111"), ("expirationDate", "2035-12")])],
                    ),
                    ("splitTenderId", split_tender_id),
                ],
            ),
        ),
    )
    response = answer.json()["transactionResponse"]
    assert response["responseCode"] == "3"
    assert response["errors"] == [{"errorCode": "298", "errorText": CLOSED}]
