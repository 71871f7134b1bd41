"""Message definitions of createTransactionRequest and createTransactionResponse, in schema order."""

from __future__ import annotations

from strongroom.web.authnet.common.messages import (
    AMOUNT_4,
    ARRAY_OF_NUMERIC_STRING,
    CARD_CODE,
    CUSTOMER_ADDRESS,
    CUSTOMER_TYPE,
    DRIVERS_LICENSE,
    MESSAGES,
    NAME_AND_ADDRESS,
    NETWORK_TRANS_ID,
    PAYMENT,
    SUBSEQUENT_AUTH_INFORMATION,
    request,
    response,
)
from strongroom.web.authnet.wire.schema import (
    BOOLEAN,
    DATE,
    DECIMAL,
    NUMERIC_STRING,
    STRING,
    array_of,
    decimal,
    el,
    enum,
    many,
    req,
    seq,
    string,
)

# xs:decimal (totalDigits=5, fractionDigits=5): rates.
RATE = decimal(total_digits=5, fraction_digits=5)

PROFILE_PAYMENT = seq(
    "customerProfilePaymentType",
    el("createProfile", BOOLEAN),
    el("customerProfileId", NUMERIC_STRING),
    el(
        "paymentProfile",
        seq("paymentProfile", req("paymentProfileId", NUMERIC_STRING), el("cardCode", CARD_CODE)),
    ),
    el("shippingProfileId", NUMERIC_STRING),
)
SOLUTION = seq("solutionType", req("id", STRING), el("name", STRING), el("vendorName", STRING))
ORDER = seq(
    "orderType",
    el("invoiceNumber", string(20)),
    el("description", string(255)),
    el("discountAmount", DECIMAL),
    el("taxIsAfterDiscount", BOOLEAN),
    el("totalTaxTypeCode", string(3)),
    el("purchaserVATRegistrationNumber", string(21)),
    el("merchantVATRegistrationNumber", string(21)),
    el("vatInvoiceReferenceNumber", string(15)),
    el("purchaserCode", string(17)),
    el("summaryCommodityCode", string(4)),
    el("purchaseOrderDateUTC", DATE),
    el("supplierOrderReference", string(25)),
    el("authorizedContactName", string(36)),
    el("cardAcceptorRefNumber", string(25)),
    el("amexDataTAA1", string(40)),
    el("amexDataTAA2", string(40)),
    el("amexDataTAA3", string(40)),
    el("amexDataTAA4", string(40)),
)
LINE_ITEM = seq(
    "lineItemType",
    req("itemId", string(31, 1)),
    req("name", string(31, 1)),
    el("description", string(255)),
    req("quantity", AMOUNT_4),
    req("unitPrice", AMOUNT_4),
    el("taxable", BOOLEAN),
    el("unitOfMeasure", string(12)),
    el("typeOfSupply", string(2)),
    el("taxRate", RATE),
    el("taxAmount", DECIMAL),
    el("nationalTax", DECIMAL),
    el("localTax", DECIMAL),
    el("vatRate", RATE),
    el("alternateTaxId", string(20)),
    el("alternateTaxType", string(4)),
    el("alternateTaxTypeApplied", string(4)),
    el("alternateTaxRate", RATE),
    el("alternateTaxAmount", DECIMAL),
    el("totalAmount", DECIMAL),
    el("commodityCode", string(15)),
    el("productCode", string(30)),
    el("productSKU", string(30)),
    el("discountRate", RATE),
    el("discountAmount", DECIMAL),
    el("taxIncludedInTotal", BOOLEAN),
    el("taxIsAfterDiscount", BOOLEAN),
)
ARRAY_OF_LINE_ITEM = array_of("ArrayOfLineItem", "lineItem", LINE_ITEM)
EXTENDED_AMOUNT = seq(
    "extendedAmountType", req("amount", AMOUNT_4), el("name", string(31)), el("description", string(255))
)
CUSTOMER_DATA = seq(
    "customerDataType",
    el("type", CUSTOMER_TYPE),
    el("id", string(20)),
    el("email", string(255)),
    el("driversLicense", DRIVERS_LICENSE),
    el("taxId", string(9, 8, sensitive=True)),
)
CARDHOLDER_AUTHENTICATION = seq(
    "ccAuthenticationType",
    req("authenticationIndicator", STRING),
    req("cardholderAuthenticationValue", string(sensitive=True)),
)
RETAIL = seq(
    "transRetailInfoType",
    el("marketType", STRING),
    el("deviceType", STRING),
    el("customerSignature", STRING),
    el("terminalNumber", STRING),
)
SETTING = seq("settingType", el("settingName", STRING), el("settingValue", STRING))
ARRAY_OF_SETTING = array_of("ArrayOfSetting", "setting", SETTING)
USER_FIELD = seq("userField", el("name", STRING), el("value", STRING))
MAX_USER_FIELDS = 20
USER_FIELDS = seq("userFields", el("userField", USER_FIELD, 0, MAX_USER_FIELDS))
SUB_MERCHANT = seq(
    "subMerchantType",
    req("identifier", string(40)),
    el("doingBusinessAs", string(50)),
    el("paymentServiceProviderName", string(40)),
    el("paymentServiceFacilitator", string(20)),
    el("streetAddress", string(40)),
    el("phone", string(20)),
    el("email", string(40)),
    el("postalCode", string(20)),
    el("city", string(30)),
    el("regionCode", string(10)),
    el("countryCode", string(10)),
)
PROCESSING_OPTIONS = seq(
    "processingOptions",
    el("isFirstRecurringPayment", BOOLEAN),
    el("isFirstSubsequentAuth", BOOLEAN),
    el("isSubsequentAuth", BOOLEAN),
    el("isStoredCredentials", BOOLEAN),
)
OTHER_TAX = seq(
    "otherTaxType",
    el("nationalTaxAmount", DECIMAL),
    el("localTaxAmount", DECIMAL),
    el("alternateTaxAmount", DECIMAL),
    el("alternateTaxId", string(15)),
    el("vatTaxRate", RATE),
    el("vatTaxAmount", DECIMAL),
)
AUTHORIZATION_INDICATOR = seq(
    "authorizationIndicatorType", el("authorizationIndicator", enum("authIndicatorEnum", "pre", "final"))
)

