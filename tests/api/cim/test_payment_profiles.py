"""Payment profiles through the official SDK: create, get, the expiring-cards list, update with
masked values, delete, and the default, duplicate and limit rules."""

from __future__ import annotations

from typing import Any

import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from tests.api.builders import (
    ACCOUNT,
    AMEX,
    BILLING,
    DECLINE_ZIP,
    DINERS,
    DISCOVER,
    JCB,
    MASTERCARD,
    VISA,
    VISA_13,
    Cim,
    address,
    address_values,
    bank,
    bodies,
    card,
    child,
    error,
    expected,
    field,
    is_declined,
    items,
    ok,
    only,
    payment_profile,
    profile,
    text,
    texts,
)
from tests.api.live_server import LiveServer
from tests.api.sdk import ApiMerchant


@pytest.fixture
def cim(server: LiveServer, merchant: ApiMerchant) -> Cim:
    return Cim(server, merchant)


@pytest.fixture
def profile_id(cim: Cim) -> str:
    return cim.new_profile(profile("cust-1", email="ellen@example.com"))


def _count(cim: Cim, profile_id: str) -> int:
    return len(items(cim.stored_profile(profile_id), "paymentProfiles"))


def _card(stored: Any, name: str) -> str | None:
    return text(stored, "payment", "creditCard", name)


def _bank(stored: Any, name: str) -> str | None:
    return text(stored, "payment", "bankAccount", name)


def _default(stored: Any) -> bool:
    return text(stored, "defaultPaymentProfile") == "true"


# ----------------------------------------------------------------------------- create and get


def test_card_payment_profile_round_trip_is_masked(cim: Cim, profile_id: str) -> None:
    response = ok(
        cim.add_payment_profile(profile_id, payment_profile(card(VISA, "2031-04"), customer_type="business"))
    )
    assert text(response, "customerProfileId") == profile_id
    assert text(response, "validationDirectResponse") is None
    payment_profile_id = text(response, "customerPaymentProfileId") or ""
    assert payment_profile_id.isdigit()

    stored = ok(cim.get_payment_profile(profile_id, payment_profile_id)).paymentProfile
    assert text(stored, "customerPaymentProfileId") == payment_profile_id
    assert text(stored, "customerProfileId") == profile_id
    assert text(stored, "customerType") == "business"
    assert address_values(stored.billTo) == expected(BILLING)
    assert _card(stored, "cardNumber") == "XXXX1111"
    assert _card(stored, "expirationDate") == "XXXX"
    assert _card(stored, "cardType") == "Visa"
    assert _card(stored, "issuerNumber") is None
    assert child(stored, "payment", "bankAccount") is None

    unmasked = cim.stored(profile_id, payment_profile_id)
    assert _card(unmasked, "expirationDate") == "2031-04"
    assert _card(unmasked, "cardNumber") == "XXXX1111"
    with_issuer = ok(cim.get_payment_profile(profile_id, payment_profile_id, issuer_info=True)).paymentProfile
    assert _card(with_issuer, "issuerNumber") == "411111"
    assert _card(with_issuer, "expirationDate") == "XXXX"


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        (VISA, "Visa"),
        (VISA_13, "Visa"),
        (MASTERCARD, "MasterCard"),
        (AMEX, "AmericanExpress"),
        (DISCOVER, "Discover"),
        (JCB, "JCB"),
        (DINERS, "DinersClub"),
    ],
)
def test_every_test_card_is_accepted_with_its_brand(
    cim: Cim, profile_id: str, number: str, brand: str
) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(number)))
    stored = cim.stored(profile_id, payment_profile_id)
    assert _card(stored, "cardNumber") == "XXXX" + number[-4:]
    assert _card(stored, "cardType") == brand


