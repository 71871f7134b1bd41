"""Renders CIM records as response values: masked numbers, expiry hidden unless asked for."""

from __future__ import annotations

from strongroom.domain.customers import Address, CustomerProfile, PaymentProfile, ShippingAddress
from strongroom.domain.instruments import BankAccount, Card
from strongroom.web.authnet.operations import Values

MASKED_EXPIRY = "XXXX"

_ADDRESS_ELEMENTS = (
    ("firstName", "first_name"),
    ("lastName", "last_name"),
    ("company", "company"),
    ("address", "address"),
    ("city", "city"),
    ("state", "state"),
    ("zip", "zip"),
    ("country", "country"),
    ("phoneNumber", "phone_number"),
    ("faxNumber", "fax_number"),
    ("email", "email"),
)


def address_values(address: Address) -> Values:
    return {
        element: getattr(address, attribute)
        for element, attribute in _ADDRESS_ELEMENTS
        if getattr(address, attribute) not in (None, "")
    }


def subscription_ids(refs: tuple[str, ...]) -> Values | None:
    """A SubscriptionIdList, or None (element left out) when no subscription uses the record."""
    return {"subscriptionId": list(refs)} if refs else None


def shipping_address_values(address: ShippingAddress) -> Values:
    return {**address_values(address.address), "customerAddressId": address.ref}


def _card_values(card: Card, unmask_expiry: bool, issuer_info: bool) -> Values:
    values: Values = {
        "cardNumber": card.masked_number,
        "expirationDate": str(card.expiry) if unmask_expiry else MASKED_EXPIRY,
        "cardType": card.brand.value,
    }
    if issuer_info:
        values["issuerNumber"] = card.issuer_number
    return {"creditCard": values}


def _bank_values(bank: BankAccount) -> Values:
    values: Values = {
        "routingNumber": bank.masked_routing,
        "accountNumber": bank.masked_account,
        "nameOnAccount": bank.name_on_account,
    }
    if bank.account_type is not None:
        values = {"accountType": bank.account_type.value, **values}
    if bank.echeck_type is not None:
        values["echeckType"] = bank.echeck_type.value
    if bank.bank_name:
        values["bankName"] = bank.bank_name
    return {"bankAccount": values}


def payment_values(profile: PaymentProfile, unmask_expiry: bool, issuer_info: bool) -> Values:
    instrument = profile.instrument
    if isinstance(instrument, Card):
        return _card_values(instrument, unmask_expiry, issuer_info)
    return _bank_values(instrument)


def _license_values(profile: PaymentProfile) -> Values | None:
    license_ = profile.drivers_license
    if license_ is None:
        return None
    return {"number": license_.masked_number, "state": license_.state, "dateOfBirth": "XX/XX/XXXX"}


def _original_values(profile: PaymentProfile) -> Values:
    values: Values = {}
    if profile.original_network_trans_id:
        values["originalNetworkTransId"] = profile.original_network_trans_id
    if profile.original_auth_amount is not None:
        values["originalAuthAmount"] = profile.original_auth_amount
    return values


def payment_profile_values(
    profile: PaymentProfile,
    *,
    unmask_expiry: bool = False,
    issuer_info: bool = False,
    with_profile_id: bool = True,
) -> Values:
    values: Values = {
        "customerType": profile.customer_type.value if profile.customer_type else None,
        "billTo": address_values(profile.bill_to) if profile.bill_to else None,
        "customerProfileId": profile.profile_ref if with_profile_id else None,
        "customerPaymentProfileId": profile.ref,
        "defaultPaymentProfile": profile.is_default or None,
        "payment": payment_values(profile, unmask_expiry, issuer_info),
        "driversLicense": _license_values(profile),
        "taxId": "XXXX" + profile.tax_id.reveal()[-4:] if profile.tax_id else None,
        "subscriptionIds": subscription_ids(profile.subscription_refs),
        **_original_values(profile),
        "excludeFromAccountUpdater": profile.exclude_from_account_updater,
    }
    return {key: value for key, value in values.items() if value is not None}


def list_item_values(profile: PaymentProfile) -> Values:
    return {
        "defaultPaymentProfile": profile.is_default,
        "customerPaymentProfileId": int(profile.ref),
        "customerProfileId": int(profile.profile_ref),
        "billTo": address_values(profile.bill_to) if profile.bill_to else {},
        "payment": payment_values(profile, False, False),
        **_original_values(profile),
    }


def profile_values(profile: CustomerProfile, *, unmask_expiry: bool, issuer_info: bool) -> Values:
    values: Values = {
        "merchantCustomerId": profile.merchant_customer_id,
        "description": profile.description,
        "email": profile.email,
        "customerProfileId": profile.ref,
        "paymentProfiles": [
            payment_profile_values(item, unmask_expiry=unmask_expiry, issuer_info=issuer_info)
            for item in profile.payment_profiles
        ],
        "shipToList": [shipping_address_values(item) for item in profile.ship_to],
        "profileType": profile.profile_type.value,
    }
    return {key: value for key, value in values.items() if value not in (None, [])}
