"""Turns a validated `transactionRequest` into the payment use case it asks for.

Problems found here are answered the way the protocol answers them (`transaction_refusals`):
a transaction error (responseCode 3 with a reason code) or, for the documented profile
combinations, an API message. Domain parse errors (card number, expiry, bank account, amount)
are translated to their reason codes. What pays lives in `payment_decode`, what describes the
order in `order_decode`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from strongroom.domain.errors import InvalidField
from strongroom.domain.money import Money
from strongroom.domain.transactions import TransactionKind
from strongroom.services.transactions.requests import (
    ChargeRequest,
    OrderDetails,
    RefundRequest,
    Settings,
    auth_code_refusal,
)
from strongroom.web.authnet.transactions.order_decode import (
    DUPLICATE_WINDOW,
    amount,
    authorization_indicator,
    card_on_file,
    cardholder_authentication,
    lenient_amount,
    order_details,
    setting_items,
    transaction_settings,
    user_fields,
)
from strongroom.web.authnet.transactions.payment_decode import lenient_account, source
from strongroom.web.authnet.transactions.refusals import (
    INVALID_SPLIT_TENDER_ID,
    INVALID_TRANSACTION_ID,
    NOT_ACCEPTED,
    PAYPAL_NOT_ACCEPTED,
    TRANS_ID_WITH_SPLIT_TENDER_ID,
    ApiRefused,
    TransactionRefused,
    refusal_for,
)
from strongroom.web.authnet.wire.tree import Node

AUTH_CAPTURE = "authCaptureTransaction"
AUTH_ONLY = "authOnlyTransaction"
CAPTURE_ONLY = "captureOnlyTransaction"
PRIOR_AUTH_CAPTURE = "priorAuthCaptureTransaction"
VOID = "voidTransaction"
REFUND = "refundTransaction"
CHARGE_KINDS: Final = {
    AUTH_CAPTURE: TransactionKind.CHARGE,
    AUTH_ONLY: TransactionKind.AUTHORIZATION,
    CAPTURE_ONLY: TransactionKind.CAPTURE_ONLY,
}
# The remaining transactionTypeEnum values continue a PayPal Express Checkout.
PAYPAL_TYPES: Final = frozenset(
    {"getDetailsTransaction", "authOnlyContinueTransaction", "authCaptureContinueTransaction"}
)
REFERENCING_TYPES: Final = frozenset({PRIOR_AUTH_CAPTURE, VOID, REFUND})
SUPPORTED_TYPES: Final = (AUTH_CAPTURE, AUTH_ONLY, CAPTURE_ONLY, PRIOR_AUTH_CAPTURE, VOID, REFUND)


# ----------------------------------------------------------------------------- calls


@dataclass(frozen=True, slots=True)
class ChargeCall:
    request: ChargeRequest


@dataclass(frozen=True, slots=True)
class CaptureCall:
    original_ref: str
    amount: Money | None
    order: OrderDetails
    settings: Settings = field(default_factory=Settings)


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
    return _checked_call(node, transaction_type(node))


def _checked_call(node: Node, type_: str) -> Call:
    try:
        return _call(node, type_)
    except InvalidField as error:
        raise refusal_for(error) from None


def _call(node: Node, type_: str) -> Call:
    kind = CHARGE_KINDS.get(type_)
    if kind is not None:
        return ChargeCall(_charge(node, kind))
    if type_ == PRIOR_AUTH_CAPTURE:
        original = original_ref(node, "refTransId")
        return CaptureCall(
            original, amount(node, required=False), order_details(node), transaction_settings(node)
        )
    if type_ == VOID:
        return VoidCall(original_ref(node, "refTransId"))
    if type_ == REFUND:
        return RefundCall(_refund(node))
    if type_ in PAYPAL_TYPES:
        raise TransactionRefused(
            PAYPAL_NOT_ACCEPTED,
            "PayPal transactions are not accepted: Strongroom does not offer PayPal Express Checkout.",
        )
    raise TransactionRefused(
        NOT_ACCEPTED,
        "The transaction type is invalid. transactionType "
        f"must be one of {', '.join(SUPPORTED_TYPES)} (or blank).",
    )


def _charge(node: Node, kind: TransactionKind) -> ChargeRequest:
    settings = transaction_settings(node)
    money = amount(node, required=True, zero_allowed=kind is TransactionKind.AUTHORIZATION)
    assert money is not None
    profile = node.node("profile")
    create_profile = bool(profile is not None and profile.flag("createProfile"))
    paid_by = source(node, linked_refund=False)
    return ChargeRequest(
        kind=kind,
        amount=money,
        source=paid_by,
        order=order_details(node),
        settings=settings,
        card_on_file=card_on_file(node),
        auth_code=auth_code(node, "authCode") if kind is TransactionKind.CAPTURE_ONLY else None,
        split_tender_id=split_tender_id(node, "refTransId"),
        create_profile=create_profile,
        cardholder_authentication=cardholder_authentication(node),
        authorization_indicator=authorization_indicator(node),
    )


def _refund(node: Node) -> RefundRequest:
    settings = transaction_settings(node)
    money = amount(node, required=True)
    assert money is not None
    linked = node.text("refTransId") is not None
    original = original_ref(node, "refTransId") if linked else None
    return RefundRequest(
        original_ref=original,
        amount=money,
        source=source(node, linked_refund=linked),
        order=order_details(node),
        settings=settings,
    )


def original_ref(node: Node, name: str) -> str:
    """The transId a follow-up names (reason 15 when it is not one)."""
    ref = (node.text(name) or "").strip()
    if not ref.isascii() or not ref.isdigit():
        raise TransactionRefused(INVALID_TRANSACTION_ID)
    return ref


def auth_code(node: Node, name: str) -> str:
    """The authorization code of a capture-only, refused here by the service's rule (reason
    12) so it precedes the service's checks; a missing code answers the documented text."""
    code = (node.text(name) or "").strip()
    refusal = auth_code_refusal(code, name)
    if refusal is not None:
        raise TransactionRefused(refusal.reason_code, refusal.message if code else None)
    return code


