"""Every CIM operation in the JSON dialect, against the live server, checking the shape rules of
wire reference 3.7: BOM, no root key, `messages` as an object with a `message` array, bare
arrays for collapsed wrappers, arrays for repeated members even with one item, string ids,
numbers and booleans as JSON types; and requests with numbers, booleans, single objects,
schema key order, and the dialect chosen by content type or first byte."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.live_server import LiveServer
from tests.api.raw import BOM, NS, Answer, post, stored
from tests.api.sdk import ApiMerchant

VISA = "4111111111111111"
MASTERCARD = "5424000000000015"
BILL_TO = {
    "firstName": "Ellen",
    "lastName": "Johnson",
    "address": "14 Main Street",
    "city": "Pecan Springs",
    "state": "TX",
    "zip": "44628",
    "country": "US",
}
SHIP_TO = {
    "firstName": "China",
    "lastName": "Bayles",
    "address": "12 Main Street",
    "city": "Pecan Springs",
    "state": "TX",
    "zip": "44628",
}


def card(number: Any = VISA, expiry: str = "2035-12") -> dict[str, Any]:
    return {"creditCard": {"cardNumber": number, "expirationDate": expiry}}


def send(
    server: LiveServer,
    merchant: ApiMerchant,
    name: str,
    content: dict[str, Any],
    content_type: str | None = "application/json",
) -> dict[str, Any]:
    """One JSON request (credentials first); returns the decoded, shape-checked answer."""
    request = {
        name: {
            "merchantAuthentication": {"name": merchant.login_id, "transactionKey": merchant.transaction_key},
            **content,
        }
    }
    answer = post(server, json.dumps(request).encode(), content_type)
    return checked(answer)


def checked(answer: Answer) -> dict[str, Any]:
    assert answer.content_type == "application/json; charset=utf-8"
    assert answer.body.startswith(BOM)
    document = answer.json()
    # No root key: the content object itself, with the envelope's messages object in it.
    assert not any(isinstance(value, dict) and "messages" in value for value in document.values()), document
    messages = document["messages"]
    assert isinstance(messages, dict)
    assert set(messages) == {"resultCode", "message"}
    assert messages["resultCode"] in ("Ok", "Error")
    assert isinstance(messages["message"], list)
    assert messages["message"]
    for item in messages["message"]:
        assert set(item) == {"code", "text"}
        assert isinstance(item["code"], str)
        assert isinstance(item["text"], str)
    return document


def ok(document: dict[str, Any]) -> dict[str, Any]:
    assert document["messages"]["resultCode"] == "Ok", document
    assert document["messages"]["message"][0]["code"] == "I00001", document
    return document


def error(document: dict[str, Any]) -> tuple[str, str]:
    assert document["messages"]["resultCode"] == "Error", document
    (message,) = document["messages"]["message"]
    return message["code"], message["text"]


def is_id(value: Any) -> bool:
    return isinstance(value, str) and value.isdigit()


def new_profile(server: LiveServer, merchant: ApiMerchant, **profile: Any) -> dict[str, Any]:
    content = {"profile": {"merchantCustomerId": "json-1", **profile}}
    return ok(send(server, merchant, "createCustomerProfileRequest", content))


# ----------------------------------------------------------------------------- customer profiles


def test_create_profile_with_nested_records_answers_bare_arrays(
    server: LiveServer, merchant: ApiMerchant
) -> None:
    document = ok(
        send(
            server,
            merchant,
            "createCustomerProfileRequest",
            {
                "refId": "json-ref-1",
                "profile": {
                    "merchantCustomerId": "json-1",
                    "description": "JSON dialect",
                    "email": "ellen@example.com",
                    "paymentProfiles": [
                        {
                            "customerType": "individual",
                            "billTo": BILL_TO,
                            "payment": card(),
                            "defaultPaymentProfile": True,
                        },
                        {"payment": card(MASTERCARD, "2035-11")},
                    ],
                    "shipToList": [SHIP_TO, {**SHIP_TO, "firstName": "Mike"}],
                },
                "validationMode": "testMode",
            },
        )
    )
    assert list(document) == [
        "refId",
        "messages",
        "customerProfileId",
        "customerPaymentProfileIdList",
        "customerShippingAddressIdList",
        "validationDirectResponseList",
    ]
    assert document["refId"] == "json-ref-1"
    assert is_id(document["customerProfileId"])
    payment_ids = document["customerPaymentProfileIdList"]
    address_ids = document["customerShippingAddressIdList"]
    records = document["validationDirectResponseList"]
    assert isinstance(payment_ids, list)
    assert len(payment_ids) == 2
    assert all(is_id(item) for item in payment_ids)
    assert isinstance(address_ids, list)
    assert len(address_ids) == 2
    assert all(is_id(item) for item in address_ids)
    assert isinstance(records, list)
    assert len(records) == 2
    assert all(record.startswith("1,1,1,(TESTMODE) ") for record in records)

    profile = stored(server, merchant)[document["customerProfileId"]]
    assert profile[:3] == ("json-1", "JSON dialect", "ellen@example.com")
    assert [item[0] for item in profile[3]] == payment_ids
    assert [item[0] for item in profile[4]] == address_ids


def test_single_objects_stand_for_one_element_arrays(server: LiveServer, merchant: ApiMerchant) -> None:
    document = new_profile(server, merchant, paymentProfiles={"payment": card()}, shipToList=SHIP_TO)
    assert len(document["customerPaymentProfileIdList"]) == 1
    assert len(document["customerShippingAddressIdList"]) == 1
    # Without validation there are no records, and the list is still an (empty) array.
    assert document["validationDirectResponseList"] == []


def test_create_without_nested_records_answers_empty_arrays(
    server: LiveServer, merchant: ApiMerchant
) -> None:
    document = new_profile(server, merchant)
    assert document["customerPaymentProfileIdList"] == []
    assert document["customerShippingAddressIdList"] == []
    assert document["validationDirectResponseList"] == []


def test_get_profile_repeated_members_are_arrays_even_with_one_item(
    server: LiveServer, merchant: ApiMerchant
) -> None:
    created = new_profile(
        server, merchant, paymentProfiles={"billTo": BILL_TO, "payment": card()}, shipToList=SHIP_TO
    )
    profile_id = created["customerProfileId"]
    document = ok(
        send(
            server,
            merchant,
            "getCustomerProfileRequest",
            {"customerProfileId": profile_id, "unmaskExpirationDate": True, "includeIssuerInfo": True},
        )
    )
    profile = document["profile"]
    assert profile["customerProfileId"] == profile_id
    assert profile["merchantCustomerId"] == "json-1"
    (payment_profile,) = profile["paymentProfiles"]
    (ship_to,) = profile["shipToList"]
    assert payment_profile["customerPaymentProfileId"] == created["customerPaymentProfileIdList"][0]
    assert payment_profile["customerProfileId"] == profile_id
    assert payment_profile["defaultPaymentProfile"] is True
    assert payment_profile["billTo"]["city"] == "Pecan Springs"
    assert payment_profile["payment"] == {
        "creditCard": {
            "cardNumber": "XXXX1111",
            "expirationDate": "2035-12",
            "cardType": "Visa",
            "issuerNumber": "411111",
        }
    }
    assert ship_to["customerAddressId"] == created["customerShippingAddressIdList"][0]
    assert ship_to["firstName"] == "China"


def test_get_profile_without_records_leaves_the_lists_out(server: LiveServer, merchant: ApiMerchant) -> None:
    profile_id = new_profile(server, merchant)["customerProfileId"]
    profile = ok(send(server, merchant, "getCustomerProfileRequest", {"customerProfileId": profile_id}))[
        "profile"
    ]
    assert "paymentProfiles" not in profile
    assert "shipToList" not in profile


def test_get_profile_ids_is_a_bare_array_of_strings(server: LiveServer, merchant: ApiMerchant) -> None:
    assert ok(send(server, merchant, "getCustomerProfileIdsRequest", {}))["ids"] == []
    first = new_profile(server, merchant)["customerProfileId"]
    second = new_profile(server, merchant, merchantCustomerId="json-2")["customerProfileId"]
    ids = ok(send(server, merchant, "getCustomerProfileIdsRequest", {}))["ids"]
    assert sorted(ids) == sorted([first, second])
    assert all(is_id(item) for item in ids)


def test_update_then_delete_profile(server: LiveServer, merchant: ApiMerchant) -> None:
    profile_id = new_profile(server, merchant)["customerProfileId"]
    updated = ok(
        send(
            server,
            merchant,
            "updateCustomerProfileRequest",
            {
                "profile": {
                    "merchantCustomerId": "json-1b",
                    "description": "renamed",
                    "customerProfileId": int(profile_id),
                }
            },
        )
    )
    assert list(updated) == ["messages"]
    assert stored(server, merchant)[profile_id][:2] == ("json-1b", "renamed")

    deleted = ok(send(server, merchant, "deleteCustomerProfileRequest", {"customerProfileId": profile_id}))
    assert list(deleted) == ["messages"]
    missing = send(server, merchant, "getCustomerProfileRequest", {"customerProfileId": profile_id})
    assert error(missing)[0] == "E00040"
    assert list(missing) == ["messages"]
    assert stored(server, merchant) == {}


# ----------------------------------------------------------------------------- payment profiles


def test_payment_profile_lifecycle(server: LiveServer, merchant: ApiMerchant) -> None:
    profile_id = new_profile(server, merchant)["customerProfileId"]

    created = ok(
        send(
            server,
            merchant,
            "createCustomerPaymentProfileRequest",
            {
                "customerProfileId": profile_id,
                "paymentProfile": {
                    "billTo": BILL_TO,
                    "payment": card(4111111111111111),
                    "defaultPaymentProfile": True,
                },
                "validationMode": "testMode",
            },
        )
    )
    assert created["customerProfileId"] == profile_id
    payment_id = created["customerPaymentProfileId"]
    assert is_id(payment_id)
    assert created["validationDirectResponse"].startswith("1,1,1,(TESTMODE) ")

    fetched = ok(
        send(
            server,
            merchant,
            "getCustomerPaymentProfileRequest",
            {
                "customerProfileId": profile_id,
                "customerPaymentProfileId": payment_id,
                "unmaskExpirationDate": True,
            },
        )
    )["paymentProfile"]
    assert fetched["customerPaymentProfileId"] == payment_id
    assert fetched["customerProfileId"] == profile_id
    assert fetched["defaultPaymentProfile"] is True
    assert fetched["billTo"]["zip"] == "44628"
    assert fetched["payment"]["creditCard"]["cardNumber"] == "XXXX1111"
    assert fetched["payment"]["creditCard"]["expirationDate"] == "2035-12"

    listing = ok(
        send(
            server,
            merchant,
            "getCustomerPaymentProfileListRequest",
            {
                "searchType": "cardsExpiringInMonth",
                "month": "2035-12",
                "sorting": {"orderBy": "id", "orderDescending": False},
                "paging": {"limit": 10, "offset": 1},
            },
        )
    )
    assert listing["totalNumInResultSet"] == 1
    assert type(listing["totalNumInResultSet"]) is int
    (item,) = listing["paymentProfiles"]
    # xs:int in the schema: JSON numbers here, unlike the numericString ids elsewhere.
    assert item["customerPaymentProfileId"] == int(payment_id)
    assert item["customerProfileId"] == int(profile_id)
    assert item["defaultPaymentProfile"] is True

    validated = ok(
        send(
            server,
            merchant,
            "validateCustomerPaymentProfileRequest",
            {
                "customerProfileId": profile_id,
                "customerPaymentProfileId": payment_id,
                "validationMode": "testMode",
            },
        )
    )
    assert list(validated) == ["messages", "directResponse"]
    assert validated["directResponse"].startswith("1,1,1,(TESTMODE) ")

    ok(
        send(
            server,
            merchant,
            "updateCustomerPaymentProfileRequest",
            {
                "customerProfileId": profile_id,
                "paymentProfile": {
                    "billTo": {**BILL_TO, "city": "Austin"},
                    "payment": card(VISA, "2036-01"),
                    "customerPaymentProfileId": payment_id,
                },
            },
        )
    )
    fetched = ok(
        send(
            server,
            merchant,
            "getCustomerPaymentProfileRequest",
            {
                "customerProfileId": profile_id,
                "customerPaymentProfileId": payment_id,
                "unmaskExpirationDate": "true",
            },
        )
    )["paymentProfile"]
    assert fetched["billTo"]["city"] == "Austin"
    assert fetched["payment"]["creditCard"]["expirationDate"] == "2036-01"

    ok(
        send(
            server,
            merchant,
            "deleteCustomerPaymentProfileRequest",
            {"customerProfileId": profile_id, "customerPaymentProfileId": payment_id},
        )
    )
    gone = send(
        server,
        merchant,
        "getCustomerPaymentProfileRequest",
        {"customerProfileId": profile_id, "customerPaymentProfileId": payment_id},
    )
    assert error(gone)[0] == "E00040"
    assert stored(server, merchant)[profile_id][3] == ()


def test_empty_payment_profile_list_is_an_empty_array(server: LiveServer, merchant: ApiMerchant) -> None:
    listing = send(
        server,
        merchant,
        "getCustomerPaymentProfileListRequest",
        {"searchType": "cardsExpiringInMonth", "month": "2030-01"},
    )
    assert listing["messages"]["resultCode"] == "Ok"
    assert listing["totalNumInResultSet"] == 0
    assert listing.get("paymentProfiles", []) == []


@pytest.mark.parametrize(
    ("flag", "expected"),
    [(True, True), (1, True), ("true", True), (False, False), (0, False), ("false", False)],
)
def test_default_payment_profile_as_json_boolean_number_or_string(
    server: LiveServer, merchant: ApiMerchant, flag: Any, expected: bool
) -> None:
    created = new_profile(server, merchant, paymentProfiles={"payment": card()})
    profile_id = created["customerProfileId"]
    (first_id,) = created["customerPaymentProfileIdList"]
    second_id = ok(
        send(
            server,
            merchant,
            "createCustomerPaymentProfileRequest",
            {
                "customerProfileId": int(profile_id),
                "paymentProfile": {"payment": card(5424000000000015), "defaultPaymentProfile": flag},
            },
        )
    )["customerPaymentProfileId"]
    defaults = {item[0]: item[1] for item in stored(server, merchant)[profile_id][3]}
    assert defaults == {first_id: not expected, second_id: expected}


def test_numbers_are_taken_as_their_digits(server: LiveServer, merchant: ApiMerchant) -> None:
    created = new_profile(
        server,
        merchant,
        paymentProfiles={"billTo": {"firstName": "Ellen", "zip": 44628}, "payment": card(4111111111111111)},
    )
    profile_id = created["customerProfileId"]
    fetched = ok(
        send(
            server,
            merchant,
            "getCustomerPaymentProfileRequest",
            {
                "customerProfileId": int(profile_id),
                "customerPaymentProfileId": int(created["customerPaymentProfileIdList"][0]),
            },
        )
    )
    assert fetched["paymentProfile"]["billTo"] == {"firstName": "Ellen", "zip": "44628"}
    assert fetched["paymentProfile"]["payment"]["creditCard"]["cardNumber"] == "XXXX1111"


# ----------------------------------------------------------------------------- shipping addresses


def test_shipping_address_lifecycle(server: LiveServer, merchant: ApiMerchant) -> None:
    profile_id = new_profile(server, merchant)["customerProfileId"]
    created = ok(
        send(
            server,
            merchant,
            "createCustomerShippingAddressRequest",
            {"customerProfileId": profile_id, "address": SHIP_TO, "defaultShippingAddress": True},
        )
    )
    assert created["customerProfileId"] == profile_id
    address_id = created["customerAddressId"]
    assert is_id(address_id)

    fetched = ok(
        send(
            server,
            merchant,
            "getCustomerShippingAddressRequest",
            {"customerProfileId": profile_id, "customerAddressId": address_id},
        )
    )
    assert fetched["defaultShippingAddress"] is True
    assert fetched["address"] == {**SHIP_TO, "customerAddressId": address_id}

    second_id = ok(
        send(
            server,
            merchant,
            "createCustomerShippingAddressRequest",
            {"customerProfileId": profile_id, "address": {**SHIP_TO, "firstName": "Mike"}},
        ),
    )["customerAddressId"]
    second = ok(
        send(
            server,
            merchant,
            "getCustomerShippingAddressRequest",
            {"customerProfileId": profile_id, "customerAddressId": second_id},
        )
    )
    assert second["defaultShippingAddress"] is False

    ok(
        send(
            server,
            merchant,
            "updateCustomerShippingAddressRequest",
            {
                "customerProfileId": profile_id,
                "address": {**SHIP_TO, "firstName": "Mike", "city": "Austin", "customerAddressId": second_id},
                "defaultShippingAddress": True,
            },
        )
    )
    second = ok(
        send(
            server,
            merchant,
            "getCustomerShippingAddressRequest",
            {"customerProfileId": profile_id, "customerAddressId": second_id},
        )
    )
    assert second["defaultShippingAddress"] is True
    assert second["address"]["city"] == "Austin"
    fetched = ok(
        send(
            server,
            merchant,
            "getCustomerShippingAddressRequest",
            {"customerProfileId": profile_id, "customerAddressId": address_id},
        )
    )
    assert fetched["defaultShippingAddress"] is False

    ok(
        send(
            server,
            merchant,
            "deleteCustomerShippingAddressRequest",
            {"customerProfileId": profile_id, "customerAddressId": address_id},
        )
    )
    gone = send(
        server,
        merchant,
        "getCustomerShippingAddressRequest",
        {"customerProfileId": profile_id, "customerAddressId": address_id},
    )
    assert error(gone)[0] == "E00040"
    assert [item[0] for item in stored(server, merchant)[profile_id][4]] == [second_id]


# ----------------------------------------------------------------------------- key order


def test_ref_id_before_credentials_is_refused_with_the_validator_text(
    server: LiveServer, merchant: ApiMerchant
) -> None:
    body = json.dumps(
        {
            "createCustomerProfileRequest": {
                "refId": "r1",
                "merchantAuthentication": {
                    "name": merchant.login_id,
                    "transactionKey": merchant.transaction_key,
                },
                "profile": {"merchantCustomerId": "json-1"},
            }
        }
    ).encode()
    document = checked(post(server, body, "application/json"))
    assert list(document) == ["messages"]
    assert error(document) == (
        "E00003",
        (
            f"The element 'createCustomerProfileRequest' in namespace '{NS}' has invalid child "
            f"element 'refId' in namespace '{NS}'. List of possible elements expected: "
            f"'merchantAuthentication' in namespace '{NS}'."
        ),
    )
    assert stored(server, merchant) == {}


def test_nested_keys_out_of_order_name_every_element_still_possible(
    server: LiveServer, merchant: ApiMerchant
) -> None:
    document = send(
        server,
        merchant,
        "createCustomerProfileRequest",
        {"profile": {"merchantCustomerId": "json-1", "email": "a@example.com", "description": "late"}},
    )
    assert error(document) == (
        "E00003",
        (
            f"The element 'profile' in namespace '{NS}' has invalid child element 'description' "
            f"in namespace '{NS}'. List of possible elements expected: "
            f"'paymentProfiles, shipToList, profileType' in namespace '{NS}'."
        ),
    )
    document = send(
        server,
        merchant,
        "createCustomerProfileRequest",
        {
            "profile": {
                "merchantCustomerId": "json-1",
                "paymentProfiles": {
                    "payment": {"creditCard": {"expirationDate": "2035-12", "cardNumber": VISA}}
                },
            }
        },
    )
    assert error(document) == (
        "E00003",
        (
            f"The element 'creditCard' in namespace '{NS}' has invalid child element "
            f"'expirationDate' in namespace '{NS}'. List of possible elements expected: "
            f"'cardNumber' in namespace '{NS}'."
        ),
    )
    assert VISA not in json.dumps(document)
    assert stored(server, merchant) == {}


# ----------------------------------------------------------------------------- choosing the dialect


def _ids_request_json(merchant: ApiMerchant) -> bytes:
    return json.dumps(
        {
            "getCustomerProfileIdsRequest": {
                "merchantAuthentication": {
                    "name": merchant.login_id,
                    "transactionKey": merchant.transaction_key,
                }
            }
        }
    ).encode()


def _ids_request_xml(merchant: ApiMerchant) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><getCustomerProfileIdsRequest xmlns="{NS}">'
        f"<merchantAuthentication><name>{merchant.login_id}</name>"
        f"<transactionKey>{merchant.transaction_key}</transactionKey>"
        "</merchantAuthentication></getCustomerProfileIdsRequest>"
    ).encode()


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "Application/JSON", "text/plain", None],
)
@pytest.mark.parametrize("prefix", [b"", BOM, b" \r\n\t", BOM + b"\n  "])
def test_json_body_is_answered_in_json(
    server: LiveServer, merchant: ApiMerchant, content_type: str | None, prefix: bytes
) -> None:
    answer = post(server, prefix + _ids_request_json(merchant), content_type)
    assert ok(checked(answer))["ids"] == []


@pytest.mark.parametrize("content_type", ["application/xml", "text/xml; charset=utf-8", "text/plain", None])
@pytest.mark.parametrize("declared", [True, False])
def test_xml_body_is_answered_in_xml(
    server: LiveServer, merchant: ApiMerchant, content_type: str | None, declared: bool
) -> None:
    # Blanks may precede the root, but not an XML declaration (that must come first).
    body = _ids_request_xml(merchant)
    body = body if declared else b"\n " + body.split(b"?>", 1)[1]
    answer = post(server, body, content_type)
    assert answer.content_type == "application/xml; charset=utf-8"
    assert answer.root_name == "getCustomerProfileIdsResponse"
    answer.ok()


def test_the_content_type_wins_over_the_first_byte(server: LiveServer, merchant: ApiMerchant) -> None:
    as_xml = post(server, _ids_request_json(merchant), "application/xml")
    assert as_xml.root_name == "ErrorResponse"
    assert as_xml.error()[0] == "E00003"
    as_json = checked(post(server, _ids_request_xml(merchant), "application/json"))
    assert list(as_json) == ["messages"]
    assert error(as_json)[0] == "E00003"


# ----------------------------------------------------------------------------- JSON refusals


def test_unknown_request_is_a_messages_only_e00004(server: LiveServer, merchant: ApiMerchant) -> None:
    document = send(server, merchant, "getCustomerProfileIdzRequest", {})
    assert list(document) == ["messages"]
    assert error(document) == ("E00004", "The name of the requested API method is invalid.")


@pytest.mark.parametrize(
    "body",
    [
        b'{"getCustomerProfileIdsRequest": {"merchantAuthentication": {',
        b"{'getCustomerProfileIdsRequest': {}}",
        b"",
        b"[]",
        b"null",
        b'{"getCustomerProfileIdsRequest": {}, "getCustomerProfileRequest": {}}',
        b'{"getCustomerProfileIdsRequest": "x"}',
    ],
    ids=["truncated", "single-quotes", "empty", "array", "null", "two-roots", "scalar-root"],
)
def test_bad_json_is_a_messages_only_e00003(server: LiveServer, body: bytes) -> None:
    document = checked(post(server, body, "application/json"))
    assert list(document) == ["messages"]
    assert error(document)[0] == "E00003"


@pytest.mark.parametrize("credentials", ["wrong-key", "unknown-login"])
def test_authentication_failure_keeps_the_operation_shape(
    server: LiveServer, merchant: ApiMerchant, credentials: str
) -> None:
    login, key = (
        (merchant.login_id, "WrongKey12345678")
        if credentials == "wrong-key"
        else ("nobody-here", merchant.transaction_key)
    )
    body = json.dumps(
        {
            "createCustomerProfileRequest": {
                "merchantAuthentication": {"name": login, "transactionKey": key},
                "refId": "r-7",
                "profile": {"merchantCustomerId": "json-1", "paymentProfiles": {"payment": card()}},
            },
        }
    ).encode()
    answer = post(server, body, "application/json")
    document = checked(answer)
    assert error(document) == ("E00007", "User authentication failed due to invalid authentication values.")
    assert document == {
        "refId": "r-7",
        "messages": document["messages"],
        "customerPaymentProfileIdList": [],
        "customerShippingAddressIdList": [],
        "validationDirectResponseList": [],
    }
    assert key.encode() not in answer.body
    assert stored(server, merchant) == {}
