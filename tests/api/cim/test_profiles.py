"""Customer profiles through the official SDK: create (nested records, validation modes, guest),
get (by id, merchantCustomerId, email), list ids, update, delete with cascade, and the rules
around them (identity fields, duplicates, limits, credentials, refId)."""

from __future__ import annotations

import pytest

from tests.api.builders import (
    ACCOUNT,
    AMEX,
    BILLING,
    DECLINE_ZIP,
    MASTERCARD,
    ROUTING,
    SHIPPING,
    VISA,
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
    payment_profile,
    profile,
    shipping,
    text,
    texts,
)
from tests.api.live_server import LiveServer
from tests.api.sdk import ApiMerchant, new_merchant, result

TESTMODE_PREFIX = (
    "1,1,1,(TESTMODE) This transaction has been approved.,000000,P,0,none,"
    "Test transaction for ValidateCustomerPaymentProfile.,1.00,"
)


@pytest.fixture
def cim(server: LiveServer, merchant: ApiMerchant) -> Cim:
    return Cim(server, merchant)


def _payment_ids(response: object) -> list[str]:
    return texts(response, "customerPaymentProfileIdList", "numericString")


def _records(response: object) -> list[str]:
    return texts(response, "validationDirectResponseList", "string")


# ----------------------------------------------------------------------------- create


def test_create_with_nested_records_returns_their_ids_in_request_order(cim: Cim) -> None:
    request = profile(
        "cust-1",
        "Ellen's profile",
        "ellen@example.com",
        payment_profiles=[
            payment_profile(card(VISA)),
            payment_profile(bank(), address(firstName="Mary")),
            payment_profile(card(AMEX), None),
        ],
        ship_to=[shipping(), shipping(address="99 Side Street")],
    )
    response = ok(cim.create_profile(request))
    profile_id = text(response, "customerProfileId")
    payment_ids = _payment_ids(response)
    address_ids = texts(response, "customerShippingAddressIdList", "numericString")
    assert profile_id is not None
    assert len(payment_ids) == 3
    assert len(set(payment_ids)) == 3
    assert len(address_ids) == 2
    assert len(set(address_ids)) == 2
    assert all(item.isdigit() for item in [profile_id, *payment_ids, *address_ids])
    assert _records(response) == []

    stored = cim.stored_profile(profile_id)
    assert text(stored, "customerProfileId") == profile_id
    assert text(stored, "merchantCustomerId") == "cust-1"
    assert text(stored, "description") == "Ellen's profile"
    assert text(stored, "email") == "ellen@example.com"
    assert text(stored, "profileType") == "regular"
    payment_profiles = items(stored, "paymentProfiles")
    assert [text(item, "customerPaymentProfileId") for item in payment_profiles] == payment_ids
    visa, account, amex = payment_profiles
    assert text(visa, "payment", "creditCard", "cardNumber") == "XXXX1111"
    assert text(visa, "payment", "creditCard", "cardType") == "Visa"
    assert address_values(visa.billTo) == expected(BILLING)
    assert text(account, "payment", "bankAccount", "accountNumber") == "XXXX" + ACCOUNT[-4:]
    assert text(account, "billTo", "firstName") == "Mary"
    assert text(amex, "payment", "creditCard", "cardNumber") == "XXXX0002"
    assert child(amex, "billTo") is None
    ship_to = items(stored, "shipToList")
    assert [text(item, "customerAddressId") for item in ship_to] == address_ids
    assert address_values(ship_to[0]) == expected(SHIPPING)
    assert text(ship_to[1], "address") == "99 Side Street"


def test_first_payment_profile_of_a_new_profile_is_the_default(cim: Cim) -> None:
    response = ok(
        cim.create_profile(
            profile(payment_profiles=[payment_profile(card(VISA)), payment_profile(card(MASTERCARD))])
        )
    )
    first, second = _payment_ids(response)
    profile_id = text(response, "customerProfileId") or ""
    assert text(cim.stored(profile_id, first), "defaultPaymentProfile") == "true"
    assert text(cim.stored(profile_id, second), "defaultPaymentProfile") in (None, "false")


def test_create_in_test_mode_returns_one_testmode_record_per_payment_profile(cim: Cim) -> None:
    request = profile(
        "cust-7",
        email="ellen@example.com",
        payment_profiles=[payment_profile(card(VISA)), payment_profile(card(MASTERCARD))],
    )
    records = _records(ok(cim.create_profile(request, "testMode")))
    assert len(records) == 2
    for record, last4, brand in zip(records, ("1111", "0015"), ("Visa", "MasterCard"), strict=True):
        assert record.startswith(TESTMODE_PREFIX + "CC,auth_only,cust-7,Ellen,Johnson,")
        assert len(record.split(",")) == 68
        assert field(record, 24) == "ellen@example.com"
        assert field(record, 51) == "XXXX" + last4
        assert field(record, 52) == brand


