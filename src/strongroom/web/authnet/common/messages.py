"""Message definitions shared by many operations: envelope, addresses, payment and masked forms."""

from __future__ import annotations

from strongroom.web.authnet.wire.schema import (
    ANY,
    BOOLEAN,
    DATETIME,
    NUMERIC_STRING,
    STRING,
    Complex,
    Particle,
    array_of,
    decimal,
    el,
    enum,
    integer,
    many,
    one_of,
    pattern,
    req,
    seq,
    string,
)

# ----------------------------------------------------------------------------- envelope

FINGERPRINT = seq(
    "fingerPrintType",
    req("hashValue", STRING),
    el("sequence", STRING),
    req("timestamp", STRING),
    el("currencyCode", STRING),
    el("amount", STRING),
)
IMPERSONATION = seq(
    "impersonationAuthenticationType",
    req("partnerLoginId", string(25)),
    req("partnerTransactionKey", string(16, sensitive=True)),
)
MERCHANT_AUTHENTICATION = seq(
    "merchantAuthenticationType",
    el("name", string(25)),
    one_of(
        req("transactionKey", string(16, sensitive=True)),
        el("sessionToken", STRING),
        req("password", string(40, sensitive=True)),
        el("impersonationAuthentication", IMPERSONATION),
        el("fingerPrint", FINGERPRINT),
        el("clientKey", STRING),
        el("accessToken", STRING),
    ),
    el("mobileDeviceId", string(60)),
)
API_REQUEST = seq(
    "ANetApiRequest",
    req("merchantAuthentication", MERCHANT_AUTHENTICATION),
    el("clientId", string(30)),
    el("refId", string(20)),
)

MESSAGE_TYPE = enum("messageTypeEnum", "Ok", "Error")
MESSAGES = seq(
    "messagesType",
    req("resultCode", MESSAGE_TYPE),
    many("message", seq("message", req("code", STRING), req("text", STRING)), 1),
)
API_RESPONSE = seq(
    "ANetApiResponse", el("refId", STRING), req("messages", MESSAGES), el("sessionToken", STRING)
)

ARRAY_OF_NUMERIC_STRING = array_of("ArrayOfNumericString", "numericString", NUMERIC_STRING)
ARRAY_OF_STRING = array_of("ArrayOfString", "string", STRING)
SUBSCRIPTION_ID_LIST = array_of("SubscriptionIdList", "subscriptionId", NUMERIC_STRING)


def request(name: str, *particles: Particle) -> Complex:
    """A request type: the ANetApiRequest envelope followed by the operation's elements."""
    return seq(name, *particles, base=API_REQUEST)


def response(name: str, *particles: Particle) -> Complex:
    """A response type: the ANetApiResponse envelope followed by the operation's elements."""
    return seq(name, *particles, base=API_RESPONSE)


# ----------------------------------------------------------------------------- addresses

NAME_AND_ADDRESS_FIELDS = (
    el("firstName", string(50)),
    el("lastName", string(50)),
    el("company", string(50)),
    el("address", string(60)),
    el("city", string(40)),
    el("state", string(40)),
    el("zip", string(20)),
    el("country", string(60)),
)
NAME_AND_ADDRESS = seq("nameAndAddressType", *NAME_AND_ADDRESS_FIELDS)
CUSTOMER_ADDRESS = seq(
    "customerAddressType",
    el("phoneNumber", string(25)),
    el("faxNumber", string(25)),
    el("email", STRING),
    base=NAME_AND_ADDRESS,
)
CUSTOMER_ADDRESS_EX = seq(
    "customerAddressExType", el("customerAddressId", NUMERIC_STRING), base=CUSTOMER_ADDRESS
)

DRIVERS_LICENSE = seq(
    "driversLicenseType",
    req("number", string(20, 5, sensitive=True)),
    req("state", string(2, 2)),
    req("dateOfBirth", string(10, 8, sensitive=True)),
)
DRIVERS_LICENSE_MASKED = seq(
    "driversLicenseMaskedType",
    req("number", string(length=8)),
    req("state", string(2, 2)),
    req("dateOfBirth", string(10, 8)),
)

CUSTOMER_TYPE = enum("customerTypeEnum", "individual", "business")

# ----------------------------------------------------------------------------- payment

