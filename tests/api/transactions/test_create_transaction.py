"""createTransactionRequest through the official SDK (and raw XML/JSON where the SDK cannot go):
every transaction type and payment kind, the sandbox triggers, the duplicate window, test
requests, card-present track data, stored profiles, and the refusals the door decides."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from strongroom.domain.transactions import TransactionStatus
from tests.api.builders import (
    AMEX,
    DECLINE_ZIP,
    DINERS,
    DISCOVER,
    EXPIRY,
    JCB,
    MASTERCARD,
    VISA,
    Cim,
    address,
    bank,
    card,
    child,
    items,
    payment_profile,
    profile,
    shipping,
    text,
)
from tests.api.live_server import LiveServer
from tests.api.raw import BOM, NS, Pairs, call, envelope, merchant_of, post
from tests.api.sdk import ApiMerchant, execute, result
from tests.api.stored_rows import merchant_row_counts

AUTH_CAPTURE = "authCaptureTransaction"
AUTH_ONLY = "authOnlyTransaction"
CAPTURE_ONLY = "captureOnlyTransaction"
PRIOR_AUTH_CAPTURE = "priorAuthCaptureTransaction"
VOID = "voidTransaction"
REFUND = "refundTransaction"
APPROVED_TEXT = "This transaction has been approved."
DECLINED_TEXT = "This transaction has been declined."
TRACK1 = "%B4111111111111111^JOHNSON/ELLEN^3512101000000000000000000000000?"
TRACK2 = ";4111111111111111=35121010000000000000?"


# ----------------------------------------------------------------------------- building


def transaction(
    type_: str | None = AUTH_CAPTURE,
    amount: str | None = "12.23",
    payment: Any = None,
    *,
    profile_: Any = None,
    auth_code: str | None = None,
    ref: str | None = None,
    split_tender_id: str | None = None,
    invoice: str | None = None,
    line_items: int = 0,
    bill_to: Any = None,
    ship_to: Any = None,
    settings: dict[str, str] | None = None,
    user_fields: dict[str, str] | None = None,
) -> Any:
    """A transactionRequestType, its elements set in schema order."""
    item = contracts.transactionRequestType()
    item.transactionType = type_
    if amount is not None:
        item.amount = amount
    if payment is not None:
        item.payment = payment
    if profile_ is not None:
        item.profile = profile_
    if auth_code is not None:
        item.authCode = auth_code
    if ref is not None:
        item.refTransId = ref
    if split_tender_id is not None:
        item.splitTenderId = split_tender_id
    if invoice is not None:
        item.order = contracts.orderType()
        item.order.invoiceNumber = invoice
    if line_items:
        item.lineItems = contracts.ArrayOfLineItem()
        for number in range(line_items):
            line = contracts.lineItemType()
            line.itemId = f"item-{number}"
            line.name = "Widget"
            line.quantity = "1"
            line.unitPrice = "0.10"
            item.lineItems.lineItem.append(line)
    if bill_to is not None:
        item.billTo = bill_to
    if ship_to is not None:
        item.shipTo = ship_to
    if settings:
        item.transactionSettings = contracts.ArrayOfSetting()
        for name, value in settings.items():
            setting = contracts.settingType()
            setting.settingName = name
            setting.settingValue = value
            item.transactionSettings.setting.append(setting)
    if user_fields:
        item.userFields = contracts.CTD_ANON()
        for name, value in user_fields.items():
            field = contracts.userField()
            field.name = name
            field.value_ = value
            item.userFields.userField.append(field)
    return item


def track(track1: str | None = None, track2: str | None = None) -> Any:
    data = contracts.creditCardTrackType()
    if track1 is not None:
        data.track1 = track1
    if track2 is not None:
        data.track2 = track2
    payment = contracts.paymentType()
    payment.trackData = data
    return payment


def stored_profile(
    profile_id: str,
    payment_profile_id: str | None = None,
    *,
    card_code: str | None = None,
    shipping_id: str | None = None,
    create: bool | None = None,
) -> Any:
    item = contracts.customerProfilePaymentType()
    if create is not None:
        item.createProfile = create
    item.customerProfileId = profile_id
    if payment_profile_id is not None:
        item.paymentProfile = contracts.paymentProfile()
        item.paymentProfile.paymentProfileId = payment_profile_id
        if card_code is not None:
            item.paymentProfile.cardCode = card_code
    if shipping_id is not None:
        item.shippingProfileId = shipping_id
    return item


def create_profile() -> Any:
    item = contracts.customerProfilePaymentType()
    item.createProfile = True
    return item


@dataclass(frozen=True)
class Gateway:
    """createTransaction for one merchant, through the official SDK controller."""

    server: LiveServer
    merchant: ApiMerchant

    def send(self, transaction_: Any, ref_id: str | None = None) -> Any:
        request = contracts.createTransactionRequest()
        request.merchantAuthentication = self.merchant.auth()
        if ref_id is not None:
            request.refId = ref_id
        request.transactionRequest = transaction_
        return execute(self.server, controllers.createTransactionController, request)

    def approved(self, transaction_: Any) -> Any:
        return approved(self.send(transaction_))

    def charge(self, amount: str = "12.23", payment: Any = None, **kw: Any) -> str:
        """An approved authCapture; its transId."""
        return trans_id(self.approved(transaction(AUTH_CAPTURE, amount, payment or card(), **kw)))

    def authorize(self, amount: str = "12.23", **kw: Any) -> str:
        return trans_id(self.approved(transaction(AUTH_ONLY, amount, card(), **kw)))

    def status(self, ref: str) -> TransactionStatus:
        services = self.server.application.services
        return services.payments.get(merchant_of(self.server, self.merchant), ref).status


@pytest.fixture
def gateway(server: LiveServer, merchant: ApiMerchant) -> Gateway:
    return Gateway(server, merchant)


# ----------------------------------------------------------------------------- reading


def approved(response: Any, reason: str = "1") -> Any:
    """The transactionResponse of an accepted transaction (Ok / I00001, messages)."""
    assert result(response)[:2] == ("Ok", "I00001"), _explain(response)
    answer = response.transactionResponse
    assert text(answer, "responseCode") == "1", _explain(response)
    assert child(answer, "errors") is None
    assert text(answer, "messages", "message", "code") == reason
    return answer


def failed(response: Any, response_code: str, reason: str) -> tuple[Any, str]:
    """(transactionResponse, errorText) of a declined or refused transaction."""
    assert result(response) == ("Error", "E00027", "The transaction was unsuccessful."), _explain(response)
    answer = response.transactionResponse
    assert text(answer, "responseCode") == response_code, _explain(response)
    assert child(answer, "messages") is None
    errors = items(answer, "errors", "error")
    assert len(errors) == 1
    assert text(errors[0], "errorCode") == reason, _explain(response)
    return answer, text(errors[0], "errorText") or ""


def refused(response: Any, reason: str) -> tuple[Any, str]:
    """A transaction error (responseCode 3): nothing stored, no AVS."""
    answer, error_text = failed(response, "3", reason)
    assert text(answer, "transId") == "0"
    assert text(answer, "avsResultCode") == "P"
    assert text(answer, "authCode") == ""
    return answer, error_text


def _explain(response: Any) -> str:
    answer = getattr(response, "transactionResponse", None)
    errors = (
        [(text(item, "errorCode"), text(item, "errorText")) for item in items(answer, "errors", "error")]
        if answer is not None
        else []
    )
    return f"{result(response)} {errors}"


def trans_id(answer: Any) -> str:
    value = text(answer, "transId") or ""
    assert value.isdigit(), value
    assert value != "0"
    return value


def sha2(merchant: ApiMerchant, trans_id_: str, amount: str) -> str:
    message = f"^{merchant.login_id}^{trans_id_}^{amount}^".encode()
    return hmac.new(bytes.fromhex(merchant.signature_key), message, hashlib.sha512).hexdigest().upper()


# ----------------------------------------------------------------------------- authCapture


def test_a_card_charge_is_approved_with_the_whole_response(gateway: Gateway) -> None:
    response = gateway.send(
        transaction(AUTH_CAPTURE, "12.23", card(VISA, code="123"), bill_to=address()), ref_id="charge-1"
    )
    assert response.refId == "charge-1"
    answer = approved(response)
    ref = trans_id(answer)
    assert len(text(answer, "authCode") or "") == 6
    assert text(answer, "avsResultCode") == "Y"
    assert text(answer, "cvvResultCode") == "M"
    assert text(answer, "cavvResultCode") == ""
    assert text(answer, "refTransID") == ""
    assert text(answer, "transHash") == ""
    assert text(answer, "testRequest") == "0"
    assert text(answer, "accountNumber") == "XXXX1111"
    assert text(answer, "accountType") == "Visa"
    assert text(answer, "messages", "message", "description") == APPROVED_TEXT
    assert text(answer, "transHashSha2") == sha2(gateway.merchant, ref, "12.23")
    assert (text(answer, "networkTransId") or "").isdigit()
    assert gateway.status(ref) is TransactionStatus.CAPTURED_PENDING_SETTLEMENT


def test_a_blank_transaction_type_is_an_auth_capture(gateway: Gateway) -> None:
    ref = trans_id(gateway.approved(transaction("", "5.00", card())))
    assert gateway.status(ref) is TransactionStatus.CAPTURED_PENDING_SETTLEMENT


@pytest.mark.parametrize("expiry", ["2035-12", "1235", "12/35", "12-35", "122035", "12/2035", "12-2035"])
def test_every_documented_expiry_format_is_accepted(gateway: Gateway, expiry: str) -> None:
    gateway.approved(transaction(AUTH_CAPTURE, "3.00", card(VISA, expiry)))


@pytest.mark.parametrize(
    ("number", "code", "brand"),
    [
        (MASTERCARD, "123", "MasterCard"),
        (AMEX, "1234", "AmericanExpress"),
        (DISCOVER, "123", "Discover"),
        (JCB, "123", "JCB"),
        (DINERS, "123", "DinersClub"),
    ],
)
def test_card_brands_are_named_in_account_type(gateway: Gateway, number: str, code: str, brand: str) -> None:
    answer = gateway.approved(transaction(AUTH_CAPTURE, "4.00", card(number, code=code)))
    assert text(answer, "accountType") == brand
    assert text(answer, "accountNumber") == "XXXX" + number[-4:]


@pytest.mark.parametrize(
    ("number", "expiry", "reason"),
    [
        ("4111111111111112", EXPIRY, "6"),  # Luhn fails
        ("XXXX1111", EXPIRY, "6"),  # masked numbers only name a card in refunds
        (VISA, "13/35", "7"),
        (VISA, "2020-01", "8"),  # expired before the sandbox clock's date
    ],
)
def test_bad_cards_are_refused_without_storing(
    gateway: Gateway, number: str, expiry: str, reason: str
) -> None:
    before = merchant_row_counts(gateway.server, gateway.merchant)

    refused(gateway.send(transaction(AUTH_CAPTURE, "5.00", card(number, expiry))), reason)

    after = merchant_row_counts(gateway.server, gateway.merchant)
    assert after == before
    assert after["transactions"] == after["transaction_instruments"] == after["outbox"] == 0


@pytest.mark.parametrize(
    ("amount", "reason"),
    [(None, "5"), ("0", "5"), ("-1.00", "5"), ("1.005", "5"), ("10000000000000.00", "49")],
)
def test_bad_amounts_are_refused(gateway: Gateway, amount: str | None, reason: str) -> None:
    refused(gateway.send(transaction(AUTH_CAPTURE, amount, card())), reason)


# ----------------------------------------------------------------------------- authOnly, capture


def test_an_authorization_is_captured_in_full_once(gateway: Gateway) -> None:
    ref = gateway.authorize("20.00")
    assert gateway.status(ref) is TransactionStatus.AUTHORIZED_PENDING_CAPTURE
    answer = gateway.approved(transaction(PRIOR_AUTH_CAPTURE, None, ref=ref))
    assert text(answer, "transId") == ref
    assert text(answer, "refTransID") == ref
    assert text(answer, "accountNumber") == "XXXX1111"
    assert text(answer, "avsResultCode") == "P"
    assert text(answer, "transHashSha2") == sha2(gateway.merchant, ref, "20.00")
    assert gateway.status(ref) is TransactionStatus.CAPTURED_PENDING_SETTLEMENT

    again = approved(gateway.send(transaction(PRIOR_AUTH_CAPTURE, None, ref=ref)), reason="311")
    assert text(again, "messages", "message", "description") == "This transaction has already been captured."
    assert text(again, "transId") == ref


def test_a_capture_reads_its_settings_test_request_captures_nothing(gateway: Gateway) -> None:
    ref = gateway.authorize("20.00")
    tested = gateway.approved(
        transaction(PRIOR_AUTH_CAPTURE, None, ref=ref, settings={"testRequest": "true"})
    )
    assert (text(tested, "transId"), text(tested, "testRequest")) == ("0", "1")
    assert gateway.status(ref) is TransactionStatus.AUTHORIZED_PENDING_CAPTURE
    refused(
        gateway.send(transaction(PRIOR_AUTH_CAPTURE, None, ref=ref, settings={"emailCustomer": "maybe"})),
        "290",
    )
    assert gateway.status(ref) is TransactionStatus.AUTHORIZED_PENDING_CAPTURE


def test_a_partial_capture_settles_the_smaller_amount(gateway: Gateway) -> None:
    ref = gateway.authorize("20.00")
    answer = gateway.approved(transaction(PRIOR_AUTH_CAPTURE, "7.50", ref=ref))
    assert text(answer, "transHashSha2") == sha2(gateway.merchant, ref, "7.50")
    record = gateway.server.application.services.payments.get(
        merchant_of(gateway.server, gateway.merchant), ref
    )
    assert record.settle_amount == Decimal("7.50")


def test_capturing_more_than_authorized_is_reason_47(gateway: Gateway) -> None:
    ref = gateway.authorize("20.00")
    answer, error_text = refused(gateway.send(transaction(PRIOR_AUTH_CAPTURE, "20.01", ref=ref)), "47")
    assert text(answer, "refTransID") == ref
    assert error_text == (
        "The amount requested for settlement cannot be greater than the original amount authorized."
    )
    assert gateway.status(ref) is TransactionStatus.AUTHORIZED_PENDING_CAPTURE


@pytest.mark.parametrize(("ref", "reason"), [(None, "15"), ("", "15"), ("12ab", "15"), ("99999999999", "16")])
def test_a_capture_needs_an_existing_transaction(gateway: Gateway, ref: str | None, reason: str) -> None:
    refused(gateway.send(transaction(PRIOR_AUTH_CAPTURE, None, ref=ref)), reason)


def test_a_capture_of_another_merchants_authorization_is_not_found(
    server: LiveServer, gateway: Gateway
) -> None:
    from tests.api.sdk import new_merchant

    ref = Gateway(server, new_merchant(server, "Other")).authorize("20.00")
    refused(gateway.send(transaction(PRIOR_AUTH_CAPTURE, None, ref=ref)), "16")


def test_capture_only_keeps_the_auth_code_it_was_given(gateway: Gateway) -> None:
    answer = gateway.approved(transaction(CAPTURE_ONLY, "9.00", card(), auth_code="ROHNFQ"))
    assert text(answer, "authCode") == "ROHNFQ"
    assert gateway.status(trans_id(answer)) is TransactionStatus.CAPTURED_PENDING_SETTLEMENT


@pytest.mark.parametrize("auth_code", [None, "", "1234567"])
def test_capture_only_needs_an_auth_code(gateway: Gateway, auth_code: str | None) -> None:
    refused(gateway.send(transaction(CAPTURE_ONLY, "9.00", card(), auth_code=auth_code)), "12")


# ----------------------------------------------------------------------------- void, refund


def test_a_void_is_approved_once(gateway: Gateway) -> None:
    ref = gateway.charge("15.00")
    answer = gateway.approved(transaction(VOID, None, ref=ref))
    assert text(answer, "transId") == ref
    assert text(answer, "refTransID") == ref
    assert gateway.status(ref) is TransactionStatus.VOIDED
    again = approved(gateway.send(transaction(VOID, None, ref=ref)), reason="310")
    assert text(again, "messages", "message", "description") == "This transaction has already been voided."


def test_a_voided_authorization_cannot_be_captured(gateway: Gateway) -> None:
    ref = gateway.authorize("15.00")
    gateway.approved(transaction(VOID, None, ref=ref))
    approved(gateway.send(transaction(PRIOR_AUTH_CAPTURE, None, ref=ref)), reason="310")
    assert gateway.status(ref) is TransactionStatus.VOIDED


@pytest.mark.parametrize(
    ("payment", "last4"),
    [(card("XXXX1111", "XXXX"), "1111"), (card("1111", "XXXX"), "1111"), (card(VISA, EXPIRY), "1111")],
)
def test_an_unsettled_card_charge_cannot_be_refunded_yet(gateway: Gateway, payment: Any, last4: str) -> None:
    # Settlement comes in a later slice: every charge here is still unsettled (reason 54).
    ref = gateway.charge("15.00")
    answer, error_text = refused(gateway.send(transaction(REFUND, "5.00", payment, ref=ref)), "54")
    assert error_text == ("The referenced transaction does not meet the criteria for issuing a credit.")
    assert text(answer, "refTransID") == ref
    assert text(answer, "accountNumber") == "XXXX" + last4
    assert gateway.status(ref) is TransactionStatus.CAPTURED_PENDING_SETTLEMENT


def test_an_unsettled_bank_debit_cannot_be_refunded_yet(gateway: Gateway) -> None:
    ref = gateway.charge("15.00", bank("987654321"))
    masked = bank("XXXX4321", "XXXX2882")
    refused(gateway.send(transaction(REFUND, "5.00", masked, ref=ref)), "54")


def test_an_unlinked_credit_is_not_enabled(gateway: Gateway) -> None:
    refused(gateway.send(transaction(REFUND, "5.00", card())), "54")


def test_a_refund_needs_the_card_it_names(gateway: Gateway) -> None:
    ref = gateway.charge("15.00")
    refused(gateway.send(transaction(REFUND, "5.00", card("XXXX11", "XXXX"), ref=ref)), "6")
    refused(gateway.send(transaction(REFUND, "5.00", None, ref=ref)), "33")


# ----------------------------------------------------------------------------- bank accounts


def test_a_bank_debit_up_to_100_dollars_is_approved(gateway: Gateway) -> None:
    answer = gateway.approved(transaction(AUTH_CAPTURE, "100.00", bank("987654321")))
    assert text(answer, "accountType") == "eCheck"
    assert text(answer, "accountNumber") == "XXXX4321"
    assert text(answer, "avsResultCode") == "P"
    assert gateway.status(trans_id(answer)) is TransactionStatus.CAPTURED_PENDING_SETTLEMENT


def test_a_bank_debit_over_100_dollars_is_declined(gateway: Gateway) -> None:
    answer, error_text = failed(gateway.send(transaction(AUTH_CAPTURE, "100.01", bank())), "2", "2")
    assert error_text == DECLINED_TEXT
    assert text(answer, "accountType") == "eCheck"
    assert gateway.status(trans_id(answer)) is TransactionStatus.DECLINED


@pytest.mark.parametrize(
    ("routing", "account", "reason"), [("121042883", "987654321", "9"), ("121042882", "12ab", "10")]
)
def test_bad_bank_accounts_are_refused(gateway: Gateway, routing: str, account: str, reason: str) -> None:
    refused(gateway.send(transaction(AUTH_CAPTURE, "5.00", bank(account, routing))), reason)


# ----------------------------------------------------------------------------- profiles


def test_a_customer_profile_pays(gateway: Gateway) -> None:
    cim = Cim(gateway.server, gateway.merchant)
    profile_id = cim.new_profile(profile("payer-1"))
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(MASTERCARD)))
    address_id = cim.new_address(profile_id, shipping())
    answer = gateway.approved(
        transaction(
            AUTH_CAPTURE,
            "30.00",
            profile_=stored_profile(profile_id, payment_profile_id, card_code="901", shipping_id=address_id),
        )
    )
    assert text(answer, "accountNumber") == "XXXX0015"
    assert text(answer, "accountType") == "MasterCard"
    assert text(answer, "cvvResultCode") == "N"
    record = gateway.server.application.services.payments.get(
        merchant_of(gateway.server, gateway.merchant), trans_id(answer)
    )
    assert (record.customer_profile_ref, record.payment_profile_ref, record.shipping_address_ref) == (
        profile_id,
        payment_profile_id,
        address_id,
    )


def test_an_unknown_payment_profile_is_refused(gateway: Gateway) -> None:
    cim = Cim(gateway.server, gateway.merchant)
    profile_id = cim.new_profile(profile("payer-1"))
    refused(
        gateway.send(transaction(AUTH_CAPTURE, "30.00", profile_=stored_profile(profile_id, "1234567890"))),
        "16",
    )


def test_create_profile_stores_the_card_of_an_approved_charge(gateway: Gateway) -> None:
    item = transaction(
        AUTH_CAPTURE, "31.00", card(DISCOVER), profile_=create_profile(), bill_to=address(zip="46201")
    )
    item.customer = contracts.customerDataType()
    item.customer.id = "from-tx-1"
    response = gateway.send(item)
    answer = approved(response)
    profile_id = text(answer, "profile", "customerProfileId") or ""
    payment_profile_id = text(answer, "profile", "customerPaymentProfileId") or ""
    assert profile_id.isdigit()
    assert payment_profile_id.isdigit()
    created = response.profileResponse
    assert text(created, "messages", "resultCode") == "Ok"
    assert text(created, "customerProfileId") == profile_id
    assert text(created, "customerPaymentProfileIdList", "numericString") == payment_profile_id
    cim = Cim(gateway.server, gateway.merchant)
    stored = cim.stored(profile_id, payment_profile_id)
    assert text(stored, "payment", "creditCard", "cardNumber") == "XXXX0012"


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (
            lambda: transaction(AUTH_CAPTURE, "5.00", card(), profile_=stored_profile("123", create=True)),
            "E00088",
        ),
        (lambda: transaction(AUTH_CAPTURE, "5.00", None, profile_=create_profile()), "E00089"),
        (lambda: transaction(AUTH_CAPTURE, "5.00", card(), profile_=stored_profile("123", "456")), "E00091"),
        (
            lambda: transaction(
                AUTH_CAPTURE, "5.00", None, profile_=stored_profile("123", "456"), bill_to=address()
            ),
            "E00093",
        ),
        (
            lambda: transaction(
                AUTH_CAPTURE,
                "5.00",
                None,
                profile_=stored_profile("123", "456", shipping_id="789"),
                ship_to=shipping(kind=contracts.nameAndAddressType, phoneNumber=None, faxNumber=None),
            ),
            "E00092",
        ),
        (lambda: transaction(AUTH_CAPTURE, "5.00", None, profile_=stored_profile("123")), "E00110"),
    ],
)
def test_impossible_profile_combinations_are_api_errors(gateway: Gateway, build: Any, code: str) -> None:
    response = gateway.send(build())
    assert result(response)[:2] == ("Error", code)
    answer = response.transactionResponse
    assert text(answer, "responseCode") == "3"
    assert text(answer, "transId") == "0"


# ----------------------------------------------------------------------------- triggers


def test_the_decline_zip_is_declined(gateway: Gateway) -> None:
    answer, error_text = failed(
        gateway.send(transaction(AUTH_CAPTURE, "5.00", card(), bill_to=address(zip=DECLINE_ZIP))), "2", "2"
    )
    assert error_text == DECLINED_TEXT
    assert text(answer, "authCode") == ""
    assert text(answer, "avsResultCode") == "P"
    assert gateway.status(trans_id(answer)) is TransactionStatus.DECLINED


@pytest.mark.parametrize(
    ("code", "letter"), [("900", "M"), ("901", "N"), ("902", "S"), ("903", "U"), ("904", "P")]
)
def test_card_code_triggers(gateway: Gateway, code: str, letter: str) -> None:
    answer = gateway.approved(transaction(AUTH_CAPTURE, "5.00", card(VISA, code=code)))
    assert text(answer, "cvvResultCode") == letter


@pytest.mark.parametrize(
    ("number", "zip_code", "letter"),
    [
        (VISA, "46201", "A"),
        (VISA, "46203", "E"),
        (VISA, "46204", "G"),
        (VISA, "46205", "N"),
        (VISA, "46206", "P"),
        (VISA, "46207", "R"),
        (VISA, "46208", "S"),
        (VISA, "46209", "U"),
        (VISA, "46211", "W"),
        (MASTERCARD, "46214", "X"),
        (VISA, "46214", "Y"),
        (VISA, "46217", "Z"),
        (AMEX, "46204", "Y"),
    ],
)
def test_avs_zip_triggers(gateway: Gateway, number: str, zip_code: str, letter: str) -> None:
    code = "1234" if number == AMEX else "123"
    answer = gateway.approved(
        transaction(AUTH_CAPTURE, "5.00", card(number, code=code), bill_to=address(zip=zip_code))
    )
    assert text(answer, "avsResultCode") == letter


def test_a_partial_authorization_needs_allow_partial_auth(gateway: Gateway) -> None:
    declined, _ = failed(
        gateway.send(transaction(AUTH_ONLY, "5.00", card(), bill_to=address(zip="46225"))), "2", "2"
    )
    assert text(declined, "transId") != "0"
    response = gateway.send(
        transaction(
            AUTH_ONLY,
            "5.00",
            card(),
            bill_to=address(zip="46225"),
            settings={"allowPartialAuth": "true", "duplicateWindow": "0"},
        )
    )
    assert result(response)[:2] == ("Ok", "I00001")
    answer = response.transactionResponse
    assert text(answer, "responseCode") == "4"
    assert text(answer, "messages", "message", "code") == "295"
    assert (text(answer, "splitTenderId") or "").isdigit()
    assert text(answer, "prePaidCard", "requestedAmount") == "5.00"
    assert text(answer, "prePaidCard", "approvedAmount") == "1.23"
    assert text(answer, "prePaidCard", "balanceOnCard") == "0.00"


# ----------------------------------------------------------------------------- duplicates


def test_a_repeat_within_the_window_is_a_duplicate_without_details(gateway: Gateway) -> None:
    gateway.charge("11.00", invoice="INV-1")
    answer, error_text = refused(
        gateway.send(transaction(AUTH_CAPTURE, "11.00", card(), invoice="INV-1")), "11"
    )
    assert error_text == "A duplicate transaction has been submitted."
    assert text(answer, "cvvResultCode") == ""
    assert text(answer, "accountNumber") == "XXXX1111"


def test_a_duplicate_echoes_the_original_when_duplicate_window_is_sent(gateway: Gateway) -> None:
    settings = {"duplicateWindow": "600"}
    first = gateway.approved(
        transaction(AUTH_CAPTURE, "11.00", card(code="901"), bill_to=address(zip="46205"), settings=settings)
    )
    answer, _ = failed(
        gateway.send(
            transaction(
                AUTH_CAPTURE, "11.00", card(code="901"), bill_to=address(zip="46205"), settings=settings
            )
        ),
        "3",
        "11",
    )
    for name in ("transId", "authCode", "avsResultCode", "cvvResultCode"):
        assert text(answer, name) == text(first, name), name
    assert text(answer, "avsResultCode") == "N"


def test_a_different_amount_or_a_zero_window_is_not_a_duplicate(gateway: Gateway) -> None:
    gateway.charge("11.00")
    gateway.charge("11.01")
    gateway.charge("11.00", settings={"duplicateWindow": "0"})


@pytest.mark.parametrize("value", ["28801", "-1", "ten"])
def test_duplicate_window_beyond_eight_hours_is_refused(gateway: Gateway, value: str) -> None:
    _, error_text = refused(
        gateway.send(transaction(AUTH_CAPTURE, "5.00", card(), settings={"duplicateWindow": value})), "290"
    )
    assert "duplicateWindow" in error_text
    gateway.charge("5.00", settings={"duplicateWindow": "28800"})


@pytest.mark.parametrize("settings", [{"hostedPaymentReturnOptions": "{}"}, {"testRequest": "maybe"}])
def test_unknown_or_malformed_settings_are_refused(gateway: Gateway, settings: dict[str, str]) -> None:
    refused(gateway.send(transaction(AUTH_CAPTURE, "5.00", card(), settings=settings)), "290")


def test_receipt_and_flag_settings_are_accepted(gateway: Gateway) -> None:
    gateway.charge(
        "5.00",
        settings={
            "emailCustomer": "false",
            "headerEmailReceipt": "Thanks",
            "footerEmailReceipt": "Bye",
            "merchantEmail": "shop@example.com",
            "recurringBilling": "false",
            "allowPartialAuth": "false",
        },
    )


# ----------------------------------------------------------------------------- test requests


def test_a_test_request_is_approved_and_not_stored(gateway: Gateway) -> None:
    answer = gateway.approved(transaction(AUTH_CAPTURE, "5.00", card(), settings={"testRequest": "true"}))
    assert text(answer, "transId") == "0"
    assert text(answer, "testRequest") == "1"
    assert text(answer, "authCode") == "000000"
    assert text(answer, "transHashSha2") == sha2(gateway.merchant, "0", "5.00")
    # Nothing stored, so the same charge is no duplicate.
    gateway.charge("5.00")


# ----------------------------------------------------------------------------- card present


@pytest.mark.parametrize(
    "payment",
    [
        track(track1=TRACK1),
        track(track2=TRACK2),
        track(track1=TRACK1.strip("%?")),
        track(track2=TRACK2.strip(";?")),
    ],
)
def test_track_data_is_a_card_present_charge(gateway: Gateway, payment: Any) -> None:
    answer = gateway.approved(transaction(AUTH_CAPTURE, "6.00", payment))
    assert text(answer, "accountNumber") == "XXXX1111"
    assert text(answer, "entryMode") == "Swiped"
    assert text(answer, "accountType") == "Visa"
    assert stored_details(gateway, trans_id(answer))["entry_mode"] == "swiped"


def stored_details(gateway: Gateway, ref: str) -> dict[str, Any]:
    services = gateway.server.application.services
    record = services.payments.get(merchant_of(gateway.server, gateway.merchant), ref)
    details: dict[str, Any] = json.loads(record.details_json)
    return details


def test_only_card_present_transactions_report_an_entry_mode(gateway: Gateway) -> None:
    keyed = gateway.approved(transaction(AUTH_CAPTURE, "6.10", card()))
    assert text(keyed, "entryMode") is None
    assert "entry_mode" not in stored_details(gateway, trans_id(keyed))
    declined, _ = failed(
        gateway.send(transaction(AUTH_ONLY, "6.20", track(track2=TRACK2), bill_to=address(zip=DECLINE_ZIP))),
        "2",
        "2",
    )
    assert text(declined, "entryMode") == "Swiped"
    assert stored_details(gateway, trans_id(declined))["entry_mode"] == "swiped"
    test_run = gateway.approved(
        transaction(AUTH_CAPTURE, "6.30", track(track1=TRACK1), settings={"testRequest": "true"})
    )
    assert (text(test_run, "transId"), text(test_run, "entryMode")) == ("0", "Swiped")
    echeck = gateway.approved(transaction(AUTH_CAPTURE, "6.40", bank()))
    assert text(echeck, "entryMode") is None
    voided = gateway.approved(transaction(VOID, None, ref=trans_id(keyed)))
    assert text(voided, "entryMode") is None


@pytest.mark.parametrize("dialect", ["xml", "json"])
def test_raw_track_data_answers_carry_the_entry_mode(gateway: Gateway, dialect: str) -> None:
    answer = call(
        gateway.server,
        dialect,
        "createTransactionRequest",
        envelope(
            gateway.merchant,
            (
                "transactionRequest",
                [
                    ("transactionType", AUTH_CAPTURE),
                    ("amount", "6.50"),
                    ("payment", [("trackData", [("track2", TRACK2)])]),
                ],
            ),
        ),
    ).ok()
    if dialect == "json":
        assert answer.json()["transactionResponse"]["entryMode"] == "Swiped"
    else:
        assert (
            b"<accountNumber>XXXX1111</accountNumber><entryMode>Swiped</entryMode>"
            b"<accountType>Visa</accountType>"
        ) in answer.body


@pytest.mark.parametrize(
    ("payment", "reason"),
    [
        (track(track1="B4111111111111112^JOHNSON/ELLEN^3512101"), "6"),
        (track(track2="4111111111111111=3513101"), "7"),
        (track(track2="not a track"), "6"),
    ],
)
def test_unreadable_track_data_is_refused(gateway: Gateway, payment: Any, reason: str) -> None:
    refused(gateway.send(transaction(AUTH_CAPTURE, "6.00", payment)), reason)


# ----------------------------------------------------------------------------- order details


def test_line_items_up_to_thirty(gateway: Gateway) -> None:
    gateway.approved(transaction(AUTH_CAPTURE, "3.00", card(), line_items=30))
    _, error_text = refused(gateway.send(transaction(AUTH_CAPTURE, "3.10", card(), line_items=31)), "271")
    assert error_text == (
        "The number of line items submitted is not allowed. A maximum of 30 line items can be submitted."
    )


def test_user_fields_are_echoed(gateway: Gateway) -> None:
    fields = {"order": "A-17", "note": "gift wrap"}
    answer = gateway.approved(transaction(AUTH_CAPTURE, "3.00", card(), user_fields=fields))
    echoed = {text(item, "name"): text(item, "value") for item in items(answer, "userFields", "userField")}
    assert echoed == fields
    refused_answer, _ = refused(
        gateway.send(transaction(AUTH_CAPTURE, None, card(), user_fields=fields)), "5"
    )
    assert len(items(refused_answer, "userFields", "userField")) == 2


def test_split_tender_id_with_a_transaction_id_is_reason_297(gateway: Gateway) -> None:
    refused(gateway.send(transaction(AUTH_CAPTURE, "5.00", card(), ref="123", split_tender_id="456")), "297")


# ----------------------------------------------------------------------------- unsupported


@pytest.mark.parametrize(
    "type_", ["chargeTransaction", "authOnlyContinueTransaction", "getDetailsTransaction"]
)
def test_unknown_and_paypal_types_are_refused(gateway: Gateway, type_: str) -> None:
    _, error_text = refused(
        gateway.send(transaction(type_, "5.00", card())), "66" if type_ == "chargeTransaction" else "2001"
    )
    assert error_text


def _payment_of(kind: str) -> Any:
    payment = contracts.paymentType()
    if kind == "opaqueData":
        payment.opaqueData = contracts.opaqueDataType()
        payment.opaqueData.dataDescriptor = "COMMON.ACCEPT.INAPP.PAYMENT"
        payment.opaqueData.dataValue = "1234567890ABCDEF"
    else:
        payment.payPal = contracts.payPalType()
        payment.payPal.successUrl = "https://example.com/ok"
    return payment


def test_opaque_data_is_refused_with_a_clear_text(gateway: Gateway) -> None:
    _, error_text = refused(gateway.send(transaction(AUTH_CAPTURE, "5.00", _payment_of("opaqueData"))), "153")
    assert "Strongroom" in error_text
    assert "token" in error_text


def test_paypal_payment_is_refused(gateway: Gateway) -> None:
    refused(gateway.send(transaction(AUTH_CAPTURE, "5.00", _payment_of("payPal"))), "2001")


def _raw_charge(merchant: ApiMerchant, payment: Pairs, *extra: tuple[str, Any]) -> Pairs:
    return envelope(
        merchant,
        (
            "transactionRequest",
            [("transactionType", AUTH_CAPTURE), ("amount", "5.00"), ("payment", payment), *extra],
        ),
    )


@pytest.mark.parametrize(
    ("payment", "reason"),
    [
        ([("emv", [("emvData", "9F2608"), ("emvDescriptor", "EMV"), ("emvVersion", "1.0")])], "356"),
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
                                        ("Encoding", "Base64"),
                                        ("EncryptionAlgorithm", "TDES"),
                                        (
                                            "Scheme",
                                            [
                                                (
                                                    "DUKPT",
                                                    [
                                                        ("Operation", "DECRYPT"),
                                                        ("Mode", [("Data", "1")]),
                                                        ("DeviceInfo", [("Description", "reader")]),
                                                        ("EncryptedData", [("Value", "AAAA")]),
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
            "155",
        ),
    ],
)
@pytest.mark.parametrize("dialect", ["xml", "json"])
def test_emv_and_encrypted_track_data_are_refused(
    server: LiveServer, merchant: ApiMerchant, payment: Pairs, reason: str, dialect: str
) -> None:
    answer = call(server, dialect, "createTransactionRequest", _raw_charge(merchant, payment))
    assert answer.error() == ("E00027", "The transaction was unsuccessful.")
    body = answer.payload.decode()
    assert f"{reason}" in body
    assert "not supported" in body


def test_more_than_twenty_user_fields_break_the_schema(server: LiveServer, merchant: ApiMerchant) -> None:
    fields = [("userField", [("name", f"f{number}"), ("value", "v")]) for number in range(21)]
    answer = call(
        server,
        "xml",
        "createTransactionRequest",
        _raw_charge(
            merchant,
            [("creditCard", [("cardNumber", VISA), ("expirationDate", EXPIRY)])],
            ("userFields", fields),
        ),
    )
    code, message = answer.error()
    assert code == "E00003"
    assert "'userField'" in message


# ----------------------------------------------------------------------------- envelope


def test_bad_credentials_are_e00007_with_a_transaction_response(gateway: Gateway) -> None:
    request = contracts.createTransactionRequest()
    request.merchantAuthentication = contracts.merchantAuthenticationType()
    request.merchantAuthentication.name = gateway.merchant.login_id
    request.merchantAuthentication.transactionKey = "wrongwrongwrong1"
    request.transactionRequest = transaction(AUTH_CAPTURE, "5.00", card())
    response = execute(gateway.server, controllers.createTransactionController, request)
    assert result(response)[:2] == ("Error", "E00007")
    assert text(response.transactionResponse, "transId") == "0"


def test_an_unexpected_failure_is_e00001_with_a_transaction_response(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_: Any) -> Any:
        raise RuntimeError("processor exploded")

    monkeypatch.setattr(gateway.server.application.services.payments, "charge", fail)
    response = gateway.send(transaction(AUTH_CAPTURE, "5.00", card()), ref_id="boom")
    assert result(response)[:2] == ("Error", "E00001")
    assert response.refId == "boom"
    assert text(response.transactionResponse, "responseCode") == "3"
    assert text(response.transactionResponse, "accountNumber") == "XXXX1111"


# ----------------------------------------------------------------------------- JSON


def _json(server: LiveServer, merchant: ApiMerchant, content: dict[str, Any]) -> dict[str, Any]:
    request = {
        "createTransactionRequest": {
            "merchantAuthentication": {"name": merchant.login_id, "transactionKey": merchant.transaction_key},
            "refId": "json-1",
            "transactionRequest": content,
        }
    }
    answer = post(server, json.dumps(request).encode(), "application/json")
    assert answer.body.startswith(BOM)
    document = answer.json()
    assert document["refId"] == "json-1"
    return document


def test_a_json_charge(server: LiveServer, merchant: ApiMerchant) -> None:
    document = _json(
        server,
        merchant,
        {
            "transactionType": AUTH_CAPTURE,
            "amount": 12.5,
            "payment": {"creditCard": {"cardNumber": VISA, "expirationDate": "0835", "cardCode": "999"}},
            "lineItems": {"lineItem": {"itemId": "1", "name": "vase", "quantity": "18", "unitPrice": 45}},
            "billTo": {"firstName": "Ellen", "address": "14 Main Street", "zip": "46217"},
            "transactionSettings": {"setting": [{"settingName": "duplicateWindow", "settingValue": 600}]},
            "userFields": {"userField": [{"name": "a", "value": "b"}]},
        },
    )
    assert document["messages"] == {
        "resultCode": "Ok",
        "message": [{"code": "I00001", "text": "Successful."}],
    }
    answer = document["transactionResponse"]
    assert answer["responseCode"] == "1"
    assert answer["avsResultCode"] == "Z"
    assert answer["cvvResultCode"] == "M"
    assert answer["refTransID"] == ""
    assert answer["accountNumber"] == "XXXX1111"
    assert answer["messages"] == [{"code": "1", "description": APPROVED_TEXT}]
    assert answer["userFields"] == [{"name": "a", "value": "b"}]
    assert "errors" not in answer
    assert answer["transHashSha2"] == sha2(merchant, answer["transId"], "12.50")


def test_a_json_decline_has_an_errors_array(server: LiveServer, merchant: ApiMerchant) -> None:
    document = _json(
        server,
        merchant,
        {
            "transactionType": AUTH_CAPTURE,
            "amount": "101",
            "payment": {
                "bankAccount": {
                    "routingNumber": "121042882",
                    "accountNumber": "987654321",
                    "nameOnAccount": "John Doe",
                }
            },
        },
    )
    assert document["messages"]["resultCode"] == "Error"
    assert document["messages"]["message"][0]["code"] == "E00027"
    answer = document["transactionResponse"]
    assert answer["responseCode"] == "2"
    assert answer["errors"] == [{"errorCode": "2", "errorText": DECLINED_TEXT}]
    assert "messages" not in answer


def test_xml_answers_are_in_the_namespace(server: LiveServer, merchant: ApiMerchant) -> None:
    answer = call(
        server,
        "xml",
        "createTransactionRequest",
        _raw_charge(merchant, [("creditCard", [("cardNumber", VISA), ("expirationDate", EXPIRY)])]),
    )
    assert answer.root_name == "createTransactionResponse"
    root = answer.xml()
    assert root.findtext(f"{{{NS}}}transactionResponse/{{{NS}}}responseCode") == "1"
