"""Long and huge numbers in every kind of numeric field (issue 8, defect 2), in XML and JSON
against the live server: the validator's E00003 or the documented reason, never E00001."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.arb_client import today
from tests.api.live_server import LiveServer
from tests.api.raw import DIALECTS, NS, XSD_NS, Answer, Pairs, call, envelope
from tests.api.sdk import ApiMerchant

CARD = [("creditCard", [("cardNumber", "4111111111111111"), ("expirationDate", "2035-12")])]
# Within System.Decimal (what the .NET validator reads xs:decimal as), far above any amount.
DIGITS_29 = "1" * 29
# One digit more than System.Decimal holds.
DIGITS_30 = "1" * 30
# One digit more than Python's int() reads by default.
DIGITS_4301 = "7" * 4301
AMOUNT_TOO_LARGE = "49"
INVALID_FIELDS = "290"


def _invalid(element: str, value: str, datatype: str, net_type: str) -> str:
    return (
        f"The '{NS}:{element}' element is invalid - The value '{value}' is invalid "
        f"according to its datatype '{XSD_NS}:{datatype}' - The string '{value}' is not a "
        f"valid {net_type} value."
    )


def _never_a_system_error(answer: Answer) -> tuple[str, str]:
    result, messages = answer.messages()
    assert result == "Error", messages
    ((code, text),) = messages
    assert code != "E00001", text
    return code, text


def _reason(answer: Answer) -> str:
    """The errorCode of a transactionResponse's one error."""
    if answer.is_json:
        (item,) = answer.json()["transactionResponse"]["errors"]
        return str(item["errorCode"])
    root = answer.xml()
    codes = root.findall(f"{{{NS}}}transactionResponse/{{{NS}}}errors/{{{NS}}}error/{{{NS}}}errorCode")
    assert len(codes) == 1
    return codes[0].text or ""


def _charge(merchant: ApiMerchant, amount: Any, *extra: tuple[str, Any]) -> Pairs:
    return envelope(
        merchant,
        (
            "transactionRequest",
            [("transactionType", "authCaptureTransaction"), ("amount", amount), ("payment", CARD), *extra],
        ),
    )


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_29_digit_amount_is_too_large(server: LiveServer, merchant: ApiMerchant, dialect: str) -> None:
    answer = call(server, dialect, "createTransactionRequest", _charge(merchant, DIGITS_29))

    assert _never_a_system_error(answer)[0] == "E00027"
    assert _reason(answer) == AMOUNT_TOO_LARGE


@pytest.mark.parametrize("dialect", DIALECTS)
def test_an_amount_beyond_system_decimal_is_not_a_decimal(
    server: LiveServer, merchant: ApiMerchant, dialect: str
) -> None:
    answer = call(server, dialect, "createTransactionRequest", _charge(merchant, DIGITS_30))

    assert _never_a_system_error(answer) == ("E00003", _invalid("amount", DIGITS_30, "decimal", "Decimal"))


def test_a_json_amount_of_1e300_is_not_a_decimal(server: LiveServer, merchant: ApiMerchant) -> None:
    answer = call(server, "json", "createTransactionRequest", _charge(merchant, 1e300))

    code, text = _never_a_system_error(answer)
    assert code == "E00003"
    assert text.endswith("is not a valid Decimal value."), text
    assert "'1" + "0" * 300 + "'" in text


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("amount", [DIGITS_29, "1" * 27 + ".5"])
def test_long_profile_transaction_amounts_are_refused(
    server: LiveServer, merchant: ApiMerchant, dialect: str, amount: str
) -> None:
    created = call(
        server,
        "xml",
        "createCustomerProfileRequest",
        envelope(
            merchant,
            ("profile", [("merchantCustomerId", "long-amounts"), ("paymentProfiles", [("payment", CARD)])]),
        ),
    )
    root = created.ok().xml()
    profile_id = root.findtext(f"{{{NS}}}customerProfileId")
    payment_id = root.findtext(f"{{{NS}}}customerPaymentProfileIdList/{{{NS}}}numericString")

    answer = call(
        server,
        dialect,
        "createCustomerProfileTransactionRequest",
        envelope(
            merchant,
            (
                "transaction",
                [
                    (
                        "profileTransAuthCapture",
                        [
                            ("amount", amount),
                            ("customerProfileId", profile_id),
                            ("customerPaymentProfileId", payment_id),
                        ],
                    )
                ],
            ),
        ),
    )

    assert _never_a_system_error(answer)[0] == "E00027"
    assert _reason(answer) == AMOUNT_TOO_LARGE


