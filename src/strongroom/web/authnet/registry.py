"""The table of operations the Authorize.Net door answers, by request element name."""

from __future__ import annotations

from typing import Final

from strongroom.web.authnet.arb import handlers as arb
from strongroom.web.authnet.arb.messages import REQUESTS as ARB_REQUESTS
from strongroom.web.authnet.arb.messages import RESPONSES as ARB_RESPONSES
from strongroom.web.authnet.cim import handlers as cim
from strongroom.web.authnet.cim.messages import REQUESTS as CIM_REQUESTS
from strongroom.web.authnet.cim.messages import RESPONSES as CIM_RESPONSES
from strongroom.web.authnet.common.messages import (
    API_RESPONSE,
    AUTHENTICATE_TEST_REQUEST,
    AUTHENTICATE_TEST_RESPONSE,
    IS_ALIVE_REQUEST,
    IS_ALIVE_RESPONSE,
)
from strongroom.web.authnet.fraud import handlers as held
from strongroom.web.authnet.fraud.messages import (
    UPDATE_HELD_TRANSACTION_REQUEST,
    UPDATE_HELD_TRANSACTION_RESPONSE,
)
from strongroom.web.authnet.operations import Context, ErrorView, Handler, Operation, Values
from strongroom.web.authnet.reporting import handlers as reporting
from strongroom.web.authnet.reporting.messages import (
    GET_BATCH_STATISTICS_REQUEST,
    GET_BATCH_STATISTICS_RESPONSE,
    GET_MERCHANT_DETAILS_REQUEST,
    GET_MERCHANT_DETAILS_RESPONSE,
    GET_SETTLED_BATCH_LIST_REQUEST,
    GET_SETTLED_BATCH_LIST_RESPONSE,
    GET_TRANSACTION_DETAILS_REQUEST,
    GET_TRANSACTION_DETAILS_RESPONSE,
    GET_TRANSACTION_LIST_FOR_CUSTOMER_REQUEST,
    GET_TRANSACTION_LIST_REQUEST,
    GET_TRANSACTION_LIST_RESPONSE,
    GET_UNSETTLED_TRANSACTION_LIST_REQUEST,
    GET_UNSETTLED_TRANSACTION_LIST_RESPONSE,
)
from strongroom.web.authnet.transactions import handlers as transactions
from strongroom.web.authnet.transactions import profile_handlers as profile_transactions
from strongroom.web.authnet.transactions.messages import (
    CREATE_TRANSACTION_REQUEST,
    CREATE_TRANSACTION_RESPONSE,
)
from strongroom.web.authnet.transactions.profile_messages import (
    CREATE_CUSTOMER_PROFILE_FROM_TRANSACTION_REQUEST,
    CREATE_CUSTOMER_PROFILE_TRANSACTION_REQUEST,
    CREATE_CUSTOMER_PROFILE_TRANSACTION_RESPONSE,
    SEND_CUSTOMER_TRANSACTION_RECEIPT_REQUEST,
    SEND_CUSTOMER_TRANSACTION_RECEIPT_RESPONSE,
    UPDATE_SPLIT_TENDER_GROUP_REQUEST,
    UPDATE_SPLIT_TENDER_GROUP_RESPONSE,
)
from strongroom.web.authnet.wire.schema import seq
from strongroom.web.authnet.wire.tree import Node

ERROR_RESPONSE: Final = seq("ErrorResponse", base=API_RESPONSE)


def _cim(name: str, handler: Handler, on_error: ErrorView | None = None) -> Operation:
    response_name = name.removesuffix("Request") + "Response"
    return Operation(CIM_REQUESTS[name], response_name, CIM_RESPONSES[response_name], handler, on_error)


def _arb(name: str, handler: Handler) -> Operation:
    response_name = name.removesuffix("Request") + "Response"
    return Operation(ARB_REQUESTS[name], response_name, ARB_RESPONSES[response_name], handler)


def _nothing(_: Context, __: Node) -> Values:
    """Envelope-only answers: the dispatcher's checks are the whole operation."""
    return {}


REPORTING_OPERATIONS: Final = (
    Operation(
        GET_SETTLED_BATCH_LIST_REQUEST,
        "getSettledBatchListResponse",
        GET_SETTLED_BATCH_LIST_RESPONSE,
        reporting.get_settled_batch_list,
    ),
    Operation(
        GET_TRANSACTION_LIST_REQUEST,
        "getTransactionListResponse",
        GET_TRANSACTION_LIST_RESPONSE,
        reporting.get_transaction_list,
    ),
    # Answered by getTransactionList's response element (wire reference 2).
    Operation(
        GET_TRANSACTION_LIST_FOR_CUSTOMER_REQUEST,
        "getTransactionListResponse",
        GET_TRANSACTION_LIST_RESPONSE,
        reporting.get_transaction_list_for_customer,
    ),
    Operation(
        GET_UNSETTLED_TRANSACTION_LIST_REQUEST,
        "getUnsettledTransactionListResponse",
        GET_UNSETTLED_TRANSACTION_LIST_RESPONSE,
        reporting.get_unsettled_transaction_list,
    ),
    Operation(
        GET_TRANSACTION_DETAILS_REQUEST,
        "getTransactionDetailsResponse",
        GET_TRANSACTION_DETAILS_RESPONSE,
        reporting.get_transaction_details,
        refusals_as_error_response=True,
    ),
    Operation(
        GET_BATCH_STATISTICS_REQUEST,
        "getBatchStatisticsResponse",
        GET_BATCH_STATISTICS_RESPONSE,
        reporting.get_batch_statistics,
    ),
    Operation(
        GET_MERCHANT_DETAILS_REQUEST,
        "getMerchantDetailsResponse",
        GET_MERCHANT_DETAILS_RESPONSE,
        reporting.get_merchant_details,
        refusals_as_error_response=True,
    ),
)