def test_bank_account_payment_profile_round_trip_is_masked(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(
        profile_id,
        payment_profile(
            bank(ACCOUNT, account_type="businessChecking", echeck_type="CCD", bank_name="First Pecan Bank"),
            None,
            customer_type="individual",
        ),
    )
    stored = ok(
        cim.get_payment_profile(profile_id, payment_profile_id, unmask=True, issuer_info=True)
    ).paymentProfile
    assert child(stored, "payment", "creditCard") is None
    assert _bank(stored, "accountType") == "businessChecking"
    assert _bank(stored, "routingNumber") == "XXXX2882"
    assert _bank(stored, "accountNumber") == "XXXX4321"
    assert _bank(stored, "nameOnAccount") == "John Doe"
    assert _bank(stored, "echeckType") == "CCD"
    assert _bank(stored, "bankName") == "First Pecan Bank"
    assert child(stored, "billTo") is None
    assert text(stored, "customerType") == "individual"


def test_payment_profile_without_payment_is_refused(cim: Cim, profile_id: str) -> None:
    item = payment_profile()
    item.payment = None
    assert error(cim.add_payment_profile(profile_id, item))[0] == "E00029"
    assert _count(cim, profile_id) == 0


def test_payment_profile_for_an_unknown_profile_is_e00040(cim: Cim, profile_id: str) -> None:
    assert error(cim.add_payment_profile("1999999999"))[0] == "E00040"
    assert cim.expiring_total("2035-12") == 0


def test_get_of_an_unknown_payment_profile_is_e00040(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id)
    other_profile = cim.new_profile(profile("cust-2"))
    response = cim.get_payment_profile(profile_id, "1999999999")
    assert error(response)[0] == "E00040"
    assert child(response, "paymentProfile") is None
    # a real payment profile id under the wrong customer profile is not found either
    assert error(cim.get_payment_profile(other_profile, payment_profile_id))[0] == "E00040"
    assert error(cim.get_payment_profile("1999999999", payment_profile_id))[0] == "E00040"


def test_drivers_license_and_tax_id_are_masked_on_reads(
    server: LiveServer, cim: Cim, profile_id: str
) -> None:
    item = payment_profile(card(VISA))
    item.driversLicense = contracts.driversLicenseType()
    item.driversLicense.number = "D1234567"
    item.driversLicense.state = "TX"
    item.driversLicense.dateOfBirth = "1970-01-31"
    item.taxId = "123456789"
    payment_profile_id = cim.new_payment_profile(profile_id, item)
    stored = cim.stored(profile_id, payment_profile_id)
    assert text(stored, "driversLicense", "number") == "XXXX4567"
    assert text(stored, "driversLicense", "state") == "TX"
    assert text(stored, "driversLicense", "dateOfBirth") == "XX/XX/XXXX"
    assert text(stored, "taxId") == "XXXX6789"
    ok(cim.get_profile(profile_id, unmask=True, issuer_info=True))
    for body in bodies(server):
        for secret in (b"D1234567", b"1970-01-31", b"123456789", VISA.encode()):
            assert secret not in body


def _with_original(item: Any, network_id: str | None, amount: str | None) -> Any:
    item.subsequentAuthInformation = contracts.subsequentAuthInformation()
    if network_id is not None:
        item.subsequentAuthInformation.originalNetworkTransId = network_id
    if amount is not None:
        item.subsequentAuthInformation.originalAuthAmount = amount
    return item


def _original(stored: Any) -> tuple[str | None, str | None]:
    return text(stored, "originalNetworkTransId"), text(stored, "originalAuthAmount")


def test_original_transaction_is_kept_and_replaced_as_a_pair(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(
        profile_id, _with_original(payment_profile(card(VISA)), "ABC123", "12.5")
    )
    assert _original(cim.stored(profile_id, payment_profile_id)) == ("ABC123", "12.50")

    ok(
        cim.update_payment_profile(
            profile_id,
            _with_original(
                payment_profile(card("XXXX1111", "XXXX"), profile_id=payment_profile_id), "NEW456", "7.25"
            ),
        )
    )
    assert _original(cim.stored(profile_id, payment_profile_id)) == ("NEW456", "7.25")

    ok(
        cim.update_payment_profile(
            profile_id, payment_profile(card("XXXX1111", "2036-01"), profile_id=payment_profile_id)
        )
    )
    assert _original(cim.stored(profile_id, payment_profile_id)) == ("NEW456", "7.25")

    # a new card starts a new card-on-file relationship
    ok(
        cim.update_payment_profile(
            profile_id, payment_profile(card(MASTERCARD), profile_id=payment_profile_id)
        )
    )
    assert _original(cim.stored(profile_id, payment_profile_id)) == (None, None)


@pytest.mark.parametrize("amount", ["1.005", "0.0001", "99999999999999999999.00"])
def test_original_auth_amount_that_cannot_be_kept_is_refused(cim: Cim, profile_id: str, amount: str) -> None:
    response = cim.add_payment_profile(
        profile_id, _with_original(payment_profile(card(VISA)), "ABC123", amount)
    )
    assert error(response)[0] == "E00013"
    assert _count(cim, profile_id) == 0


def test_get_without_a_payment_profile_id_is_e00014(cim: Cim, profile_id: str) -> None:
    cim.new_payment_profile(profile_id)
    request = contracts.getCustomerPaymentProfileRequest()
    request.customerProfileId = profile_id
    assert error(cim.send(controllers.getCustomerPaymentProfileController, request))[0] == "E00014"


# ----------------------------------------------------------------------------- defaults


def test_default_payment_profile_moves_only_when_asked(cim: Cim, profile_id: str) -> None:
    first = cim.new_payment_profile(profile_id, payment_profile(card(VISA)))
    second = cim.new_payment_profile(profile_id, payment_profile(card(MASTERCARD)))
    assert _default(cim.stored(profile_id, first))
    assert not _default(cim.stored(profile_id, second))

    third = cim.new_payment_profile(profile_id, payment_profile(card(AMEX), default=True))
    defaults = {
        text(item, "customerPaymentProfileId"): _default(item)
        for item in items(cim.stored_profile(profile_id), "paymentProfiles")
    }
    assert defaults == {first: False, second: False, third: True}

    ok(
        cim.update_payment_profile(
            profile_id, payment_profile(card("XXXX0015", "XXXX"), default=True, profile_id=second)
        )
    )
    assert _default(cim.stored(profile_id, second))
    assert not _default(cim.stored(profile_id, third))
    assert not _default(cim.stored(profile_id, first))


def test_default_flag_inside_a_new_profile_picks_the_default(cim: Cim) -> None:
    response = ok(
        cim.create_profile(
            profile(
                "cust-9",
                payment_profiles=[
                    payment_profile(card(VISA)),
                    payment_profile(card(MASTERCARD), default=True),
                    payment_profile(card(AMEX)),
                ],
            )
        )
    )
    new_profile = text(response, "customerProfileId") or ""
    first, second, third = texts(response, "customerPaymentProfileIdList", "numericString")
    assert [_default(cim.stored(new_profile, item)) for item in (first, second, third)] == [
        False,
        True,
        False,
    ]


# ----------------------------------------------------------------------------- duplicates


def _duplicate_of(existing: str) -> tuple[str, str]:
    return "E00039", f"A duplicate record with ID {existing} already exists."


def test_duplicate_payment_profile_answer_carries_the_existing_id(cim: Cim, profile_id: str) -> None:
    existing = cim.new_payment_profile(profile_id, payment_profile(card(VISA)))
    response = cim.add_payment_profile(profile_id, payment_profile(card(VISA, "2036-01")))
    assert error(response) == _duplicate_of(existing)
    assert text(response, "customerPaymentProfileId") == existing
    assert text(response, "customerProfileId") == profile_id


def test_same_card_and_billing_with_another_expiry_is_a_duplicate(cim: Cim, profile_id: str) -> None:
    existing = cim.new_payment_profile(profile_id, payment_profile(card(VISA, "2035-12")))
    response = cim.add_payment_profile(profile_id, payment_profile(card(VISA, "2036-01")))
    assert error(response) == _duplicate_of(existing)
    assert _count(cim, profile_id) == 1
    assert _card(cim.stored(profile_id, existing), "expirationDate") == "2035-12"


@pytest.mark.parametrize(
    "changed",
    [
        {"city": "Austin"},
        {"state": "CA"},
        {"company": None},
        {"phoneNumber": "111-111-1111"},
        {"country": "CA"},
    ],
)
def test_fields_outside_the_billing_identity_do_not_make_a_new_payment_profile(
    cim: Cim, profile_id: str, changed: dict[str, str | None]
) -> None:
    existing = cim.new_payment_profile(profile_id, payment_profile(card(VISA)))
    response = cim.add_payment_profile(profile_id, payment_profile(card(VISA), address(**changed)))
    assert error(response) == _duplicate_of(existing)


@pytest.mark.parametrize(
    "changed",
    [
        {"firstName": "Mary"},
        {"lastName": "Smith"},
        {"address": "15 Main Street"},
        {"zip": "44629"},
        {"zip": None},
    ],
)
def test_a_different_name_address_or_zip_is_a_new_payment_profile(
    cim: Cim, profile_id: str, changed: dict[str, str | None]
) -> None:
    existing = cim.new_payment_profile(profile_id, payment_profile(card(VISA)))
    added = cim.new_payment_profile(profile_id, payment_profile(card(VISA), address(**changed)))
    assert added != existing
    assert _count(cim, profile_id) == 2


def test_a_different_card_number_is_a_new_payment_profile(cim: Cim, profile_id: str) -> None:
    cim.new_payment_profile(profile_id, payment_profile(card(VISA)))
    cim.new_payment_profile(profile_id, payment_profile(card(MASTERCARD)))
    cim.new_payment_profile(profile_id, payment_profile(card(VISA), None))
    assert _count(cim, profile_id) == 3


def test_same_bank_account_and_billing_is_a_duplicate(cim: Cim, profile_id: str) -> None:
    existing = cim.new_payment_profile(profile_id, payment_profile(bank(ACCOUNT)))
    response = cim.add_payment_profile(
        profile_id, payment_profile(bank(ACCOUNT, name="Someone Else", account_type="savings"))
    )
    assert error(response) == _duplicate_of(existing)
    cim.new_payment_profile(profile_id, payment_profile(bank("987654322")))
    assert _count(cim, profile_id) == 2


def test_same_card_in_another_customer_profile_is_not_a_duplicate(cim: Cim, profile_id: str) -> None:
    cim.new_payment_profile(profile_id, payment_profile(card(VISA)))
    other = cim.new_profile(profile("cust-2"))
    cim.new_payment_profile(other, payment_profile(card(VISA)))
    assert _count(cim, other) == 1


# ----------------------------------------------------------------------------- limit


def test_eleventh_payment_profile_is_refused_with_e00042(cim: Cim) -> None:
    profile_id = cim.new_profile(
        profile(payment_profiles=[payment_profile(card(), address(firstName=f"Name{n}")) for n in range(10)])
    )
    response = cim.add_payment_profile(profile_id, payment_profile(card(MASTERCARD)))
    assert error(response) == ("E00042", "You cannot add more than 10 payment profiles.")
    assert _count(cim, profile_id) == 10
    # deleting one makes room again
    first = (
        text(items(cim.stored_profile(profile_id), "paymentProfiles")[0], "customerPaymentProfileId") or ""
    )
    ok(cim.delete_payment_profile(profile_id, first))
    cim.new_payment_profile(profile_id, payment_profile(card(MASTERCARD)))
    assert _count(cim, profile_id) == 10


# ----------------------------------------------------------------------------- list


def _listed(response: Any) -> list[str]:
    return [
        text(item, "customerPaymentProfileId") or ""
        for item in items(response, "paymentProfiles", "paymentProfile")
    ]


def test_list_finds_only_cards_expiring_in_the_month(cim: Cim, profile_id: str) -> None:
    in_month = {
        cim.new_payment_profile(profile_id, payment_profile(card(VISA, "2031-05"))),
        cim.new_payment_profile(profile_id, payment_profile(card(AMEX, "05/31"))),
    }
    cim.new_payment_profile(profile_id, payment_profile(card(MASTERCARD, "2031-06")))
    cim.new_payment_profile(profile_id, payment_profile(bank()))
    other_profile = cim.new_profile(profile("cust-2"))
    in_month.add(cim.new_payment_profile(other_profile, payment_profile(card(DISCOVER, "0531"))))

    listing = ok(cim.list_expiring("2031-05"))
    assert text(listing, "totalNumInResultSet") == "3"
    assert set(_listed(listing)) == in_month
    listed = items(listing, "paymentProfiles", "paymentProfile")
    for item in listed:
        assert (_card(item, "cardNumber") or "").startswith("XXXX")
        assert len(_card(item, "cardNumber") or "") == 8
        assert _card(item, "expirationDate") == "XXXX"
        assert text(item, "customerProfileId") in (profile_id, other_profile)
    amex = next(item for item in listed if _card(item, "cardNumber") == "XXXX0002")
    assert address_values(amex.billTo) == expected(BILLING)
    assert text(amex, "customerProfileId") == profile_id
    # the first card of each customer profile is its default
    assert sorted(_default(item) for item in listed) == [False, True, True]


def test_empty_list_is_ok_with_total_zero(cim: Cim, profile_id: str) -> None:
    cim.new_payment_profile(profile_id, payment_profile(card(VISA, "2031-05")))
    listing = ok(cim.list_expiring("2020-12"))
    assert text(listing, "totalNumInResultSet") == "0"
    assert _listed(listing) == []


def test_list_sorts_by_id_ascending_and_descending(cim: Cim, profile_id: str) -> None:
    created = [
        cim.new_payment_profile(
            profile_id, payment_profile(card(VISA, "2032-02"), address(firstName=f"Name{n}"))
        )
        for n in range(5)
    ]
    by_number = sorted(created, key=int)
    assert _listed(ok(cim.list_expiring("2032-02"))) == by_number
    assert _listed(ok(cim.list_expiring("2032-02", descending=False))) == by_number
    assert _listed(ok(cim.list_expiring("2032-02", descending=True))) == by_number[::-1]


def test_list_pages_where_offset_counts_pages(cim: Cim, profile_id: str) -> None:
    created = sorted(
        (
            cim.new_payment_profile(
                profile_id, payment_profile(card(VISA, "2032-03"), address(firstName=f"Name{n}"))
            )
            for n in range(5)
        ),
        key=int,
    )
    pages = [
        ok(cim.list_expiring("2032-03", descending=False, limit=2, offset=page)) for page in (1, 2, 3, 4)
    ]
    assert [text(page, "totalNumInResultSet") for page in pages] == ["5", "5", "5", "5"]
    assert _listed(pages[0]) == created[0:2]
    assert _listed(pages[1]) == created[2:4]
    assert _listed(pages[2]) == created[4:5]
    assert _listed(pages[3]) == []
    descending = ok(cim.list_expiring("2032-03", descending=True, limit=3, offset=2))
    assert _listed(descending) == created[::-1][3:5]


def test_list_errors_are_refused_with_a_schema_valid_answer(
    server: LiveServer, cim: Cim, profile_id: str
) -> None:
    assert error(cim.list_expiring("2031-13"))[0] == "E00013"
    impostor = Cim(server, ApiMerchant(cim.merchant.login_id, "WrongKey12345678", ""))
    assert error(impostor.list_expiring("2031-05"))[0] == "E00007"
    # Both answers carry the required totalNumInResultSet: the autouse check validates them.


# ----------------------------------------------------------------------------- update


def _update(
    cim: Cim,
    profile_id: str,
    payment_profile_id: str,
    payment: Any = None,
    bill_to: Any = None,
    **options: Any,
) -> Any:
    item = payment_profile(payment, bill_to, profile_id=payment_profile_id, **options)
    if payment is None:
        item.payment = None
    return cim.update_payment_profile(profile_id, item)


def test_masked_number_and_expiry_keep_the_stored_values(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(VISA, "2031-04")))
    ok(_update(cim, profile_id, payment_profile_id, card("XXXX1111", "XXXX"), address(city="Austin")))
    stored = cim.stored(profile_id, payment_profile_id)
    assert _card(stored, "cardNumber") == "XXXX1111"
    assert _card(stored, "expirationDate") == "2031-04"
    assert text(stored, "billTo", "city") == "Austin"
    # the full number is still there: a liveMode validation reaches the processor with it
    record = text(ok(cim.validate(profile_id, payment_profile_id, "liveMode")), "directResponse") or ""
    assert record.startswith("1,1,1,")
    assert field(record, 51) == "XXXX1111"
    assert field(record, 52) == "Visa"


def test_masked_number_with_a_new_expiry_changes_only_the_expiry(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(VISA, "2031-04")))
    ok(_update(cim, profile_id, payment_profile_id, card("XXXX1111", "08/33"), address()))
    stored = cim.stored(profile_id, payment_profile_id)
    assert (_card(stored, "cardNumber"), _card(stored, "expirationDate")) == ("XXXX1111", "2033-08")
    assert cim.expiring_total("2033-08") == 1
    assert cim.expiring_total("2031-04") == 0


