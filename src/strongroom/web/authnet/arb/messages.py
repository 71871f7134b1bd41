"""Message definitions of the recurring-billing (ARB) operations, requests and responses."""

from __future__ import annotations

from strongroom.web.authnet.cim.messages import PAYMENT_PROFILE_MASKED, PROFILE_EX
from strongroom.web.authnet.common.messages import (
    AMOUNT_4,
    CUSTOMER_ADDRESS_EX,
    CUSTOMER_TYPE,
    DRIVERS_LICENSE,
    NAME_AND_ADDRESS,
    PAGING,
    PAYMENT,
    request,
    response,
)
from strongroom.web.authnet.transactions.messages import CUSTOMER_PROFILE_ID, ORDER
from strongroom.web.authnet.wire.schema import (
    BOOLEAN,
    DATE,
    DATETIME,
    INT,
    NUMERIC_STRING,
    STRING,
    XSD_NS,
    Kind,
    Simple,
    array_of,
    decimal,
    el,
    enum,
    pattern,
    req,
    seq,
    string,
)


def short(min_value: int, max_value: int) -> Simple:
    """xs:short restricted to [min_value, max_value]."""
    return Simple(Kind.INT, f"{XSD_NS}:short", min_value=str(min_value), max_value=str(max_value))


UNIT = enum("ARBSubscriptionUnitEnum", "days", "months")
STATUS = enum("ARBSubscriptionStatusEnum", "active", "expired", "suspended", "canceled", "terminated")
# xs:decimal (minInclusive=0.01, fractionDigits=4): a subscription's amount.
SUBSCRIPTION_AMOUNT = decimal("0.01", fraction_digits=4)

INTERVAL = seq("paymentScheduleTypeInterval", req("length", short(1, 32000)), req("unit", UNIT))
PAYMENT_SCHEDULE = seq(
    "paymentScheduleType",
    el("interval", INTERVAL),
    el("startDate", DATE),
    el("totalOccurrences", short(1, 32000)),
    el("trialOccurrences", short(0, 32000)),
)
CUSTOMER = seq(
    "customerType",
    el("type", CUSTOMER_TYPE),
    el("id", string(20)),
    el("email", string(255)),
    el("phoneNumber", string(25)),
    el("faxNumber", string(25)),
    el("driversLicense", DRIVERS_LICENSE),
    el("taxId", pattern("numericString", r"[0-9]+", 9, 9, sensitive=True)),
)
SUBSCRIPTION = seq(
    "ARBSubscriptionType",
    el("name", string(50)),
    el("paymentSchedule", PAYMENT_SCHEDULE),
    el("amount", SUBSCRIPTION_AMOUNT),
    el("trialAmount", AMOUNT_4),
    el("payment", PAYMENT),
    el("order", ORDER),
    el("customer", CUSTOMER),
    el("billTo", NAME_AND_ADDRESS),
    el("shipTo", NAME_AND_ADDRESS),
    el("profile", CUSTOMER_PROFILE_ID),
)

SUBSCRIPTION_PROFILE = seq(
    "subscriptionCustomerProfileType",
    el("paymentProfile", PAYMENT_PROFILE_MASKED),
    el("shippingProfile", CUSTOMER_ADDRESS_EX),
    base=PROFILE_EX,
)
ARB_TRANSACTION = seq(
    "arbTransaction",
    el("transId", NUMERIC_STRING),
    el("response", STRING),
    el("submitTimeUTC", DATETIME),
    el("payNum", INT),
    el("attemptNum", INT),
)
SUBSCRIPTION_MASKED = seq(
    "ARBSubscriptionMaskedType",
    el("name", string(50)),
    el("paymentSchedule", PAYMENT_SCHEDULE),
    el("amount", SUBSCRIPTION_AMOUNT),
    el("trialAmount", AMOUNT_4),
    el("status", STATUS),
    el("profile", SUBSCRIPTION_PROFILE),
    el("order", ORDER),
    el("arbTransactions", array_of("ARBTransactionList", "arbTransaction", ARB_TRANSACTION)),
)

