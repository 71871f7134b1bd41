"""updateHeldTransactionRequest: approve or decline a transaction held for review.

The envelope says whether the merchant's decision was carried out (Ok), or not (E00027, with
the reason in transactionResponse errors): an approval the processor declines is unsuccessful;
a decline is successful and answers responseCode 2 with reason 254.
"""

from __future__ import annotations

from strongroom.domain.transactions import Reason
from strongroom.services.payments.held_reviews import ReviewDecision
from strongroom.services.transactions.requests import TransactionResult
from strongroom.web.authnet.codes import SUCCESS
from strongroom.web.authnet.operations import Context, Values, messages
from strongroom.web.authnet.transactions import views
from strongroom.web.authnet.transactions.decode import Echo, original_ref
from strongroom.web.authnet.transactions.handlers import signer_of
from strongroom.web.authnet.transactions.refusals import TransactionRefused
from strongroom.web.authnet.wire.tree import Node


def update_held_transaction(ctx: Context, request: Node) -> Values:
    node = request.node("heldTransactionRequest")
    assert node is not None  # required by the schema
    echo = Echo(
        ref_trans_id=node.text("refTransId") or "",
        user_fields=(),
        amount=None,
        account_number="",
        account_type="",
        create_profile=False,
        duplicate_window_given=False,
    )
    try:
        ref = original_ref(node, "refTransId")
    except TransactionRefused as refusal:
        return _answer(ctx, TransactionResult(views.ERROR, refusal.reason_code, refusal.text), echo)
    decision = ReviewDecision(node.text("action") or "")
    return _answer(ctx, ctx.services.payments.review_held(ctx.tenant, ref, decision), echo)


def _answer(ctx: Context, result: TransactionResult, echo: Echo) -> Values:
    done = (
        result.response_code in (views.APPROVED, views.HELD)
        or result.reason_code == Reason.DECLINED_AFTER_REVIEW
    )
    # A refusal's own words (e.g. "not held for review") stand in for the generic reason text.
    own_text = result.message if result.response_code == views.ERROR else None
    return {
        "messages": messages(SUCCESS if done else views.TRANSACTION_UNSUCCESSFUL),
        "transactionResponse": views.transaction_response(result, echo, signer_of(ctx), own_text),
    }