def test_create_in_live_mode_returns_approved_records_with_real_transaction_ids(cim: Cim) -> None:
    request = profile(payment_profiles=[payment_profile(card(VISA)), payment_profile(card(MASTERCARD))])
    visa, mastercard = _records(ok(cim.create_profile(request, "liveMode")))
    for record in (visa, mastercard):
        assert record.startswith("1,1,1,This transaction has been approved.,")
        assert field(record, 7).isdigit()
        assert field(record, 7) != "0"
        assert len(field(record, 5)) == 6
        assert field(record, 5) != "000000"
        assert field(record, 11) == "CC"
    assert field(visa, 7) != field(mastercard, 7)
    assert field(visa, 10) == "0.00"
    assert field(mastercard, 10) == "0.01"


def test_explicit_validation_mode_none_validates_nothing(cim: Cim) -> None:
    response = ok(cim.create_profile(profile(payment_profiles=[payment_profile()]), "none"))
    assert _records(response) == []
    assert len(_payment_ids(response)) == 1


def test_declined_live_validation_creates_nothing_and_returns_the_declined_record(cim: Cim) -> None:
    declined = payment_profile(card(VISA), address(zip=DECLINE_ZIP))
    request = profile(
        "cust-declined", payment_profiles=[payment_profile(card(AMEX)), declined], ship_to=[shipping()]
    )
    response = cim.create_profile(request, "liveMode")
    assert error(response)[0] == "E00027"
    records = _records(response)
    assert len(records) == 1
    assert is_declined(records[0])
    assert field(records[0], 20) == DECLINE_ZIP
    assert text(response, "customerProfileId") is None
    assert _payment_ids(response) == []
    assert cim.profile_id_list() == []
    assert error(cim.get_profile(merchant_customer_id="cust-declined"))[0] == "E00040"


def test_guest_profile_type_is_kept(cim: Cim) -> None:
    profile_id = cim.new_profile(profile("guest-1", profile_type="guest"))
    assert text(cim.stored_profile(profile_id), "profileType") == "guest"


@pytest.mark.parametrize(
    ("merchant_customer_id", "description", "email"),
    [
        ("only-id", None, None),
        (None, "only a description", None),
        (None, None, "only@example.com"),
    ],
)
def test_any_one_identity_field_is_enough(
    cim: Cim, merchant_customer_id: str | None, description: str | None, email: str | None
) -> None:
    profile_id = cim.new_profile(profile(merchant_customer_id, description, email))
    stored = cim.stored_profile(profile_id)
    assert (text(stored, "merchantCustomerId"), text(stored, "description"), text(stored, "email")) == (
        merchant_customer_id,
        description,
        email,
    )


def test_profile_without_any_identity_field_is_refused_with_e00041(cim: Cim) -> None:
    request = profile(None, payment_profiles=[payment_profile()], ship_to=[shipping()])
    code, message = error(cim.create_profile(request))
    assert code == "E00041"
    assert "merchantCustomerId" in message
    assert cim.profile_id_list() == []


def test_duplicate_profile_is_refused_with_the_existing_id(cim: Cim) -> None:
    existing = cim.new_profile(profile("cust-1", "Ellen", "ellen@example.com"))
    response = cim.create_profile(
        profile("cust-1", "Ellen", "ellen@example.com", payment_profiles=[payment_profile()])
    )
    assert error(response) == ("E00039", f"A duplicate record with ID {existing} already exists.")
    assert text(response, "customerProfileId") is None
    assert cim.profile_id_list() == [existing]
    assert cim.expiring_total("2035-12") == 0


@pytest.mark.parametrize(
    ("merchant_customer_id", "description", "email"),
    [
        ("cust-2", "Ellen", "ellen@example.com"),
        ("cust-1", "Someone else", "ellen@example.com"),
        ("cust-1", "Ellen", "other@example.com"),
        ("cust-1", None, "ellen@example.com"),
    ],
)
def test_profile_differing_in_one_identity_field_is_not_a_duplicate(
    cim: Cim, merchant_customer_id: str, description: str | None, email: str
) -> None:
    first = cim.new_profile(profile("cust-1", "Ellen", "ellen@example.com"))
    second = cim.new_profile(profile(merchant_customer_id, description, email))
    assert first != second
    assert sorted(cim.profile_id_list()) == sorted([first, second])


