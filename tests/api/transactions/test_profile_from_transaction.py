"""createCustomerProfileFromTransactionRequest (answered by createCustomerProfileResponse)
through the official SDK and raw JSON: a new profile from an approved charge's card or bank
account, a payment profile added to an existing profile, and the E00099–E00103 refusals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from strongroom.jobs.retention import run_instrument_purge
from tests.api.builders import (
    DECLINE_ZIP,
    MASTERCARD,
    Cim,
    address,
    bank,
    card,
    error,
    fields,
    ok,
    profile,
    shipping,
    text,
    texts,
)
from tests.api.live_server import LiveServer
from tests.api.raw import call, envelope
from tests.api.sdk import ApiMerchant, execute, new_merchant
from tests.api.stored_rows import forget_instrument, has_instrument
from tests.api.transactions.test_create_transaction import (
    AUTH_CAPTURE,
    AUTH_ONLY,
    Gateway,
    failed,
    trans_id,
    transaction,
)


def customer_data(customer_id: str | None = "shopper-1", email: str | None = "shopper@example.com") -> Any:
    item = contracts.customerDataType()
    if customer_id is not None:
        item.id = customer_id
    if email is not None:
        item.email = email
    return item


def paid(
    gateway: Gateway,
    payment: Any = None,
    *,
    kind: str = AUTH_CAPTURE,
    amount: str = "15.00",
    customer: Any = None,
    ship_to: bool = True,
    bill_zip: str = "44628",
) -> str:
    """An approved charge with customer data and addresses; its transId."""
    item = transaction(
        kind,
        amount,
        payment or card(),
        bill_to=address(zip=bill_zip),
        ship_to=shipping(kind=contracts.nameAndAddressType, phoneNumber=None, faxNumber=None)
        if ship_to
        else None,
    )
    item.customer = customer_data() if customer is None else customer
    return trans_id(gateway.approved(item))


def from_transaction(
    server: LiveServer,
    merchant: ApiMerchant,
    trans_id_: str,
    *,
    customer: Any = None,
    profile_id: str | None = None,
    default_payment: bool | None = None,
    profile_type: str | None = None,
    ref_id: str | None = None,
) -> Any:
    request = contracts.createCustomerProfileFromTransactionRequest()
    request.merchantAuthentication = merchant.auth()
    if ref_id is not None:
        request.refId = ref_id
    request.transId = trans_id_
    if customer is not None:
        request.customer = customer
    if profile_id is not None:
        request.customerProfileId = profile_id
    if default_payment is not None:
        request.defaultPaymentProfile = default_payment
    if profile_type is not None:
        request.profileType = profile_type
    return execute(server, controllers.createCustomerProfileFromTransactionController, request)


@pytest.fixture
def gateway(server: LiveServer, merchant: ApiMerchant) -> Gateway:
    return Gateway(server, merchant)


@pytest.fixture
def cim(server: LiveServer, merchant: ApiMerchant) -> Cim:
    return Cim(server, merchant)


def test_a_card_charge_becomes_a_profile_that_pays(gateway: Gateway, cim: Cim) -> None:
    ref = paid(gateway, card(MASTERCARD, code="123"))
    assert has_instrument(gateway.server, gateway.merchant, ref)
    response = ok(from_transaction(gateway.server, gateway.merchant, ref, ref_id="cpft-1"))
    assert response.refId == "cpft-1"
    profile_id = text(response, "customerProfileId") or ""
    payment_ids = texts(response, "customerPaymentProfileIdList", "numericString")
    address_ids = texts(response, "customerShippingAddressIdList", "numericString")
    assert profile_id.isdigit()
    assert len(payment_ids) == 1
    assert len(address_ids) == 1

    stored = cim.stored_profile(profile_id)
    assert text(stored, "merchantCustomerId") == "shopper-1"
    assert text(stored, "email") == "shopper@example.com"
    assert text(stored, "profileType") == "regular"
    assert text(stored, "paymentProfiles", "payment", "creditCard", "cardNumber") == "XXXX0015"
    assert text(stored, "paymentProfiles", "billTo", "firstName") == "Ellen"
    assert text(stored, "shipToList", "firstName") == "China"
    assert (
        text(cim.stored(profile_id, payment_ids[0]), "payment", "creditCard", "expirationDate") == "2035-12"
    )

    from tests.api.transactions.test_create_transaction import stored_profile

    again = gateway.approved(
        transaction(AUTH_CAPTURE, "3.00", profile_=stored_profile(profile_id, payment_ids[0]))
    )
    assert text(again, "accountNumber") == "XXXX0015"


def test_a_bank_debit_becomes_a_bank_account_profile(gateway: Gateway, cim: Cim) -> None:
    ref = paid(gateway, bank(), amount="20.00", ship_to=False)
    response = ok(from_transaction(gateway.server, gateway.merchant, ref))
    assert texts(response, "customerShippingAddressIdList", "numericString") == []
    stored = cim.stored_profile(text(response, "customerProfileId") or "")
    assert text(stored, "paymentProfiles", "payment", "bankAccount", "accountNumber") == "XXXX4321"


def test_the_request_names_the_customer_and_profile_type(gateway: Gateway, cim: Cim) -> None:
    ref = paid(gateway, kind=AUTH_ONLY, customer=contracts.customerDataType())
    customer = contracts.customerProfileBaseType()
    customer.merchantCustomerId = "given-1"
    customer.description = "From the shop"
    response = ok(
        from_transaction(gateway.server, gateway.merchant, ref, customer=customer, profile_type="guest")
    )
    stored = cim.stored_profile(text(response, "customerProfileId") or "")
    assert text(stored, "merchantCustomerId") == "given-1"
    assert text(stored, "description") == "From the shop"
    assert text(stored, "email") is None
    assert text(stored, "profileType") == "guest"


def test_a_payment_profile_is_added_to_an_existing_profile(gateway: Gateway, cim: Cim) -> None:
    profile_id = cim.new_profile(profile("existing-1"))
    ref = paid(gateway, customer=contracts.customerDataType())
    response = ok(
        from_transaction(gateway.server, gateway.merchant, ref, profile_id=profile_id, default_payment=True)
    )
    assert text(response, "customerProfileId") == profile_id
    payment_id = texts(response, "customerPaymentProfileIdList", "numericString")[0]
    stored = cim.stored_profile(profile_id)
    assert text(stored, "paymentProfiles", "customerPaymentProfileId") == payment_id
    assert text(stored, "paymentProfiles", "defaultPaymentProfile") == "true"
    assert text(stored, "merchantCustomerId") == "existing-1"

    code, message = error(from_transaction(gateway.server, gateway.merchant, ref, profile_id=profile_id))
    assert code == "E00039"
    assert payment_id in message


def test_the_same_customer_twice_is_a_duplicate(gateway: Gateway) -> None:
    ref = paid(gateway)
    ok(from_transaction(gateway.server, gateway.merchant, ref))
    code, message = error(from_transaction(gateway.server, gateway.merchant, ref))
    assert code == "E00039"
    assert message.startswith("A duplicate record with ID ")


def test_an_unknown_profile_is_e00040(gateway: Gateway) -> None:
    ref = paid(gateway)
    code, _ = error(from_transaction(gateway.server, gateway.merchant, ref, profile_id="999999999"))
    assert code == "E00040"


@pytest.mark.parametrize("ref", ["99999999999", "0"])
def test_an_unknown_transaction_is_e00099(gateway: Gateway, ref: str) -> None:
    assert error(from_transaction(gateway.server, gateway.merchant, ref)) == (
        "E00099",
        "Customer profile creation failed. This transaction ID is invalid.",
    )


def test_a_declined_transaction_is_e00099(gateway: Gateway) -> None:
    item = transaction(AUTH_CAPTURE, "5.00", card(), bill_to=address(zip=DECLINE_ZIP))
    item.customer = customer_data()
    answer, _ = failed(gateway.send(item), "2", "2")
    declined = text(answer, "transId") or ""
    assert not has_instrument(gateway.server, gateway.merchant, declined)
    assert error(from_transaction(gateway.server, gateway.merchant, declined))[0] == "E00099"


def test_another_merchants_transaction_is_e00099(server: LiveServer, gateway: Gateway) -> None:
    ref = paid(Gateway(server, new_merchant(server, "Other")))
    assert error(from_transaction(server, gateway.merchant, ref))[0] == "E00099"


def test_a_verification_is_a_type_without_profiles_e00100(gateway: Gateway, cim: Cim) -> None:
    profile_id = cim.new_profile(profile("verified-1"))
    payment_id = cim.new_payment_profile(profile_id)
    record = fields(text(ok(cim.validate(profile_id, payment_id, "liveMode")), "directResponse") or "")
    assert error(from_transaction(gateway.server, gateway.merchant, record[6])) == (
        "E00100",
        "Customer profile creation failed. This transaction type does not support profile creation.",
    )


def test_without_customer_information_it_is_e00102(gateway: Gateway) -> None:
    ref = paid(gateway, customer=contracts.customerDataType())
    assert error(from_transaction(gateway.server, gateway.merchant, ref)) == (
        "E00102",
        "Customer Info is missing.",
    )


def test_a_transaction_without_a_kept_instrument_is_e00103(gateway: Gateway) -> None:
    ref = paid(gateway)
    forget_instrument(gateway.server, ref)
    assert error(from_transaction(gateway.server, gateway.merchant, ref)) == (
        "E00103",
        "Customer profile creation failed. This payment method does not support profile creation.",
    )


def test_past_the_retention_period_a_transaction_cannot_become_a_profile(gateway: Gateway) -> None:
    server, merchant = gateway.server, gateway.merchant
    retention = server.application.services.transaction_instruments.retention
    old = paid(gateway)
    server.clock.advance(retention - timedelta(minutes=1))
    young = paid(gateway, amount="16.00", customer=customer_data("shopper-2", None))
    server.clock.advance(timedelta(minutes=2))
    expired = (
        "E00101",
        "Customer profile creation failed. The payment details of this "
        f"transaction are no longer kept: they are deleted {retention.days} days "
        "after the transaction.",
    )

    # Refused as soon as the period is over, before the purge job has run ...
    assert has_instrument(server, merchant, old)
    assert error(from_transaction(server, merchant, old)) == expired
    # ... and after it: the purge deletes what is past the period, nothing younger.
    assert run_instrument_purge(server.application.services) >= 1
    assert not has_instrument(server, merchant, old)
    assert has_instrument(server, merchant, young)
    assert error(from_transaction(server, merchant, old)) == expired
    assert (text(ok(from_transaction(server, merchant, young)), "customerProfileId") or "").isdigit()


@pytest.mark.parametrize("dialect", ["xml", "json"])
def test_raw_requests_in_both_dialects(gateway: Gateway, dialect: str) -> None:
    ref = paid(gateway, customer=customer_data(f"raw-{dialect}"))
    answer = call(
        gateway.server,
        dialect,
        "createCustomerProfileFromTransactionRequest",
        envelope(
            gateway.merchant,
            ("transId", ref),
            ("customer", [("email", f"{dialect}@example.com")]),
            ("defaultShippingAddress", True),
        ),
    )
    answer.ok()
    if dialect == "json":
        document = answer.json()
        assert document["customerProfileId"].isdigit()
        assert len(document["customerPaymentProfileIdList"]) == 1
        assert len(document["customerShippingAddressIdList"]) == 1
        assert document["validationDirectResponseList"] == []
    else:
        assert answer.root_name == "createCustomerProfileResponse"


def test_a_json_refusal_keeps_the_required_lists(gateway: Gateway) -> None:
    answer = call(
        gateway.server,
        "json",
        "createCustomerProfileFromTransactionRequest",
        envelope(gateway.merchant, ("transId", "12345")),
    )
    assert answer.error()[0] == "E00099"
    document = answer.json()
    assert document["customerPaymentProfileIdList"] == []