OPERATIONS: Final[dict[str, Operation]] = {
    operation.request.name: operation
    for operation in (
        Operation(IS_ALIVE_REQUEST, "isAliveResponse", IS_ALIVE_RESPONSE, _nothing, authenticated=False),
        Operation(
            AUTHENTICATE_TEST_REQUEST, "authenticateTestResponse", AUTHENTICATE_TEST_RESPONSE, _nothing
        ),
        _cim("createCustomerProfileRequest", cim.create_customer_profile, cim.profile_error),
        _cim("getCustomerProfileRequest", cim.get_customer_profile),
        _cim("getCustomerProfileIdsRequest", cim.get_customer_profile_ids),
        _cim("updateCustomerProfileRequest", cim.update_customer_profile),
        _cim("deleteCustomerProfileRequest", cim.delete_customer_profile),
        _cim(
            "createCustomerPaymentProfileRequest",
            cim.create_customer_payment_profile,
            cim.payment_profile_error,
        ),
        _cim("getCustomerPaymentProfileRequest", cim.get_customer_payment_profile),
        _cim(
            "getCustomerPaymentProfileListRequest",
            cim.get_customer_payment_profile_list,
            cim.payment_profile_list_error,
        ),
        _cim(
            "validateCustomerPaymentProfileRequest",
            cim.validate_customer_payment_profile,
            cim.validation_error,
        ),
        _cim(
            "updateCustomerPaymentProfileRequest",
            cim.update_customer_payment_profile,
            cim.payment_profile_error,
        ),
        _cim("deleteCustomerPaymentProfileRequest", cim.delete_customer_payment_profile),
        _cim("createCustomerShippingAddressRequest", cim.create_customer_shipping_address),
        _cim("getCustomerShippingAddressRequest", cim.get_customer_shipping_address),
        _cim("updateCustomerShippingAddressRequest", cim.update_customer_shipping_address),
        _cim("deleteCustomerShippingAddressRequest", cim.delete_customer_shipping_address),
        Operation(
            CREATE_TRANSACTION_REQUEST,
            "createTransactionResponse",
            CREATE_TRANSACTION_RESPONSE,
            transactions.create_transaction,
            transactions.transaction_error,
        ),
        Operation(
            CREATE_CUSTOMER_PROFILE_TRANSACTION_REQUEST,
            "createCustomerProfileTransactionResponse",
            CREATE_CUSTOMER_PROFILE_TRANSACTION_RESPONSE,
            profile_transactions.create_customer_profile_transaction,
        ),
        # The one CIM call answered by another call's response element (wire reference 2).
        Operation(
            CREATE_CUSTOMER_PROFILE_FROM_TRANSACTION_REQUEST,
            "createCustomerProfileResponse",
            CIM_RESPONSES["createCustomerProfileResponse"],
            profile_transactions.create_customer_profile_from_transaction,
        ),
        Operation(
            SEND_CUSTOMER_TRANSACTION_RECEIPT_REQUEST,
            "sendCustomerTransactionReceiptResponse",
            SEND_CUSTOMER_TRANSACTION_RECEIPT_RESPONSE,
            profile_transactions.send_customer_transaction_receipt,
        ),
        Operation(
            UPDATE_SPLIT_TENDER_GROUP_REQUEST,
            "updateSplitTenderGroupResponse",
            UPDATE_SPLIT_TENDER_GROUP_RESPONSE,
            profile_transactions.update_split_tender_group,
        ),
        _arb("ARBCreateSubscriptionRequest", arb.create_subscription),
        _arb("ARBGetSubscriptionRequest", arb.get_subscription),
        _arb("ARBGetSubscriptionStatusRequest", arb.get_subscription_status),
        _arb("ARBUpdateSubscriptionRequest", arb.update_subscription),
        _arb("ARBCancelSubscriptionRequest", arb.cancel_subscription),
        _arb("ARBGetSubscriptionListRequest", arb.get_subscription_list),
        *REPORTING_OPERATIONS,
        Operation(
            UPDATE_HELD_TRANSACTION_REQUEST,
            "updateHeldTransactionResponse",
            UPDATE_HELD_TRANSACTION_RESPONSE,
            held.update_held_transaction,
        ),
    )
}