def test_a_new_card_replaces_the_old_one(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(VISA, "2031-04")))
    ok(_update(cim, profile_id, payment_profile_id, card(MASTERCARD, "2034-02"), address()))
    stored = cim.stored(profile_id, payment_profile_id)
    assert (_card(stored, "cardNumber"), _card(stored, "expirationDate"), _card(stored, "cardType")) == (
        "XXXX0015",
        "2034-02",
        "MasterCard",
    )
    # the old card is no longer stored: adding it again is not a duplicate
    cim.new_payment_profile(profile_id, payment_profile(card(VISA, "2031-04")))


def test_a_new_card_with_masked_expiry_keeps_the_old_expiry(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(VISA, "2031-04")))
    ok(_update(cim, profile_id, payment_profile_id, card(AMEX, "XXXX"), address()))
    stored = cim.stored(profile_id, payment_profile_id)
    assert (_card(stored, "cardNumber"), _card(stored, "expirationDate")) == ("XXXX0002", "2031-04")


def test_masked_number_whose_last_four_differ_is_refused(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(VISA, "2031-04")))
    response = _update(
        cim, profile_id, payment_profile_id, card("XXXX0015", "2033-01"), address(city="Austin")
    )
    assert error(response)[0] == "E00013"
    stored = cim.stored(profile_id, payment_profile_id)
    assert _card(stored, "expirationDate") == "2031-04"
    assert text(stored, "billTo", "city") == "Pecan Springs"


