"""createTransactionRequest: decode the transactionRequest, call one payment use case, answer.

Declines and refusals are answers (resultCode Error / E00027 with a transaction error), so the
handler sets the envelope's messages itself; the dispatcher's refId is kept.
"""

from __future__ import annotations

from strongroom.services.transactions.requests import TransactionResult
from strongroom.web.authnet.operations import Context, Values
from strongroom.web.authnet.transactions import decode, views
from strongroom.web.authnet.transactions.refusals import ApiRefused, TransactionRefused
from strongroom.web.authnet.wire.tree import Node


def _transaction_request(request: Node) -> Node:
    node = request.node("transactionRequest")
    assert node is not None  # required by the schema
    return node


def signer_of(ctx: Context) -> views.Signer | None:
    key = ctx.signature_key.reveal() if ctx.signature_key is not None else None
    return views.signer(key.reveal() if key is not None else None, ctx.tenant.login_id)


def _run(ctx: Context, call: decode.Call) -> TransactionResult:
    payments = ctx.services.payments
    if isinstance(call, decode.ChargeCall):
        return payments.charge(ctx.tenant, call.request)
    if isinstance(call, decode.CaptureCall):
        return payments.capture(ctx.tenant, call.original_ref, call.amount, call.order, call.settings)
    if isinstance(call, decode.VoidCall):
        return payments.void(ctx.tenant, call.original_ref)
    return payments.refund(ctx.tenant, call.request)


def create_transaction(ctx: Context, request: Node) -> Values:
    found = decode.decoded(_transaction_request(request))
    echo, call = found.echo, found.call
    if isinstance(call, TransactionRefused):
        result = TransactionResult(views.ERROR, call.reason_code, call.text)
        return views.answer(result, echo, signer_of(ctx), call.text)
    if isinstance(call, ApiRefused):
        return views.api_refusal(call.message, echo, signer_of(ctx))
    return views.answer(_run(ctx, call), echo, signer_of(ctx))


def transaction_error(request: Node, _: Exception) -> Values:
    """Credentials refused, a record not found, a system error: the API message says why, and
    the transactionResponse the schema requires reports an error with nothing stored."""
    return {"transactionResponse": views.bare_response(decode.echo(_transaction_request(request)), None)}
