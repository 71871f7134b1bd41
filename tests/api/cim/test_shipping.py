"""Shipping addresses through the official SDK: create, get, update (a full replacement), delete,
and the default, duplicate and limit rules."""

from __future__ import annotations

from typing import Any

import pytest
from authorizenet import apicontractsv1 as contracts
from authorizenet import apicontrollers as controllers

from tests.api.builders import (
    SHIPPING,
    Cim,
    address,
    address_values,
    error,
    expected,
    items,
    ok,
    only,
    profile,
    shipping,
    text,
)
from tests.api.live_server import LiveServer
from tests.api.sdk import ApiMerchant


@pytest.fixture
def cim(server: LiveServer, merchant: ApiMerchant) -> Cim:
    return Cim(server, merchant)


@pytest.fixture
def profile_id(cim: Cim) -> str:
    return cim.new_profile(profile("cust-1"))


def _is_default(cim: Cim, profile_id: str, address_id: str) -> bool:
    return text(ok(cim.get_address(profile_id, address_id)), "defaultShippingAddress") == "true"


def _listed(cim: Cim, profile_id: str) -> list[Any]:
    return items(cim.stored_profile(profile_id), "shipToList")


def _duplicate_of(existing: str) -> tuple[str, str]:
    return "E00039", f"A duplicate record with ID {existing} already exists."


# ----------------------------------------------------------------------------- create and get


def test_address_round_trip(cim: Cim, profile_id: str) -> None:
    response = ok(cim.add_address(profile_id, shipping(email="china@example.com"), ref_id="ref-ship"))
    assert text(response, "refId") == "ref-ship"
    assert text(response, "customerProfileId") == profile_id
    address_id = text(response, "customerAddressId") or ""
    assert address_id.isdigit()

    stored = ok(cim.get_address(profile_id, address_id, ref_id="ref-get-ship"))
    assert text(stored, "refId") == "ref-get-ship"
    assert text(stored, "address", "customerAddressId") == address_id
    assert address_values(stored.address) == {**expected(SHIPPING), "email": "china@example.com"}
    listed = _listed(cim, profile_id)
    assert [text(item, "customerAddressId") for item in listed] == [address_id]
    assert address_values(listed[0]) == {**expected(SHIPPING), "email": "china@example.com"}


def test_address_with_a_single_field_is_accepted(cim: Cim, profile_id: str) -> None:
    address_id = cim.new_address(profile_id, only(zip="44628"))
    assert address_values(ok(cim.get_address(profile_id, address_id)).address) == {"zip": "44628"}


def test_email_longer_than_255_characters_is_refused(cim: Cim, profile_id: str) -> None:
    long_email = "y" * 244 + "@example.com"
    assert error(cim.add_address(profile_id, shipping(email=long_email)))[0] == "E00015"
    assert _listed(cim, profile_id) == []
    address_id = cim.new_address(profile_id, shipping(email=long_email[1:]))
    assert text(ok(cim.get_address(profile_id, address_id)), "address", "email") == long_email[1:]
    assert error(cim.update_address(profile_id, address_id, shipping(email=long_email)))[0] == "E00015"
    assert error(cim.create_profile(profile("cust-2", ship_to=[shipping(email=long_email)])))[0] == "E00015"


def test_address_for_an_unknown_profile_is_e00040(cim: Cim, profile_id: str) -> None:
    assert error(cim.add_address("1999999999"))[0] == "E00040"
    assert _listed(cim, profile_id) == []


def test_get_of_unknown_addresses_is_e00040(cim: Cim, profile_id: str) -> None:
    address_id = cim.new_address(profile_id)
    other_profile = cim.new_profile(profile("cust-2"))
    response = cim.get_address(profile_id, "999999999")
    assert error(response)[0] == "E00040"
    assert text(response, "address") is None
    assert error(cim.get_address(other_profile, address_id))[0] == "E00040"
    assert error(cim.get_address("1999999999", address_id))[0] == "E00040"


