"""The parts of a transactionRequest that describe the order rather than pay for it: amount,
line items, tax/duty/shipping/surcharge/tip and other taxes, customer, addresses, merchant
descriptor and sub-merchant, cardholder authentication, card-on-file flags and settings."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final
from urllib.parse import unquote

from strongroom.domain.card_authentication import CardholderAuthentication
from strongroom.domain.customers import Address
from strongroom.domain.errors import InvalidField, MissingField
from strongroom.domain.money import Money, is_valid_amount
from strongroom.domain.sensitive import Secret
from strongroom.domain.transactions import Reason
from strongroom.services.transactions.requests import (
    DEFAULT_DUPLICATE_WINDOW,
    MAX_DUPLICATE_WINDOW,
    MAX_LINE_ITEMS,
    MAX_USER_FIELDS,
    AuthorizationIndicator,
    CardOnFile,
    Customer,
    LineItem,
    OrderDetails,
    OtherTax,
    ReceiptOptions,
    Settings,
    SubMerchant,
)
from strongroom.services.transactions.requests import Charge as ExtraCharge
from strongroom.web.authnet.cim.decode import address
from strongroom.web.authnet.codes import reason_text
from strongroom.web.authnet.transactions.refusals import (
    AMOUNT_TOO_LARGE,
    INVALID_CURRENCY,
    INVALID_FIELDS,
    TOO_MANY_LINE_ITEMS,
    TransactionRefused,
)
from strongroom.web.authnet.wire.tree import Node

# "Up to 15 digits with a decimal point".
MAX_AMOUNT: Final = Decimal("9999999999999.99")
MAX_PO_NUMBER = 25
BOOLEAN_SETTINGS: Final = ("allowPartialAuth", "emailCustomer", "recurringBilling", "testRequest")
# What the receipt a transaction may e-mail (emailCustomer) adds; the payment ignores them.
RECEIPT_SETTINGS: Final = frozenset({"headerEmailReceipt", "footerEmailReceipt", "merchantEmail"})
DUPLICATE_WINDOW = "duplicateWindow"
SETTING_NAMES: Final = (DUPLICATE_WINDOW, *BOOLEAN_SETTINGS, *sorted(RECEIPT_SETTINGS))
_TRUE, _FALSE = ("true", "1"), ("false", "0")


# ----------------------------------------------------------------------------- values


def text(node: Node | None, name: str) -> str | None:
    """A child's text; None when the node or the child is absent or the text is empty."""
    if node is None:
        return None
    value = node.text(name)
    return value if value else None


def decimal(value: str | None) -> Decimal | None:
    """A schema-validated xs:decimal (never exponent notation) as a Decimal."""
    return Decimal(value.strip()) if value is not None and value.strip() else None


def _currency(node: Node) -> str:
    code = (node.text("currencyCode") or "").strip().upper()
    if not code:
        return "USD"
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise TransactionRefused(INVALID_CURRENCY)
    return code


def amount(node: Node, *, required: bool, zero_allowed: bool = False) -> Money | None:
    """`amount` (in `currencyCode`, USD when absent); refusals 5 and 49 as documented."""
    value = node.text("amount")
    if value is None or not value.strip():
        if required:
            raise TransactionRefused(Reason.INVALID_AMOUNT)
        return None
    money = Money.parse(value, _currency(node))  # InvalidField("amount") -> reason 5
    if money.amount > MAX_AMOUNT:
        raise TransactionRefused(AMOUNT_TOO_LARGE)
    if money.amount == 0 and not zero_allowed:
        raise TransactionRefused(Reason.INVALID_AMOUNT)
    return money


def lenient_amount(value: str | None) -> Decimal | None:
    """The amount an answer echoes, when it is a readable one."""
    parsed = decimal(value)
    return parsed if parsed is not None and 0 <= parsed <= MAX_AMOUNT else None


# ----------------------------------------------------------------------------- order


def extra_charge(node: Node | None) -> ExtraCharge | None:
    """tax, duty or shipping (extendedAmountType)."""
    if node is None:
        return None
    value = decimal(node.text("amount"))
    assert value is not None  # required by the schema
    return ExtraCharge(value, text(node, "name"), text(node, "description"))


