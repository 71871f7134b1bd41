"""Handlers of the transaction calls beside createTransaction: the legacy
createCustomerProfileTransaction (transactionResponse plus the CSV directResponse),
createCustomerProfileFromTransaction, sendCustomerTransactionReceipt, updateSplitTenderGroup."""

from __future__ import annotations

from decimal import Decimal

from strongroom.domain.customers import ProfileType
from strongroom.domain.split_tenders import SplitTenderStatus
from strongroom.services.payments.profile_from_transaction import ProfileFromTransaction
from strongroom.services.payments.profile_transactions import ProfileTransactionResult
from strongroom.services.transactions.requests import OrderDetails, TransactionResult
from strongroom.web.authnet.codes import SUCCESS
from strongroom.web.authnet.common.direct_response import transaction_record
from strongroom.web.authnet.operations import Context, Values, messages
from strongroom.web.authnet.transactions import profile_decode as decode
from strongroom.web.authnet.transactions import views
from strongroom.web.authnet.transactions.decode import CaptureCall, ChargeCall, Echo, VoidCall
from strongroom.web.authnet.transactions.handlers import signer_of
from strongroom.web.authnet.transactions.order_decode import receipt_options
from strongroom.web.authnet.transactions.refusals import TransactionRefused
from strongroom.web.authnet.wire.tree import Node


def _run(ctx: Context, profile_call: decode.ProfileCall) -> ProfileTransactionResult:
    service = ctx.services.profile_transactions
    call, ids = profile_call.call, profile_call.ids
    if isinstance(call, ChargeCall):
        return service.charge(ctx.tenant, call.request)
    if isinstance(call, CaptureCall):
        return service.capture(ctx.tenant, call.original_ref, call.amount, call.order, ids)
    if isinstance(call, VoidCall):
        return service.void(ctx.tenant, call.original_ref, ids)
    return service.refund(ctx.tenant, call.request, profile_call.refund_source, ids)


def create_customer_profile_transaction(ctx: Context, request: Node) -> Values:
    name, node = decode.transaction(request)
    found = decode.decoded(name, node)
    echo, call = found.echo, found.call
    if isinstance(call, TransactionRefused):
        refused = TransactionResult(views.ERROR, call.reason_code, call.text)
        return _answer(ctx, name, echo, ProfileTransactionResult(refused, OrderDetails()), call.text)
    return _answer(ctx, name, echo, _run(ctx, call))


def _answer(
    ctx: Context, name: str, echo: Echo, outcome: ProfileTransactionResult, error_text: str | None = None
) -> Values:
    result = outcome.result
    response = views.transaction_response(result, echo, signer_of(ctx), error_text)
    amount = echo.amount
    if amount is None:
        stored = result.stored
        amount = stored.amount if stored is not None else Decimal(0)
    accepted = result.response_code in (views.APPROVED, views.HELD)
    return {
        "messages": messages(SUCCESS if accepted else views.TRANSACTION_UNSUCCESSFUL),
        "transactionResponse": response,
        "directResponse": transaction_record(
            response, decode.RECORD_TYPES[name], amount, outcome.order, outcome.customer_id, outcome.email
        ),
    }


def create_customer_profile_from_transaction(ctx: Context, request: Node) -> Values:
    customer = request.node("customer")
    profile_type = request.text("profileType")
    created = ctx.services.profiles_from_transactions.create(
        ctx.tenant,
        ProfileFromTransaction(
            trans_ref=request.text("transId") or "",
            merchant_customer_id=(customer.text("merchantCustomerId") or None) if customer else None,
            description=(customer.text("description") or None) if customer else None,
            email=(customer.text("email") or None) if customer else None,
            profile_ref=request.text("customerProfileId"),
            default_payment_profile=bool(request.flag("defaultPaymentProfile")),
            default_shipping_address=bool(request.flag("defaultShippingAddress")),
            profile_type=ProfileType(profile_type) if profile_type else ProfileType.REGULAR,
        ),
    )
    return {
        "customerProfileId": created.profile_ref,
        "customerPaymentProfileIdList": {"numericString": list(created.payment_profile_refs)},
        "customerShippingAddressIdList": {"numericString": list(created.address_refs)},
        "validationDirectResponseList": {"string": []},
    }


def send_customer_transaction_receipt(ctx: Context, request: Node) -> Values:
    ctx.services.receipts.send(
        ctx.tenant,
        request.text("transId") or "",
        request.text("customerEmail") or "",
        receipt_options(request, "emailSettings"),
    )
    return {}


def update_split_tender_group(ctx: Context, request: Node) -> Values:
    ctx.services.split_tenders.update(
        ctx.tenant,
        request.text("splitTenderId") or "",
        SplitTenderStatus(request.text("splitTenderStatus") or ""),
    )
    return {}
