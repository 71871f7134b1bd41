"""Handlers of the recurring-billing (ARB) operations: decode, call one service, build values."""

from __future__ import annotations

from typing import Final

from strongroom.domain.errors import MissingField
from strongroom.services.subscriptions.requests import SubscriptionFilter, SubscriptionOrder
from strongroom.web.authnet.arb import decode, views
from strongroom.web.authnet.codes import WireMessage
from strongroom.web.authnet.operations import Context, Values, messages
from strongroom.web.authnet.transactions.refusals import ApiRefused
from strongroom.web.authnet.wire.tree import Node

DEFAULT_PAGE_SIZE = 1000
ALREADY_CANCELED: Final = WireMessage("I00002", "The subscription has already been canceled.")

_SEARCHES: Final = {
    "subscriptionActive": SubscriptionFilter.LIVE,
    "subscriptionInactive": SubscriptionFilter.ENDED,
    "subscriptionExpiringThisMonth": SubscriptionFilter.ENDING_THIS_MONTH,
    "cardExpiringThisMonth": SubscriptionFilter.CARD_EXPIRING_THIS_MONTH,
}
_ORDERS: Final = {
    "id": SubscriptionOrder.REF,
    "name": SubscriptionOrder.NAME,
    "status": SubscriptionOrder.STATUS,
    "createTimeStampUTC": SubscriptionOrder.CREATED_AT,
    "lastName": SubscriptionOrder.LAST_NAME,
    "firstName": SubscriptionOrder.FIRST_NAME,
    "accountNumber": SubscriptionOrder.ACCOUNT_LAST4,
    "amount": SubscriptionOrder.AMOUNT,
    "pastOccurrences": SubscriptionOrder.PAST_OCCURRENCES,
}


def _messages(message: WireMessage) -> Values:
    """Messages a handler answers with itself (the dispatcher keeps refId)."""
    return {"messages": messages(message)}


def _subscription(request: Node) -> Node:
    node = request.node("subscription")
    assert node is not None  # required by the schema
    return node


def _subscription_id(request: Node) -> str:
    value = request.text("subscriptionId")
    if not value:
        raise MissingField("subscriptionId", "subscriptionId is required.")
    return value


def create_subscription(ctx: Context, request: Node) -> Values:
    try:
        new = decode.new_subscription(_subscription(request))
    except ApiRefused as refusal:
        return _messages(refusal.message)
    ids = ctx.services.subscriptions.create(ctx.tenant, new)
    return {"subscriptionId": ids.subscription_ref, "profile": views.profile_ids(ids)}


def update_subscription(ctx: Context, request: Node) -> Values:
    try:
        change = decode.subscription_change(_subscription(request))
    except ApiRefused as refusal:
        return _messages(refusal.message)
    ids = ctx.services.subscriptions.update(ctx.tenant, _subscription_id(request), change)
    return {"profile": views.profile_ids(ids)}


def cancel_subscription(ctx: Context, request: Node) -> Values:
    if not ctx.services.subscriptions.cancel(ctx.tenant, _subscription_id(request)):
        return _messages(ALREADY_CANCELED)
    return {}


def get_subscription_status(ctx: Context, request: Node) -> Values:
    status = ctx.services.subscriptions.status(ctx.tenant, _subscription_id(request))
    return {"status": status.value}


def get_subscription(ctx: Context, request: Node) -> Values:
    with_transactions = bool(request.flag("includeTransactions"))
    details = ctx.services.subscriptions.get(
        ctx.tenant, _subscription_id(request), with_attempts=with_transactions
    )
    return {"subscription": views.subscription_values(details, with_transactions=with_transactions)}


def get_subscription_list(ctx: Context, request: Node) -> Values:
    sorting = request.node("sorting")
    paging = request.node("paging")
    page = ctx.services.subscriptions.search(
        ctx.tenant,
        _SEARCHES[request.text("searchType") or "subscriptionActive"],
        _ORDERS[sorting.text("orderBy") or "id"] if sorting else SubscriptionOrder.REF,
        descending=bool(sorting and sorting.flag("orderDescending")),
        page=int(paging.text("offset") or 1) if paging else 1,
        page_size=int(paging.text("limit") or DEFAULT_PAGE_SIZE) if paging else DEFAULT_PAGE_SIZE,
    )
    return {
        "totalNumInResultSet": page.total,
        "subscriptionDetails": {"subscriptionDetail": [views.detail_values(item) for item in page.items]},
    }
