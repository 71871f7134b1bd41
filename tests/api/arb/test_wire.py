"""ARB in the JSON dialect (the shapes of wire reference 3.7: bare arrays, numbers, strings for
ids) and bad input in XML and JSON (the validator's E00003, never a 500, nothing stored)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.arb_client import today
from tests.api.cim.test_json_dialect import BILL_TO, card, error, is_id, ok, send
from tests.api.live_server import LiveServer
from tests.api.raw import DIALECTS, Pairs, call, envelope
from tests.api.sdk import ApiMerchant


def create(server: LiveServer, merchant: ApiMerchant, **extra: Any) -> dict[str, Any]:
    content = {
        "refId": "json-arb",
        "subscription": {
            "name": "JSON plan",
            "paymentSchedule": {
                "interval": {"length": 1, "unit": "months"},
                "startDate": today(server).isoformat(),
                "totalOccurrences": 12,
                "trialOccurrences": 1,
            },
            "amount": 12.5,
            "trialAmount": "0.00",
            "payment": card(),
            "order": {"invoiceNumber": "J-1"},
            "billTo": BILL_TO,
            **extra,
        },
    }
    return ok(send(server, merchant, "ARBCreateSubscriptionRequest", content))


def test_create_get_and_list_in_json(server: LiveServer, merchant: ApiMerchant) -> None:
    created = create(server, merchant)
    assert created["refId"] == "json-arb"
    subscription_id = created["subscriptionId"]
    assert is_id(subscription_id)
    assert set(created["profile"]) == {"customerProfileId", "customerPaymentProfileId"}
    assert all(is_id(value) for value in created["profile"].values())
    server.application.services.billing.run(server.clock.now())  # occurrence 1: free trial

    got = ok(
        send(
            server,
            merchant,
            "ARBGetSubscriptionRequest",
            {"subscriptionId": subscription_id, "includeTransactions": True},
        )
    )
    found = got["subscription"]
    assert found["paymentSchedule"] == {
        "interval": {"length": 1, "unit": "months"},
        "startDate": today(server).isoformat(),
        "totalOccurrences": 12,
        "trialOccurrences": 1,
    }
    assert (found["amount"], found["trialAmount"], found["status"], found["name"]) == (
        12.5,
        0,
        "active",
        "JSON plan",
    )
    assert found["arbTransactions"] == []  # a free trial occurrence charges nothing
    assert found["profile"]["paymentProfile"]["payment"]["creditCard"]["cardNumber"] == "XXXX1111"
    assert found["order"] == {"invoiceNumber": "J-1"}

    status = ok(
        send(server, merchant, "ARBGetSubscriptionStatusRequest", {"subscriptionId": subscription_id})
    )
    assert status["status"] == "active"

    listed = ok(
        send(
            server,
            merchant,
            "ARBGetSubscriptionListRequest",
            {
                "searchType": "subscriptionActive",
                "sorting": {"orderBy": "id", "orderDescending": "false"},
                "paging": {"limit": "10", "offset": 1},
            },
        )
    )
    assert listed["totalNumInResultSet"] == 1
    (detail,) = listed["subscriptionDetails"]
    assert detail["id"] == int(subscription_id)
    assert (
        detail["pastOccurrences"],
        detail["totalOccurrences"],
        detail["amount"],
        detail["paymentMethod"],
        detail["accountNumber"],
    ) == (1, 12, 12.5, "creditCard", "XXXX1111")
    assert isinstance(detail["customerProfileId"], int)

    profile = ok(
        send(
            server,
            merchant,
            "getCustomerProfileRequest",
            {"customerProfileId": created["profile"]["customerProfileId"]},
        )
    )
    assert profile["subscriptionIds"] == [subscription_id]
    assert profile["profile"]["paymentProfiles"][0]["subscriptionIds"] == [subscription_id]


def test_charged_occurrences_are_listed_as_an_array_in_json(
    server: LiveServer, merchant: ApiMerchant
) -> None:
    created = create(server, merchant, trialAmount="2.00", amount="9.00")
    server.application.services.billing.run(server.clock.now())

    got = ok(
        send(
            server,
            merchant,
            "ARBGetSubscriptionRequest",
            {"subscriptionId": created["subscriptionId"], "includeTransactions": "true"},
        )
    )
    (charged,) = got["subscription"]["arbTransactions"]
    assert is_id(charged["transId"])
    assert (charged["payNum"], charged["attemptNum"], charged["response"]) == (
        1,
        1,
        "This transaction has been approved.",
    )
    assert charged["submitTimeUTC"].endswith("Z")


def test_business_errors_in_json(server: LiveServer, merchant: ApiMerchant) -> None:
    assert (
        error(send(server, merchant, "ARBGetSubscriptionStatusRequest", {"subscriptionId": "123"}))[0]
        == "E00035"
    )
    document = send(server, merchant, "ARBGetSubscriptionRequest", {"subscriptionId": "123"})
    assert error(document)[0] == "E00035"
    assert document["subscription"] == {}  # required by the schema, even on errors
    canceled = create(server, merchant)["subscriptionId"]
    ok(send(server, merchant, "ARBCancelSubscriptionRequest", {"subscriptionId": canceled}))
    again = send(server, merchant, "ARBCancelSubscriptionRequest", {"subscriptionId": canceled})
    assert again["messages"] == {
        "resultCode": "Ok",
        "message": [{"code": "I00002", "text": "The subscription has already been canceled."}],
    }


# --------------------------------------------------------------------------- bad input


def _subscription(server: LiveServer, *fields: tuple[str, Any]) -> Pairs:
    return [
        (
            "subscription",
            [
                (
                    "paymentSchedule",
                    [
                        ("interval", [("length", 1), ("unit", "months")]),
                        ("startDate", today(server).isoformat()),
                        ("totalOccurrences", 12),
                    ],
                ),
                ("amount", "10.00"),
                *fields,
            ],
        )
    ]


BAD: dict[str, tuple[str, Any, str]] = {
    "unit": (
        "ARBCreateSubscriptionRequest",
        lambda server: [
            ("subscription", [("paymentSchedule", [("interval", [("length", 1), ("unit", "weeks")])])])
        ],
        "Enumeration constraint failed",
    ),
    "length": (
        "ARBCreateSubscriptionRequest",
        lambda server: [
            ("subscription", [("paymentSchedule", [("interval", [("length", 0), ("unit", "days")])])])
        ],
        "MinInclusive constraint failed",
    ),
    "amount": (
        "ARBCreateSubscriptionRequest",
        lambda server: [("subscription", [("amount", "0.00")])],
        "MinInclusive constraint failed",
    ),
    "date": (
        "ARBCreateSubscriptionRequest",
        lambda server: [("subscription", [("paymentSchedule", [("startDate", "2030-13-01")])])],
        "not a valid Date value",
    ),
    "order": (
        "ARBCreateSubscriptionRequest",
        lambda server: [("subscription", [("amount", "10.00"), ("name", "late")])],
        "has invalid child element 'name'",
    ),
    "card": (
        "ARBCreateSubscriptionRequest",
        lambda server: _subscription(
            server,
            (
                "payment",
                [("creditCard", [("cardNumber", "41111111111111111111"), ("expirationDate", "2035-12")])],
            ),
        ),
        "The value '****' is invalid",
    ),
    "id": (
        "ARBGetSubscriptionStatusRequest",
        lambda server: [("subscriptionId", "12ab")],
        "Pattern constraint failed",
    ),
    "search": (
        "ARBGetSubscriptionListRequest",
        lambda server: [("searchType", "everything")],
        "Enumeration constraint failed",
    ),
    "paging": (
        "ARBGetSubscriptionListRequest",
        lambda server: [("searchType", "subscriptionActive"), ("paging", [("limit", 1001), ("offset", 1)])],
        "MaxInclusive constraint failed",
    ),
    "missing": ("ARBGetSubscriptionRequest", lambda server: [], "has incomplete content"),
}


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_by_the_validator(
    server: LiveServer, merchant: ApiMerchant, dialect: str, case: str
) -> None:
    root, content, words = BAD[case]

    answer = call(server, dialect, root, envelope(merchant, *content(server)))

    assert answer.root_name == "ErrorResponse"
    code, text = answer.error()
    assert code == "E00003"
    assert words in text, text
    assert "41111111111111111111" not in text
    listed = ok(send(server, merchant, "ARBGetSubscriptionListRequest", {"searchType": "subscriptionActive"}))
    assert listed["totalNumInResultSet"] == 0
