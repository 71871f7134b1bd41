"""Turns a validated createCustomerProfileTransaction `transaction` into the call it asks for.

The legacy call names its types profileTrans*, pays only with a stored profile, and names the
original transaction `transId`; refusals are answered like createTransaction's (responseCode 3
with a reason code, `TransactionRefused`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from strongroom.domain.errors import InvalidField
from strongroom.domain.transactions import TransactionKind
from strongroom.services.payments.profile_transactions import ProfileIds
from strongroom.services.transactions.requests import (
    ChargeRequest,
    MaskedSource,
    OrderDetails,
    PaymentSource,
    ProfileSource,
    RefundRequest,
    Settings,
)
from strongroom.web.authnet.cim.decode import secret
from strongroom.web.authnet.transactions.decode import (
    Call,
    CaptureCall,
    ChargeCall,
    Echo,
    RefundCall,
    VoidCall,
    auth_code,
    original_ref,
    split_tender_id,
)
from strongroom.web.authnet.transactions.order_decode import (
    amount,
    authorization_indicator,
    card_on_file,
    extra_charge,
    lenient_amount,
    line_items,
    po_number,
    text,
)
from strongroom.web.authnet.transactions.payment_decode import digits_last4, masked_last4
from strongroom.web.authnet.transactions.refusals import (
    INVALID_CARD_NUMBER,
    TransactionRefused,
    refusal_for,
)
from strongroom.web.authnet.wire.tree import Node

AUTH_CAPTURE = "profileTransAuthCapture"
AUTH_ONLY = "profileTransAuthOnly"
PRIOR_AUTH_CAPTURE = "profileTransPriorAuthCapture"
CAPTURE_ONLY = "profileTransCaptureOnly"
REFUND = "profileTransRefund"
VOID = "profileTransVoid"
CHARGE_KINDS: Final = {
    AUTH_CAPTURE: TransactionKind.CHARGE,
    AUTH_ONLY: TransactionKind.AUTHORIZATION,
    CAPTURE_ONLY: TransactionKind.CAPTURE_ONLY,
}
# directResponse field 12, by transaction element.
RECORD_TYPES: Final = {
    AUTH_CAPTURE: "auth_capture",
    AUTH_ONLY: "auth_only",
    PRIOR_AUTH_CAPTURE: "prior_auth_capture",
    CAPTURE_ONLY: "capture_only",
    REFUND: "credit",
    VOID: "void",
}
REFERENCING: Final = frozenset({PRIOR_AUTH_CAPTURE, REFUND, VOID})


@dataclass(frozen=True, slots=True)
class ProfileCall:
    """A legacy profile transaction: the createTransaction call it amounts to, the profile ids
    it names (a follow-up's must match the original's), and for a refund the account to
    credit (None: the original transaction's)."""

    call: Call
    ids: ProfileIds
    refund_source: PaymentSource | None = None


def transaction(request: Node) -> tuple[str, Node]:
    """The chosen profileTrans* element's name and node (the schema requires exactly one)."""
    wrapper = request.node("transaction")
    assert wrapper is not None
    name = next(iter(wrapper))
    node = wrapper.node(name)
    assert node is not None
    return name, node


def call(name: str, node: Node) -> ProfileCall:
    """The use case; raises TransactionRefused."""
    try:
        return _call(name, node)
    except InvalidField as error:
        raise refusal_for(error) from None


def _call(name: str, node: Node) -> ProfileCall:
    kind = CHARGE_KINDS.get(name)
    if kind is not None:
        return ProfileCall(ChargeCall(_charge(node, kind)), _ids(node))
    if name == PRIOR_AUTH_CAPTURE:
        original = original_ref(node, "transId")
        return ProfileCall(
            CaptureCall(original, amount(node, required=True), order_details(node)), _ids(node)
        )
    if name == VOID:
        return ProfileCall(VoidCall(original_ref(node, "transId")), _ids(node))
    assert name == REFUND
    return _refund(node)


def _charge(node: Node, kind: TransactionKind) -> ChargeRequest:
    money = amount(node, required=True)
    assert money is not None
    source = ProfileSource(
        node.text("customerProfileId") or "",
        node.text("customerPaymentProfileId") or "",
        node.text("customerShippingAddressId"),
        secret(node, "cardCode"),
    )
    return ChargeRequest(
        kind=kind,
        amount=money,
        source=source,
        order=order_details(node),
        settings=Settings(recurring_billing=bool(node.flag("recurringBilling"))),
        card_on_file=card_on_file(node),
        auth_code=auth_code(node, "approvalCode") if kind is TransactionKind.CAPTURE_ONLY else None,
        split_tender_id=split_tender_id(node, "transId"),
        authorization_indicator=authorization_indicator(node),
    )


def _refund(node: Node) -> ProfileCall:
    money = amount(node, required=True)
    assert money is not None
    linked = node.text("transId") is not None
    original = original_ref(node, "transId") if linked else None
    request = RefundRequest(
        original_ref=original, amount=money, source=MaskedSource(""), order=order_details(node)
    )
    return ProfileCall(RefundCall(request), _ids(node), _refund_source(node))


def _refund_source(node: Node) -> PaymentSource | None:
    card = node.text("creditCardNumberMasked")
    if card is not None:
        last4 = masked_last4(card)
        if last4 is None:
            raise TransactionRefused(
                INVALID_CARD_NUMBER, "creditCardNumberMasked is XXXX followed by the last four digits."
            )
        return MaskedSource(last4)
    account = node.text("bankAccountNumberMasked")
    if account is not None:
        digits = account.strip()
        return MaskedSource(
            digits_last4(digits[4:] if digits.upper().startswith("XXXX") else digits, "accountNumber")
        )
    profile_ref = node.text("customerProfileId")
    payment_profile_ref = node.text("customerPaymentProfileId")
    if profile_ref is not None and payment_profile_ref is not None:
        return ProfileSource(profile_ref, payment_profile_ref)
    return None


def _ids(node: Node) -> ProfileIds:
    return ProfileIds(
        node.text("customerProfileId"),
        node.text("customerPaymentProfileId"),
        node.text("customerShippingAddressId"),
    )


def order_details(node: Node) -> OrderDetails:
    """The order of a profileTrans* element: amounts, line items and orderExType."""
    order = node.node("order")
    return OrderDetails(
        invoice_number=text(order, "invoiceNumber"),
        description=text(order, "description"),
        po_number=po_number(text(order, "purchaseOrderNumber")),
        line_items=line_items(node.nodes("lineItems")),
        tax=extra_charge(node.node("tax")),
        duty=extra_charge(node.node("duty")),
        shipping=extra_charge(node.node("shipping")),
        tax_exempt=node.flag("taxExempt"),
    )


def echo(name: str, node: Node) -> Echo:
    """What the transactionResponse repeats from the request."""
    return Echo(
        ref_trans_id=(node.text("transId") or "") if name in REFERENCING else "",
        user_fields=(),
        amount=lenient_amount(node.text("amount")),
        account_number="",
        account_type="",
        create_profile=False,
        duplicate_window_given=False,
    )


@dataclass(frozen=True, slots=True)
class Decoded:
    """One decode pass over a profileTrans* element: what its answer repeats, and the call it
    asks for or the refusal its answer reports instead (the echo is needed either way)."""

    echo: Echo
    call: ProfileCall | TransactionRefused


def decoded(name: str, node: Node) -> Decoded:
    """The echo and the call of one profileTrans* element."""
    repeated = echo(name, node)
    try:
        return Decoded(repeated, call(name, node))
    except TransactionRefused as refusal:
        return Decoded(repeated, refusal)