def money_amount(value: Decimal | None, field: str) -> Decimal | None:
    """An amount the schema lets through (any xs:decimal) that must still be money: not
    negative, at most two decimal places, at most the largest amount."""
    if value is not None and not (is_valid_amount(value) and value <= MAX_AMOUNT):
        raise InvalidField(
            field, f"{field} must be an amount from 0.00 to {MAX_AMOUNT} with at most two decimal places."
        )
    return value


def money_charge(node: Node | None, element: str) -> ExtraCharge | None:
    """surcharge or tip (extendedAmountType, which allows four decimal places): money."""
    charge = extra_charge(node)
    if charge is not None:
        money_amount(charge.amount, f"{element} amount")
    return charge


def other_tax(node: Node | None) -> OtherTax | None:
    """otherTaxType: tax amounts, an alternate tax id and a VAT rate; None when empty."""
    if node is None:
        return None

    def tax(name: str) -> Decimal | None:
        return money_amount(decimal(node.text(name)), f"otherTax {name}")

    rate = decimal(node.text("vatTaxRate"))
    if rate is not None and rate < 0:
        raise InvalidField("otherTax", "otherTax vatTaxRate must not be negative.")
    taxes = OtherTax(
        tax("nationalTaxAmount"),
        tax("localTaxAmount"),
        tax("alternateTaxAmount"),
        text(node, "alternateTaxId"),
        rate,
        tax("vatTaxAmount"),
    )
    return None if taxes == OtherTax() else taxes


def sub_merchant(node: Node | None) -> SubMerchant | None:
    if node is None:
        return None
    identifier = text(node, "identifier")
    if identifier is None or not identifier.strip():
        raise MissingField("subMerchant identifier")
    return SubMerchant(
        identifier=identifier,
        doing_business_as=text(node, "doingBusinessAs"),
        payment_service_provider_name=text(node, "paymentServiceProviderName"),
        payment_service_facilitator=text(node, "paymentServiceFacilitator"),
        street_address=text(node, "streetAddress"),
        phone=text(node, "phone"),
        email=text(node, "email"),
        postal_code=text(node, "postalCode"),
        city=text(node, "city"),
        region_code=text(node, "regionCode"),
        country_code=text(node, "countryCode"),
    )


def _filled_address(node: Node | None) -> Address | None:
    value = address(node) if node is not None else None
    return None if value is None or value.is_empty() else value


def authorization_indicator(node: Node) -> AuthorizationIndicator | None:
    """authorizationIndicatorType/authorizationIndicator (pre | final; the schema checked it)."""
    item = node.node("authorizationIndicatorType")
    value = item.text("authorizationIndicator") if item is not None else None
    return AuthorizationIndicator(value) if value else None


def cardholder_authentication(node: Node) -> CardholderAuthentication | None:
    """ccAuthenticationType; special characters of the value arrive URL-encoded."""
    item = node.node("cardholderAuthentication")
    if item is None:
        return None
    value = unquote((item.text("cardholderAuthenticationValue") or "").strip())
    return CardholderAuthentication((item.text("authenticationIndicator") or "").strip(), Secret(value))


def line_items(items: Sequence[Node]) -> tuple[LineItem, ...]:
    """lineItemType elements, at most MAX_LINE_ITEMS of them (reason 271)."""
    if len(items) > MAX_LINE_ITEMS:
        raise TransactionRefused(TOO_MANY_LINE_ITEMS, reason_text(TOO_MANY_LINE_ITEMS))
    return tuple(
        LineItem(
            item.text("itemId") or "",
            item.text("name") or "",
            text(item, "description"),
            decimal(item.text("quantity")) or Decimal(0),
            decimal(item.text("unitPrice")) or Decimal(0),
            item.flag("taxable"),
        )
        for item in items
    )


def user_fields(node: Node) -> tuple[tuple[str, str], ...]:
    wrapper = node.node("userFields")
    items = wrapper.nodes("userField") if wrapper is not None else []
    if len(items) > MAX_USER_FIELDS:  # the schema already refuses this many
        raise TransactionRefused(INVALID_FIELDS, f"At most {MAX_USER_FIELDS} userFields can be submitted.")
    return tuple((item.text("name") or "", item.text("value") or "") for item in items)


def po_number(value: str | None) -> str | None:
    if value is not None and len(value) > MAX_PO_NUMBER:
        raise TransactionRefused(INVALID_FIELDS, f"poNumber must be at most {MAX_PO_NUMBER} characters.")
    return value


