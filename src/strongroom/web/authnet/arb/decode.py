"""Turns validated ARBSubscriptionType nodes into the recurring-billing use cases' requests, and
refuses the field combinations the protocol forbids (a profile with payment or customer data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from strongroom.domain.customers import CustomerType
from strongroom.domain.errors import InvalidField
from strongroom.domain.instruments import BankAccountType, EcheckType
from strongroom.domain.money import Money
from strongroom.domain.sensitive import Secret
from strongroom.domain.subscriptions import Interval, IntervalUnit
from strongroom.services.profiles.changes import BankChange, CardChange
from strongroom.services.subscriptions.requests import (
    NewSubscription,
    ProfileIds,
    ScheduleInput,
    SubscriptionChange,
    SubscriptionCustomer,
    SubscriptionTerms,
)
from strongroom.web.authnet.cim.decode import (
    MAX_ORIGINAL_AUTH_AMOUNT,
    drivers_license,
    instrument,
    optional_address,
    secret,
)
from strongroom.web.authnet.codes import WireMessage
from strongroom.web.authnet.transactions.refusals import ApiRefused
from strongroom.web.authnet.wire.tree import Node

# The widest amount the gateway keeps (15 digits, two of them decimals).
MAX_AMOUNT = MAX_ORIGINAL_AUTH_AMOUNT
# Paper-check conversions need the check at the point of sale: never a recurring payment.
_PAPER_CHECKS = frozenset({EcheckType.ARC.value, EcheckType.BOC.value})


def _refused(code: str, text: str) -> ApiRefused:
    return ApiRefused(WireMessage(code, text))


def _check_combinations(node: Node, *, creating: bool) -> None:
    """A stored profile pays on its own: no payment, billing or customer data beside it."""
    profile = node.node("profile")
    if profile is None:
        return
    if node.node("payment") is not None:
        raise _refused("E00091", "PaymentProfileId cannot be sent with payment data.")
    if node.node("billTo") is not None:
        raise _refused("E00093", "PaymentProfile cannot be sent with billing data.")
    if node.node("customer") is not None:
        raise _refused("E00108", "CustomerProfileId cannot be sent with customer data.")
    if node.node("shipTo") is not None and (creating or profile.text("customerAddressId")):
        raise _refused("E00109", "CustomerAddressId cannot be sent with shipTo data.")
    if creating and not profile.text("customerPaymentProfileId"):
        raise _refused("E00110", "CustomerPaymentProfileId is not provided within Customer Profile.")


def _amount(node: Node, name: str) -> Decimal | None:
    text = node.text(name)
    if text is None:
        return None
    amount = Money.parse(text, field=name).amount
    if amount > MAX_AMOUNT:
        raise InvalidField(name, f"{name} is too large.")
    return amount


def _int(node: Node, name: str) -> int | None:
    text = node.text(name)
    return int(text) if text is not None else None


def _schedule(node: Node | None) -> ScheduleInput | None:
    if node is None:
        return None
    interval = node.node("interval")
    start = node.text("startDate")
    return ScheduleInput(
        interval=Interval(int(interval.text("length") or "0"), IntervalUnit(interval.text("unit") or ""))
        if interval is not None
        else None,
        start=date.fromisoformat(start) if start is not None else None,
        total=_int(node, "totalOccurrences"),
        trial=_int(node, "trialOccurrences"),
    )


def _customer(node: Node | None) -> SubscriptionCustomer | None:
    if node is None:
        return None
    kind = node.text("type")
    return SubscriptionCustomer(
        type=CustomerType(kind) if kind else None,
        id=node.text("id") or None,
        email=node.text("email") or None,
        phone_number=node.text("phoneNumber") or None,
        fax_number=node.text("faxNumber") or None,
        drivers_license=drivers_license(node.node("driversLicense")),
        tax_id=secret(node, "taxId"),
    )


def _profile_ids(node: Node | None) -> ProfileIds | None:
    if node is None:
        return None
    return ProfileIds(
        node.text("customerProfileId") or "",
        node.text("customerPaymentProfileId"),
        node.text("customerAddressId"),
    )


def _terms(node: Node) -> SubscriptionTerms:
    order = node.node("order")
    return SubscriptionTerms(
        name=node.text("name"),
        schedule=_schedule(node.node("paymentSchedule")),
        amount=_amount(node, "amount"),
        trial_amount=_amount(node, "trialAmount"),
        invoice_number=order.text("invoiceNumber") if order is not None else None,
        description=order.text("description") if order is not None else None,
        customer=_customer(node.node("customer")),
        bill_to=optional_address(node.node("billTo")),
        ship_to=optional_address(node.node("shipTo")),
        profile=_profile_ids(node.node("profile")),
    )


def new_subscription(node: Node) -> NewSubscription:
    """ARBCreateSubscriptionRequest's subscription."""
    _check_combinations(node, creating=True)
    payment = node.node("payment")
    card_or_bank = instrument(payment)[0] if payment is not None else None
    return NewSubscription(_terms(node), card_or_bank)


def _payment_change(payment: Node | None) -> CardChange | BankChange | None:
    if payment is None:
        return None
    card = payment.node("creditCard")
    if card is not None:
        return CardChange(Secret(card.text("cardNumber") or ""), card.text("expirationDate") or "")
    bank = payment.node("bankAccount")
    if bank is None:
        kind = next(iter(payment), "payment")
        raise InvalidField(kind, f"{kind} cannot pay a subscription.")
    account_type, echeck_type = bank.text("accountType"), bank.text("echeckType")
    if echeck_type in _PAPER_CHECKS:
        raise InvalidField("echeckType", "ARC and BOC eCheck types cannot pay a subscription.")
    return BankChange(
        Secret(bank.text("routingNumber") or ""),
        Secret(bank.text("accountNumber") or ""),
        bank.text("nameOnAccount") or "",
        BankAccountType(account_type) if account_type else None,
        EcheckType(echeck_type) if echeck_type else None,
        bank.text("bankName"),
    )


def subscription_change(node: Node) -> SubscriptionChange:
    """ARBUpdateSubscriptionRequest's subscription: what is sent changes."""
    _check_combinations(node, creating=False)
    return SubscriptionChange(_terms(node), _payment_change(node.node("payment")))
