"""Renders a merchant's account as getMerchantDetailsResponse values."""

from __future__ import annotations

from typing import Final

from strongroom.domain.instruments import CardBrand
from strongroom.domain.merchants import MerchantContact
from strongroom.services.reporting.reports import MerchantAccount
from strongroom.web.authnet.cim.views import address_values
from strongroom.web.authnet.operations import Values
from strongroom.web.authnet.reporting.views import ECOMMERCE, RETAIL

# paymentMethodsTypeEnum names of the brands the dialect can name (not China UnionPay).
CARD_PAYMENT_METHODS: Final = {
    CardBrand.VISA: "Visa",
    CardBrand.MASTERCARD: "MasterCard",
    CardBrand.DISCOVER: "Discover",
    CardBrand.AMEX: "AmericanExpress",
    CardBrand.DINERS: "DinersClub",
    CardBrand.JCB: "JCB",
}
BANK_PAYMENT_METHOD: Final = "Echeck"
CARD_NOT_PRESENT_CODE, CARD_PRESENT_CODE = "CNP", "CP"


def _payment_methods(account: MerchantAccount) -> list[str]:
    methods = [CARD_PAYMENT_METHODS[brand] for brand in account.card_brands if brand in CARD_PAYMENT_METHODS]
    return methods + ([BANK_PAYMENT_METHOD] if account.bank_accounts else [])


def _contact(contact: MerchantContact) -> Values | None:
    if contact.is_empty():
        return None
    return {
        "contactDetail": [
            {"email": contact.email, "firstName": contact.first_name, "lastName": contact.last_name}
        ]
    }


def merchant_values(account: MerchantAccount) -> Values:
    merchant, details = account.merchant, account.details
    markets = [ECOMMERCE, RETAIL] if account.card_present else [ECOMMERCE]
    products = [CARD_NOT_PRESENT_CODE, CARD_PRESENT_CODE] if account.card_present else [CARD_NOT_PRESENT_CODE]
    return {
        "processors": {
            "processor": [{"name": name, "id": number} for number, name in enumerate(account.processors, 1)]
        },
        "merchantName": merchant.name,
        "gatewayId": details.gateway_id,
        "marketTypes": {"marketType": markets},
        "productCodes": {"productCode": products},
        "paymentMethods": {"paymentMethod": _payment_methods(account)},
        "currencies": {"currency": list(account.currencies)},
        "publicClientKey": merchant.public_client_key or None,
        "businessInformation": address_values(details.business) or None,
        "merchantTimeZone": account.timezone,
        "contactDetails": _contact(details.contact),
    }