def order_details(node: Node) -> OrderDetails:
    order = node.node("order")
    customer = node.node("customer")
    bill_to = node.node("billTo")
    ship_to = node.node("shipTo")
    retail = node.node("retail")
    wrapper = node.node("lineItems")
    return OrderDetails(
        invoice_number=text(order, "invoiceNumber"),
        description=text(order, "description"),
        po_number=po_number(text(node, "poNumber")),
        line_items=line_items(wrapper.nodes("lineItem") if wrapper is not None else []),
        tax=extra_charge(node.node("tax")),
        duty=extra_charge(node.node("duty")),
        shipping=extra_charge(node.node("shipping")),
        tax_exempt=node.flag("taxExempt"),
        customer=None
        if customer is None
        else Customer(text(customer, "type"), text(customer, "id"), text(customer, "email")),
        bill_to=address(bill_to) if bill_to is not None else None,
        ship_to=address(ship_to) if ship_to is not None else None,
        customer_ip=text(node, "customerIP"),
        employee_id=text(node, "employeeId"),
        solution_id=text(node.node("solution"), "id"),
        market_type=text(retail, "marketType"),
        device_type=text(retail, "deviceType"),
        user_fields=user_fields(node),
        surcharge=money_charge(node.node("surcharge"), "surcharge"),
        tip=money_charge(node.node("tip"), "tip"),
        other_tax=other_tax(node.node("otherTax")),
        ship_from=_filled_address(node.node("shipFrom")),
        merchant_descriptor=text(node, "merchantDescriptor"),
        sub_merchant=sub_merchant(node.node("subMerchant")),
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
        original_network_trans_id=text(info, "originalNetworkTransId"),
        original_auth_amount=decimal(info.text("originalAuthAmount")) if info else None,
        reason=text(info, "reason"),
    )


# ----------------------------------------------------------------------------- settings


def setting_items(node: Node, wrapper_name: str = "transactionSettings") -> list[tuple[str, str]]:
    """(settingName, settingValue) pairs of an ArrayOfSetting, stripped."""
    wrapper = node.node(wrapper_name)
    items = wrapper.nodes("setting") if wrapper is not None else []
    return [
        ((item.text("settingName") or "").strip(), (item.text("settingValue") or "").strip())
        for item in items
    ]


def _boolean_setting(name: str, value: str) -> bool:
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise TransactionRefused(INVALID_FIELDS, f"The {name} setting must be true or false.")


def _duplicate_window(value: str) -> int:
    # Length before int(): a setting value is any string, int() refuses 4,301 digits.
    digits = value.lstrip("0") or "0"
    if (
        not value.isascii()
        or not value.isdigit()
        or len(digits) > len(str(MAX_DUPLICATE_WINDOW))
        or int(digits) > MAX_DUPLICATE_WINDOW
    ):
        raise TransactionRefused(
            INVALID_FIELDS,
            "The duplicateWindow setting must be a whole "
            f"number of seconds from 0 to {MAX_DUPLICATE_WINDOW}.",
        )
    return int(digits)


def transaction_settings(node: Node) -> Settings:
    window: int | None = None
    flags: dict[str, bool] = {}
    for name, value in setting_items(node):
        if name == DUPLICATE_WINDOW:
            window = _duplicate_window(value)
        elif name in BOOLEAN_SETTINGS:
            flags[name] = _boolean_setting(name, value)
        elif name not in RECEIPT_SETTINGS:
            raise TransactionRefused(
                INVALID_FIELDS, f"A transaction setting must be one of {', '.join(SETTING_NAMES)}."
            )
    return Settings(
        duplicate_window=DEFAULT_DUPLICATE_WINDOW if window is None else window,
        duplicate_window_given=window is not None,
        allow_partial_auth=flags.get("allowPartialAuth", False),
        email_customer=flags.get("emailCustomer", False),
        recurring_billing=flags.get("recurringBilling", False),
        test_request=flags.get("testRequest", False),
        receipt=receipt_options(node, "transactionSettings"),
    )


def receipt_options(node: Node, wrapper_name: str) -> ReceiptOptions:
    """headerEmailReceipt, footerEmailReceipt and merchantEmail of a settings array."""
    values = dict(setting_items(node, wrapper_name))
    return ReceiptOptions(
        header=values.get("headerEmailReceipt") or None,
        footer=values.get("footerEmailReceipt") or None,
        merchant_email=values.get("merchantEmail") or None,
    )
