"""transactionRequest → payment use case: types, payment kinds, refunds' masked sources, stored
profiles, settings, order details, the refusals decided at the door, and what answers echo."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

import pytest

from strongroom.domain.customers import Address
from strongroom.domain.instruments import (
    BankAccountType,
    CardBrand,
    EcheckType,
    EntryMode,
    YearMonth,
)
from strongroom.domain.money import Money
from strongroom.domain.sensitive import Secret
from strongroom.domain.transactions import TransactionKind
from strongroom.services.transactions.requests import (
    BankSource,
    CardOnFile,
    CardSource,
    Charge,
    Customer,
    LineItem,
    MaskedSource,
    ProfileSource,
    ReceiptOptions,
    Settings,
)
from strongroom.web.authnet.codes import reason_text
from strongroom.web.authnet.transactions import decode
from strongroom.web.authnet.transactions.messages import TRANSACTION_REQUEST
from strongroom.web.authnet.transactions.order_decode import order_details, transaction_settings
from strongroom.web.authnet.transactions.refusals import ApiRefused, TransactionRefused
from strongroom.web.authnet.wire.schema import NS
from strongroom.web.authnet.wire.tree import Node
from strongroom.web.authnet.wire.validation import SchemaViolation, validate
from strongroom.web.authnet.wire.xml_codec import parse_xml

Pairs = list[tuple[str, Any]]
VISA = "4111111111111111"
CARD: Pairs = [("creditCard", [("cardNumber", VISA), ("expirationDate", "2035-12")])]
BANK: Pairs = [
    (
        "bankAccount",
        [
            ("accountType", "savings"),
            ("routingNumber", "121042882"),
            ("accountNumber", "987654321"),
            ("nameOnAccount", "John Doe"),
            ("echeckType", "WEB"),
            ("bankName", "First Bank"),
        ],
    )
]


def _xml(pairs: Pairs) -> str:
    return "".join(
        f"<{name}>{_xml(value) if isinstance(value, list) else escape(value)}</{name}>"
        for name, value in pairs
    )


def node(*pairs: tuple[str, Any]) -> Node:
    """A transactionRequest element, validated as the dispatcher validates it."""
    body = f'<transactionRequest xmlns="{NS}">{_xml(list(pairs))}</transactionRequest>'
    return validate(parse_xml(body.encode()), TRANSACTION_REQUEST)


def charge(
    *extra: tuple[str, Any],
    type_: str = "authCaptureTransaction",
    amount: str | None = "12.50",
    payment: Pairs | None = CARD,
) -> Node:
    pairs: Pairs = [("transactionType", type_)]
    if amount is not None:
        pairs.append(("amount", amount))
    if payment is not None:
        pairs.append(("payment", payment))
    return node(*pairs, *extra)


def refused(request: Node) -> TransactionRefused:
    with pytest.raises(TransactionRefused) as caught:
        decode.call(request)
    return caught.value


def api_refused(request: Node) -> str:
    with pytest.raises(ApiRefused) as caught:
        decode.call(request)
    return caught.value.message.code


def charged(request: Node) -> Any:
    call = decode.call(request)
    assert isinstance(call, decode.ChargeCall)
    return call.request


# ----------------------------------------------------------------------------- types


@pytest.mark.parametrize(
    ("type_", "kind"),
    [
        ("authCaptureTransaction", TransactionKind.CHARGE),
        ("", TransactionKind.CHARGE),
        ("  ", TransactionKind.CHARGE),
        ("authOnlyTransaction", TransactionKind.AUTHORIZATION),
    ],
)
def test_charge_types(type_: str, kind: TransactionKind) -> None:
    request = charged(charge(type_=type_))
    assert request.kind is kind
    assert request.amount == Money(Decimal("12.50"))


def test_capture_only_carries_its_auth_code() -> None:
    request = charged(charge(("authCode", " ROHNFQ "), type_="captureOnlyTransaction"))
    assert (request.kind, request.auth_code) == (TransactionKind.CAPTURE_ONLY, "ROHNFQ")


@pytest.mark.parametrize("code", [None, "", "1234567"])
def test_capture_only_without_a_valid_auth_code_is_reason_12(code: str | None) -> None:
    extra = [("authCode", code)] if code is not None else []
    assert refused(charge(*extra, type_="captureOnlyTransaction")).reason_code == 12


def test_prior_auth_capture_with_and_without_an_amount() -> None:
    full = decode.call(
        node(("transactionType", "priorAuthCaptureTransaction"), ("refTransId", "60163892435"))
    )
    assert full == decode.CaptureCall("60163892435", None, order_details(Node()))
    part = decode.call(
        node(
            ("transactionType", "priorAuthCaptureTransaction"),
            ("amount", "5"),
            ("refTransId", "60163892435"),
            ("order", [("invoiceNumber", "I-1")]),
        )
    )
    assert isinstance(part, decode.CaptureCall)
    assert part.amount == Money(Decimal("5.00"))
    assert part.order.invoice_number == "I-1"


def test_void() -> None:
    assert decode.call(
        node(("transactionType", "voidTransaction"), ("refTransId", "123"))
    ) == decode.VoidCall("123")


@pytest.mark.parametrize("ref", [None, "", "12a", "１２"])
@pytest.mark.parametrize("type_", ["voidTransaction", "priorAuthCaptureTransaction"])
def test_follow_ups_need_a_numeric_transaction_id(type_: str, ref: str | None) -> None:
    pairs: Pairs = [("transactionType", type_)] + ([("refTransId", ref)] if ref is not None else [])
    assert refused(node(*pairs)).reason_code == 15


@pytest.mark.parametrize(
    ("type_", "reason"),
    [
        ("getDetailsTransaction", 2001),
        ("authOnlyContinueTransaction", 2001),
        ("authCaptureContinueTransaction", 2001),
        ("sale", 66),
        ("AUTHCAPTURETRANSACTION", 66),
    ],
)
def test_unsupported_types_are_refused_clearly(type_: str, reason: int) -> None:
    refusal = refused(charge(type_=type_))
    assert refusal.reason_code == reason
    if reason == 66:
        assert "authCaptureTransaction" in refusal.text
        assert type_ not in refusal.text  # request text is never echoed back
    else:
        assert "PayPal" in refusal.text


# ----------------------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("text", "amount"), [("12.5", "12.50"), ("1234.0", "1234.00"), (" 7 ", "7.00"), ("0.01", "0.01")]
)
def test_amounts_are_decimals_from_the_text(text: str, amount: str) -> None:
    assert charged(charge(amount=text)).amount == Money(Decimal(amount))


@pytest.mark.parametrize(
    ("text", "reason"), [(None, 5), ("-1", 5), ("1.005", 5), ("0", 5), ("0.00", 5), ("10000000000000", 49)]
)
def test_bad_amounts(text: str | None, reason: int) -> None:
    assert refused(charge(amount=text)).reason_code == reason


def test_a_zero_dollar_authorization_reaches_the_service() -> None:
    assert charged(charge(type_="authOnlyTransaction", amount="0")).amount.amount == 0


def in_currency(code: str) -> Node:
    return node(
        ("transactionType", "authCaptureTransaction"),
        ("amount", "1"),
        ("currencyCode", code),
        ("payment", CARD),
    )


@pytest.mark.parametrize(("code", "expected"), [("usd", "USD"), ("EUR", "EUR"), ("", "USD")])
def test_currency_code(code: str, expected: str) -> None:
    assert charged(in_currency(code)).amount == Money(Decimal("1.00"), expected)


@pytest.mark.parametrize("code", ["US", "DOLLARS", "U$D"])
def test_bad_currency_code_is_reason_39(code: str) -> None:
    assert refused(in_currency(code)).reason_code == 39


# ----------------------------------------------------------------------------- payment kinds


@pytest.mark.parametrize("expiry", ["2035-12", "1235", "12/35", "12-35", "122035", "12/2035", "12-2035"])
def test_card_with_every_expiry_format(expiry: str) -> None:
    source = charged(
        charge(
            payment=[("creditCard", [("cardNumber", VISA), ("expirationDate", expiry), ("cardCode", "123")])]
        )
    ).source
    assert isinstance(source, CardSource)
    assert source.card.expiry == YearMonth(2035, 12)
    assert source.card_code == Secret("123")
    assert source.entry_mode is None
    assert not source.card_present


@pytest.mark.parametrize(
    ("number", "expiry", "reason"),
    [
        ("4111111111111112", "2035-12", 6),
        ("XXXX1111", "2035-12", 6),
        ("1111", "XXXX", 6),
        (VISA, "XXXX", 7),
        (VISA, "2035-13", 7),
    ],
)
def test_bad_cards(number: str, expiry: str, reason: int) -> None:
    refusal = refused(charge(payment=[("creditCard", [("cardNumber", number), ("expirationDate", expiry)])]))
    assert refusal.reason_code == reason
    assert VISA not in refusal.text
    if not number.startswith(("X", "1111")):  # the protocol's own words for these
        assert refusal.text == reason_text(reason)


def test_bank_account() -> None:
    source = charged(charge(payment=BANK)).source
    assert isinstance(source, BankSource)
    account = source.account
    assert (account.routing_number, account.account_number) == (Secret("121042882"), Secret("987654321"))
    assert (account.account_type, account.echeck_type, account.bank_name) == (
        BankAccountType.SAVINGS,
        EcheckType.WEB,
        "First Bank",
    )


@pytest.mark.parametrize(
    ("routing", "account", "reason"),
    [
        ("121042883", "987654321", 9),
        ("12104288", "987654321", 9),
        ("121042882", "12ab", 10),
        ("121042882", "1234", 10),
    ],
)
def test_bad_bank_accounts(routing: str, account: str, reason: int) -> None:
    payment: Pairs = [
        (
            "bankAccount",
            [("routingNumber", routing), ("accountNumber", account), ("nameOnAccount", "John Doe")],
        )
    ]
    assert refused(charge(payment=payment)).reason_code == reason


TRACK1 = "%B4111111111111111^JOHNSON/ELLEN^3512101000000000000000000000000?"
TRACK2 = ";4111111111111111=35121010000000000000?"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("track1", TRACK1),
        ("track1", TRACK1.strip("%?")),
        ("track2", TRACK2),
        ("track2", TRACK2.strip(";?")),
        ("track2", "4111111111111111D3512101"),
    ],
)
def test_track_data_is_a_card_present_card(name: str, value: str) -> None:
    source = charged(charge(payment=[("trackData", [(name, value)])])).source
    assert isinstance(source, CardSource)
    assert source.entry_mode is EntryMode.SWIPED
    assert source.card_present
    assert source.card.number == Secret(VISA)
    assert (source.card.expiry, source.card.brand) == (YearMonth(2035, 12), CardBrand.VISA)
    assert source.card_code is None


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("track1", "B4111111111111112^JOHNSON/ELLEN^3512", 6),
        ("track1", "4111111111111111", 6),
        ("track2", "4111111111111111=3500", 7),
        ("track2", "=3512", 6),
        ("track2", "", 6),
    ],
)
def test_unreadable_track_data(name: str, value: str, reason: int) -> None:
    assert refused(charge(payment=[("trackData", [(name, value)])])).reason_code == reason


@pytest.mark.parametrize(
    ("payment", "reason", "words"),
    [
        (
            [
                (
                    "opaqueData",
                    [
                        ("dataDescriptor", "COMMON.ACCEPT.INAPP.PAYMENT"),
                        ("dataValue", "eyJjb2RlIjoiNTBfMl8wNjAwMDUzNDU"),
                    ],
                )
            ],
            153,
            ("Strongroom", "token"),
        ),
        ([("payPal", [("successUrl", "https://example.com")])], 2001, ("PayPal",)),
        (
            [("emv", [("emvData", "9F26"), ("emvDescriptor", "x"), ("emvVersion", "1")])],
            356,
            ("EMV", "not supported"),
        ),
        (
            [
                (
                    "encryptedTrackData",
                    [
                        (
                            "FormOfPayment",
                            [
                                (
                                    "Value",
                                    [
                                        ("Encoding", "Hex"),
                                        ("EncryptionAlgorithm", "AES"),
                                        (
                                            "Scheme",
                                            [
                                                (
                                                    "DUKPT",
                                                    [
                                                        ("Operation", "DECRYPT"),
                                                        ("Mode", []),
                                                        ("DeviceInfo", [("Description", "d")]),
                                                        ("EncryptedData", [("Value", "00")]),
                                                    ],
                                                )
                                            ],
                                        ),
                                    ],
                                )
                            ],
                        )
                    ],
                )
            ],
            155,
            ("encryptedTrackData", "not supported"),
        ),
    ],
)
def test_payment_kinds_strongroom_does_not_take(payment: Pairs, reason: int, words: tuple[str, ...]) -> None:
    refusal = refused(charge(payment=payment))
    assert refusal.reason_code == reason
    for word in words:
        assert word in refusal.text


def test_emv_data_may_hold_any_content() -> None:
    payment = [
        ("emv", [("emvData", [("anything", [("nested", "1")])]), ("emvDescriptor", "x"), ("emvVersion", "1")])
    ]
    assert refused(charge(payment=payment)).reason_code == 356


def test_no_payment_is_reason_33() -> None:
    refusal = refused(charge(payment=None))
    assert refusal.reason_code == 33
    assert "cannot be left blank" in refusal.text


# ----------------------------------------------------------------------------- stored profiles


def test_a_stored_profile_pays() -> None:
    request = charged(
        charge(
            (
                "profile",
                [
                    ("customerProfileId", "1929820324"),
                    ("paymentProfile", [("paymentProfileId", "1841987457"), ("cardCode", "999")]),
                    ("shippingProfileId", "901056173"),
                ],
            ),
            payment=None,
        )
    )
    assert request.source == ProfileSource("1929820324", "1841987457", "901056173", Secret("999"))
    assert not request.create_profile


def test_create_profile_with_card_data() -> None:
    request = charged(charge(("profile", [("createProfile", "true")])))
    assert request.create_profile
    assert isinstance(request.source, CardSource)


PROFILE = ("profile", [("customerProfileId", "1"), ("paymentProfile", [("paymentProfileId", "2")])])


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        (lambda: charge(("profile", [("createProfile", "true"), ("customerProfileId", "1")])), "E00088"),
        (lambda: charge(("profile", [("createProfile", "true"), ("shippingProfileId", "1")])), "E00088"),
        (lambda: charge(("profile", [("createProfile", "true")]), payment=None), "E00089"),
        (
            lambda: charge(
                ("profile", [("createProfile", "1")]), payment=[("trackData", [("track2", TRACK2)])]
            ),
            "E00089",
        ),
        (lambda: charge(PROFILE), "E00091"),
        (lambda: charge(PROFILE, ("billTo", [("zip", "1")]), payment=None), "E00093"),
        (
            lambda: charge(
                (
                    "profile",
                    [
                        ("customerProfileId", "1"),
                        ("paymentProfile", [("paymentProfileId", "2")]),
                        ("shippingProfileId", "3"),
                    ],
                ),
                ("shipTo", [("zip", "1")]),
                payment=None,
            ),
            "E00092",
        ),
        (
            lambda: charge(("profile", [("paymentProfile", [("paymentProfileId", "2")])]), payment=None),
            "E00014",
        ),
        (lambda: charge(("profile", [("customerProfileId", "1")]), payment=None), "E00110"),
        (lambda: charge(("profile", [("customerProfileId", "1")])), "E00110"),
    ],
)
def test_impossible_profile_combinations(request_: Callable[[], Node], code: str) -> None:
    assert api_refused(request_()) == code


def test_create_profile_false_is_no_profile() -> None:
    assert not charged(charge(("profile", [("createProfile", "false")]))).create_profile


# ----------------------------------------------------------------------------- refunds


def refund(payment: Pairs | None, ref: str | None = "60163892435") -> Any:
    pairs: Pairs = [("transactionType", "refundTransaction"), ("amount", "5.00")]
    if payment is not None:
        pairs.append(("payment", payment))
    if ref is not None:
        pairs.append(("refTransId", ref))
    call = decode.call(node(*pairs))
    assert isinstance(call, decode.RefundCall)
    return call.request


@pytest.mark.parametrize(
    ("number", "expiry"),
    [("XXXX1111", "XXXX"), ("xxxx1111", "XXXX"), ("1111", "XXXX"), (VISA, "2035-12"), ("1111", "1235")],
)
def test_a_linked_refund_names_the_card_by_its_last_four(number: str, expiry: str) -> None:
    request = refund([("creditCard", [("cardNumber", number), ("expirationDate", expiry)])])
    assert request.original_ref == "60163892435"
    assert request.source == MaskedSource("1111")
    assert request.amount == Money(Decimal("5.00"))


@pytest.mark.parametrize(("account", "routing"), [("XXXX4321", "XXXX2882"), ("987654321", "121042882")])
def test_a_linked_refund_names_the_bank_account_by_its_last_four(account: str, routing: str) -> None:
    request = refund(
        [
            (
                "bankAccount",
                [("routingNumber", routing), ("accountNumber", account), ("nameOnAccount", "John Doe")],
            )
        ]
    )
    assert request.source == MaskedSource("4321")


def test_a_linked_refund_by_track_data_names_the_card() -> None:
    assert refund([("trackData", [("track2", TRACK2)])]).source == MaskedSource("1111")


@pytest.mark.parametrize("number", ["XXXX111", "XXXX11111", "XXXXabcd", "11a1"])
def test_a_badly_masked_number_is_reason_6(number: str) -> None:
    with pytest.raises(TransactionRefused) as caught:
        refund([("creditCard", [("cardNumber", number), ("expirationDate", "XXXX")])])
    assert caught.value.reason_code == 6


def test_a_refund_to_a_profile() -> None:
    call = decode.call(
        node(("transactionType", "refundTransaction"), ("amount", "5"), PROFILE, ("refTransId", "123"))
    )
    assert isinstance(call, decode.RefundCall)
    assert call.request.source == ProfileSource("1", "2")


def test_an_unlinked_credit_needs_the_whole_card() -> None:
    request = refund(CARD, ref=None)
    assert request.original_ref is None
    assert isinstance(request.source, CardSource)
    with pytest.raises(TransactionRefused) as caught:
        refund([("creditCard", [("cardNumber", "XXXX1111"), ("expirationDate", "XXXX")])], ref=None)
    assert caught.value.reason_code == 6


def test_a_refund_without_payment_is_reason_33() -> None:
    assert (
        refused(
            node(("transactionType", "refundTransaction"), ("amount", "5"), ("refTransId", "1"))
        ).reason_code
        == 33
    )


@pytest.mark.parametrize("ref", ["", "abc"])
def test_a_refund_with_a_bad_transaction_id_is_reason_15(ref: str) -> None:
    with pytest.raises(TransactionRefused) as caught:
        refund(CARD, ref)
    assert caught.value.reason_code == 15


# ----------------------------------------------------------------------------- settings


def settings(*items: tuple[str, str]) -> Settings:
    return transaction_settings(
        charge(
            (
                "transactionSettings",
                [("setting", [("settingName", name), ("settingValue", value)]) for name, value in items],
            )
        )
    )


def test_settings_default() -> None:
    assert transaction_settings(charge()) == Settings()


@pytest.mark.parametrize("window", ["0", "1", "600", "28800", " 600 "])
def test_duplicate_window_in_range(window: str) -> None:
    assert settings(("duplicateWindow", window)) == Settings(
        duplicate_window=int(window), duplicate_window_given=True
    )


@pytest.mark.parametrize("window", ["28801", "-1", "1.5", "", "ten", "١٢"])
def test_duplicate_window_out_of_range(window: str) -> None:
    with pytest.raises(TransactionRefused) as caught:
        settings(("duplicateWindow", window))
    assert caught.value.reason_code == 290
    assert "28800" in caught.value.text


def test_flag_settings() -> None:
    assert settings(
        ("allowPartialAuth", "true"),
        ("emailCustomer", "1"),
        ("recurringBilling", "TRUE"),
        ("testRequest", "true"),
        ("headerEmailReceipt", "Hi"),
        ("footerEmailReceipt", "Bye"),
        ("merchantEmail", "m@example.com"),
    ) == Settings(
        allow_partial_auth=True,
        email_customer=True,
        recurring_billing=True,
        test_request=True,
        receipt=ReceiptOptions(header="Hi", footer="Bye", merchant_email="m@example.com"),
    )
    assert settings(("testRequest", "false"), ("allowPartialAuth", "0")) == Settings()


@pytest.mark.parametrize(
    "item", [("testRequest", "yes"), ("hostedProfileReturnUrl", "x"), ("", "true"), ("duplicatewindow", "5")]
)
def test_bad_settings_are_reason_290(item: tuple[str, str]) -> None:
    with pytest.raises(TransactionRefused) as caught:
        settings(item)
    assert caught.value.reason_code == 290


def test_settings_travel_with_a_charge_and_a_refund() -> None:
    extra = ("transactionSettings", [("setting", [("settingName", "testRequest"), ("settingValue", "true")])])
    assert charged(charge(extra)).settings.test_request
    call = decode.call(
        node(
            ("transactionType", "refundTransaction"),
            ("amount", "1"),
            ("payment", CARD),
            ("refTransId", "1"),
            extra,
        )
    )
    assert isinstance(call, decode.RefundCall)
    assert call.request.settings.test_request


# ----------------------------------------------------------------------------- order details


def _line(number: int) -> tuple[str, Pairs]:
    return (
        "lineItem",
        [
            ("itemId", f"i{number}"),
            ("name", "Vase"),
            ("description", "Blue"),
            ("quantity", "18"),
            ("unitPrice", "45.0000"),
            ("taxable", "true"),
        ],
    )


def test_every_order_detail_is_decoded() -> None:
    request = charged(
        charge(
            ("solution", [("id", "AAA100302")]),
            ("order", [("invoiceNumber", "INV-1"), ("description", "Vases")]),
            ("lineItems", [_line(1), _line(2)]),
            ("tax", [("amount", "4.26"), ("name", "level2 tax"), ("description", "tax desc")]),
            ("duty", [("amount", "8.55")]),
            ("shipping", [("amount", "4.26"), ("name", "ground")]),
            ("taxExempt", "false"),
            ("poNumber", "456654"),
            ("customer", [("type", "business"), ("id", "99999456654"), ("email", "e@x.com")]),
            ("billTo", [("firstName", "Ellen"), ("zip", "44628"), ("phoneNumber", "888")]),
            ("shipTo", [("firstName", "China"), ("country", "USA")]),
            ("customerIP", "192.168.1.1"),
            ("retail", [("marketType", "0"), ("deviceType", "7")]),
            ("employeeId", "1234"),
            ("userFields", [("userField", [("name", "a"), ("value", "b")]), ("userField", [("name", "c")])]),
        )
    )
    order = request.order
    assert (order.invoice_number, order.description, order.po_number) == ("INV-1", "Vases", "456654")
    assert order.line_items == (
        LineItem("i1", "Vase", "Blue", Decimal("18"), Decimal("45.0000"), True),
        LineItem("i2", "Vase", "Blue", Decimal("18"), Decimal("45.0000"), True),
    )
    assert order.tax == Charge(Decimal("4.26"), "level2 tax", "tax desc")
    assert order.duty == Charge(Decimal("8.55"))
    assert order.shipping == Charge(Decimal("4.26"), "ground")
    assert order.tax_exempt is False
    assert order.customer == Customer("business", "99999456654", "e@x.com")
    assert order.bill_to == Address(first_name="Ellen", zip="44628", phone_number="888")
    assert order.ship_to == Address(first_name="China", country="USA")
    assert (order.customer_ip, order.employee_id, order.solution_id) == ("192.168.1.1", "1234", "AAA100302")
    assert (order.market_type, order.device_type) == ("0", "7")
    assert order.user_fields == (("a", "b"), ("c", ""))


def test_thirty_line_items_and_no_more() -> None:
    assert len(charged(charge(("lineItems", [_line(n) for n in range(30)]))).order.line_items) == 30
    refusal = refused(charge(("lineItems", [_line(n) for n in range(31)])))
    assert refusal.reason_code == 271
    assert "30" in refusal.text


def test_more_than_twenty_user_fields_break_the_schema() -> None:
    fields = [("userField", [("name", f"n{n}"), ("value", "v")]) for n in range(21)]
    charge(("userFields", fields[:20]))
    with pytest.raises(SchemaViolation) as caught:
        charge(("userFields", fields))
    assert "'userField'" in caught.value.text


def test_a_long_po_number_is_refused() -> None:
    assert charged(charge(("poNumber", "P" * 25))).order.po_number == "P" * 25
    assert refused(charge(("poNumber", "P" * 26))).reason_code == 290


@pytest.mark.parametrize(
    ("element", "value", "problem"),
    [
        ("quantity", "1.00001", "The FractionDigits constraint failed."),
        ("quantity", "-1", "The MinInclusive constraint failed."),
        ("taxRate", "0.123456", "The TotalDigits constraint failed."),
    ],
)
def test_line_item_facets(element: str, value: str, problem: str) -> None:
    fields = dict(_line(1)[1])
    fields[element] = value
    order = ["itemId", "name", "description", "quantity", "unitPrice", "taxable", "taxRate"]
    line: Pairs = [(name, fields[name]) for name in order if name in fields]
    with pytest.raises(SchemaViolation) as caught:
        charge(("lineItems", [("lineItem", line)]))
    assert caught.value.text.endswith(problem)


def test_card_on_file_flags() -> None:
    request = charged(
        charge(
            ("processingOptions", [("isFirstRecurringPayment", "true"), ("isStoredCredentials", "1")]),
            (
                "subsequentAuthInformation",
                [
                    ("originalNetworkTransId", "123456789NNNH"),
                    ("originalAuthAmount", "45.00"),
                    ("reason", "resubmission"),
                ],
            ),
        )
    )
    assert request.card_on_file == CardOnFile(
        is_first_recurring_payment=True,
        is_stored_credentials=True,
        original_network_trans_id="123456789NNNH",
        original_auth_amount=Decimal("45.00"),
        reason="resubmission",
    )
    assert charged(charge()).card_on_file == CardOnFile()


def test_split_tender_id() -> None:
    assert charged(charge(("splitTenderId", "115901"))).split_tender_id == "115901"
    assert refused(charge(("splitTenderId", "abc"))).reason_code == 296
    assert refused(charge(("refTransId", "1"), ("splitTenderId", "2"))).reason_code == 297


# ----------------------------------------------------------------------------- echo


def test_echo_of_a_card_charge() -> None:
    echo = decode.echo(
        charge(
            ("refTransId", "999"),
            (
                "transactionSettings",
                [("setting", [("settingName", "duplicateWindow"), ("settingValue", "60")])],
            ),
            ("userFields", [("userField", [("name", "a"), ("value", "b")])]),
        )
    )
    assert echo == decode.Echo(
        ref_trans_id="",
        user_fields=(("a", "b"),),
        amount=Decimal("12.50"),
        account_number="XXXX1111",
        account_type="Visa",
        create_profile=False,
        duplicate_window_given=True,
    )


@pytest.mark.parametrize("type_", ["priorAuthCaptureTransaction", "voidTransaction", "refundTransaction"])
def test_echo_repeats_the_referenced_transaction(type_: str) -> None:
    assert decode.echo(charge(("refTransId", "60163892435"), type_=type_)).ref_trans_id == "60163892435"


@pytest.mark.parametrize(
    ("payment", "number", "account_type"),
    [
        (BANK, "XXXX4321", "eCheck"),
        ([("trackData", [("track1", TRACK1)])], "XXXX1111", "Visa"),
        ([("creditCard", [("cardNumber", "XXXX0015"), ("expirationDate", "XXXX")])], "XXXX0015", ""),
        ([("creditCard", [("cardNumber", "41ab"), ("expirationDate", "XXXX")])], "", ""),
        ([("trackData", [("track2", "garbage")])], "", ""),
        ([("payPal", [])], "", ""),
    ],
)
def test_echo_reads_the_account_leniently(payment: Pairs, number: str, account_type: str) -> None:
    echo = decode.echo(charge(amount="-3", payment=payment))
    assert (echo.account_number, echo.account_type) == (number, account_type)
    assert echo.amount is None  # a negative amount is not repeated


# ----------------------------------------------------------------------------- one pass


def test_one_pass_yields_the_call_and_its_echo() -> None:
    request = charge(("userFields", [("userField", [("name", "a"), ("value", "b")])]))

    found = decode.decoded(request)

    assert found.echo == decode.echo(request)
    assert found.call == decode.call(request)
    assert isinstance(found.call, decode.ChargeCall)


def test_one_pass_keeps_the_echo_of_a_refused_call() -> None:
    request = charge(("refTransId", "abc"), type_="voidTransaction")

    found = decode.decoded(request)

    assert isinstance(found.call, TransactionRefused)
    assert found.call.reason_code == 15
    assert found.echo.ref_trans_id == "abc"
    assert found.echo.amount == Decimal("12.50")


def test_one_pass_keeps_the_echo_of_an_api_refusal() -> None:
    request = charge(("profile", [("customerProfileId", "1")]), payment=None)

    found = decode.decoded(request)

    assert isinstance(found.call, ApiRefused)
    assert found.call.message.code == "E00110"
    assert found.echo == decode.echo(request)