def test_masked_card_number_on_a_bank_profile_is_refused(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(bank(ACCOUNT)))
    response = _update(cim, profile_id, payment_profile_id, card("XXXX4321", "XXXX"), address())
    assert error(response)[0] == "E00013"
    assert _bank(cim.stored(profile_id, payment_profile_id), "accountNumber") == "XXXX4321"


def test_omitted_bill_to_keeps_the_old_billing(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(VISA)))
    ok(_update(cim, profile_id, payment_profile_id, card("XXXX1111", "XXXX"), None))
    assert address_values(cim.stored(profile_id, payment_profile_id).billTo) == expected(BILLING)


def test_bill_to_replaces_the_whole_billing_block(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(VISA)))
    ok(
        _update(
            cim,
            profile_id,
            payment_profile_id,
            card("XXXX1111", "XXXX"),
            only(firstName="Ellen", lastName="Johnson", zip="44628"),
        )
    )
    assert address_values(cim.stored(profile_id, payment_profile_id).billTo) == {
        "firstName": "Ellen",
        "lastName": "Johnson",
        "zip": "44628",
    }


def test_omitted_payment_keeps_the_card(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(VISA, "2031-04")))
    ok(_update(cim, profile_id, payment_profile_id, None, address(city="Austin")))
    stored = cim.stored(profile_id, payment_profile_id)
    assert (_card(stored, "cardNumber"), _card(stored, "expirationDate")) == ("XXXX1111", "2031-04")
    assert text(stored, "billTo", "city") == "Austin"


