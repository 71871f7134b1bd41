"""Message definitions of the transaction calls beside createTransaction, in schema order: the
legacy createCustomerProfileTransaction, createCustomerProfileFromTransaction (answered by
createCustomerProfileResponse), sendCustomerTransactionReceipt and updateSplitTenderGroup."""

from __future__ import annotations

from strongroom.web.authnet.cim.messages import PROFILE_BASE, PROFILE_TYPE
from strongroom.web.authnet.common.messages import CARD_CODE, SUBSEQUENT_AUTH_INFORMATION, request, response
from strongroom.web.authnet.transactions.messages import (
    AUTHORIZATION_INDICATOR,
    EXTENDED_AMOUNT,
    LINE_ITEM,
    ORDER,
    PROCESSING_OPTIONS,
    SETTING,
    TRANSACTION_RESPONSE,
)
from strongroom.web.authnet.wire.schema import (
    BOOLEAN,
    NUMERIC_STRING,
    STRING,
    decimal,
    el,
    enum,
    many,
    one_of,
    req,
    seq,
    string,
)

MAX_PROFILE_LINE_ITEMS = 30

ORDER_EX = seq("orderExType", el("purchaseOrderNumber", string(25)), base=ORDER)
PROFILE_TRANS_AMOUNT = seq(
    "profileTransAmountType",
    req("amount", decimal("0.01", fraction_digits=4)),
    el("tax", EXTENDED_AMOUNT),
    el("shipping", EXTENDED_AMOUNT),
    el("duty", EXTENDED_AMOUNT),
    el("lineItems", LINE_ITEM, 0, MAX_PROFILE_LINE_ITEMS),
)
PROFILE_TRANS_ORDER = seq(
    "profileTransOrderType",
    req("customerProfileId", NUMERIC_STRING),
    req("customerPaymentProfileId", NUMERIC_STRING),
    el("customerShippingAddressId", NUMERIC_STRING),
    el("order", ORDER_EX),
    el("taxExempt", BOOLEAN),
    el("recurringBilling", BOOLEAN),
    el("cardCode", CARD_CODE),
    el("splitTenderId", NUMERIC_STRING),
    el("processingOptions", PROCESSING_OPTIONS),
    el("subsequentAuthInformation", SUBSEQUENT_AUTH_INFORMATION),
    el("authorizationIndicatorType", AUTHORIZATION_INDICATOR),
    base=PROFILE_TRANS_AMOUNT,
)
_OPTIONAL_IDS = (
    el("customerProfileId", NUMERIC_STRING),
    el("customerPaymentProfileId", NUMERIC_STRING),
    el("customerShippingAddressId", NUMERIC_STRING),
)
PROFILE_TRANS_AUTH_CAPTURE = seq("profileTransAuthCaptureType", base=PROFILE_TRANS_ORDER)
PROFILE_TRANS_AUTH_ONLY = seq("profileTransAuthOnlyType", base=PROFILE_TRANS_ORDER)
PROFILE_TRANS_PRIOR_AUTH_CAPTURE = seq(
    "profileTransPriorAuthCaptureType",
    *_OPTIONAL_IDS,
    req("transId", NUMERIC_STRING),
    base=PROFILE_TRANS_AMOUNT,
)
PROFILE_TRANS_CAPTURE_ONLY = seq(
    "profileTransCaptureOnlyType", req("approvalCode", string(6)), base=PROFILE_TRANS_ORDER
)
PROFILE_TRANS_REFUND = seq(
    "profileTransRefundType",
    *_OPTIONAL_IDS,
    el("creditCardNumberMasked", string(8, 8)),
    el("bankRoutingNumberMasked", string(8, 8)),
    el("bankAccountNumberMasked", string(8, 8)),
    el("order", ORDER_EX),
    el("transId", NUMERIC_STRING),
    base=PROFILE_TRANS_AMOUNT,
)
PROFILE_TRANS_VOID = seq("profileTransVoidType", *_OPTIONAL_IDS, req("transId", NUMERIC_STRING))
PROFILE_TRANSACTION = seq(
    "profileTransactionType",
    one_of(
        req("profileTransAuthCapture", PROFILE_TRANS_AUTH_CAPTURE),
        req("profileTransAuthOnly", PROFILE_TRANS_AUTH_ONLY),
        req("profileTransPriorAuthCapture", PROFILE_TRANS_PRIOR_AUTH_CAPTURE),
        req("profileTransCaptureOnly", PROFILE_TRANS_CAPTURE_ONLY),
        req("profileTransRefund", PROFILE_TRANS_REFUND),
        req("profileTransVoid", PROFILE_TRANS_VOID),
    ),
)

CREATE_CUSTOMER_PROFILE_TRANSACTION_REQUEST = request(
    "createCustomerProfileTransactionRequest",
    req("transaction", PROFILE_TRANSACTION),
    # AIM name=value pairs (x_customer_ip=...): accepted and not acted upon.
    el("extraOptions", string(1024)),
)
CREATE_CUSTOMER_PROFILE_TRANSACTION_RESPONSE = response(
    "createCustomerProfileTransactionResponse",
    el("transactionResponse", TRANSACTION_RESPONSE),
    el("directResponse", string(2048)),
)

CREATE_CUSTOMER_PROFILE_FROM_TRANSACTION_REQUEST = request(
    "createCustomerProfileFromTransactionRequest",
    req("transId", NUMERIC_STRING),
    el("customer", PROFILE_BASE),
    el("customerProfileId", NUMERIC_STRING),
    el("defaultPaymentProfile", BOOLEAN),
    el("defaultShippingAddress", BOOLEAN),
    el("profileType", PROFILE_TYPE),
)

EMAIL_SETTINGS = seq("emailSettingsType", many("setting", SETTING))
SEND_CUSTOMER_TRANSACTION_RECEIPT_REQUEST = request(
    "sendCustomerTransactionReceiptRequest",
    req("transId", NUMERIC_STRING),
    req("customerEmail", STRING),
    el("emailSettings", EMAIL_SETTINGS),
)
SEND_CUSTOMER_TRANSACTION_RECEIPT_RESPONSE = response("sendCustomerTransactionReceiptResponse")

SPLIT_TENDER_STATUS = enum("splitTenderStatusEnum", "completed", "held", "voided")
UPDATE_SPLIT_TENDER_GROUP_REQUEST = request(
    "updateSplitTenderGroupRequest",
    req("splitTenderId", STRING),
    req("splitTenderStatus", SPLIT_TENDER_STATUS),
)
UPDATE_SPLIT_TENDER_GROUP_RESPONSE = response("updateSplitTenderGroupResponse")