def test_more_than_ten_payment_profiles_at_create_is_refused_with_e00042(cim: Cim) -> None:
    request = profile(
        payment_profiles=[payment_profile(card(), address(firstName=f"Name{n}")) for n in range(11)]
    )
    assert error(cim.create_profile(request)) == ("E00042", "You cannot add more than 10 payment profiles.")
    assert cim.profile_id_list() == []


def test_ten_payment_profiles_at_create_are_accepted(cim: Cim) -> None:
    request = profile(
        payment_profiles=[payment_profile(card(), address(firstName=f"Name{n}")) for n in range(10)]
    )
    assert len(_payment_ids(ok(cim.create_profile(request)))) == 10


def test_more_than_the_address_limit_at_create_is_refused_with_e00043(cim: Cim) -> None:
    request = profile(ship_to=[shipping(address=f"{n} Main Street") for n in range(101)])
    assert error(cim.create_profile(request))[0] == "E00043"
    assert cim.profile_id_list() == []


def test_duplicate_addresses_inside_one_create_are_refused(cim: Cim) -> None:
    assert error(cim.create_profile(profile(ship_to=[shipping(), shipping()])))[0] == "E00039"
    assert cim.profile_id_list() == []


def test_duplicate_payment_profiles_inside_one_create_are_refused(cim: Cim) -> None:
    request = profile(
        payment_profiles=[payment_profile(card(VISA, "2035-12")), payment_profile(card(VISA, "2036-01"))]
    )
    assert error(cim.create_profile(request))[0] == "E00039"
    assert cim.profile_id_list() == []


# ----------------------------------------------------------------------------- get


def test_get_by_merchant_customer_id_and_by_email(cim: Cim) -> None:
    first = cim.new_profile(profile("cust-1", email="one@example.com"))
    second = cim.new_profile(profile("cust-2", email="two@example.com"))
    by_id = ok(cim.get_profile(merchant_customer_id="cust-2")).profile
    assert text(by_id, "customerProfileId") == second
    by_email = ok(cim.get_profile(email="one@example.com")).profile
    assert text(by_email, "customerProfileId") == first
    assert text(by_email, "merchantCustomerId") == "cust-1"


def test_get_without_any_lookup_is_e00014(cim: Cim) -> None:
    cim.new_profile(profile("cust-1", email="one@example.com"))
    assert error(cim.get_profile())[0] == "E00014"


@pytest.mark.parametrize(
    "lookup",
    [
        {"profile_id": "1999999999"},
        {"merchant_customer_id": "nobody"},
        {"email": "nobody@example.com"},
    ],
)
def test_get_of_an_unknown_profile_is_e00040(cim: Cim, lookup: dict[str, str]) -> None:
    cim.new_profile(profile("cust-1", email="one@example.com"))
    response = cim.get_profile(
        lookup.get("profile_id"),
        merchant_customer_id=lookup.get("merchant_customer_id"),
        email=lookup.get("email"),
    )
    assert error(response)[0] == "E00040"
    assert child(response, "profile") is None


def test_get_masks_expiry_unless_unmasked_and_adds_issuer_info_on_request(cim: Cim) -> None:
    profile_id = cim.new_profile(profile(payment_profiles=[payment_profile(card(MASTERCARD, "2031-07"))]))
    path = ("profile", "paymentProfiles", "payment", "creditCard")
    masked = child(ok(cim.get_profile(profile_id)), *path)
    assert (text(masked, "cardNumber"), text(masked, "expirationDate")) == ("XXXX0015", "XXXX")
    assert text(masked, "issuerNumber") is None
    plain = child(ok(cim.get_profile(profile_id, unmask=True, issuer_info=True)), *path)
    assert text(plain, "expirationDate") == "2031-07"
    assert text(plain, "issuerNumber") == MASTERCARD[:6]
    assert text(plain, "cardNumber") == "XXXX0015"
    explicit_false = child(ok(cim.get_profile(profile_id, unmask=False, issuer_info=False)), *path)
    assert text(explicit_false, "expirationDate") == "XXXX"
    assert text(explicit_false, "issuerNumber") is None