TRANSACTION_REQUEST = seq(
    "transactionRequestType",
    req("transactionType", STRING),
    el("amount", DECIMAL),
    el("currencyCode", STRING),
    el("payment", PAYMENT),
    el("profile", PROFILE_PAYMENT),
    el("solution", SOLUTION),
    el("callId", STRING),
    el("terminalNumber", STRING),
    el("authCode", STRING),
    el("refTransId", STRING),
    el("splitTenderId", STRING),
    el("order", ORDER),
    el("lineItems", ARRAY_OF_LINE_ITEM),
    el("tax", EXTENDED_AMOUNT),
    el("duty", EXTENDED_AMOUNT),
    el("shipping", EXTENDED_AMOUNT),
    el("taxExempt", BOOLEAN),
    el("poNumber", STRING),
    el("customer", CUSTOMER_DATA),
    el("billTo", CUSTOMER_ADDRESS),
    el("shipTo", NAME_AND_ADDRESS),
    el("customerIP", STRING),
    el("cardholderAuthentication", CARDHOLDER_AUTHENTICATION),
    el("retail", RETAIL),
    el("employeeId", STRING),
    el("transactionSettings", ARRAY_OF_SETTING),
    el("userFields", USER_FIELDS),
    el("surcharge", EXTENDED_AMOUNT),
    el("merchantDescriptor", STRING),
    el("subMerchant", SUB_MERCHANT),
    el("tip", EXTENDED_AMOUNT),
    el("processingOptions", PROCESSING_OPTIONS),
    el("subsequentAuthInformation", SUBSEQUENT_AUTH_INFORMATION),
    el("otherTax", OTHER_TAX),
    el("shipFrom", NAME_AND_ADDRESS),
    el("authorizationIndicatorType", AUTHORIZATION_INDICATOR),
)