def test_bill_to_email_longer_than_255_characters_is_refused(cim: Cim, profile_id: str) -> None:
    long_email = "x" * 244 + "@example.com"
    assert len(long_email) == 256
    response = cim.add_payment_profile(profile_id, payment_profile(card(VISA), address(email=long_email)))
    assert error(response)[0] == "E00015"
    assert _count(cim, profile_id) == 0
    payment_profile_id = cim.new_payment_profile(
        profile_id, payment_profile(card(VISA), address(email=long_email[1:]))
    )
    assert text(cim.stored(profile_id, payment_profile_id), "billTo", "email") == long_email[1:]
    response = _update(
        cim, profile_id, payment_profile_id, card("XXXX1111", "XXXX"), address(email=long_email)
    )
    assert error(response)[0] == "E00015"


def test_omitted_customer_type_is_cleared(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(
        profile_id, payment_profile(card(VISA), customer_type="business")
    )
    ok(_update(cim, profile_id, payment_profile_id, card("XXXX1111", "XXXX"), address()))
    assert text(cim.stored(profile_id, payment_profile_id), "customerType") is None


def test_masked_bank_numbers_keep_the_stored_account(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(bank(ACCOUNT)))
    ok(
        _update(
            cim,
            profile_id,
            payment_profile_id,
            bank("XXXX4321", "XXXX2882", name="Jane Doe", account_type="savings"),
            None,
        )
    )
    stored = cim.stored(profile_id, payment_profile_id)
    assert (_bank(stored, "accountNumber"), _bank(stored, "routingNumber")) == ("XXXX4321", "XXXX2882")
    assert (_bank(stored, "nameOnAccount"), _bank(stored, "accountType")) == ("Jane Doe", "savings")
    # the stored account is still the original one: a new profile with it is a duplicate
    response = cim.add_payment_profile(profile_id, payment_profile(bank(ACCOUNT)))
    assert error(response) == _duplicate_of(payment_profile_id)


def test_masked_account_whose_last_four_differ_is_refused(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(bank(ACCOUNT)))
    response = _update(cim, profile_id, payment_profile_id, bank("XXXX9999", "XXXX2882"), None)
    assert error(response)[0] == "E00013"
    assert _bank(cim.stored(profile_id, payment_profile_id), "nameOnAccount") == "John Doe"


def test_update_into_a_duplicate_of_another_payment_profile_is_e00039(cim: Cim, profile_id: str) -> None:
    first = cim.new_payment_profile(profile_id, payment_profile(card(VISA)))
    second = cim.new_payment_profile(profile_id, payment_profile(card(MASTERCARD)))
    response = _update(cim, profile_id, second, card(VISA, "2030-01"), address())
    assert error(response) == _duplicate_of(first)
    assert _card(cim.stored(profile_id, second), "cardNumber") == "XXXX0015"


def test_update_without_a_payment_profile_id_is_e00014(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(VISA)))
    item = contracts.customerPaymentProfileExType()
    item.billTo = address(city="Austin")
    item.payment = card("XXXX1111", "XXXX")
    assert error(cim.update_payment_profile(profile_id, item))[0] == "E00014"
    assert text(cim.stored(profile_id, payment_profile_id), "billTo", "city") == "Pecan Springs"