def test_reads_never_contain_full_card_or_account_numbers(cim: Cim) -> None:
    response = ok(
        cim.create_profile(
            profile(payment_profiles=[payment_profile(card(VISA)), payment_profile(bank(ACCOUNT))]),
            "liveMode",
        )
    )
    profile_id = text(response, "customerProfileId") or ""
    card_id, bank_id = _payment_ids(response)
    stored = ok(cim.get_profile(profile_id, unmask=True, issuer_info=True)).profile
    assert (
        text(items(stored, "paymentProfiles")[1], "payment", "bankAccount", "routingNumber")
        == "XXXX" + ROUTING[-4:]
    )
    ok(cim.get_payment_profile(profile_id, card_id, unmask=True, issuer_info=True))
    ok(cim.get_payment_profile(profile_id, bank_id, unmask=True, issuer_info=True))
    ok(cim.validate(profile_id, card_id, "liveMode"))
    ok(cim.validate(profile_id, bank_id, "liveMode"))
    ok(cim.list_expiring("2035-12"))
    sent = bodies(cim.server)
    assert len(sent) == 7
    for body in sent:
        assert VISA.encode() not in body
        assert ACCOUNT.encode() not in body
        assert ROUTING.encode() not in body


# ----------------------------------------------------------------------------- ids


def test_profile_ids_list_exactly_the_merchants_profiles(cim: Cim) -> None:
    assert cim.profile_id_list() == []
    created = [cim.new_profile(profile(f"cust-{n}")) for n in range(3)]
    assert sorted(cim.profile_id_list()) == sorted(created)
    ok(cim.delete_profile(created[1]))
    assert sorted(cim.profile_id_list()) == sorted([created[0], created[2]])


# ----------------------------------------------------------------------------- update


def test_update_replaces_the_fields_and_clears_the_omitted_ones(cim: Cim) -> None:
    profile_id = cim.new_profile(
        profile(
            "cust-1", "Ellen", "ellen@example.com", payment_profiles=[payment_profile()], ship_to=[shipping()]
        )
    )
    ok(cim.update_profile(profile_id, merchant_customer_id="cust-9", email="new@example.com"))
    stored = cim.stored_profile(profile_id)
    assert text(stored, "merchantCustomerId") == "cust-9"
    assert text(stored, "description") is None
    assert text(stored, "email") == "new@example.com"
    assert len(items(stored, "paymentProfiles")) == 1
    assert len(items(stored, "shipToList")) == 1
    found = ok(cim.get_profile(merchant_customer_id="cust-9")).profile
    assert text(found, "customerProfileId") == profile_id
    assert error(cim.get_profile(merchant_customer_id="cust-1"))[0] == "E00040"


def test_update_keeps_the_profile_type_unless_given(cim: Cim) -> None:
    profile_id = cim.new_profile(profile("guest-1", profile_type="guest"))
    ok(cim.update_profile(profile_id, merchant_customer_id="guest-2"))
    assert text(cim.stored_profile(profile_id), "profileType") == "guest"
    ok(cim.update_profile(profile_id, merchant_customer_id="guest-2", profile_type="regular"))
    assert text(cim.stored_profile(profile_id), "profileType") == "regular"


def test_update_without_any_identity_field_is_e00041_and_changes_nothing(cim: Cim) -> None:
    profile_id = cim.new_profile(profile("cust-1", "Ellen"))
    assert error(cim.update_profile(profile_id))[0] == "E00041"
    stored = cim.stored_profile(profile_id)
    assert (text(stored, "merchantCustomerId"), text(stored, "description")) == ("cust-1", "Ellen")


def test_update_into_a_duplicate_of_another_profile_is_e00039(cim: Cim) -> None:
    other = cim.new_profile(profile("cust-1", "Ellen", "ellen@example.com"))
    profile_id = cim.new_profile(profile("cust-2"))
    response = cim.update_profile(profile_id, "cust-1", "Ellen", "ellen@example.com")
    assert error(response) == ("E00039", f"A duplicate record with ID {other} already exists.")
    assert text(cim.stored_profile(profile_id), "merchantCustomerId") == "cust-2"


def test_update_with_its_own_unchanged_values_is_not_a_duplicate(cim: Cim) -> None:
    profile_id = cim.new_profile(profile("cust-1", "Ellen", "ellen@example.com"))
    ok(cim.update_profile(profile_id, "cust-1", "Ellen", "ellen@example.com"))


def test_update_of_an_unknown_profile_is_e00040(cim: Cim) -> None:
    assert error(cim.update_profile("1999999999", "cust-1"))[0] == "E00040"
    assert cim.profile_id_list() == []


# ----------------------------------------------------------------------------- delete