# ----------------------------------------------------------------------------- response

PRE_PAID_CARD = seq(
    "prePaidCard", el("requestedAmount", STRING), el("approvedAmount", STRING), el("balanceOnCard", STRING)
)
TRANSACTION_MESSAGES = seq(
    "messages", many("message", seq("message", el("code", STRING), el("description", STRING)))
)
TRANSACTION_ERRORS = seq(
    "errors", many("error", seq("error", el("errorCode", STRING), el("errorText", STRING)))
)
SPLIT_TENDER_PAYMENTS = seq(
    "splitTenderPayments",
    many(
        "splitTenderPayment",
        seq(
            "splitTenderPayment",
            el("transId", STRING),
            el("responseCode", STRING),
            el("responseToCustomer", STRING),
            el("authCode", STRING),
            el("accountNumber", STRING),
            el("accountType", STRING),
            el("requestedAmount", STRING),
            el("approvedAmount", STRING),
            el("balanceOnCard", STRING),
        ),
    ),
)
SECURE_ACCEPTANCE = seq(
    "secureAcceptance", el("SecureAcceptanceUrl", STRING), el("PayerID", STRING), el("PayerEmail", STRING)
)
EMV_TAG = seq("emvTag", el("name", STRING), el("value", STRING), el("formatted", STRING))
EMV_RESPONSE = seq("emvResponse", el("tlvData", STRING), el("tags", seq("tags", many("tag", EMV_TAG, 1))))
CUSTOMER_PROFILE_ID = seq(
    "customerProfileIdType",
    req("customerProfileId", NUMERIC_STRING),
    el("customerPaymentProfileId", NUMERIC_STRING),
    el("customerAddressId", NUMERIC_STRING),
)

TRANSACTION_RESPONSE = seq(
    "transactionResponse",
    el("responseCode", STRING),
    el("rawResponseCode", STRING),
    el("authCode", STRING),
    el("avsResultCode", STRING),
    el("cvvResultCode", STRING),
    el("cavvResultCode", STRING),
    el("transId", STRING),
    el("refTransID", STRING),
    el("transHash", STRING),
    el("testRequest", STRING),
    el("accountNumber", STRING),
    el("entryMode", STRING),
    el("accountType", STRING),
    el("splitTenderId", STRING),
    el("prePaidCard", PRE_PAID_CARD),
    el("messages", TRANSACTION_MESSAGES),
    el("errors", TRANSACTION_ERRORS),
    el("splitTenderPayments", SPLIT_TENDER_PAYMENTS),
    el("userFields", USER_FIELDS),
    el("shipTo", NAME_AND_ADDRESS),
    el("secureAcceptance", SECURE_ACCEPTANCE),
    el("emvResponse", EMV_RESPONSE),
    el("transHashSha2", STRING),
    el("profile", CUSTOMER_PROFILE_ID),
    el("networkTransId", NETWORK_TRANS_ID),
)
CREATE_PROFILE_RESPONSE = seq(
    "createProfileResponse",
    req("messages", MESSAGES),
    el("customerProfileId", NUMERIC_STRING),
    el("customerPaymentProfileIdList", ARRAY_OF_NUMERIC_STRING),
    el("customerShippingAddressIdList", ARRAY_OF_NUMERIC_STRING),
)

CREATE_TRANSACTION_REQUEST = request(
    "createTransactionRequest", req("transactionRequest", TRANSACTION_REQUEST)
)
CREATE_TRANSACTION_RESPONSE = response(
    "createTransactionResponse",
    req("transactionResponse", TRANSACTION_RESPONSE),
    el("profileResponse", CREATE_PROFILE_RESPONSE),
)
