"""The issue's acceptance sequence with the official SDK, against any endpoint: create → add
payment profile → add address → get → list → update → validate → delete."""

from __future__ import annotations

from typing import Any

from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from tests.api.builders import address, card, payment_profile, shipping
from tests.api.sdk import call


def _ok(response: Any) -> Any:
    message = response.messages.message[0]
    assert (str(response.messages.resultCode), str(message["code"].text)) == ("Ok", "I00001"), (
        f"{message['code'].text}: {message['text'].text}"
    )
    return response


def walk_profile_lifecycle(endpoint: str, auth: Any) -> None:
    """Run the whole sequence as `auth`'s merchant, asserting each step's answer."""

    def send(controller: Any, request: Any) -> Any:
        request.merchantAuthentication = auth
        return call(endpoint, controller, request)

    create = contracts.createCustomerProfileRequest()
    create.profile = contracts.customerProfileType()
    create.profile.merchantCustomerId = "cust-1"
    create.profile.email = "ellen@example.com"
    profile_id = str(_ok(send(controllers.createCustomerProfileController, create)).customerProfileId)

    add = contracts.createCustomerPaymentProfileRequest()
    add.customerProfileId = profile_id
    add.paymentProfile = payment_profile(card())
    payment_profile_id = str(
        _ok(send(controllers.createCustomerPaymentProfileController, add)).customerPaymentProfileId
    )

    ship = contracts.createCustomerShippingAddressRequest()
    ship.customerProfileId = profile_id
    ship.address = shipping()
    address_id = str(_ok(send(controllers.createCustomerShippingAddressController, ship)).customerAddressId)

    get = contracts.getCustomerProfileRequest()
    get.customerProfileId = profile_id
    stored = _ok(send(controllers.getCustomerProfileController, get)).profile
    assert str(stored.paymentProfiles[0].customerPaymentProfileId) == payment_profile_id
    assert str(stored.paymentProfiles[0].payment.creditCard.cardNumber) == "XXXX1111"
    assert str(stored.paymentProfiles[0].payment.creditCard.expirationDate) == "XXXX"
    assert str(stored.shipToList[0].customerAddressId) == address_id

    listing = contracts.getCustomerPaymentProfileListRequest()
    listing.searchType = "cardsExpiringInMonth"
    listing.month = "2035-12"
    listed = _ok(send(controllers.getCustomerPaymentProfileListController, listing))
    assert int(listed.totalNumInResultSet) == 1
    assert str(listed.paymentProfiles.paymentProfile[0].customerPaymentProfileId) == (payment_profile_id)

    update = contracts.updateCustomerPaymentProfileRequest()
    update.customerProfileId = profile_id
    update.paymentProfile = payment_profile(
        card("XXXX1111", "2036-01"), address(), profile_id=payment_profile_id
    )
    _ok(send(controllers.updateCustomerPaymentProfileController, update))
    listing.month = "2036-01"
    assert (
        int(_ok(send(controllers.getCustomerPaymentProfileListController, listing)).totalNumInResultSet) == 1
    )

    validate = contracts.validateCustomerPaymentProfileRequest()
    validate.customerProfileId = profile_id
    validate.customerPaymentProfileId = payment_profile_id
    validate.validationMode = "liveMode"
    validated = _ok(send(controllers.validateCustomerPaymentProfileController, validate))
    assert str(validated.directResponse).startswith("1,1,1,This transaction has been approved.")

    delete = contracts.deleteCustomerProfileRequest()
    delete.customerProfileId = profile_id
    _ok(send(controllers.deleteCustomerProfileController, delete))
    gone = send(controllers.getCustomerProfileController, get)
    assert (str(gone.messages.resultCode), str(gone.messages.message[0]["code"].text)) == ("Error", "E00040")