SEARCH_TYPE = enum(
    "ARBGetSubscriptionListSearchTypeEnum",
    "cardExpiringThisMonth",
    "subscriptionActive",
    "subscriptionExpiringThisMonth",
    "subscriptionInactive",
)
ORDER_FIELD = enum(
    "ARBGetSubscriptionListOrderFieldEnum",
    "id",
    "name",
    "status",
    "createTimeStampUTC",
    "lastName",
    "firstName",
    "accountNumber",
    "amount",
    "pastOccurrences",
)
SORTING = seq("ARBGetSubscriptionListSorting", req("orderBy", ORDER_FIELD), req("orderDescending", BOOLEAN))
PAYMENT_METHOD = enum("paymentMethodEnum", "creditCard", "eCheck", "payPal")
SUBSCRIPTION_DETAIL = seq(
    "SubscriptionDetail",
    req("id", INT),
    el("name", STRING),
    req("status", STATUS),
    req("createTimeStampUTC", DATETIME),
    el("firstName", STRING),
    el("lastName", STRING),
    req("totalOccurrences", INT),
    req("pastOccurrences", INT),
    req("paymentMethod", PAYMENT_METHOD),
    el("accountNumber", STRING),
    el("invoice", STRING),
    req("amount", AMOUNT_4),
    el("currencyCode", STRING),
    req("customerProfileId", INT),
    req("customerPaymentProfileId", INT),
    el("customerShippingProfileId", INT),
)

SUBSCRIPTION_ID = req("subscriptionId", NUMERIC_STRING)

REQUESTS = {
    "ARBCreateSubscriptionRequest": request(
        "ARBCreateSubscriptionRequest", req("subscription", SUBSCRIPTION)
    ),
    "ARBUpdateSubscriptionRequest": request(
        "ARBUpdateSubscriptionRequest", SUBSCRIPTION_ID, req("subscription", SUBSCRIPTION)
    ),
    "ARBCancelSubscriptionRequest": request("ARBCancelSubscriptionRequest", SUBSCRIPTION_ID),
    "ARBGetSubscriptionStatusRequest": request("ARBGetSubscriptionStatusRequest", SUBSCRIPTION_ID),
    "ARBGetSubscriptionRequest": request(
        "ARBGetSubscriptionRequest", SUBSCRIPTION_ID, el("includeTransactions", BOOLEAN)
    ),
    "ARBGetSubscriptionListRequest": request(
        "ARBGetSubscriptionListRequest",
        req("searchType", SEARCH_TYPE),
        el("sorting", SORTING),
        el("paging", PAGING),
    ),
}

RESPONSES = {
    "ARBCreateSubscriptionResponse": response(
        "ARBCreateSubscriptionResponse",
        el("subscriptionId", NUMERIC_STRING),
        el("profile", CUSTOMER_PROFILE_ID),
    ),
    "ARBUpdateSubscriptionResponse": response(
        "ARBUpdateSubscriptionResponse", el("profile", CUSTOMER_PROFILE_ID)
    ),
    "ARBCancelSubscriptionResponse": response("ARBCancelSubscriptionResponse"),
    "ARBGetSubscriptionStatusResponse": response("ARBGetSubscriptionStatusResponse", el("status", STATUS)),
    "ARBGetSubscriptionResponse": response(
        "ARBGetSubscriptionResponse", req("subscription", SUBSCRIPTION_MASKED)
    ),
    "ARBGetSubscriptionListResponse": response(
        "ARBGetSubscriptionListResponse",
        el("totalNumInResultSet", INT),
        el("subscriptionDetails", array_of("ArrayOfSubscription", "subscriptionDetail", SUBSCRIPTION_DETAIL)),
    ),
}