def test_update_of_an_unknown_payment_profile_is_e00040(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id)
    other_profile = cim.new_profile(profile("cust-2"))
    assert error(_update(cim, profile_id, "1999999999", card(VISA), address()))[0] == "E00040"
    assert error(_update(cim, other_profile, payment_profile_id, card(MASTERCARD), address()))[0] == "E00040"
    assert _card(cim.stored(profile_id, payment_profile_id), "cardNumber") == "XXXX1111"


def test_update_with_a_declined_live_validation_changes_nothing(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(VISA)))
    item = payment_profile(
        card("XXXX1111", "2034-09"), address(zip=DECLINE_ZIP), profile_id=payment_profile_id
    )
    response = cim.update_payment_profile(profile_id, item, "liveMode")
    assert error(response)[0] == "E00027"
    assert is_declined(text(response, "validationDirectResponse") or "")
    stored = cim.stored(profile_id, payment_profile_id)
    assert text(stored, "billTo", "zip") == "44628"
    assert _card(stored, "expirationDate") == "2035-12"


def test_update_in_test_mode_returns_the_testmode_record(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id, payment_profile(card(VISA)))
    item = payment_profile(card("XXXX1111", "XXXX"), address(), profile_id=payment_profile_id)
    response = ok(cim.update_payment_profile(profile_id, item, "testMode"))
    assert (text(response, "validationDirectResponse") or "").startswith(
        "1,1,1,(TESTMODE) This transaction has been approved.,000000,P,0,"
    )
    assert text(ok(cim.update_payment_profile(profile_id, item)), "validationDirectResponse") is None


