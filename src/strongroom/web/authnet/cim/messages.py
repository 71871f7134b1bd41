"""Message definitions of the customer-profile (CIM) operations, requests and responses."""

from __future__ import annotations

from strongroom.web.authnet.common.messages import (
    ARRAY_OF_NUMERIC_STRING,
    ARRAY_OF_STRING,
    CARD_CODE,
    CUSTOMER_ADDRESS,
    CUSTOMER_ADDRESS_EX,
    CUSTOMER_TYPE,
    DRIVERS_LICENSE,
    DRIVERS_LICENSE_MASKED,
    NETWORK_TRANS_ID,
    PAGING,
    PAYMENT,
    PAYMENT_MASKED,
    SUBSCRIPTION_ID_LIST,
    SUBSEQUENT_AUTH_INFORMATION,
    request,
    response,
)
from strongroom.web.authnet.wire.schema import (
    BOOLEAN,
    DECIMAL,
    INT,
    NUMERIC_STRING,
    STRING,
    Simple,
    el,
    enum,
    many,
    req,
    seq,
    string,
)

VALIDATION_MODE = enum("validationModeEnum", "none", "testMode", "liveMode", "oldLiveMode")
PROFILE_TYPE = enum("customerProfileTypeEnum", "regular", "guest")
ORIGINAL_AUTH_AMOUNT = Simple(DECIMAL.kind, DECIMAL.type_name, min_value="0.00")

PAYMENT_PROFILE_BASE = seq(
    "customerPaymentProfileBaseType", el("customerType", CUSTOMER_TYPE), el("billTo", CUSTOMER_ADDRESS)
)
PAYMENT_PROFILE = seq(
    "customerPaymentProfileType",
    el("payment", PAYMENT),
    el("driversLicense", DRIVERS_LICENSE),
    el("taxId", string(9, 8, sensitive=True)),
    el("defaultPaymentProfile", BOOLEAN),
    el("subsequentAuthInformation", SUBSEQUENT_AUTH_INFORMATION),
    el("excludeFromAccountUpdater", BOOLEAN),
    base=PAYMENT_PROFILE_BASE,
)
PAYMENT_PROFILE_EX = seq(
    "customerPaymentProfileExType", el("customerPaymentProfileId", NUMERIC_STRING), base=PAYMENT_PROFILE
)
PAYMENT_PROFILE_MASKED = seq(
    "customerPaymentProfileMaskedType",
    el("customerProfileId", NUMERIC_STRING),
    req("customerPaymentProfileId", NUMERIC_STRING),
    el("defaultPaymentProfile", BOOLEAN),
    el("payment", PAYMENT_MASKED),
    el("driversLicense", DRIVERS_LICENSE_MASKED),
    el("taxId", string(length=8)),
    el("subscriptionIds", SUBSCRIPTION_ID_LIST),
    el("originalNetworkTransId", NETWORK_TRANS_ID),
    el("originalAuthAmount", ORIGINAL_AUTH_AMOUNT),
    el("excludeFromAccountUpdater", BOOLEAN),
    base=PAYMENT_PROFILE_BASE,
)

PROFILE_BASE = seq(
    "customerProfileBaseType",
    el("merchantCustomerId", string(20)),
    el("description", string(255)),
    el("email", string(255)),
)
PROFILE = seq(
    "customerProfileType",
    many("paymentProfiles", PAYMENT_PROFILE),
    many("shipToList", CUSTOMER_ADDRESS),
    el("profileType", PROFILE_TYPE),
    base=PROFILE_BASE,
)
PROFILE_EX = seq("customerProfileExType", el("customerProfileId", NUMERIC_STRING), base=PROFILE_BASE)
PROFILE_INFO_EX = seq("customerProfileInfoExType", el("profileType", PROFILE_TYPE), base=PROFILE_EX)
PROFILE_MASKED = seq(
    "customerProfileMaskedType",
    many("paymentProfiles", PAYMENT_PROFILE_MASKED),
    many("shipToList", CUSTOMER_ADDRESS_EX),
    el("profileType", PROFILE_TYPE),
    base=PROFILE_EX,
)