def split_tender_id(node: Node, trans_id_name: str) -> str | None:
    """A split-tender order's id (296 when malformed; 297 beside a transaction id)."""
    split = node.text("splitTenderId")
    if split is None or not split.strip():
        return None
    split = split.strip()
    if not split.isascii() or not split.isdigit():
        raise TransactionRefused(INVALID_SPLIT_TENDER_ID)
    if (node.text(trans_id_name) or "").strip():
        raise TransactionRefused(TRANS_ID_WITH_SPLIT_TENDER_ID)
    return split


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
    """What the transactionResponse repeats from the request."""
    return _echo(node, transaction_type(node))


def _echo(node: Node, type_: str) -> Echo:
    try:
        fields = user_fields(node)
    except TransactionRefused:
        fields = ()
    profile = node.node("profile")
    account_number, account_type = lenient_account(node)
    return Echo(
        ref_trans_id=(node.text("refTransId") or "") if type_ in REFERENCING_TYPES else "",
        user_fields=fields,
        amount=lenient_amount(node.text("amount")),
        account_number=account_number,
        account_type=account_type,
        create_profile=bool(profile is not None and profile.flag("createProfile")),
        duplicate_window_given=any(name == DUPLICATE_WINDOW for name, _ in setting_items(node)),
    )


# ----------------------------------------------------------------------------- both


@dataclass(frozen=True, slots=True)
class Decoded:
    """One decode pass over a transactionRequest: what its answer repeats, and the call it asks
    for or the refusal its answer reports instead (the echo is needed either way)."""

    echo: Echo
    call: Call | TransactionRefused | ApiRefused


def decoded(node: Node) -> Decoded:
    """The echo and the call of one transactionRequest, its type read once."""
    type_ = transaction_type(node)
    repeated = _echo(node, type_)
    try:
        return Decoded(repeated, _checked_call(node, type_))
    except (TransactionRefused, ApiRefused) as refusal:
        return Decoded(repeated, refusal)