def test_delete_removes_the_profile_with_its_payment_profiles_and_addresses(cim: Cim) -> None:
    response = ok(
        cim.create_profile(
            profile(
                "cust-1",
                payment_profiles=[payment_profile(card(VISA)), payment_profile(bank())],
                ship_to=[shipping()],
            )
        )
    )
    profile_id = text(response, "customerProfileId") or ""
    card_id, bank_id = _payment_ids(response)
    (address_id,) = texts(response, "customerShippingAddressIdList", "numericString")
    keeper = cim.new_profile(profile("cust-2", payment_profiles=[payment_profile()]))
    assert cim.expiring_total("2035-12") == 2

    ok(cim.delete_profile(profile_id))

    assert error(cim.get_profile(profile_id))[0] == "E00040"
    assert error(cim.get_profile(merchant_customer_id="cust-1"))[0] == "E00040"
    assert error(cim.get_payment_profile(profile_id, card_id))[0] == "E00040"
    assert error(cim.get_payment_profile(profile_id, bank_id))[0] == "E00040"
    assert error(cim.get_address(profile_id, address_id))[0] == "E00040"
    assert error(cim.validate(profile_id, card_id))[0] == "E00040"
    listing = ok(cim.list_expiring("2035-12"))
    assert text(listing, "totalNumInResultSet") == "1"
    assert [
        text(item, "customerProfileId") for item in items(listing, "paymentProfiles", "paymentProfile")
    ] == [keeper]
    assert cim.profile_id_list() == [keeper]
    assert error(cim.delete_profile(profile_id))[0] == "E00040"


def test_a_new_profile_can_reuse_the_identity_of_a_deleted_one(cim: Cim) -> None:
    old = cim.new_profile(profile("cust-1", "Ellen"))
    ok(cim.delete_profile(old))
    new = cim.new_profile(profile("cust-1", "Ellen"))
    assert new != old


def test_delete_of_an_unknown_profile_is_e00040(cim: Cim) -> None:
    profile_id = cim.new_profile()
    assert error(cim.delete_profile("1999999999"))[0] == "E00040"
    ok(cim.get_profile(profile_id))


# ----------------------------------------------------------------------------- envelope


def test_ref_id_is_echoed_on_success_and_on_error(cim: Cim) -> None:
    response = ok(cim.create_profile(profile("cust-1"), ref_id="ref-create-1"))
    assert text(response, "refId") == "ref-create-1"
    profile_id = text(response, "customerProfileId") or ""
    assert text(ok(cim.get_profile(profile_id, ref_id="ref-get")), "refId") == "ref-get"
    assert text(ok(cim.profile_ids(ref_id="ref-ids")), "refId") == "ref-ids"
    assert text(ok(cim.update_profile(profile_id, "cust-2", ref_id="ref-upd")), "refId") == "ref-upd"
    duplicate = cim.create_profile(profile("cust-2"), ref_id="ref-dup")
    assert error(duplicate)[0] == "E00039"
    assert text(duplicate, "refId") == "ref-dup"
    missing = cim.get_profile("1999999999", ref_id="ref-missing")
    assert error(missing)[0] == "E00040"
    assert text(missing, "refId") == "ref-missing"
    assert text(ok(cim.delete_profile(profile_id, ref_id="ref-del")), "refId") == "ref-del"


def test_no_ref_id_means_none_in_the_answer(cim: Cim) -> None:
    assert text(ok(cim.profile_ids()), "refId") is None


def test_wrong_transaction_key_is_e00007_and_creates_nothing(
    server: LiveServer, merchant: ApiMerchant
) -> None:
    cim = Cim(server, merchant)
    impostor = Cim(server, ApiMerchant(merchant.login_id, "WrongKey12345678", merchant.signature_key))
    response = impostor.create_profile(profile("cust-1"), ref_id="ref-bad")
    assert result(response)[:2] == ("Error", "E00007")
    assert text(response, "refId") == "ref-bad"
    assert cim.profile_id_list() == []
    profile_id = cim.new_profile(profile("cust-1"))
    assert error(impostor.get_profile(profile_id))[0] == "E00007"
    assert error(impostor.delete_profile(profile_id))[0] == "E00007"
    assert error(impostor.update_profile(profile_id, "cust-2"))[0] == "E00007"
    assert error(impostor.profile_ids())[0] == "E00007"
    assert text(cim.stored_profile(profile_id), "merchantCustomerId") == "cust-1"


def test_unknown_login_and_another_merchants_key_are_e00007(
    server: LiveServer, merchant: ApiMerchant
) -> None:
    other = new_merchant(server, "Other merchant")
    unknown = Cim(server, ApiMerchant("nosuchlogin", merchant.transaction_key, ""))
    assert error(unknown.profile_ids())[0] == "E00007"
    crossed = Cim(server, ApiMerchant(merchant.login_id, other.transaction_key, ""))
    assert error(crossed.profile_ids())[0] == "E00007"
