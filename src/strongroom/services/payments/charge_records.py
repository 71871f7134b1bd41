"""The record a charge leaves: its status, amounts, codes and details from the request, the
funding and the processor's answer (a pure function of them)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from strongroom.domain.card_authentication import CardholderAuthentication
from strongroom.domain.fraud import canonical_ip
from strongroom.domain.instruments import Card, EntryMode
from strongroom.domain.merchants import Merchant
from strongroom.domain.transactions import (
    Reason,
    TransactionKind,
    TransactionStatus,
    approved_status,
)
from strongroom.services.payments.card_on_file import CardOnFilePlan
from strongroom.services.payments.funding import Funding
from strongroom.services.ports import (
    Outcome,
    ProcessorResult,
    TransactionRecord,
)
from strongroom.services.transactions.records import (
    details_json,
)
from strongroom.services.transactions.requests import (
    CardSource,
    ChargeRequest,
)
from strongroom.services.transactions.results import (
    APPROVED_REASON,
    HELD,
    PARTIALLY_APPROVED_REASON,
    RESPONSE_CODES,
)

S = TransactionStatus
# Cardholder authentication counts for these only; other kinds ignore it.
AUTHENTICATED_KINDS = frozenset({TransactionKind.CHARGE, TransactionKind.AUTHORIZATION})


def authentication_for(request: ChargeRequest, funding: Funding) -> CardholderAuthentication | None:
    """The 3-D Secure data that goes with this charge: cards, authorisations only."""
    if request.kind not in AUTHENTICATED_KINDS or not isinstance(funding.instrument, Card):
        return None
    return request.cardholder_authentication


def entry_mode(request: ChargeRequest) -> EntryMode | None:
    """How a card-present card was read; None for card-not-present payments."""
    source = request.source
    return source.entry_mode if isinstance(source, CardSource) else None


def charge_status(kind: TransactionKind, result: ProcessorResult) -> TransactionStatus:
    outcome = result.outcome
    if outcome is Outcome.APPROVED:
        return approved_status(kind)
    if outcome is Outcome.HELD:  # 253: authorised and held; 252: held before authorising
        return (
            S.AUTHORIZED_HELD_FOR_REVIEW
            if result.reason_code == Reason.AUTHORIZED_HELD_FOR_REVIEW
            else S.HELD_FOR_REVIEW
        )
    return S.DECLINED if outcome is Outcome.DECLINED else S.GENERAL_ERROR


def is_partial(request: ChargeRequest, result: ProcessorResult) -> bool:
    approved = result.approved_amount
    return (
        result.outcome in (Outcome.APPROVED, Outcome.HELD)
        and approved is not None
        and approved < request.amount.amount
    )


def charge_record(
    merchant: Merchant,
    request: ChargeRequest,
    funding: Funding,
    plan: CardOnFilePlan,
    result: ProcessorResult,
    key: str,
    now: datetime,
) -> TransactionRecord:
    amount = request.amount.amount
    partial = is_partial(request, result)
    if partial:
        assert result.approved_amount is not None
        amount = result.approved_amount
    status = charge_status(request.kind, result)
    response = RESPONSE_CODES[result.outcome]
    reason = result.reason_code
    if partial and result.outcome is Outcome.APPROVED:
        response, reason = HELD, PARTIALLY_APPROVED_REASON
    elif result.outcome is Outcome.APPROVED:
        reason = APPROVED_REASON
    moves_money = result.outcome in (Outcome.APPROVED, Outcome.HELD)
    settles = moves_money and request.kind is not TransactionKind.AUTHORIZATION
    profile = funding.profile
    order = replace(request.order, bill_to=funding.bill_to, ship_to=funding.ship_to)
    authentication = authentication_for(request, funding)
    return TransactionRecord(
        ref="",
        merchant_key=merchant.key,
        kind=request.kind,
        status=status,
        amount=amount,
        currency=request.amount.currency,
        settle_amount=amount if settles else Decimal("0.00"),
        refunded=Decimal("0.00"),
        response_code=response,
        reason_code=reason,
        auth_code=result.auth_code if moves_money else "",
        avs_result=result.avs_result,
        card_code_result=result.card_code_result,
        cavv_result=result.cavv_result,
        payment_method=funding.payment_method,
        account_last4=funding.instrument.last4,
        account_type=funding.account_type,
        fingerprint=funding.fingerprint,
        duplicate_key=key,
        submitted_at=now,
        network_trans_id=result.network_trans_id if moves_money else None,
        original_network_trans_id=plan.original_network_trans_id,
        original_auth_amount=plan.original_auth_amount,
        processor_reference=result.processor_reference,
        split_tender_id=request.split_tender_id,
        customer_profile_ref=profile.profile_ref if profile else None,
        payment_profile_ref=profile.ref if profile else None,
        shipping_address_ref=funding.shipping_address_ref,
        invoice_number=order.invoice_number,
        description=order.description,
        po_number=order.po_number,
        customer_ip=canonical_ip(order.customer_ip),
        card_on_file=plan.usage.value if plan.usage else None,
        details_json=details_json(
            order,
            expiry=funding.expiry or None,
            requested_amount=request.amount.amount if partial else None,
            entry_mode=entry_mode(request),
            subsequent_auth_reason=plan.reason,
            authentication_indicator=authentication.indicator.strip() if authentication else None,
            authorization_indicator=request.authorization_indicator,
        ),
        subscription_ref=request.recurring.subscription_ref if request.recurring else None,
        pay_num=request.recurring.pay_num if request.recurring else None,
    )