# ----------------------------------------------------------------------------- delete


def test_delete_removes_only_that_payment_profile(cim: Cim, profile_id: str) -> None:
    doomed = cim.new_payment_profile(profile_id, payment_profile(card(VISA)))
    kept = cim.new_payment_profile(profile_id, payment_profile(card(MASTERCARD)))
    response = ok(cim.delete_payment_profile(profile_id, doomed, ref_id="ref-del-pp"))
    assert text(response, "refId") == "ref-del-pp"
    assert error(cim.get_payment_profile(profile_id, doomed))[0] == "E00040"
    assert [
        text(item, "customerPaymentProfileId")
        for item in items(cim.stored_profile(profile_id), "paymentProfiles")
    ] == [kept]
    assert error(cim.delete_payment_profile(profile_id, doomed))[0] == "E00040"
    assert error(cim.validate(profile_id, doomed))[0] == "E00040"
    # the same card can be stored again once the old payment profile is gone
    cim.new_payment_profile(profile_id, payment_profile(card(VISA)))


def test_delete_under_the_wrong_customer_profile_is_e00040(cim: Cim, profile_id: str) -> None:
    payment_profile_id = cim.new_payment_profile(profile_id)
    other_profile = cim.new_profile(profile("cust-2"))
    assert error(cim.delete_payment_profile(other_profile, payment_profile_id))[0] == "E00040"
    assert error(cim.delete_payment_profile(profile_id, "1999999999"))[0] == "E00040"
    ok(cim.get_payment_profile(profile_id, payment_profile_id))
