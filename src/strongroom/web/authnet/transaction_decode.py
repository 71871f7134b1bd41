"""Turns a validated `transactionRequest` into the payment use case it asks for.

Problems found here are answered the way the protocol answers them: a transaction error
(responseCode 3 with a reason code, `TransactionRefused`) or, for the documented profile
combinations, an API message (`ApiRefused`). Domain parse errors (card number, expiry, bank
account, amount) are translated to their reason codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from strongroom.domain.errors import InvalidField, MissingField
from strongroom.domain.instruments import (
    BankAccount,
    BankAccountType,
    Card,
    EcheckType,
    YearMonth,
    card_brand,
)
from strongroom.domain.money import Money
from strongroom.domain.transactions import Reason, TransactionKind
from strongroom.services.payment_requests import (
    DEFAULT_DUPLICATE_WINDOW,
    MAX_DUPLICATE_WINDOW,
    MAX_LINE_ITEMS,
    MAX_USER_FIELDS,
    BankSource,
    CardOnFile,
    CardSource,
    ChargeRequest,
    Customer,
    LineItem,
    MaskedSource,
    OrderDetails,
    PaymentSource,
    ProfileSource,
    RefundRequest,
    Settings,
)
from strongroom.services.payment_requests import Charge as ExtraCharge
from strongroom.web.authnet.cim_decode import address, secret
from strongroom.web.authnet.codes import WireMessage, reason_text
from strongroom.web.authnet.tree import Node

AUTH_CAPTURE = "authCaptureTransaction"
AUTH_ONLY = "authOnlyTransaction"
CAPTURE_ONLY = "captureOnlyTransaction"
PRIOR_AUTH_CAPTURE = "priorAuthCaptureTransaction"
VOID = "voidTransaction"
REFUND = "refundTransaction"
CHARGE_KINDS: Final = {AUTH_CAPTURE: TransactionKind.CHARGE,
                       AUTH_ONLY: TransactionKind.AUTHORIZATION,
                       CAPTURE_ONLY: TransactionKind.CAPTURE_ONLY}
# The remaining transactionTypeEnum values continue a PayPal Express Checkout.
PAYPAL_TYPES: Final = frozenset({"getDetailsTransaction", "authOnlyContinueTransaction",
                                 "authCaptureContinueTransaction"})
REFERENCING_TYPES: Final = frozenset({PRIOR_AUTH_CAPTURE, VOID, REFUND})
SUPPORTED_TYPES: Final = (AUTH_CAPTURE, AUTH_ONLY, CAPTURE_ONLY, PRIOR_AUTH_CAPTURE, VOID, REFUND)

# Reason codes of refusals decided here (others come from domain.transactions.Reason).
INVALID_CARD_NUMBER = 6
INVALID_EXPIRY = 7
INVALID_ROUTING_NUMBER = 9
INVALID_ACCOUNT_NUMBER = 10
INVALID_TRANSACTION_ID = 15
INVALID_CURRENCY = 39
AMOUNT_TOO_LARGE = 49
NOT_ACCEPTED = 66
PAYMENT_DATA_ERROR = 153
PAYMENT_METHOD_NOT_SUPPORTED = 155
TOO_MANY_LINE_ITEMS = 271
INVALID_FIELDS = 290
INVALID_SPLIT_TENDER_ID = 296
TRANS_ID_WITH_SPLIT_TENDER_ID = 297
EMV_NOT_SUPPORTED = 356
PAYPAL_NOT_ACCEPTED = 2001

# "Up to 15 digits with a decimal point".
MAX_AMOUNT: Final = Decimal("9999999999999.99")
MAX_AUTH_CODE = 6
MAX_PO_NUMBER = 25
BOOLEAN_SETTINGS: Final = ("allowPartialAuth", "emailCustomer", "recurringBilling",
                           "testRequest")
# Accepted and not acted upon: receipts are not e-mailed by this gateway.
RECEIPT_SETTINGS: Final = frozenset({"headerEmailReceipt", "footerEmailReceipt",
                                     "merchantEmail"})
DUPLICATE_WINDOW = "duplicateWindow"
SETTING_NAMES: Final = (DUPLICATE_WINDOW, *BOOLEAN_SETTINGS, *sorted(RECEIPT_SETTINGS))
_TRUE, _FALSE = ("true", "1"), ("false", "0")


class TransactionRefused(Exception):
    """A transaction error (responseCode 3) decided before any service is asked."""

    def __init__(self, reason_code: int, text: str | None = None) -> None:
        super().__init__(reason_code)
        self.reason_code = reason_code
        self.text = text or reason_text(reason_code)


class ApiRefused(Exception):
    """An API-level refusal (messages E000xx) of an impossible field combination."""

    def __init__(self, message: WireMessage) -> None:
        super().__init__(message.code)
        self.message = message


# ----------------------------------------------------------------------------- calls


@dataclass(frozen=True, slots=True)
class ChargeCall:
    request: ChargeRequest


@dataclass(frozen=True, slots=True)
class CaptureCall:
    original_ref: str
    amount: Money | None
    order: OrderDetails


@dataclass(frozen=True, slots=True)
class VoidCall:
    original_ref: str


@dataclass(frozen=True, slots=True)
class RefundCall:
    request: RefundRequest


Call = ChargeCall | CaptureCall | VoidCall | RefundCall


def transaction_type(node: Node) -> str:
    """The requested type; blank or absent means authCaptureTransaction."""
    return (node.text("transactionType") or "").strip() or AUTH_CAPTURE


def call(node: Node) -> Call:
    """The use case a transactionRequest asks for; raises TransactionRefused or ApiRefused."""
    try:
        return _call(node, transaction_type(node))
    except InvalidField as error:
        raise _refusal_for(error) from None


def _call(node: Node, type_: str) -> Call:
    kind = CHARGE_KINDS.get(type_)
    if kind is not None:
        return ChargeCall(_charge(node, kind))
    if type_ == PRIOR_AUTH_CAPTURE:
        original = _original_ref(node)
        return CaptureCall(original, _amount(node, required=False), order_details(node))
    if type_ == VOID:
        return VoidCall(_original_ref(node))
    if type_ == REFUND:
        return RefundCall(_refund(node))
    if type_ in PAYPAL_TYPES:
        raise TransactionRefused(PAYPAL_NOT_ACCEPTED, "PayPal transactions are not accepted: "
                                 "Strongroom does not offer PayPal Express Checkout.")
    raise TransactionRefused(NOT_ACCEPTED, "The transaction type is invalid. transactionType "
                             f"must be one of {', '.join(SUPPORTED_TYPES)} (or blank).")


# Domain parse errors by field: the protocol's reason code for each.
_FIELD_REASONS: Final = {
    "amount": Reason.INVALID_AMOUNT,
    "cardNumber": INVALID_CARD_NUMBER,
    "expirationDate": INVALID_EXPIRY,
    "routingNumber": INVALID_ROUTING_NUMBER,
    "accountNumber": INVALID_ACCOUNT_NUMBER,
    "cardCode": Reason.CARD_CODE_INVALID,
}


def _refusal_for(error: InvalidField) -> TransactionRefused:
    """The documented reason text for the fields that have a reason code of their own."""
    reason = _FIELD_REASONS.get(error.field)
    if reason is not None:
        return TransactionRefused(reason)
    if isinstance(error, MissingField):
        return TransactionRefused(Reason.REQUIRED_FIELD, f"{error.field} cannot be left blank.")
    return TransactionRefused(INVALID_FIELDS, error.message)


def _charge(node: Node, kind: TransactionKind) -> ChargeRequest:
    settings = transaction_settings(node)
    amount = _amount(node, required=True, zero_allowed=kind is TransactionKind.AUTHORIZATION)
    assert amount is not None
    profile = node.node("profile")
    create_profile = bool(profile is not None and profile.flag("createProfile"))
    source = _source(node, linked_refund=False)
    return ChargeRequest(kind=kind, amount=amount, source=source, order=order_details(node),
                         settings=settings, card_on_file=card_on_file(node),
                         auth_code=_auth_code(node) if kind is TransactionKind.CAPTURE_ONLY
                         else None,
                         split_tender_id=_split_tender_id(node), create_profile=create_profile)


def _refund(node: Node) -> RefundRequest:
    settings = transaction_settings(node)
    amount = _amount(node, required=True)
    assert amount is not None
    linked = node.text("refTransId") is not None
    original = _original_ref(node) if linked else None
    return RefundRequest(original_ref=original, amount=amount,
                         source=_source(node, linked_refund=linked), order=order_details(node),
                         settings=settings)


def _original_ref(node: Node) -> str:
    ref = (node.text("refTransId") or "").strip()
    if not ref.isascii() or not ref.isdigit():
        raise TransactionRefused(INVALID_TRANSACTION_ID)
    return ref


def _auth_code(node: Node) -> str:
    code = (node.text("authCode") or "").strip()
    if not code:
        raise TransactionRefused(Reason.AUTH_CODE_REQUIRED)
    if len(code) > MAX_AUTH_CODE:
        raise TransactionRefused(Reason.AUTH_CODE_REQUIRED,
                                 f"authCode must be 1 to {MAX_AUTH_CODE} characters.")
    return code


def _split_tender_id(node: Node) -> str | None:
    split = node.text("splitTenderId")
    if split is None or not split.strip():
        return None
    split = split.strip()
    if not split.isascii() or not split.isdigit():
        raise TransactionRefused(INVALID_SPLIT_TENDER_ID)
    if (node.text("refTransId") or "").strip():
        raise TransactionRefused(TRANS_ID_WITH_SPLIT_TENDER_ID)
    return split


# ----------------------------------------------------------------------------- amounts


def _currency(node: Node) -> str:
    code = (node.text("currencyCode") or "").strip().upper()
    if not code:
        return "USD"
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise TransactionRefused(INVALID_CURRENCY)
    return code


def _amount(node: Node, *, required: bool, zero_allowed: bool = False) -> Money | None:
    text = node.text("amount")
    if text is None or not text.strip():
        if required:
            raise TransactionRefused(Reason.INVALID_AMOUNT)
        return None
    money = Money.parse(text, _currency(node))  # InvalidField("amount") -> reason 5
    if money.amount > MAX_AMOUNT:
        raise TransactionRefused(AMOUNT_TOO_LARGE)
    if money.amount == 0 and not zero_allowed:
        raise TransactionRefused(Reason.INVALID_AMOUNT)
    return money


def _decimal(text: str | None) -> Decimal | None:
    """A schema-validated xs:decimal (never exponent notation) as a Decimal."""
    return Decimal(text.strip()) if text is not None and text.strip() else None


# ----------------------------------------------------------------------------- payment


def _check_profile_combination(node: Node, payment: Node | None) -> None:
    """The documented mutual exclusions of profile, payment, billTo and shipTo."""
    profile = node.node("profile")
    if profile is None:
        return
    payment_profile = profile.node("paymentProfile")
    profile_id = profile.text("customerProfileId")
    shipping_id = profile.text("shippingProfileId")
    if profile.flag("createProfile"):
        if profile_id is not None or payment_profile is not None or shipping_id is not None:
            raise ApiRefused(WireMessage(
                "E00088", "ProfileIds cannot be sent when requesting CreateProfile."))
        if payment is None or ("creditCard" not in payment and "bankAccount" not in payment):
            raise ApiRefused(WireMessage(
                "E00089", "Payment data is required when requesting CreateProfile."))
        return
    if payment_profile is not None and payment is not None:
        raise ApiRefused(WireMessage("E00091", "PaymentProfileId cannot be sent with payment "
                                               "data."))
    if payment_profile is not None and node.node("billTo") is not None:
        raise ApiRefused(WireMessage("E00093", "PaymentProfile cannot be sent with billing "
                                               "data."))
    if shipping_id is not None and node.node("shipTo") is not None:
        raise ApiRefused(WireMessage("E00092", "ShippingProfileId cannot be sent with ShipTo "
                                               "data."))
    if profile_id is None and (payment_profile is not None or shipping_id is not None):
        raise ApiRefused(WireMessage("E00014", "customerProfileId is required when paying with "
                                               "a customer profile."))
    if profile_id is not None and payment_profile is None:
        raise ApiRefused(WireMessage(
            "E00110", "CustomerPaymentProfileId is not provided within Customer Profile."))


def _source(node: Node, *, linked_refund: bool) -> PaymentSource:
    payment = node.node("payment")
    _check_profile_combination(node, payment)
    profile = node.node("profile")
    payment_profile = profile.node("paymentProfile") if profile is not None else None
    if profile is not None and payment_profile is not None:
        return ProfileSource(profile.text("customerProfileId") or "",
                             payment_profile.text("paymentProfileId") or "",
                             profile.text("shippingProfileId"), secret(payment_profile, "cardCode"))
    if payment is None:
        raise TransactionRefused(Reason.REQUIRED_FIELD,
                                 "Payment information cannot be left blank: send payment or "
                                 "profile/paymentProfile.")
    kind = next(iter(payment))
    reader = _SOURCES.get(kind)
    if reader is None:
        raise _unsupported(kind)
    payment_node = payment.node(kind)
    assert payment_node is not None
    return reader(payment_node, linked_refund)


def _unsupported(kind: str) -> TransactionRefused:
    if kind == "opaqueData":
        return TransactionRefused(PAYMENT_DATA_ERROR, "opaqueData cannot be accepted: only "
                                  "payment tokens issued by Strongroom are accepted, and "
                                  "Strongroom does not issue any yet.")
    if kind == "payPal":
        return TransactionRefused(PAYPAL_NOT_ACCEPTED, "PayPal transactions are not accepted: "
                                  "Strongroom does not offer PayPal Express Checkout.")
    if kind == "emv":
        return TransactionRefused(EMV_NOT_SUPPORTED, "EMV payment data is not supported by "
                                  "Strongroom; send creditCard or trackData instead.")
    return TransactionRefused(PAYMENT_METHOD_NOT_SUPPORTED, f"{kind} is not supported by "
                              "Strongroom: it cannot decrypt card readers' data.")


def _masked_last4(number: str) -> str | None:
    """'XXXX1111' or '1111' -> '1111'; None when the number is not masked."""
    text = number.strip()
    digits = text[4:] if text.upper().startswith("XXXX") else text
    if len(digits) == 4 and digits.isascii() and digits.isdigit():
        return digits
    if text.upper().startswith("XXXX"):
        raise TransactionRefused(INVALID_CARD_NUMBER, "A masked card number is XXXX followed "
                                                      "by the last four digits.")
    return None


def _card(card: Node, linked_refund: bool) -> PaymentSource:
    number = card.text("cardNumber") or ""
    if linked_refund:
        masked = _masked_last4(number)
        if masked is not None:
            return MaskedSource(masked)
        return MaskedSource(_digits_last4(number, "cardNumber"))
    if _masked_last4(number) is not None:
        raise TransactionRefused(INVALID_CARD_NUMBER, "A masked card number names a card only "
                                                      "in a refund of a transaction.")
    return CardSource(Card.parse(number, card.text("expirationDate") or ""),
                      secret(card, "cardCode"))


def _digits_last4(number: str, field: str) -> str:
    text = number.strip()
    if len(text) < 4 or not text.isascii() or not text.isdigit():
        raise InvalidField(field)
    return text[-4:]


def _bank(bank: Node, linked_refund: bool) -> PaymentSource:
    account = bank.text("accountNumber") or ""
    if linked_refund:
        text = account.strip()
        if text.upper().startswith("XXXX"):
            return MaskedSource(_digits_last4(text[4:], "accountNumber"))
        return MaskedSource(_digits_last4(text, "accountNumber"))
    account_type = bank.text("accountType")
    echeck_type = bank.text("echeckType")
    return BankSource(BankAccount.parse(
        bank.text("routingNumber") or "", account, bank.text("nameOnAccount") or "",
        BankAccountType(account_type) if account_type else None,
        EcheckType(echeck_type) if echeck_type else None, bank.text("bankName")))


# Track data as read from the stripe, sentinels optional: track 1 is
# "B<PAN>^<NAME>^<YYMM>...", track 2 is "<PAN>=<YYMM>...".
_TRACK1 = re.compile(r"%?B(?P<pan>[0-9]{1,19})\^[^^]{0,26}\^(?P<yy>[0-9]{2})(?P<mm>[0-9]{2})")
_TRACK2 = re.compile(r";?(?P<pan>[0-9]{1,19})[=D](?P<yy>[0-9]{2})(?P<mm>[0-9]{2})")


def track_card(track: Node) -> Card:
    """The card number and expiry read from track 1 or track 2 data (sentinels optional)."""
    name = "track1" if "track1" in track else "track2"
    pattern = _TRACK1 if name == "track1" else _TRACK2
    match = pattern.match((track.text(name) or "").strip())
    if match is None:
        raise TransactionRefused(INVALID_CARD_NUMBER, f"The {name} data could not be read: the "
                                 "card number and expiration date were not found.")
    month = int(match["mm"])
    if not 1 <= month <= 12:
        raise TransactionRefused(INVALID_EXPIRY, f"The {name} expiration date is invalid.")
    return Card.with_number(match["pan"], YearMonth(2000 + int(match["yy"]), month))


def _track(track: Node, linked_refund: bool) -> PaymentSource:
    card = track_card(track)
    if linked_refund:
        return MaskedSource(card.last4)
    return CardSource(card, card_present=True)


_SOURCES: Final[dict[str, Callable[[Node, bool], PaymentSource]]] = {
    "creditCard": _card, "bankAccount": _bank, "trackData": _track}


# ----------------------------------------------------------------------------- order


def _text(node: Node | None, name: str) -> str | None:
    if node is None:
        return None
    value = node.text(name)
    return value if value else None


def _extra(node: Node | None) -> ExtraCharge | None:
    if node is None:
        return None
    amount = _decimal(node.text("amount"))
    assert amount is not None  # required by the schema
    return ExtraCharge(amount, _text(node, "name"), _text(node, "description"))


def _line_items(node: Node) -> tuple[LineItem, ...]:
    wrapper = node.node("lineItems")
    items = wrapper.nodes("lineItem") if wrapper is not None else []
    if len(items) > MAX_LINE_ITEMS:
        raise TransactionRefused(TOO_MANY_LINE_ITEMS, reason_text(TOO_MANY_LINE_ITEMS))
    return tuple(LineItem(item.text("itemId") or "", item.text("name") or "",
                          _text(item, "description"),
                          _decimal(item.text("quantity")) or Decimal(0),
                          _decimal(item.text("unitPrice")) or Decimal(0), item.flag("taxable"))
                 for item in items)


def user_fields(node: Node) -> tuple[tuple[str, str], ...]:
    wrapper = node.node("userFields")
    items = wrapper.nodes("userField") if wrapper is not None else []
    if len(items) > MAX_USER_FIELDS:  # the schema already refuses this many
        raise TransactionRefused(INVALID_FIELDS,
                                 f"At most {MAX_USER_FIELDS} userFields can be submitted.")
    return tuple((item.text("name") or "", item.text("value") or "") for item in items)


def order_details(node: Node) -> OrderDetails:
    order = node.node("order")
    customer = node.node("customer")
    bill_to = node.node("billTo")
    ship_to = node.node("shipTo")
    retail = node.node("retail")
    po_number = _text(node, "poNumber")
    if po_number is not None and len(po_number) > MAX_PO_NUMBER:
        raise TransactionRefused(INVALID_FIELDS,
                                 f"poNumber must be at most {MAX_PO_NUMBER} characters.")
    return OrderDetails(
        invoice_number=_text(order, "invoiceNumber"),
        description=_text(order, "description"),
        po_number=po_number,
        line_items=_line_items(node),
        tax=_extra(node.node("tax")),
        duty=_extra(node.node("duty")),
        shipping=_extra(node.node("shipping")),
        tax_exempt=node.flag("taxExempt"),
        customer=None if customer is None else Customer(
            _text(customer, "type"), _text(customer, "id"), _text(customer, "email")),
        bill_to=address(bill_to) if bill_to is not None else None,
        ship_to=address(ship_to) if ship_to is not None else None,
        customer_ip=_text(node, "customerIP"),
        employee_id=_text(node, "employeeId"),
        solution_id=_text(node.node("solution"), "id"),
        market_type=_text(retail, "marketType"),
        device_type=_text(retail, "deviceType"),
        user_fields=user_fields(node),
    )


def card_on_file(node: Node) -> CardOnFile:
    options = node.node("processingOptions")
    info = node.node("subsequentAuthInformation")

    def flag(name: str) -> bool | None:
        return options.flag(name) if options is not None else None

    return CardOnFile(
        is_first_recurring_payment=flag("isFirstRecurringPayment"),
        is_first_subsequent_auth=flag("isFirstSubsequentAuth"),
        is_subsequent_auth=flag("isSubsequentAuth"),
        is_stored_credentials=flag("isStoredCredentials"),
        original_network_trans_id=_text(info, "originalNetworkTransId"),
        original_auth_amount=_decimal(info.text("originalAuthAmount")) if info else None,
        reason=_text(info, "reason"),
    )


# ----------------------------------------------------------------------------- settings


def _setting_items(node: Node) -> list[tuple[str, str]]:
    wrapper = node.node("transactionSettings")
    items = wrapper.nodes("setting") if wrapper is not None else []
    return [((item.text("settingName") or "").strip(), (item.text("settingValue") or "").strip())
            for item in items]


def _boolean_setting(name: str, value: str) -> bool:
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise TransactionRefused(INVALID_FIELDS, f"The {name} setting must be true or false.")


def _duplicate_window(value: str) -> int:
    if not value.isascii() or not value.isdigit() or int(value) > MAX_DUPLICATE_WINDOW:
        raise TransactionRefused(INVALID_FIELDS, "The duplicateWindow setting must be a whole "
                                 f"number of seconds from 0 to {MAX_DUPLICATE_WINDOW}.")
    return int(value)


def transaction_settings(node: Node) -> Settings:
    window: int | None = None
    flags: dict[str, bool] = {}
    for name, value in _setting_items(node):
        if name == DUPLICATE_WINDOW:
            window = _duplicate_window(value)
        elif name in BOOLEAN_SETTINGS:
            flags[name] = _boolean_setting(name, value)
        elif name not in RECEIPT_SETTINGS:
            raise TransactionRefused(INVALID_FIELDS, "A transaction setting must be one of "
                                     f"{', '.join(SETTING_NAMES)}.")
    return Settings(
        duplicate_window=DEFAULT_DUPLICATE_WINDOW if window is None else window,
        duplicate_window_given=window is not None,
        allow_partial_auth=flags.get("allowPartialAuth", False),
        email_customer=flags.get("emailCustomer", False),
        recurring_billing=flags.get("recurringBilling", False),
        test_request=flags.get("testRequest", False),
    )


# ----------------------------------------------------------------------------- echo


@dataclass(frozen=True, slots=True)
class Echo:
    """What an answer repeats from its request, read leniently: it is needed even when the
    request is refused."""

    ref_trans_id: str
    user_fields: tuple[tuple[str, str], ...]
    amount: Decimal | None
    account_number: str
    account_type: str
    create_profile: bool
    duplicate_window_given: bool


def echo(node: Node) -> Echo:
    type_ = transaction_type(node)
    try:
        fields = user_fields(node)
    except TransactionRefused:
        fields = ()
    profile = node.node("profile")
    return Echo(
        ref_trans_id=(node.text("refTransId") or "") if type_ in REFERENCING_TYPES else "",
        user_fields=fields,
        amount=_lenient_amount(node.text("amount")),
        account_number=_lenient_account(node)[0],
        account_type=_lenient_account(node)[1],
        create_profile=bool(profile is not None and profile.flag("createProfile")),
        duplicate_window_given=any(name == DUPLICATE_WINDOW for name, _ in _setting_items(node)),
    )


def _lenient_amount(text: str | None) -> Decimal | None:
    value = _decimal(text)
    return value if value is not None and 0 <= value <= MAX_AMOUNT else None


def _lenient_account(node: Node) -> tuple[str, str]:
    """XXXX + last four digits and the account type of the payment sent, when readable."""
    payment = node.node("payment")
    if payment is None:
        return "", ""
    card = payment.node("creditCard")
    if card is not None:
        number = (card.text("cardNumber") or "").strip()
        last4 = number[-4:]
        if len(last4) != 4 or not last4.isascii() or not last4.isdigit():
            return "", ""
        brand = card_brand(number) if number.isascii() and number.isdigit() else None
        return "XXXX" + last4, brand.value if brand is not None else ""
    bank = payment.node("bankAccount")
    if bank is not None:
        last4 = (bank.text("accountNumber") or "").strip()[-4:]
        valid = len(last4) == 4 and last4.isascii() and last4.isdigit()
        return ("XXXX" + last4, "eCheck") if valid else ("", "")
    track = payment.node("trackData")
    if track is not None:
        try:
            card_ = track_card(track)
        except (InvalidField, TransactionRefused):
            return "", ""
        return card_.masked_number, card_.brand.value
    return "", ""

