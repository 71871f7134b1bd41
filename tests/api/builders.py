"""Small builders of official-SDK request objects, and a thin client over the CIM operations.

Everything here goes through `authorizenet.apicontractsv1` and `apicontrollers`, exactly as an
integration would; the client only fills in credentials and refId and runs the controller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from tests.api.live_server import LiveServer
from tests.api.sdk import MerchantClient, result

# Test numbers only (wire reference 6.1 / 6.2).
VISA = "4111111111111111"
VISA_13 = "4012888818888"
MASTERCARD = "5424000000000015"
AMEX = "370000000000002"
DISCOVER = "6011000000000012"
JCB = "3088000000000017"
DINERS = "38000000000006"
ROUTING = "121042882"
ACCOUNT = "987654321"
EXPIRY = "2035-12"
DECLINE_ZIP = "46282"

BILLING: dict[str, str | None] = {
    "firstName": "Ellen",
    "lastName": "Johnson",
    "company": "Souveniropolis",
    "address": "14 Main Street",
    "city": "Pecan Springs",
    "state": "TX",
    "zip": "44628",
    "country": "US",
    "phoneNumber": "888-888-8888",
    "faxNumber": None,
}
SHIPPING: dict[str, str | None] = {
    "firstName": "China",
    "lastName": "Bayles",
    "company": "Thyme for Herbs",
    "address": "12 Main Street",
    "city": "Pecan Springs",
    "state": "TX",
    "zip": "44628",
    "country": "US",
    "phoneNumber": "999-999-9999",
    "faxNumber": "999-999-9998",
}


# ----------------------------------------------------------------------------- contracts


def card(number: str = VISA, expiry: str = EXPIRY, code: str | None = None) -> Any:
    credit_card = contracts.creditCardType()
    credit_card.cardNumber = number
    credit_card.expirationDate = expiry
    if code is not None:
        credit_card.cardCode = code
    payment = contracts.paymentType()
    payment.creditCard = credit_card
    return payment


def bank(
    account: str = ACCOUNT,
    routing: str = ROUTING,
    name: str = "John Doe",
    account_type: str | None = "checking",
    echeck_type: str | None = None,
    bank_name: str | None = None,
) -> Any:
    account_ = contracts.bankAccountType()
    if account_type is not None:
        account_.accountType = account_type
    account_.routingNumber = routing
    account_.accountNumber = account
    account_.nameOnAccount = name
    if echeck_type is not None:
        account_.echeckType = echeck_type
    if bank_name is not None:
        account_.bankName = bank_name
    payment = contracts.paymentType()
    payment.bankAccount = account_
    return payment


def address(base: dict[str, str | None] | None = None, /, kind: Any = None, **fields: str | None) -> Any:
    """A customerAddressType (or `kind`) from `base` (BILLING) with overrides; None omits."""
    item = (kind or contracts.customerAddressType)()
    for name, value in {**(BILLING if base is None else base), **fields}.items():
        if value is not None:
            setattr(item, name, value)
    return item


def shipping(**fields: str | None) -> Any:
    return address(SHIPPING, **fields)


def only(**fields: str) -> Any:
    """An address holding exactly these fields."""
    return address({}, **fields)


_KEEP: Any = object()


def payment_profile(
    payment: Any = None,
    bill_to: Any = _KEEP,
    *,
    default: bool | None = None,
    customer_type: str | None = None,
    profile_id: str | None = None,
) -> Any:
    """customerPaymentProfileType; with `profile_id` the Ex type used by updates."""
    kind = contracts.customerPaymentProfileExType if profile_id else contracts.customerPaymentProfileType
    item = kind()
    if customer_type is not None:
        item.customerType = customer_type
    bill_to = address() if bill_to is _KEEP else bill_to
    if bill_to is not None:
        item.billTo = bill_to
    item.payment = card() if payment is None else payment
    if default is not None:
        item.defaultPaymentProfile = default
    if profile_id:
        item.customerPaymentProfileId = profile_id
    return item


def profile(
    merchant_customer_id: str | None = "cust-1",
    description: str | None = None,
    email: str | None = None,
    payment_profiles: Iterable[Any] = (),
    ship_to: Iterable[Any] = (),
    profile_type: str | None = None,
) -> Any:
    item = contracts.customerProfileType()
    if merchant_customer_id is not None:
        item.merchantCustomerId = merchant_customer_id
    if description is not None:
        item.description = description
    if email is not None:
        item.email = email
    for payment_profile_ in payment_profiles:
        item.paymentProfiles.append(payment_profile_)
    for address_ in ship_to:
        item.shipToList.append(address_)
    if profile_type is not None:
        item.profileType = profile_type
    return item


# ----------------------------------------------------------------------------- reading answers


def ok(response: Any) -> Any:
    code = result(response)
    assert code[:2] == ("Ok", "I00001"), code
    return response


def error(response: Any) -> tuple[str, str]:
    """(code, text) of a refused request."""
    result_code, code, text = result(response)
    assert result_code == "Error", (result_code, code, text)
    return code, text


def fields(record: str) -> list[str]:
    """A directResponse record, split into its 1-based fields (index 0 is field 1)."""
    return record.split(",")


def field(record: str, position: int) -> str:
    return fields(record)[position - 1]


def is_declined(record: str) -> bool:
    """A record of an issuer decline: response code 2, reason 2 (subcode not asserted)."""
    values = fields(record)
    return (values[0], values[2], values[3]) == ("2", "2", "This transaction has been declined.")


def _id(response: Any, name: str) -> str:
    value = text(response, name)
    assert value is not None, name
    assert value.isdigit(), (name, value)
    return value


def child(parent: Any, *path: str) -> Any:
    """A descendant of an SDK response, or None when any step is absent.

    The SDK hands back lxml.objectify trees: absent children raise AttributeError, and `str()`
    of a number-like leaf is its parsed value ('000000' -> '0'), so leaves are read as `.text`.
    """
    node = parent
    for name in path:
        if node is None:
            return None
        node = getattr(node, name, None)
    return node


def text(parent: Any, *path: str) -> str | None:
    node = child(parent, *path)
    return None if node is None else (node.text or "")


def items(parent: Any, *path: str) -> list[Any]:
    """A repeated element with all its same-named siblings; [] when absent."""
    node = child(parent, *path)
    return [] if node is None else list(node)


def texts(parent: Any, *path: str) -> list[str]:
    return [item.text or "" for item in items(parent, *path)]


def flag(parent: Any, *path: str) -> bool | None:
    value = text(parent, *path)
    return None if value is None else value.strip() in ("true", "1")


def bodies(server: LiveServer) -> list[bytes]:
    """Bodies of the responses sent during the current test (without taking them)."""
    with server.recorder.lock:
        return [body for _, body in server.recorder.responses]


# ----------------------------------------------------------------------------- client


@dataclass(frozen=True)
class Cim(MerchantClient):
    """The CIM operations of one merchant, through the official SDK controllers."""

    # customer profiles

    def create_profile(
        self, profile_: Any = None, validation_mode: str | None = None, ref_id: str | None = None
    ) -> Any:
        request = contracts.createCustomerProfileRequest()
        request.profile = profile() if profile_ is None else profile_
        if validation_mode is not None:
            request.validationMode = validation_mode
        return self.send(controllers.createCustomerProfileController, request, ref_id)

    def new_profile(self, profile_: Any = None, validation_mode: str | None = None) -> str:
        return _id(ok(self.create_profile(profile_, validation_mode)), "customerProfileId")

    def get_profile(
        self,
        profile_id: str | None = None,
        *,
        merchant_customer_id: str | None = None,
        email: str | None = None,
        unmask: bool | None = None,
        issuer_info: bool | None = None,
        ref_id: str | None = None,
    ) -> Any:
        request = contracts.getCustomerProfileRequest()
        if profile_id is not None:
            request.customerProfileId = profile_id
        if merchant_customer_id is not None:
            request.merchantCustomerId = merchant_customer_id
        if email is not None:
            request.email = email
        if unmask is not None:
            request.unmaskExpirationDate = unmask
        if issuer_info is not None:
            request.includeIssuerInfo = issuer_info
        return self.send(controllers.getCustomerProfileController, request, ref_id)

    def profile_ids(self, ref_id: str | None = None) -> Any:
        return self.send(
            controllers.getCustomerProfileIdsController, contracts.getCustomerProfileIdsRequest(), ref_id
        )

    def update_profile(
        self,
        profile_id: str,
        merchant_customer_id: str | None = None,
        description: str | None = None,
        email: str | None = None,
        profile_type: str | None = None,
        ref_id: str | None = None,
    ) -> Any:
        request = contracts.updateCustomerProfileRequest()
        request.profile = contracts.customerProfileInfoExType()
        if merchant_customer_id is not None:
            request.profile.merchantCustomerId = merchant_customer_id
        if description is not None:
            request.profile.description = description
        if email is not None:
            request.profile.email = email
        request.profile.customerProfileId = profile_id
        if profile_type is not None:
            request.profile.profileType = profile_type
        return self.send(controllers.updateCustomerProfileController, request, ref_id)

    def delete_profile(self, profile_id: str, ref_id: str | None = None) -> Any:
        request = contracts.deleteCustomerProfileRequest()
        request.customerProfileId = profile_id
        return self.send(controllers.deleteCustomerProfileController, request, ref_id)

    # payment profiles

    def add_payment_profile(
        self,
        profile_id: str,
        payment_profile_: Any = None,
        validation_mode: str | None = None,
        ref_id: str | None = None,
    ) -> Any:
        request = contracts.createCustomerPaymentProfileRequest()
        request.customerProfileId = profile_id
        request.paymentProfile = payment_profile() if payment_profile_ is None else payment_profile_
        if validation_mode is not None:
            request.validationMode = validation_mode
        return self.send(controllers.createCustomerPaymentProfileController, request, ref_id)

    def new_payment_profile(
        self, profile_id: str, payment_profile_: Any = None, validation_mode: str | None = None
    ) -> str:
        response = ok(self.add_payment_profile(profile_id, payment_profile_, validation_mode))
        return _id(response, "customerPaymentProfileId")

    def get_payment_profile(
        self,
        profile_id: str,
        payment_profile_id: str,
        *,
        unmask: bool | None = None,
        issuer_info: bool | None = None,
        ref_id: str | None = None,
    ) -> Any:
        request = contracts.getCustomerPaymentProfileRequest()
        request.customerProfileId = profile_id
        request.customerPaymentProfileId = payment_profile_id
        if unmask is not None:
            request.unmaskExpirationDate = unmask
        if issuer_info is not None:
            request.includeIssuerInfo = issuer_info
        return self.send(controllers.getCustomerPaymentProfileController, request, ref_id)

    def stored(self, profile_id: str, payment_profile_id: str) -> Any:
        """The payment profile as read back, expiry unmasked."""
        return ok(self.get_payment_profile(profile_id, payment_profile_id, unmask=True)).paymentProfile

    def stored_profile(self, profile_id: str) -> Any:
        return ok(self.get_profile(profile_id)).profile

    def profile_id_list(self) -> list[str]:
        return texts(ok(self.profile_ids()), "ids", "numericString")

    def expiring_total(self, month: str) -> int:
        return int(text(ok(self.list_expiring(month)), "totalNumInResultSet") or "-1")

    def list_expiring(
        self,
        month: str,
        *,
        descending: bool | None = None,
        limit: int | None = None,
        offset: int | None = None,
        ref_id: str | None = None,
    ) -> Any:
        request = contracts.getCustomerPaymentProfileListRequest()
        request.searchType = "cardsExpiringInMonth"
        request.month = month
        if descending is not None:
            request.sorting = contracts.CustomerPaymentProfileSorting()
            request.sorting.orderBy = "id"
            request.sorting.orderDescending = descending
        if limit is not None or offset is not None:
            request.paging = contracts.Paging()
            request.paging.limit = limit or 1000
            request.paging.offset = offset or 1
        return self.send(controllers.getCustomerPaymentProfileListController, request, ref_id)

    def validate(
        self,
        profile_id: str,
        payment_profile_id: str,
        mode: str = "testMode",
        *,
        card_code: str | None = None,
        address_id: str | None = None,
        ref_id: str | None = None,
    ) -> Any:
        request = contracts.validateCustomerPaymentProfileRequest()
        request.customerProfileId = profile_id
        request.customerPaymentProfileId = payment_profile_id
        if address_id is not None:
            request.customerShippingAddressId = address_id
        if card_code is not None:
            request.cardCode = card_code
        request.validationMode = mode
        return self.send(controllers.validateCustomerPaymentProfileController, request, ref_id)

    def update_payment_profile(
        self,
        profile_id: str,
        payment_profile_: Any,
        validation_mode: str | None = None,
        ref_id: str | None = None,
    ) -> Any:
        request = contracts.updateCustomerPaymentProfileRequest()
        request.customerProfileId = profile_id
        request.paymentProfile = payment_profile_
        if validation_mode is not None:
            request.validationMode = validation_mode
        return self.send(controllers.updateCustomerPaymentProfileController, request, ref_id)

    def delete_payment_profile(
        self, profile_id: str, payment_profile_id: str, ref_id: str | None = None
    ) -> Any:
        request = contracts.deleteCustomerPaymentProfileRequest()
        request.customerProfileId = profile_id
        request.customerPaymentProfileId = payment_profile_id
        return self.send(controllers.deleteCustomerPaymentProfileController, request, ref_id)

    # shipping addresses

    def add_address(
        self, profile_id: str, address_: Any = None, default: bool | None = None, ref_id: str | None = None
    ) -> Any:
        request = contracts.createCustomerShippingAddressRequest()
        request.customerProfileId = profile_id
        request.address = shipping() if address_ is None else address_
        if default is not None:
            request.defaultShippingAddress = default
        return self.send(controllers.createCustomerShippingAddressController, request, ref_id)

    def new_address(self, profile_id: str, address_: Any = None, default: bool | None = None) -> str:
        return _id(ok(self.add_address(profile_id, address_, default)), "customerAddressId")

    def get_address(self, profile_id: str, address_id: str, ref_id: str | None = None) -> Any:
        request = contracts.getCustomerShippingAddressRequest()
        request.customerProfileId = profile_id
        request.customerAddressId = address_id
        return self.send(controllers.getCustomerShippingAddressController, request, ref_id)

    def update_address(
        self,
        profile_id: str,
        address_id: str,
        address_: Any,
        default: bool | None = None,
        ref_id: str | None = None,
    ) -> Any:
        """`address_` is a plain customerAddressType; it is re-typed with the id added."""
        request = contracts.updateCustomerShippingAddressRequest()
        request.customerProfileId = profile_id
        request.address = _with_address_id(address_, address_id)
        if default is not None:
            request.defaultShippingAddress = default
        return self.send(controllers.updateCustomerShippingAddressController, request, ref_id)

    def delete_address(self, profile_id: str, address_id: str, ref_id: str | None = None) -> Any:
        request = contracts.deleteCustomerShippingAddressRequest()
        request.customerProfileId = profile_id
        request.customerAddressId = address_id
        return self.send(controllers.deleteCustomerShippingAddressController, request, ref_id)


_ADDRESS_ELEMENTS: Sequence[str] = (
    "firstName",
    "lastName",
    "company",
    "address",
    "city",
    "state",
    "zip",
    "country",
    "phoneNumber",
    "faxNumber",
    "email",
)


def _with_address_id(address_: Any, address_id: str) -> Any:
    item = contracts.customerAddressExType()
    for name in _ADDRESS_ELEMENTS:
        value = getattr(address_, name)
        if value is not None:
            setattr(item, name, value)
    item.customerAddressId = address_id
    return item


def address_values(item: Any) -> dict[str, str]:
    """The non-empty fields of an address read back through the SDK."""
    values = {}
    for name in _ADDRESS_ELEMENTS:
        value = text(item, name)
        if value is not None:
            values[name] = value
    return values


def expected(base: dict[str, str | None]) -> dict[str, str]:
    return {name: value for name, value in base.items() if value is not None}
