"""Handlers of the transaction reporting calls and getMerchantDetails: decode, one reporting
service call, values. Lists that match nothing answer "No records found." (I00004, Ok), as do
batch statistics for a batch id that is not the merchant's."""

from __future__ import annotations

from strongroom.web.authnet.operations import Context, Values, messages
from strongroom.web.authnet.reporting import decode
from strongroom.web.authnet.reporting.details_views import details_values
from strongroom.web.authnet.reporting.merchant_views import merchant_values
from strongroom.web.authnet.reporting.views import (
    NO_RECORDS,
    batch_values,
    list_values,
)
from strongroom.web.authnet.wire.tree import Node


def get_settled_batch_list(ctx: Context, request: Node) -> Values:
    found = ctx.services.reporting.settled_batches(ctx.tenant, decode.settlement_range(request))
    if not found.batches:
        return {"messages": messages(NO_RECORDS)}
    statistics = bool(request.flag("includeStatistics"))
    return {"batchList": {"batch": [batch_values(batch, statistics=statistics) for batch in found.batches]}}


def get_batch_statistics(ctx: Context, request: Node) -> Values:
    batch = ctx.services.reporting.batch(ctx.tenant, decode.required(request, "batchId"))
    if batch is None:
        return {"messages": messages(NO_RECORDS)}
    return {"batch": batch_values(batch, statistics=True)}


def get_transaction_list(ctx: Context, request: Node) -> Values:
    listed = ctx.services.reporting.batch_transactions(
        ctx.tenant,
        decode.required(request, "batchId"),
        decode.page_request(request, descending_by_default=False),
    )
    return list_values(listed)


def get_unsettled_transaction_list(ctx: Context, request: Node) -> Values:
    listed = ctx.services.reporting.unsettled(
        ctx.tenant, decode.unsettled_filter(request), decode.page_request(request, descending_by_default=True)
    )
    return list_values(listed)


def get_transaction_list_for_customer(ctx: Context, request: Node) -> Values:
    listed = ctx.services.reporting.customer_transactions(
        ctx.tenant,
        decode.required(request, "customerProfileId"),
        decode.optional(request, "customerPaymentProfileId"),
        decode.page_request(request, descending_by_default=True),
    )
    return list_values(listed)


def get_transaction_details(ctx: Context, request: Node) -> Values:
    details = ctx.services.reporting.details(ctx.tenant, decode.required(request, "transId"))
    return {"transaction": details_values(details)}


def get_merchant_details(ctx: Context, _: Node) -> Values:
    return merchant_values(ctx.services.reporting.account(ctx.tenant))