def test_address_requests_without_an_address_id_are_e00014(cim: Cim, profile_id: str) -> None:
    address_id = cim.new_address(profile_id)
    get = contracts.getCustomerShippingAddressRequest()
    get.customerProfileId = profile_id
    assert error(cim.send(controllers.getCustomerShippingAddressController, get))[0] == "E00014"
    update = contracts.updateCustomerShippingAddressRequest()
    update.customerProfileId = profile_id
    update.address = address(SHIPPING, contracts.customerAddressExType, firstName="Mike")
    assert error(cim.send(controllers.updateCustomerShippingAddressController, update))[0] == "E00014"
    assert address_values(ok(cim.get_address(profile_id, address_id)).address) == expected(SHIPPING)


# ----------------------------------------------------------------------------- defaults


def test_first_address_is_the_default_and_the_default_moves_when_asked(cim: Cim, profile_id: str) -> None:
    first = cim.new_address(profile_id, shipping())
    second = cim.new_address(profile_id, shipping(address="2 Side Street"))
    assert _is_default(cim, profile_id, first)
    assert not _is_default(cim, profile_id, second)

    third = cim.new_address(profile_id, shipping(address="3 Side Street"), default=True)
    assert [_is_default(cim, profile_id, item) for item in (first, second, third)] == [False, False, True]

    ok(cim.update_address(profile_id, second, shipping(address="2 Side Street"), default=True))
    assert [_is_default(cim, profile_id, item) for item in (first, second, third)] == [False, True, False]

    # an update without the flag (or with false) keeps the default where it is
    ok(cim.update_address(profile_id, second, shipping(address="2b Side Street")))
    ok(cim.update_address(profile_id, first, shipping(), default=False))
    assert [_is_default(cim, profile_id, item) for item in (first, second, third)] == [False, True, False]


def test_addresses_of_a_new_profile_make_the_first_the_default(cim: Cim) -> None:
    response = ok(
        cim.create_profile(profile("cust-9", ship_to=[shipping(), shipping(address="2 Side Street")]))
    )
    profile_id = text(response, "customerProfileId") or ""
    first, second = [item.text for item in items(response, "customerShippingAddressIdList", "numericString")]
    assert _is_default(cim, profile_id, first)
    assert not _is_default(cim, profile_id, second)


# ----------------------------------------------------------------------------- duplicates


def test_same_names_address_zip_and_phone_is_a_duplicate(cim: Cim, profile_id: str) -> None:
    existing = cim.new_address(profile_id, shipping())
    assert error(cim.add_address(profile_id, shipping())) == _duplicate_of(existing)
    assert len(_listed(cim, profile_id)) == 1


@pytest.mark.parametrize(
    "changed",
    [
        {"city": "Austin"},
        {"state": "CA"},
        {"company": None},
        {"country": "CA"},
        {"faxNumber": None},
    ],
)
def test_fields_outside_the_address_identity_do_not_make_a_new_address(
    cim: Cim, profile_id: str, changed: dict[str, str | None]
) -> None:
    existing = cim.new_address(profile_id, shipping())
    assert error(cim.add_address(profile_id, shipping(**changed))) == _duplicate_of(existing)


@pytest.mark.parametrize(
    "changed",
    [
        {"firstName": "Mike"},
        {"lastName": "McQuaid"},
        {"address": "13 Main Street"},
        {"zip": "44629"},
        {"phoneNumber": "111-111-1111"},
        {"phoneNumber": None},
    ],
)
def test_a_different_name_address_zip_or_phone_is_a_new_address(
    cim: Cim, profile_id: str, changed: dict[str, str | None]
) -> None:
    existing = cim.new_address(profile_id, shipping())
    added = cim.new_address(profile_id, shipping(**changed))
    assert added != existing
    assert len(_listed(cim, profile_id)) == 2


