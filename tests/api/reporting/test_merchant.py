"""getMerchantDetails through the official SDK (and raw XML/JSON): the account's name, gateway
id, processor, markets, payment methods, currencies, public client key, time zone, and the
business information and contact set for it."""

from __future__ import annotations

from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from strongroom.domain.customers import Address
from strongroom.domain.merchants import MerchantContact
from tests.api.builders import items, text, texts
from tests.api.live_server import LiveServer
from tests.api.raw import auth, call, envelope, merchant_of
from tests.api.reports import Reports
from tests.api.sdk import ApiMerchant, execute, new_merchant, result

CARD_METHODS = ["Visa", "MasterCard", "AmericanExpress", "Discover", "JCB", "DinersClub"]


def test_merchant_details_describe_the_account(server: LiveServer) -> None:
    merchant = new_merchant(server, "Pecan Springs Herbs")
    stored = merchant_of(server, merchant)

    response = Reports(server, merchant).merchant_details()

    assert result(response) == ("Ok", "I00001", "Successful.")
    assert text(response, "merchantName") == "Pecan Springs Herbs"
    gateway_id = text(response, "gatewayId") or ""
    assert gateway_id.isdigit()
    assert len(gateway_id) == 9
    assert [
        (text(item, "name"), text(item, "id")) for item in items(response, "processors", "processor")
    ] == [("simulated", "1")]
    assert texts(response, "marketTypes", "marketType") == ["eCommerce", "Retail"]
    assert texts(response, "productCodes", "productCode") == ["CNP", "CP"]
    assert sorted(texts(response, "paymentMethods", "paymentMethod")) == sorted([*CARD_METHODS, "Echeck"])
    assert texts(response, "currencies", "currency") == ["USD"]
    assert text(response, "publicClientKey") == stored.public_client_key
    assert text(response, "merchantTimeZone") == "America/Los_Angeles"
    assert text(response, "businessInformation") is None
    assert text(response, "contactDetails") is None
    other = text(Reports(server, new_merchant(server)).merchant_details(), "gatewayId")
    assert other != gateway_id


def test_business_information_and_contact_are_reported(server: LiveServer) -> None:
    merchant = new_merchant(server, "Souveniropolis")
    owner = merchant_of(server, merchant)
    server.application.services.merchants.set_details(
        owner,
        Address(
            company="Souveniropolis LLC",
            address="14 Main Street",
            city="Pecan Springs",
            state="TX",
            zip="44628",
            country="US",
            phone_number="888-888-8888",
        ),
        MerchantContact("owner@example.com", "Ellen", "Johnson"),
    )
    server.application.services.settlement.set_rule(owner, "17:30", "America/Chicago")

    response = Reports(server, merchant).merchant_details()

    business = response.businessInformation
    assert (
        text(business, "company"),
        text(business, "city"),
        text(business, "zip"),
        text(business, "phoneNumber"),
    ) == ("Souveniropolis LLC", "Pecan Springs", "44628", "888-888-8888")
    contact = items(response, "contactDetails", "contactDetail")
    assert [(text(item, "email"), text(item, "firstName"), text(item, "lastName")) for item in contact] == [
        ("owner@example.com", "Ellen", "Johnson")
    ]
    assert text(response, "merchantTimeZone") == "America/Chicago"


def test_wrong_credentials_get_an_error_response(server: LiveServer, merchant: ApiMerchant) -> None:
    request = contracts.getMerchantDetailsRequest()
    request.merchantAuthentication = contracts.merchantAuthenticationType()
    request.merchantAuthentication.name = merchant.login_id
    request.merchantAuthentication.transactionKey = "wrong0key0here00"

    response = execute(server, controllers.getMerchantDetailsController, request)

    assert result(response)[:2] == ("Error", "E00007")
    answer = call(
        server,
        "xml",
        "getMerchantDetailsRequest",
        [("merchantAuthentication", auth(merchant, key="wrong0key0here00"))],
    )
    assert answer.root_name == "ErrorResponse"
    assert answer.error()[0] == "E00007"


def test_merchant_details_in_json(server: LiveServer, merchant: ApiMerchant) -> None:
    answer = call(server, "json", "getMerchantDetailsRequest", envelope(merchant)).json()

    assert answer["messages"]["resultCode"] == "Ok"
    assert answer["processors"] == [{"name": "simulated", "id": 1}]
    assert answer["currencies"] == ["USD"]
    assert answer["marketTypes"] == ["eCommerce", "Retail"]
    assert "Echeck" in answer["paymentMethods"]
    assert answer["gatewayId"].isdigit()
    assert list(answer)[:3] == ["messages", "processors", "merchantName"]
