"""Message definitions of the transaction reporting calls and getMerchantDetails, in schema order."""

from __future__ import annotations

from strongroom.web.authnet.common.messages import (
    AMOUNT_4,
    CUSTOMER_ADDRESS,
    NAME_AND_ADDRESS,
    NETWORK_TRANS_ID,
    PAGING,
    PAYMENT_MASKED,
    request,
    response,
)
from strongroom.web.authnet.transactions.messages import (
    ARRAY_OF_LINE_ITEM,
    CUSTOMER_DATA,
    CUSTOMER_PROFILE_ID,
    EXTENDED_AMOUNT,
    OTHER_TAX,
    SOLUTION,
)
from strongroom.web.authnet.transactions.profile_messages import ORDER_EX
from strongroom.web.authnet.wire.schema import (
    BOOLEAN,
    DATETIME,
    DECIMAL,
    INT,
    NUMERIC_STRING,
    STRING,
    array_of,
    decimal,
    el,
    enum,
    integer,
    many,
    req,
    seq,
    string,
)

TRANSACTION_LIST_SORTING = seq(
    "TransactionListSorting",
    req("orderBy", enum("TransactionListOrderFieldEnum", "id", "submitTimeUTC")),
    req("orderDescending", BOOLEAN),
)
TRANSACTION_GROUP_STATUS = enum("TransactionGroupStatusEnum", "any", "pendingApproval")

# ----------------------------------------------------------------------------- batches

BATCH_STATISTIC = seq(
    "batchStatisticType",
    req("accountType", STRING),
    req("chargeAmount", DECIMAL),
    req("chargeCount", INT),
    req("refundAmount", DECIMAL),
    req("refundCount", INT),
    req("voidCount", INT),
    req("declineCount", INT),
    req("errorCount", INT),
    el("returnedItemAmount", DECIMAL),
    el("returnedItemCount", INT),
    el("chargebackAmount", DECIMAL),
    el("chargebackCount", INT),
    el("correctionNoticeCount", INT),
    el("chargeChargeBackAmount", DECIMAL),
    el("chargeChargeBackCount", INT),
    el("refundChargeBackAmount", DECIMAL),
    el("refundChargeBackCount", INT),
    el("chargeReturnedItemsAmount", DECIMAL),
    el("chargeReturnedItemsCount", INT),
    el("refundReturnedItemsAmount", DECIMAL),
    el("refundReturnedItemsCount", INT),
)
ARRAY_OF_BATCH_STATISTIC = array_of("ArrayOfBatchStatisticType", "statistic", BATCH_STATISTIC)
BATCH_DETAILS = seq(
    "batchDetailsType",
    req("batchId", NUMERIC_STRING),
    el("settlementTimeUTC", DATETIME),
    el("settlementTimeLocal", DATETIME),
    req("settlementState", STRING),
    el("paymentMethod", STRING),
    el("marketType", STRING),
    el("product", STRING),
    el("statistics", ARRAY_OF_BATCH_STATISTIC),
)
ARRAY_OF_BATCH_DETAILS = array_of("ArrayOfBatchDetailsType", "batch", BATCH_DETAILS)

# ----------------------------------------------------------------------------- transactions

SUBSCRIPTION_PAYMENT = seq("subscriptionPaymentType", req("id", integer(0)), req("payNum", integer(0)))
FRAUD_INFORMATION = seq(
    "fraudInformationType",
    req("fraudFilterList", seq("ArrayOfFraudFilterType", many("fraudFilter", STRING, 1))),
    req("fraudAction", STRING),
)
TRANSACTION_SUMMARY = seq(
    "transactionSummaryType",
    req("transId", NUMERIC_STRING),
    req("submitTimeUTC", DATETIME),
    req("submitTimeLocal", DATETIME),
    req("transactionStatus", STRING),
    el("invoiceNumber", STRING),
    el("firstName", STRING),
    el("lastName", STRING),
    req("accountType", STRING),
    req("accountNumber", STRING),
    req("settleAmount", DECIMAL),
    el("marketType", STRING),
    el("product", STRING),
    el("mobileDeviceId", STRING),
    el("subscription", SUBSCRIPTION_PAYMENT),
    el("hasReturnedItems", BOOLEAN),
    el("fraudInformation", FRAUD_INFORMATION),
    el("profile", CUSTOMER_PROFILE_ID),
)
ARRAY_OF_TRANSACTION_SUMMARY = array_of("ArrayOfTransactionSummaryType", "transaction", TRANSACTION_SUMMARY)