def _subscription(server: LiveServer, amount: str = "10.00", total: str | int = 12) -> Pairs:
    return [
        (
            "subscription",
            [
                (
                    "paymentSchedule",
                    [
                        ("interval", [("length", 1), ("unit", "months")]),
                        ("startDate", today(server).isoformat()),
                        ("totalOccurrences", total),
                    ],
                ),
                ("amount", amount),
                ("payment", CARD),
                ("billTo", [("firstName", "Ellen"), ("lastName", "Johnson")]),
            ],
        )
    ]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_29_digit_subscription_amount_is_refused(
    server: LiveServer, merchant: ApiMerchant, dialect: str
) -> None:
    answer = call(
        server,
        dialect,
        "ARBCreateSubscriptionRequest",
        envelope(merchant, *_subscription(server, amount=DIGITS_29)),
    )

    code, text = _never_a_system_error(answer)
    assert (code, text) == ("E00013", "amount is too large.")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_29_digit_subscription_update_amount_is_refused(
    server: LiveServer, merchant: ApiMerchant, dialect: str
) -> None:
    created = call(server, "xml", "ARBCreateSubscriptionRequest", envelope(merchant, *_subscription(server)))
    subscription_id = created.ok().xml().findtext(f"{{{NS}}}subscriptionId")

    answer = call(
        server,
        dialect,
        "ARBUpdateSubscriptionRequest",
        envelope(merchant, ("subscriptionId", subscription_id), ("subscription", [("amount", DIGITS_29)])),
    )

    assert _never_a_system_error(answer) == ("E00013", "amount is too large.")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_4301_total_occurrences_digits_are_not_an_int16(
    server: LiveServer, merchant: ApiMerchant, dialect: str
) -> None:
    answer = call(
        server,
        dialect,
        "ARBCreateSubscriptionRequest",
        envelope(merchant, *_subscription(server, total=DIGITS_4301)),
    )

    assert _never_a_system_error(answer) == (
        "E00003",
        _invalid("totalOccurrences", DIGITS_4301, "short", "Int16"),
    )


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("root", ["ARBGetSubscriptionListRequest", "getCustomerPaymentProfileListRequest"])
def test_a_5000_digit_paging_limit_is_not_an_int32(
    server: LiveServer, merchant: ApiMerchant, dialect: str, root: str
) -> None:
    limit = "9" * 5000
    search = ("searchType", "subscriptionActive" if root.startswith("ARB") else "cardsExpiringInMonth")
    month = [] if root.startswith("ARB") else [("month", "2035-12")]

    answer = call(
        server,
        dialect,
        root,
        envelope(merchant, search, *month, ("paging", [("limit", limit), ("offset", 1)])),
    )

    assert _never_a_system_error(answer) == ("E00003", _invalid("limit", limit, "int", "Int32"))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_leading_zeros_do_not_make_an_int_too_long(
    server: LiveServer, merchant: ApiMerchant, dialect: str
) -> None:
    answer = call(
        server,
        dialect,
        "ARBGetSubscriptionListRequest",
        envelope(
            merchant,
            ("searchType", "subscriptionActive"),
            ("paging", [("limit", "0" * 5000 + "5"), ("offset", 1)]),
        ),
    )

    assert answer.ok()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_4301_digit_duplicate_window_is_an_invalid_setting(
    server: LiveServer, merchant: ApiMerchant, dialect: str
) -> None:
    settings = (
        "transactionSettings",
        [("setting", [("settingName", "duplicateWindow"), ("settingValue", DIGITS_4301)])],
    )

    answer = call(server, dialect, "createTransactionRequest", _charge(merchant, "5.00", settings))

    assert _never_a_system_error(answer)[0] == "E00027"
    assert _reason(answer) == INVALID_FIELDS


@pytest.mark.parametrize("dialect", DIALECTS)
def test_29_digit_line_item_figures_are_stored_and_read_back(
    server: LiveServer, merchant: ApiMerchant, dialect: str
) -> None:
    item = (
        "lineItems",
        [("lineItem", [("itemId", "1"), ("name", "big"), ("quantity", DIGITS_29), ("unitPrice", DIGITS_29)])],
    )
    charged = call(
        server,
        dialect,
        "createTransactionRequest",
        _charge(merchant, "5.00", ("order", [("invoiceNumber", "L-1")]), item),
    )
    charged.ok()
    trans_id = (
        charged.json()["transactionResponse"]["transId"]
        if charged.is_json
        else charged.xml().findtext(f"{{{NS}}}transactionResponse/{{{NS}}}transId")
    )

    details = call(server, dialect, "getTransactionDetailsRequest", envelope(merchant, ("transId", trans_id)))

    assert details.ok()
    assert f"{DIGITS_29}.00".encode() in details.body
