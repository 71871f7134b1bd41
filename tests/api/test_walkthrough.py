"""The issue's acceptance walk-through with the official SDK: create → add → get → list → update
→ validate → delete, against a live server."""

from __future__ import annotations

from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from tests.api.live_server import LiveServer
from tests.api.sdk import ApiMerchant, execute, result


def _card_payment(number: str = "4111111111111111", expiry: str = "2035-12") -> object:
    card = contracts.creditCardType()
    card.cardNumber = number
    card.expirationDate = expiry
    payment = contracts.paymentType()
    payment.creditCard = card
    return payment


def _bill_to() -> object:
    address = contracts.customerAddressType()
    address.firstName = "Ellen"
    address.lastName = "Johnson"
    address.address = "14 Main Street"
    address.city = "Pecan Springs"
    address.state = "TX"
    address.zip = "44628"
    return address


def test_full_profile_lifecycle(server: LiveServer, merchant: ApiMerchant) -> None:
    create = contracts.createCustomerProfileRequest()
    create.merchantAuthentication = merchant.auth()
    create.profile = contracts.customerProfileType()
    create.profile.merchantCustomerId = "cust-1"
    create.profile.email = "ellen@example.com"
    response = execute(server, controllers.createCustomerProfileController, create)
    assert result(response)[:2] == ("Ok", "I00001")
    profile_id = str(response.customerProfileId)

    add = contracts.createCustomerPaymentProfileRequest()
    add.merchantAuthentication = merchant.auth()
    add.customerProfileId = profile_id
    add.paymentProfile = contracts.customerPaymentProfileType()
    add.paymentProfile.billTo = _bill_to()
    add.paymentProfile.payment = _card_payment()
    response = execute(server, controllers.createCustomerPaymentProfileController, add)
    assert result(response)[:2] == ("Ok", "I00001")
    payment_profile_id = str(response.customerPaymentProfileId)

    ship = contracts.createCustomerShippingAddressRequest()
    ship.merchantAuthentication = merchant.auth()
    ship.customerProfileId = profile_id
    ship.address = _bill_to()
    response = execute(server, controllers.createCustomerShippingAddressController, ship)
    assert result(response)[:2] == ("Ok", "I00001")
    address_id = str(response.customerAddressId)

    get = contracts.getCustomerProfileRequest()
    get.merchantAuthentication = merchant.auth()
    get.customerProfileId = profile_id
    response = execute(server, controllers.getCustomerProfileController, get)
    assert result(response)[:2] == ("Ok", "I00001")
    stored = response.profile.paymentProfiles[0]
    assert str(stored.customerPaymentProfileId) == payment_profile_id
    assert str(stored.payment.creditCard.cardNumber) == "XXXX1111"
    assert str(stored.payment.creditCard.expirationDate) == "XXXX"
    assert str(response.profile.shipToList[0].customerAddressId) == address_id

    listing = contracts.getCustomerPaymentProfileListRequest()
    listing.merchantAuthentication = merchant.auth()
    listing.searchType = "cardsExpiringInMonth"
    listing.month = "2035-12"
    response = execute(server, controllers.getCustomerPaymentProfileListController, listing)
    assert result(response)[:2] == ("Ok", "I00001")
    assert int(response.totalNumInResultSet) == 1

    update = contracts.updateCustomerPaymentProfileRequest()
    update.merchantAuthentication = merchant.auth()
    update.customerProfileId = profile_id
    update.paymentProfile = contracts.customerPaymentProfileExType()
    update.paymentProfile.customerPaymentProfileId = payment_profile_id
    update.paymentProfile.billTo = _bill_to()
    update.paymentProfile.payment = _card_payment("XXXX1111", "2036-01")
    response = execute(server, controllers.updateCustomerPaymentProfileController, update)
    assert result(response)[:2] == ("Ok", "I00001")

    validate = contracts.validateCustomerPaymentProfileRequest()
    validate.merchantAuthentication = merchant.auth()
    validate.customerProfileId = profile_id
    validate.customerPaymentProfileId = payment_profile_id
    validate.validationMode = "liveMode"
    response = execute(server, controllers.validateCustomerPaymentProfileController, validate)
    assert result(response)[:2] == ("Ok", "I00001")
    assert str(response.directResponse).startswith("1,1,1,This transaction has been approved.")

    delete = contracts.deleteCustomerProfileRequest()
    delete.merchantAuthentication = merchant.auth()
    delete.customerProfileId = profile_id
    response = execute(server, controllers.deleteCustomerProfileController, delete)
    assert result(response)[:2] == ("Ok", "I00001")
    response = execute(server, controllers.getCustomerProfileController, get)
    assert result(response)[:2] == ("Error", "E00040")