FDS_FILTER = seq("FDSFilterType", req("name", STRING), req("action", STRING))
ARRAY_OF_FDS_FILTER = array_of("ArrayOfFDSFilter", "FDSFilter", FDS_FILTER)
RETURNED_ITEM = seq(
    "returnedItemType",
    req("id", NUMERIC_STRING),
    req("dateUTC", DATETIME),
    req("dateLocal", DATETIME),
    req("code", STRING),
    req("description", STRING),
)
ARRAY_OF_RETURNED_ITEM = array_of("ArrayOfReturnedItem", "returnedItem", RETURNED_ITEM)
EMV_DETAILS = seq("emvDetails", many("tag", seq("tag", req("tagId", STRING), req("data", STRING)), 1))
TRANSACTION_DETAILS = seq(
    "transactionDetailsType",
    req("transId", NUMERIC_STRING),
    el("refTransId", NUMERIC_STRING),
    el("splitTenderId", NUMERIC_STRING),
    req("submitTimeUTC", DATETIME),
    req("submitTimeLocal", DATETIME),
    req("transactionType", STRING),
    req("transactionStatus", STRING),
    req("responseCode", INT),
    req("responseReasonCode", INT),
    el("subscription", SUBSCRIPTION_PAYMENT),
    req("responseReasonDescription", STRING),
    el("authCode", string(6)),
    el("AVSResponse", string(1)),
    el("cardCodeResponse", string(1)),
    el("CAVVResponse", string(1)),
    el("FDSFilterAction", STRING),
    el("FDSFilters", ARRAY_OF_FDS_FILTER),
    el("batch", BATCH_DETAILS),
    el("order", ORDER_EX),
    el("requestedAmount", AMOUNT_4),
    req("authAmount", AMOUNT_4),
    req("settleAmount", AMOUNT_4),
    el("tax", EXTENDED_AMOUNT),
    el("shipping", EXTENDED_AMOUNT),
    el("duty", EXTENDED_AMOUNT),
    el("lineItems", ARRAY_OF_LINE_ITEM),
    el("prepaidBalanceRemaining", decimal(fraction_digits=4)),
    el("taxExempt", BOOLEAN),
    req("payment", PAYMENT_MASKED),
    el("customer", CUSTOMER_DATA),
    el("billTo", CUSTOMER_ADDRESS),
    el("shipTo", NAME_AND_ADDRESS),
    el("recurringBilling", BOOLEAN),
    el("customerIP", STRING),
    el("product", STRING),
    el("entryMode", STRING),
    el("marketType", STRING),
    el("mobileDeviceId", STRING),
    el("customerSignature", STRING),
    el("returnedItems", ARRAY_OF_RETURNED_ITEM),
    el("solution", SOLUTION),
    el("emvDetails", EMV_DETAILS),
    el("profile", CUSTOMER_PROFILE_ID),
    el("surcharge", EXTENDED_AMOUNT),
    el("employeeId", STRING),
    el("tip", EXTENDED_AMOUNT),
    el("otherTax", OTHER_TAX),
    el("shipFrom", NAME_AND_ADDRESS),
    el("networkTransId", NETWORK_TRANS_ID),
    el("originalNetworkTransId", NETWORK_TRANS_ID),
    el("originalAuthAmount", AMOUNT_4),
    el("authorizationIndicator", STRING),
)

# ----------------------------------------------------------------------------- merchant