CARD_CODE = pattern("cardCode", r"[0-9]{3,4}", sensitive=True)
CREDIT_CARD = seq(
    "creditCardType",
    req("cardNumber", string(16, 4, sensitive=True)),
    req("expirationDate", string(7, 4)),
    el("cardCode", CARD_CODE),
    el("isPaymentToken", BOOLEAN),
    el("cryptogram", STRING),
    el("tokenRequestorName", STRING),
    el("tokenRequestorId", STRING),
    el("tokenRequestorEci", STRING),
)
BANK_ACCOUNT_TYPE = enum("bankAccountTypeEnum", "checking", "savings", "businessChecking")
ECHECK_TYPE = enum("echeckTypeEnum", "PPD", "WEB", "CCD", "TEL", "ARC", "BOC")
BANK_ACCOUNT = seq(
    "bankAccountType",
    el("accountType", BANK_ACCOUNT_TYPE),
    req("routingNumber", string(9, sensitive=True)),
    req("accountNumber", string(17, sensitive=True)),
    req("nameOnAccount", string(22)),
    el("echeckType", ECHECK_TYPE),
    el("bankName", string(50)),
    el("checkNumber", string(15)),
)
TRACK_DATA = seq(
    "creditCardTrackType",
    one_of(req("track1", string(sensitive=True)), req("track2", string(sensitive=True))),
)
OPAQUE_DATA = seq(
    "opaqueDataType",
    req("dataDescriptor", STRING),
    req("dataValue", string(sensitive=True)),
    el("dataKey", STRING),
    el("expirationTimeStamp", DATETIME),
)
PAY_PAL = seq(
    "payPalType",
    el("successUrl", string(2048)),
    el("cancelUrl", string(2048)),
    el("paypalLc", string(2)),
    el("paypalHdrImg", string(127)),
    el("paypalPayflowcolor", string(6)),
    el("payerID", string(255)),
)
KEY_MANAGEMENT_SCHEME = seq(
    "KeyManagementScheme",
    req(
        "DUKPT",
        seq(
            "DUKPT",
            req("Operation", enum("OperationType", "DECRYPT")),
            req("Mode", seq("Mode", el("PIN", STRING), el("Data", STRING))),
            req("DeviceInfo", seq("DeviceInfo", req("Description", STRING))),
            req("EncryptedData", seq("EncryptedData", req("Value", string(sensitive=True)))),
        ),
    ),
)
KEY_VALUE = seq(
    "KeyValue",
    req("Encoding", enum("EncodingType", "Base64", "Hex")),
    req("EncryptionAlgorithm", enum("EncryptionAlgorithmType", "TDES", "AES", "RSA")),
    req("Scheme", KEY_MANAGEMENT_SCHEME),
)
ENCRYPTED_TRACK_DATA = seq(
    "encryptedTrackDataType", req("FormOfPayment", seq("KeyBlock", req("Value", KEY_VALUE)))
)
PAYMENT_EMV = seq("paymentEmvType", req("emvData", ANY), req("emvDescriptor", ANY), req("emvVersion", ANY))
PAYMENT = seq(
    "paymentType",
    one_of(
        req("creditCard", CREDIT_CARD),
        req("bankAccount", BANK_ACCOUNT),
        req("trackData", TRACK_DATA),
        req("encryptedTrackData", ENCRYPTED_TRACK_DATA),
        req("payPal", PAY_PAL),
        req("opaqueData", OPAQUE_DATA),
        req("emv", PAYMENT_EMV),
    ),
    el("dataSource", STRING),
)

CARD_ART = seq(
    "cardArt",
    el("cardBrand", STRING),
    el("cardImageHeight", STRING),
    el("cardImageUrl", STRING),
    el("cardImageWidth", STRING),
    el("cardType", STRING),
)
CREDIT_CARD_MASKED = seq(
    "creditCardMaskedType",
    req("cardNumber", string(length=8)),
    req("expirationDate", string(7, 4)),
    el("cardType", STRING),
    el("cardArt", CARD_ART),
    el("issuerNumber", string(length=6)),
    el("isPaymentToken", BOOLEAN),
)
BANK_ACCOUNT_MASKED = seq(
    "bankAccountMaskedType",
    el("accountType", BANK_ACCOUNT_TYPE),
    req("routingNumber", string(length=8)),
    req("accountNumber", string(length=8)),
    req("nameOnAccount", string(22)),
    el("echeckType", ECHECK_TYPE),
    el("bankName", string(50)),
)
TOKEN_MASKED = seq(
    "tokenMaskedType",
    el("tokenSource", STRING),
    req("tokenNumber", STRING),
    req("expirationDate", string(7, 4)),
    el("tokenRequestorId", STRING),
)
PAYMENT_MASKED = seq(
    "paymentMaskedType",
    one_of(
        req("creditCard", CREDIT_CARD_MASKED),
        req("bankAccount", BANK_ACCOUNT_MASKED),
        req("tokenInformation", TOKEN_MASKED),
    ),
)

# xs:decimal (minInclusive=0.00, fractionDigits=4): the schema's usual amount facets.
AMOUNT_4 = decimal("0.00", fraction_digits=4)

NETWORK_TRANS_ID = pattern("networkTransId", r"[A-Za-z0-9 ]+", 255)
SUBSEQUENT_AUTH_REASON = enum(
    "merchantInitTransReasonEnum", "resubmission", "delayedCharge", "reauthorization", "noShow"
)
SUBSEQUENT_AUTH_INFORMATION = seq(
    "subsequentAuthInformation",
    el("originalNetworkTransId", NETWORK_TRANS_ID),
    el("originalAuthAmount", AMOUNT_4),
    el("reason", SUBSEQUENT_AUTH_REASON),
)

PAGING = seq("Paging", req("limit", integer(1, 1000)), req("offset", integer(1, 100000)))


# ----------------------------------------------------------------------------- envelope-only calls

IS_ALIVE_REQUEST = seq("isAliveRequest", el("refId", string(20)))
IS_ALIVE_RESPONSE = response("isAliveResponse")
AUTHENTICATE_TEST_REQUEST = request("authenticateTestRequest")
AUTHENTICATE_TEST_RESPONSE = response("authenticateTestResponse")