def test_same_address_in_another_customer_profile_is_not_a_duplicate(cim: Cim, profile_id: str) -> None:
    cim.new_address(profile_id, shipping())
    other_profile = cim.new_profile(profile("cust-2"))
    cim.new_address(other_profile, shipping())


# ----------------------------------------------------------------------------- limit


def test_address_beyond_the_limit_is_refused_with_e00043(cim: Cim) -> None:
    profile_id = cim.new_profile(profile(ship_to=[shipping(address=f"{n} Main Street") for n in range(100)]))
    assert len(_listed(cim, profile_id)) == 100
    code, message = error(cim.add_address(profile_id, shipping(address="Number 101")))
    assert code == "E00043"
    assert "100" in message
    assert len(_listed(cim, profile_id)) == 100


# ----------------------------------------------------------------------------- update


def test_update_replaces_every_field_and_clears_the_omitted_ones(cim: Cim, profile_id: str) -> None:
    address_id = cim.new_address(profile_id, shipping())
    response = ok(
        cim.update_address(
            profile_id,
            address_id,
            only(firstName="Mike", lastName="McQuaid", address="1 River Road"),
            ref_id="ref-upd-ship",
        )
    )
    assert text(response, "refId") == "ref-upd-ship"
    stored = ok(cim.get_address(profile_id, address_id)).address
    assert address_values(stored) == {"firstName": "Mike", "lastName": "McQuaid", "address": "1 River Road"}
    assert text(stored, "customerAddressId") == address_id
    assert address_values(_listed(cim, profile_id)[0]) == address_values(stored)


def test_update_into_a_duplicate_of_another_address_is_e00039(cim: Cim, profile_id: str) -> None:
    first = cim.new_address(profile_id, shipping())
    second = cim.new_address(profile_id, shipping(address="2 Side Street"))
    response = cim.update_address(profile_id, second, shipping(city="Austin"))
    assert error(response) == _duplicate_of(first)
    assert text(ok(cim.get_address(profile_id, second)), "address", "address") == "2 Side Street"


def test_update_with_its_own_values_is_not_a_duplicate(cim: Cim, profile_id: str) -> None:
    address_id = cim.new_address(profile_id, shipping())
    ok(cim.update_address(profile_id, address_id, shipping(city="Austin")))
    assert text(ok(cim.get_address(profile_id, address_id)), "address", "city") == "Austin"


def test_update_of_unknown_addresses_is_e00040(cim: Cim, profile_id: str) -> None:
    address_id = cim.new_address(profile_id)
    other_profile = cim.new_profile(profile("cust-2"))
    assert error(cim.update_address(profile_id, "999999999", shipping()))[0] == "E00040"
    assert error(cim.update_address(other_profile, address_id, shipping(firstName="Mike")))[0] == "E00040"
    assert address_values(ok(cim.get_address(profile_id, address_id)).address) == expected(SHIPPING)


# ----------------------------------------------------------------------------- delete


def test_delete_removes_only_that_address(cim: Cim, profile_id: str) -> None:
    doomed = cim.new_address(profile_id, shipping())
    kept = cim.new_address(profile_id, shipping(address="2 Side Street"))
    assert text(ok(cim.delete_address(profile_id, doomed, ref_id="ref-del-ship")), "refId") == "ref-del-ship"
    assert error(cim.get_address(profile_id, doomed))[0] == "E00040"
    assert [text(item, "customerAddressId") for item in _listed(cim, profile_id)] == [kept]
    assert error(cim.delete_address(profile_id, doomed))[0] == "E00040"
    # the same address can be added again once the old one is gone
    cim.new_address(profile_id, shipping())


def test_delete_under_the_wrong_customer_profile_is_e00040(cim: Cim, profile_id: str) -> None:
    address_id = cim.new_address(profile_id)
    other_profile = cim.new_profile(profile("cust-2"))
    assert error(cim.delete_address(other_profile, address_id))[0] == "E00040"
    assert error(cim.delete_address(profile_id, "999999999"))[0] == "E00040"
    ok(cim.get_address(profile_id, address_id))
