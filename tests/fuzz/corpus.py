"""Hand-written valid examples of the operations that carry amounts and counts, and the
requests the campaign always sends whatever Hypothesis draws: the long numbers and control
characters of issue 8 (defects 2 and 3), so the suite catches them at any example count."""

from __future__ import annotations

import base64
from collections.abc import Callable

from tests.api.raw import Pairs, encode
from tests.fuzz.campaign import CARD, Campaign
from tests.fuzz.generators import Request

AUTHNET = "/xml/v1/request.api"
Content = Callable[[Campaign], Pairs]
Build = Callable[[Campaign], Request]
BILL_TO = [("firstName", "Ellen"), ("lastName", "Johnson")]


def _charge(amount: object = "5.00", window: str = "0") -> Content:
    return lambda campaign: [
        (
            "transactionRequest",
            [
                ("transactionType", "authCaptureTransaction"),
                ("amount", amount),
                ("payment", CARD),
                (
                    "lineItems",
                    [
                        (
                            "lineItem",
                            [("itemId", "1"), ("name", "tea"), ("quantity", "2"), ("unitPrice", "1.50")],
                        )
                    ],
                ),
                ("tax", [("amount", "0.50")]),
                ("billTo", BILL_TO),
                (
                    "transactionSettings",
                    [("setting", [("settingName", "duplicateWindow"), ("settingValue", window)])],
                ),
            ],
        )
    ]


def _profile_charge(amount: str = "7.10") -> Content:
    return lambda campaign: [
        (
            "transaction",
            [
                (
                    "profileTransAuthCapture",
                    [
                        ("amount", amount),
                        ("customerProfileId", campaign.ids["customerProfileId"]),
                        ("customerPaymentProfileId", campaign.ids["customerPaymentProfileId"]),
                    ],
                )
            ],
        )
    ]


def _subscription(amount: str = "10.00", total: str = "12") -> Content:
    return lambda campaign: [
        (
            "subscription",
            [
                (
                    "paymentSchedule",
                    [
                        ("interval", [("length", 1), ("unit", "months")]),
                        ("startDate", "2026-12-01"),
                        ("totalOccurrences", total),
                        ("trialOccurrences", 1),
                    ],
                ),
                ("amount", amount),
                ("trialAmount", "0.00"),
                ("payment", CARD),
                ("billTo", BILL_TO),
            ],
        )
    ]


def _update(amount: str = "11.00") -> Content:
    return lambda campaign: [
        ("subscriptionId", campaign.ids["subscriptionId"]),
        ("subscription", [("amount", amount)]),
    ]


def _paging(limit: str = "10", *before: tuple[str, object]) -> Content:
    return lambda campaign: [*before, ("paging", [("limit", limit), ("offset", 1)])]


def _customer_list(limit: str = "10") -> Content:
    return lambda campaign: [
        ("customerProfileId", campaign.ids["customerProfileId"]),
        ("paging", [("limit", limit), ("offset", 1)]),
    ]


EXAMPLES: dict[str, Content] = {
    "createTransactionRequest": _charge(),
    "createCustomerProfileTransactionRequest": _profile_charge(),
    "ARBCreateSubscriptionRequest": _subscription(),
    "ARBUpdateSubscriptionRequest": _update(),
    "ARBGetSubscriptionListRequest": _paging("10", ("searchType", "subscriptionActive")),
    "getCustomerPaymentProfileListRequest": _paging(
        "10", ("searchType", "cardsExpiringInMonth"), ("month", "2035-12")
    ),
    "getUnsettledTransactionListRequest": _paging(),
    "getTransactionListForCustomerRequest": _customer_list(),
}


def _authnet(root: str, content: Content, dialect: str) -> Build:
    def build(campaign: Campaign) -> Request:
        pairs = [("merchantAuthentication", campaign.credentials), *content(campaign)]
        return Request(
            "POST", AUTHNET, encode(dialect, root, pairs), {"content-type": f"application/{dialect}"}
        )

    return build


def example(operation: str, dialect: str) -> Build:
    """The hand-written example of `operation` as a request."""
    return _authnet(operation, EXAMPLES[operation], dialect)


def _rest(method: str, path: str, body: bytes = b"", *, basic: str | None = None) -> Build:
    def build(campaign: Campaign) -> Request:
        login, key = campaign.merchant.login_id, campaign.merchant.transaction_key
        header = basic or "Basic " + base64.b64encode(f"{login}:{key}".encode()).decode()
        headers = {"authorization": header}
        if body:
            headers["content-type"] = "application/json"
        return Request(method, path, body, headers)

    return build


def _both(name: str, root: str, content: Content) -> dict[str, Build]:
    return {f"{name}-{dialect}": _authnet(root, content, dialect) for dialect in ("xml", "json")}


CORPUS: dict[str, Build] = {
    **_both("amount-29-digits", "createTransactionRequest", _charge("1" * 29)),
    "amount-1e300-json": _authnet("createTransactionRequest", _charge(1e300), "json"),
    **_both(
        "profile-transaction-29-digits", "createCustomerProfileTransactionRequest", _profile_charge("1" * 29)
    ),
    **_both("arb-create-29-digits", "ARBCreateSubscriptionRequest", _subscription("1" * 29)),
    **_both("arb-update-29-digits", "ARBUpdateSubscriptionRequest", _update("1" * 29)),
    **_both(
        "paging-limit-5000-digits",
        "ARBGetSubscriptionListRequest",
        _paging("9" * 5000, ("searchType", "subscriptionActive")),
    ),
    **_both("total-occurrences-4301-digits", "ARBCreateSubscriptionRequest", _subscription(total="7" * 4301)),
    **_both("duplicate-window-4301-digits", "createTransactionRequest", _charge(window="7" * 4301)),
    "rest-basic-nul-login": _rest("GET", "/rest/v1/eventtypes", basic="Basic ADp4"),
    "rest-webhook-nul-id": _rest("GET", "/rest/v1/webhooks/%00"),
    "rest-notification-nul-id": _rest("GET", "/rest/v1/notifications/%00"),
    "rest-webhook-nul-name": _rest(
        "POST",
        "/rest/v1/webhooks",
        b'{"url": "http://127.0.0.1:1/h", "eventTypes": '
        b'["net.authorize.payment.authcapture.created"], "name": "a\\u0000b"}',
    ),
}