PAYMENT_PROFILE_SEARCH_TYPE = enum("CustomerPaymentProfileSearchTypeEnum", "cardsExpiringInMonth")
PAYMENT_PROFILE_ORDER_FIELD = enum("CustomerPaymentProfileOrderFieldEnum", "id")
PAYMENT_PROFILE_SORTING = seq(
    "CustomerPaymentProfileSorting",
    req("orderBy", PAYMENT_PROFILE_ORDER_FIELD),
    req("orderDescending", BOOLEAN),
)
PAYMENT_PROFILE_LIST_ITEM = seq(
    "customerPaymentProfileListItemType",
    el("defaultPaymentProfile", BOOLEAN),
    req("customerPaymentProfileId", INT),
    req("customerProfileId", INT),
    req("billTo", CUSTOMER_ADDRESS),
    req("payment", PAYMENT_MASKED),
    el("originalNetworkTransId", NETWORK_TRANS_ID),
    el("originalAuthAmount", ORIGINAL_AUTH_AMOUNT),
    el("excludeFromAccountUpdater", BOOLEAN),
)
PAYMENT_PROFILE_LIST = seq(
    "arrayOfCustomerPaymentProfileListItemType", many("paymentProfile", PAYMENT_PROFILE_LIST_ITEM)
)

REQUESTS = {
    "createCustomerProfileRequest": request(
        "createCustomerProfileRequest", req("profile", PROFILE), el("validationMode", VALIDATION_MODE)
    ),
    "getCustomerProfileRequest": request(
        "getCustomerProfileRequest",
        el("customerProfileId", NUMERIC_STRING),
        el("merchantCustomerId", string(20)),
        el("email", STRING),
        el("unmaskExpirationDate", BOOLEAN),
        el("includeIssuerInfo", BOOLEAN),
    ),
    "getCustomerProfileIdsRequest": request("getCustomerProfileIdsRequest"),
    "updateCustomerProfileRequest": request("updateCustomerProfileRequest", req("profile", PROFILE_INFO_EX)),
    "deleteCustomerProfileRequest": request(
        "deleteCustomerProfileRequest", req("customerProfileId", NUMERIC_STRING)
    ),
    "createCustomerPaymentProfileRequest": request(
        "createCustomerPaymentProfileRequest",
        req("customerProfileId", NUMERIC_STRING),
        req("paymentProfile", PAYMENT_PROFILE),
        el("validationMode", VALIDATION_MODE),
    ),
    "getCustomerPaymentProfileRequest": request(
        "getCustomerPaymentProfileRequest",
        req("customerProfileId", NUMERIC_STRING),
        el("customerPaymentProfileId", NUMERIC_STRING),
        el("unmaskExpirationDate", BOOLEAN),
        el("includeIssuerInfo", BOOLEAN),
    ),
    "getCustomerPaymentProfileListRequest": request(
        "getCustomerPaymentProfileListRequest",
        req("searchType", PAYMENT_PROFILE_SEARCH_TYPE),
        req("month", string(7, 4)),
        el("sorting", PAYMENT_PROFILE_SORTING),
        el("paging", PAGING),
    ),
    "validateCustomerPaymentProfileRequest": request(
        "validateCustomerPaymentProfileRequest",
        req("customerProfileId", NUMERIC_STRING),
        req("customerPaymentProfileId", NUMERIC_STRING),
        el("customerShippingAddressId", NUMERIC_STRING),
        el("cardCode", CARD_CODE),
        req("validationMode", VALIDATION_MODE),
    ),
    "updateCustomerPaymentProfileRequest": request(
        "updateCustomerPaymentProfileRequest",
        req("customerProfileId", NUMERIC_STRING),
        req("paymentProfile", PAYMENT_PROFILE_EX),
        el("validationMode", VALIDATION_MODE),
    ),
    "deleteCustomerPaymentProfileRequest": request(
        "deleteCustomerPaymentProfileRequest",
        req("customerProfileId", NUMERIC_STRING),
        req("customerPaymentProfileId", NUMERIC_STRING),
    ),
    "createCustomerShippingAddressRequest": request(
        "createCustomerShippingAddressRequest",
        req("customerProfileId", NUMERIC_STRING),
        req("address", CUSTOMER_ADDRESS),
        el("defaultShippingAddress", BOOLEAN),
    ),
    "getCustomerShippingAddressRequest": request(
        "getCustomerShippingAddressRequest",
        req("customerProfileId", NUMERIC_STRING),
        el("customerAddressId", NUMERIC_STRING),
    ),
    "updateCustomerShippingAddressRequest": request(
        "updateCustomerShippingAddressRequest",
        req("customerProfileId", NUMERIC_STRING),
        req("address", CUSTOMER_ADDRESS_EX),
        el("defaultShippingAddress", BOOLEAN),
    ),
    "deleteCustomerShippingAddressRequest": request(
        "deleteCustomerShippingAddressRequest",
        req("customerProfileId", NUMERIC_STRING),
        req("customerAddressId", NUMERIC_STRING),
    ),
}

