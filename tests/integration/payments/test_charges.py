"""Charges of every kind on every source, the rules that refuse before the processor, test
requests, processor outcomes, and createProfile."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from strongroom.domain.errors import (
    Duplicate,
    InvalidField,
    NotFound,
    NothingToChange,
    PaymentRequired,
)
from strongroom.domain.transactions import TransactionKind, TransactionStatus
from strongroom.services.ports import Outcome, ProcessorResult, ProcessorUnavailable
from strongroom.services.profiles.customer_profiles import ProfileLookup
from strongroom.services.transactions.requests import (
    ChargeRequest,
    Customer,
    MaskedSource,
    ProfileSource,
    Settings,
)
from tests.integration.payments.conftest import (
    ACCOUNT,
    DECLINE_ZIP,
    MASTERCARD,
    SHIP_TO,
    VISA,
    Gateway,
    bank,
    card,
    charge,
    money,
    order,
)

K = TransactionKind
S = TransactionStatus


# --------------------------------------------------------------------------- kinds and sources


@pytest.mark.parametrize(
    ("kind", "status", "settled"),
    [
        (K.CHARGE, S.CAPTURED_PENDING_SETTLEMENT, "10.00"),
        (K.AUTHORIZATION, S.AUTHORIZED_PENDING_CAPTURE, "0.00"),
        (K.CAPTURE_ONLY, S.CAPTURED_PENDING_SETTLEMENT, "10.00"),
    ],
)
def test_card_charges_of_each_kind_are_stored_with_their_status(
    gateway: Gateway, kind: TransactionKind, status: TransactionStatus, settled: str
) -> None:
    result = gateway.charge(charge("10.00", card(code="123"), kind, auth_code="AB12C"))

    assert (result.response_code, result.reason_code) == (1, 1)
    record = result.record
    assert record is not None
    assert (record.kind, record.status) == (kind, status)
    assert (record.amount, record.settle_amount, record.refunded) == (
        Decimal("10.00"),
        Decimal(settled),
        Decimal("0.00"),
    )
    assert (record.payment_method, record.account_last4, record.account_type) == ("card", "1111", "Visa")
    assert record.network_trans_id
    assert record.processor_reference
    assert record.card_code_result == "M"
    assert record.invoice_number == "INV-1"
    assert gateway.payments.get(gateway.merchant, record.ref) == record


def test_capture_only_keeps_the_auth_code_it_was_given(gateway: Gateway) -> None:
    record = gateway.approved(charge(kind=K.CAPTURE_ONLY, auth_code="XY9876"))

    assert record.auth_code == "XY9876"


def test_what_is_stored_holds_no_number_and_no_card_code(gateway: Gateway) -> None:
    record = gateway.approved(charge(source=card(code="4321")))

    stored = repr(gateway.stored(record.ref))
    assert VISA not in stored
    assert "4321" not in stored
    assert record.fingerprint
    assert record.duplicate_key
    assert json.loads(record.details_json)["expiry"] == "2035-12"


def test_bank_debits_approve_up_to_100_dollars_and_decline_above(gateway: Gateway) -> None:
    approved = gateway.approved(charge("100.00", bank()))
    declined = gateway.charge(charge("100.01", bank()))

    assert (approved.payment_method, approved.account_type) == ("bank", "eCheck")
    assert approved.account_last4 == ACCOUNT[-4:]
    assert approved.network_trans_id is None  # eCheck has no card network id
    assert (declined.response_code, declined.reason_code) == (2, 2)
    assert declined.record is not None
    assert declined.record.status is S.DECLINED
    assert declined.record.settle_amount == Decimal("0.00")


def test_a_stored_payment_profile_pays_with_its_card_and_shipping_address(gateway: Gateway) -> None:
    source = gateway.profile(card(MASTERCARD), ship_to=(SHIP_TO,))

    record = gateway.approved(charge("25.00", source, K.AUTHORIZATION, zip_code=DECLINE_ZIP))

    # the profile's own billing address is used (the request's decline ZIP is not)
    assert (record.account_last4, record.account_type) == ("0015", "MasterCard")
    assert (record.customer_profile_ref, record.payment_profile_ref) == (
        source.profile_ref,
        source.payment_profile_ref,
    )
    assert record.shipping_address_ref == source.shipping_address_ref
    assert json.loads(record.details_json)["ship_to"]["first_name"] == "China"
    assert gateway.processor.authorizations[-1].bill_to is not None
    assert gateway.processor.authorizations[-1].bill_to.zip == "44628"


def test_a_bank_payment_profile_pays_too(gateway: Gateway) -> None:
    record = gateway.approved(charge("50.00", gateway.profile(bank())))

    assert record.payment_method == "bank"


@pytest.mark.parametrize("missing", ["profile", "payment_profile", "shipping_address"])
def test_an_unknown_stored_profile_is_a_record_not_found_error(gateway: Gateway, missing: str) -> None:
    known = gateway.profile(ship_to=(SHIP_TO,))
    unknown = "1999999999"
    source = {
        "profile": replace(known, profile_ref=unknown),
        "payment_profile": replace(known, payment_profile_ref=unknown),
        "shipping_address": replace(known, shipping_address_ref=unknown),
    }[missing]

    result = gateway.charge(charge(source=source))

    assert (result.response_code, result.reason_code) == (3, 16)
    assert result.message == "The record cannot be found."
    assert result.record is None
    assert gateway.count() == 0


def test_another_merchants_profile_is_not_found(gateway: Gateway) -> None:
    source = gateway.profile()
    other, _ = gateway.app.services.merchants.create("Other shop")

    result = gateway.payments.charge(other, charge(source=source))

    assert (result.response_code, result.reason_code) == (3, 16)


def test_a_masked_account_cannot_pay_a_charge(gateway: Gateway) -> None:
    with pytest.raises(PaymentRequired):
        gateway.charge(charge(source=MaskedSource("1111")))


def test_charge_refuses_kinds_that_are_not_charges(gateway: Gateway) -> None:
    with pytest.raises(InvalidField):
        gateway.charge(charge(kind=K.REFUND))


# --------------------------------------------------------------------------- rules before the processor


@pytest.mark.parametrize(
    ("kind", "source_kind", "amount"),
    [
        (K.CHARGE, "card", "0.00"),
        (K.CAPTURE_ONLY, "card", "0.00"),
        (K.AUTHORIZATION, "bank", "0.00"),
        (K.CHARGE, "card", "-1.00"),
        (K.CHARGE, "card", "1.005"),
        (K.AUTHORIZATION, "card", "NaN"),
    ],
)
def test_invalid_amounts_are_reason_5_and_store_nothing(
    gateway: Gateway, kind: TransactionKind, source_kind: str, amount: str
) -> None:
    source = card() if source_kind == "card" else bank()
    result = gateway.charge(ChargeRequest(kind, money(amount), source, auth_code="ABC123"))

    assert (result.response_code, result.reason_code) == (3, 5)
    assert result.record is None
    assert gateway.count() == 0
    assert gateway.processor.authorizations == []


def test_zero_dollar_authorization_verifies_a_card(gateway: Gateway) -> None:
    record = gateway.approved(charge("0.00", kind=K.AUTHORIZATION))

    assert (record.amount, record.status) == (Decimal("0.00"), S.AUTHORIZED_PENDING_CAPTURE)
    assert record.network_trans_id


def test_zero_dollar_authorization_on_a_card_profile(gateway: Gateway) -> None:
    gateway.approved(charge("0.00", gateway.profile(), K.AUTHORIZATION))


@pytest.mark.parametrize("auth_code", [None, "", "   ", "1234567"])
def test_capture_only_needs_an_auth_code_of_one_to_six_characters(
    gateway: Gateway, auth_code: str | None
) -> None:
    result = gateway.charge(charge(kind=K.CAPTURE_ONLY, auth_code=auth_code))

    assert (result.response_code, result.reason_code) == (3, 12)
    assert "authCode" in result.message
    assert gateway.count() == 0


@pytest.mark.parametrize("code", ["12", "12345", "12a", ""])
def test_a_card_code_must_be_three_or_four_digits(gateway: Gateway, code: str) -> None:
    result = gateway.charge(charge(source=card(code=code)))

    assert (result.response_code, result.reason_code) == (3, 78)
    assert gateway.count() == 0


def test_a_card_code_with_a_stored_profile_is_checked_too(gateway: Gateway) -> None:
    source = replace(gateway.profile(), card_code=card(code="99").card_code)

    assert gateway.charge(charge(source=source)).reason_code == 78


def test_four_digit_card_codes_pass(gateway: Gateway) -> None:
    gateway.approved(charge(source=card(code="1234")))


def test_an_expired_card_is_reason_8(gateway: Gateway) -> None:
    result = gateway.charge(charge(source=card(expiry="2026-10")))  # the clock is in 2026-11

    assert (result.response_code, result.reason_code) == (3, 8)
    assert gateway.count() == 0


def test_a_card_is_good_through_its_expiry_month(gateway: Gateway) -> None:
    gateway.approved(charge(source=card(expiry="2026-11")))


def test_a_negative_duplicate_window_is_refused(gateway: Gateway) -> None:
    with pytest.raises(InvalidField):
        gateway.charge(charge(window=-1))


# --------------------------------------------------------------------------- processor outcomes


def test_an_issuer_decline_is_stored_as_declined(gateway: Gateway) -> None:
    result = gateway.charge(charge(zip_code=DECLINE_ZIP))

    assert (result.response_code, result.reason_code) == (2, 2)
    assert result.message == "This transaction has been declined."
    assert result.record is not None
    assert gateway.stored(result.record.ref).status is S.DECLINED
    assert result.record.auth_code == ""
    assert result.record.network_trans_id is None


def test_a_processor_error_is_stored_as_a_general_error(gateway: Gateway) -> None:
    gateway.processor.force_next(gateway.merchant.key, ProcessorResult(Outcome.ERROR, 19))

    result = gateway.charge()

    assert result.response_code == 3
    assert result.record is not None
    assert result.record.status is S.GENERAL_ERROR


def test_an_unreachable_processor_is_a_general_error(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*_args: object) -> ProcessorResult:
        raise ProcessorUnavailable("timeout")

    monkeypatch.setattr(gateway.processor, "authorize", unreachable)

    result = gateway.charge()

    assert (result.response_code, result.reason_code) == (3, 19)
    assert result.record is not None
    assert result.record.status is S.GENERAL_ERROR


@pytest.mark.parametrize(
    ("kind", "reason", "status"),
    [
        (K.CHARGE, 252, S.HELD_FOR_REVIEW),
        (K.AUTHORIZATION, 253, S.AUTHORIZED_HELD_FOR_REVIEW),
    ],
)
def test_a_transaction_held_for_review_answers_4(
    gateway: Gateway, kind: TransactionKind, reason: int, status: TransactionStatus
) -> None:
    gateway.processor.force_next(
        gateway.merchant.key,
        ProcessorResult(Outcome.HELD, reason, auth_code="HLD001", processor_reference="held"),
    )

    result = gateway.charge(charge(kind=kind))

    assert (result.response_code, result.reason_code) == (4, reason)
    assert result.record is not None
    assert result.record.status is status


# --------------------------------------------------------------------------- test requests


def test_a_test_request_runs_in_test_mode_and_stores_nothing(gateway: Gateway) -> None:
    request = replace(
        charge(),
        settings=Settings(test_request=True),
        create_profile=True,
        order=order(customer=Customer(id="c-1")),
    )

    result = gateway.charge(request)

    assert (result.response_code, result.reason_code, result.test_request) == (1, 1, True)
    assert result.record is None
    assert result.processor is not None
    assert result.processor.auth_code == "000000"
    assert gateway.processor.authorizations[-1].test_mode
    assert result.created_profile is None
    assert gateway.count() == 0
    assert gateway.app.services.customer_profiles.ids(gateway.merchant) == []


def test_a_test_request_still_runs_the_rules(gateway: Gateway) -> None:
    request = replace(charge(kind=K.CAPTURE_ONLY), settings=Settings(test_request=True))

    assert gateway.charge(request).reason_code == 12


# --------------------------------------------------------------------------- get


def test_get_is_scoped_to_the_merchant(gateway: Gateway) -> None:
    record = gateway.approved()
    other, _ = gateway.app.services.merchants.create("Other shop")

    with pytest.raises(NotFound):
        gateway.payments.get(other, record.ref)
    with pytest.raises(NotFound):
        gateway.payments.get(gateway.merchant, "99999999999")


# --------------------------------------------------------------------------- createProfile


def test_create_profile_stores_the_card_as_a_new_customer_profile(gateway: Gateway) -> None:
    request = replace(
        charge(source=card(code="123")),
        create_profile=True,
        order=order(
            description="Golf shirts",
            customer=Customer(type="business", id="cust-9", email="c9@example.com"),
            ship_to=SHIP_TO,
        ),
    )

    result = gateway.charge(request)

    assert result.response_code == 1
    assert result.record is not None
    created = result.created_profile
    assert created is not None
    assert created.payment_profile_ref is not None
    assert created.address_ref is not None
    profile = gateway.app.services.customer_profiles.get(
        gateway.merchant, ProfileLookup(profile_ref=created.profile_ref)
    )
    assert (profile.merchant_customer_id, profile.email, profile.description) == (
        "cust-9",
        "c9@example.com",
        "Golf shirts",
    )
    payment = profile.payment_profiles[0]
    assert payment.instrument.last4 == "1111"
    assert payment.customer_type is not None
    assert payment.customer_type.value == "business"
    # the charge that created the payment profile is its card-on-file original
    assert payment.original_network_trans_id == result.record.network_trans_id
    assert payment.original_auth_amount == Decimal("10.00")
    assert profile.ship_to[0].address == SHIP_TO


def test_create_profile_with_a_bank_account(gateway: Gateway) -> None:
    request = replace(
        charge("20.00", bank()), create_profile=True, order=order(customer=Customer(id="bank-1"))
    )

    result = gateway.charge(request)

    assert result.created_profile is not None
    assert result.created_profile.address_ref is None


def test_a_duplicate_profile_is_reported_beside_an_approved_payment(gateway: Gateway) -> None:
    request = replace(
        charge(), create_profile=True, order=order(description=None, customer=Customer(id="dup-1"))
    )
    gateway.charge(request)

    result = gateway.charge(replace(request, amount=money("11.00")))

    assert (result.response_code, result.reason_code) == (1, 1)
    assert result.created_profile is None
    first = gateway.app.services.customer_profiles.ids(gateway.merchant)
    assert len(first) == 1
    assert isinstance(result.profile_error, Duplicate)
    assert result.profile_error.existing_ref == first[0]
    assert result.record is not None  # the payment itself is stored
    assert result.record.status is S.CAPTURED_PENDING_SETTLEMENT


def test_create_profile_without_any_identity_reports_why(gateway: Gateway) -> None:
    request = replace(charge(), create_profile=True, order=order(description=None))

    result = gateway.charge(request)

    assert result.response_code == 1
    assert isinstance(result.profile_error, NothingToChange)
    assert gateway.app.services.customer_profiles.ids(gateway.merchant) == []


def test_no_profile_is_created_for_a_declined_payment(gateway: Gateway) -> None:
    request = replace(
        charge(zip_code=DECLINE_ZIP),
        create_profile=True,
        order=order(DECLINE_ZIP, customer=Customer(id="cust-2")),
    )

    result = gateway.charge(request)

    assert result.response_code == 2
    assert result.created_profile is None
    assert gateway.app.services.customer_profiles.ids(gateway.merchant) == []


def test_create_profile_is_ignored_when_paying_with_a_profile(gateway: Gateway) -> None:
    source: ProfileSource = gateway.profile()
    result = gateway.charge(replace(charge(source=source), create_profile=True))

    assert result.created_profile is None
    assert len(gateway.app.services.customer_profiles.ids(gateway.merchant)) == 1


def test_live_validated_profiles_stay_usable(gateway: Gateway) -> None:
    source = gateway.profile(live=True)

    gateway.approved(charge(source=source))
    assert gateway.count() == 2  # the liveMode validation is kept as a transaction too