PROCESSOR = seq(
    "processorType",
    req("name", string(255)),
    req("id", INT),
    el("cardTypes", seq("ArrayOfCardType", el("cardType", STRING, 0, 30))),
)
ARRAY_OF_PROCESSOR = array_of("ArrayOfProcessorType", "processor", PROCESSOR)
ARRAY_OF_MARKET_TYPE = array_of("ArrayOfMarketType", "marketType", string(50))
ARRAY_OF_PRODUCT_CODE = array_of("ArrayOfProductCode", "productCode", string(3))
PAYMENT_METHODS = enum(
    "paymentMethodsTypeEnum",
    "Visa",
    "MasterCard",
    "Discover",
    "AmericanExpress",
    "DinersClub",
    "JCB",
    "EnRoute",
    "Echeck",
    "Paypal",
    "VisaCheckout",
    "ApplePay",
    "AndroidPay",
    "GooglePay",
)
ARRAY_OF_PAYMENT_METHOD = array_of("ArrayOfPaymentMethod", "paymentMethod", PAYMENT_METHODS)
ARRAY_OF_CURRENCY_CODE = array_of("ArrayOfCurrencyCode", "currency", string(3, 3))
CONTACT_DETAIL = seq(
    "ContactDetailType", el("email", string(255)), el("firstName", string(50)), el("lastName", string(50))
)
ARRAY_OF_CONTACT_DETAIL = array_of("ArrayOfContactDetail", "contactDetail", CONTACT_DETAIL)

# ----------------------------------------------------------------------------- operations

GET_SETTLED_BATCH_LIST_REQUEST = request(
    "getSettledBatchListRequest",
    el("includeStatistics", BOOLEAN),
    el("firstSettlementDate", DATETIME),
    el("lastSettlementDate", DATETIME),
)
GET_SETTLED_BATCH_LIST_RESPONSE = response(
    "getSettledBatchListResponse", el("batchList", ARRAY_OF_BATCH_DETAILS)
)

GET_TRANSACTION_LIST_REQUEST = request(
    "getTransactionListRequest",
    el("batchId", NUMERIC_STRING),
    el("sorting", TRANSACTION_LIST_SORTING),
    el("paging", PAGING),
)
GET_TRANSACTION_LIST_RESPONSE = response(
    "getTransactionListResponse",
    el("transactions", ARRAY_OF_TRANSACTION_SUMMARY),
    el("totalNumInResultSet", INT),
)
GET_TRANSACTION_LIST_FOR_CUSTOMER_REQUEST = request(
    "getTransactionListForCustomerRequest",
    req("customerProfileId", NUMERIC_STRING),
    el("customerPaymentProfileId", NUMERIC_STRING),
    el("sorting", TRANSACTION_LIST_SORTING),
    el("paging", PAGING),
)
GET_UNSETTLED_TRANSACTION_LIST_REQUEST = request(
    "getUnsettledTransactionListRequest",
    el("status", TRANSACTION_GROUP_STATUS),
    el("sorting", TRANSACTION_LIST_SORTING),
    el("paging", PAGING),
)
GET_UNSETTLED_TRANSACTION_LIST_RESPONSE = response(
    "getUnsettledTransactionListResponse",
    el("transactions", ARRAY_OF_TRANSACTION_SUMMARY),
    el("totalNumInResultSet", INT),
)
GET_TRANSACTION_DETAILS_REQUEST = request("getTransactionDetailsRequest", req("transId", NUMERIC_STRING))
GET_TRANSACTION_DETAILS_RESPONSE = response(
    "getTransactionDetailsResponse",
    req("transaction", TRANSACTION_DETAILS),
    el("clientId", string(30)),
    el("transrefId", string(20)),
)
GET_BATCH_STATISTICS_REQUEST = request("getBatchStatisticsRequest", req("batchId", NUMERIC_STRING))
GET_BATCH_STATISTICS_RESPONSE = response("getBatchStatisticsResponse", el("batch", BATCH_DETAILS))
GET_MERCHANT_DETAILS_REQUEST = request("getMerchantDetailsRequest")
GET_MERCHANT_DETAILS_RESPONSE = response(
    "getMerchantDetailsResponse",
    el("isTestMode", BOOLEAN),
    req("processors", ARRAY_OF_PROCESSOR),
    req("merchantName", STRING),
    req("gatewayId", NUMERIC_STRING),
    req("marketTypes", ARRAY_OF_MARKET_TYPE),
    req("productCodes", ARRAY_OF_PRODUCT_CODE),
    req("paymentMethods", ARRAY_OF_PAYMENT_METHOD),
    req("currencies", ARRAY_OF_CURRENCY_CODE),
    el("publicClientKey", STRING),
    el("businessInformation", CUSTOMER_ADDRESS),
    el("merchantTimeZone", string(100)),
    el("contactDetails", ARRAY_OF_CONTACT_DETAIL),
)