RESPONSES = {
    "createCustomerProfileResponse": response(
        "createCustomerProfileResponse",
        el("customerProfileId", NUMERIC_STRING),
        req("customerPaymentProfileIdList", ARRAY_OF_NUMERIC_STRING),
        req("customerShippingAddressIdList", ARRAY_OF_NUMERIC_STRING),
        req("validationDirectResponseList", ARRAY_OF_STRING),
    ),
    "getCustomerProfileResponse": response(
        "getCustomerProfileResponse",
        el("profile", PROFILE_MASKED),
        el("subscriptionIds", SUBSCRIPTION_ID_LIST),
    ),
    "getCustomerProfileIdsResponse": response(
        "getCustomerProfileIdsResponse", req("ids", ARRAY_OF_NUMERIC_STRING)
    ),
    "updateCustomerProfileResponse": response("updateCustomerProfileResponse"),
    "deleteCustomerProfileResponse": response("deleteCustomerProfileResponse"),
    "createCustomerPaymentProfileResponse": response(
        "createCustomerPaymentProfileResponse",
        el("customerProfileId", NUMERIC_STRING),
        el("customerPaymentProfileId", NUMERIC_STRING),
        el("validationDirectResponse", string(2048)),
    ),
    "getCustomerPaymentProfileResponse": response(
        "getCustomerPaymentProfileResponse", el("paymentProfile", PAYMENT_PROFILE_MASKED)
    ),
    "getCustomerPaymentProfileListResponse": response(
        "getCustomerPaymentProfileListResponse",
        req("totalNumInResultSet", INT),
        el("paymentProfiles", PAYMENT_PROFILE_LIST),
    ),
    "validateCustomerPaymentProfileResponse": response(
        "validateCustomerPaymentProfileResponse", el("directResponse", string(2048))
    ),
    "updateCustomerPaymentProfileResponse": response(
        "updateCustomerPaymentProfileResponse", el("validationDirectResponse", string(2048))
    ),
    "deleteCustomerPaymentProfileResponse": response("deleteCustomerPaymentProfileResponse"),
    "createCustomerShippingAddressResponse": response(
        "createCustomerShippingAddressResponse",
        el("customerProfileId", NUMERIC_STRING),
        el("customerAddressId", NUMERIC_STRING),
    ),
    "getCustomerShippingAddressResponse": response(
        "getCustomerShippingAddressResponse",
        el("defaultShippingAddress", BOOLEAN),
        el("address", CUSTOMER_ADDRESS_EX),
        el("subscriptionIds", SUBSCRIPTION_ID_LIST),
    ),
    "updateCustomerShippingAddressResponse": response("updateCustomerShippingAddressResponse"),
    "deleteCustomerShippingAddressResponse": response("deleteCustomerShippingAddressResponse"),
}
