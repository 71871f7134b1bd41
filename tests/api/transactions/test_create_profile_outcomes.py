"""createTransactionRequest with profile/createProfile=true through the official SDK (and raw
JSON): the profileResponse of a created profile, and of one refused as createCustomerProfile
would refuse it (E00039 duplicate naming the existing profile, E00041 no identity) while the
payment itself is approved and stored."""

from __future__ import annotations

import json
from typing import Any

import pytest
from authorizenet import apicontractsv1 as contracts

from strongroom.domain.transactions import TransactionStatus
from tests.api.builders import DISCOVER, VISA, Cim, address, card, child, shipping, text, texts
from tests.api.live_server import LiveServer
from tests.api.raw import post
from tests.api.sdk import ApiMerchant, result
from tests.api.transactions.test_create_transaction import (
    AUTH_CAPTURE,
    AUTH_ONLY,
    Gateway,
    approved,
    create_profile,
    trans_id,
    transaction,
)

NO_IDENTITY = (
    "One or more fields in the profile must contain a value: merchantCustomerId, description or email."
)


@pytest.fixture
def gateway(server: LiveServer, merchant: ApiMerchant) -> Gateway:
    return Gateway(server, merchant)


def paying(
    customer_id: str | None,
    amount: str = "31.00",
    *,
    kind: str = AUTH_CAPTURE,
    ship_to: bool = False,
    number: str = VISA,
) -> Any:
    """A card charge asking for a new profile of customer `customer_id`."""
    item = transaction(
        kind,
        amount,
        card(number),
        profile_=create_profile(),
        bill_to=address(),
        ship_to=shipping(kind=contracts.nameAndAddressType, phoneNumber=None, faxNumber=None)
        if ship_to
        else None,
    )
    if customer_id is not None:
        item.customer = contracts.customerDataType()
        item.customer.id = customer_id
    return item


def refused_profile(response: Any) -> tuple[str, str]:
    """(code, text) of a profileResponse that reports an error beside an approved payment."""
    assert result(response)[:2] == ("Ok", "I00001")
    created = response.profileResponse
    assert text(created, "messages", "resultCode") == "Error"
    assert text(created, "customerProfileId") is None
    assert texts(created, "customerPaymentProfileIdList", "numericString") == []
    assert texts(created, "customerShippingAddressIdList", "numericString") == []
    assert child(response.transactionResponse, "profile") is None
    message = created.messages.message[0]  # `text` is also lxml's attribute: index instead
    return message["code"].text, message["text"].text


def test_a_created_profile_lists_its_payment_profile_and_address(gateway: Gateway) -> None:
    response = gateway.send(paying("made-1", kind=AUTH_ONLY, ship_to=True, number=DISCOVER))
    answer = approved(response)
    created = response.profileResponse
    assert text(created, "messages", "resultCode") == "Ok"
    assert text(created, "messages", "message", "code") == "I00001"
    profile_id = text(created, "customerProfileId") or ""
    payment_ids = texts(created, "customerPaymentProfileIdList", "numericString")
    address_ids = texts(created, "customerShippingAddressIdList", "numericString")
    assert len(payment_ids) == len(address_ids) == 1
    assert (
        text(answer, "profile", "customerProfileId"),
        text(answer, "profile", "customerPaymentProfileId"),
        text(answer, "profile", "customerAddressId"),
    ) == (profile_id, payment_ids[0], address_ids[0])
    cim = Cim(gateway.server, gateway.merchant)
    assert text(cim.stored_profile(profile_id), "merchantCustomerId") == "made-1"
    assert text(cim.stored(profile_id, payment_ids[0]), "payment", "creditCard", "cardNumber") == "XXXX0012"


def test_a_duplicate_profile_is_e00039_naming_it_and_the_payment_stands(gateway: Gateway) -> None:
    first = gateway.send(paying("dup-1"))
    existing = text(first.profileResponse, "customerProfileId") or ""
    assert existing.isdigit()

    response = gateway.send(paying("dup-1", "32.00"))

    assert refused_profile(response) == ("E00039", f"A duplicate record with ID {existing} already exists.")
    ref = trans_id(approved(response))
    assert gateway.status(ref) is TransactionStatus.CAPTURED_PENDING_SETTLEMENT
    assert Cim(gateway.server, gateway.merchant).profile_id_list() == [existing]


def test_a_profile_without_identity_is_e00041_and_the_payment_stands(gateway: Gateway) -> None:
    item = paying(None)
    item.order = None  # no description either
    response = gateway.send(item)

    assert refused_profile(response) == ("E00041", NO_IDENTITY)
    assert gateway.status(trans_id(approved(response))) is (TransactionStatus.CAPTURED_PENDING_SETTLEMENT)
    assert Cim(gateway.server, gateway.merchant).profile_id_list() == []


def test_no_profile_response_for_a_declined_payment(gateway: Gateway) -> None:
    item = paying("declined-1")
    item.billTo.zip = "46282"
    response = gateway.send(item)
    assert result(response)[:2] == ("Error", "E00027")
    assert getattr(response, "profileResponse", None) is None
    assert Cim(gateway.server, gateway.merchant).profile_id_list() == []


def test_a_json_profile_error_keeps_its_empty_lists(server: LiveServer, merchant: ApiMerchant) -> None:
    def charge(amount: str) -> dict[str, Any]:
        request = {
            "createTransactionRequest": {
                "merchantAuthentication": {
                    "name": merchant.login_id,
                    "transactionKey": merchant.transaction_key,
                },
                "transactionRequest": {
                    "transactionType": AUTH_CAPTURE,
                    "amount": amount,
                    "payment": {"creditCard": {"cardNumber": VISA, "expirationDate": "2035-12"}},
                    "profile": {"createProfile": True},
                    "customer": {"id": "json-dup"},
                },
            }
        }
        return post(server, json.dumps(request).encode(), "application/json").json()

    existing = charge("5.00")["profileResponse"]["customerProfileId"]
    document = charge("6.00")

    assert document["messages"]["resultCode"] == "Ok"
    assert document["transactionResponse"]["responseCode"] == "1"
    assert "profile" not in document["transactionResponse"]
    assert document["profileResponse"] == {
        "messages": {
            "resultCode": "Error",
            "message": [{"code": "E00039", "text": f"A duplicate record with ID {existing} already exists."}],
        },
        "customerPaymentProfileIdList": [],
        "customerShippingAddressIdList": [],
    }
