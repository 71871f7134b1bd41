"""Tenancy: one merchant's customer profiles, payment profiles and addresses do not exist for
another merchant. Every read, update and delete of another merchant's ids answers E00040 and
changes nothing; lists and duplicate checks never see the other merchant's records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.api.builders import (
    BILLING,
    MASTERCARD,
    SHIPPING,
    VISA,
    Cim,
    address_values,
    bank,
    card,
    error,
    expected,
    items,
    ok,
    payment_profile,
    profile,
    shipping,
    text,
    texts,
)
from tests.api.live_server import LiveServer
from tests.api.sdk import ApiMerchant, new_merchant


@dataclass(frozen=True)
class Owned:
    """Merchant A's records."""

    profile_id: str
    card_id: str
    bank_id: str
    address_id: str


@pytest.fixture
def owner(server: LiveServer, merchant: ApiMerchant) -> Cim:
    return Cim(server, merchant)


@pytest.fixture
def intruder(server: LiveServer) -> Cim:
    return Cim(server, new_merchant(server, "Another merchant"))


@pytest.fixture
def owned(owner: Cim) -> Owned:
    response = ok(
        owner.create_profile(
            profile(
                "cust-1",
                "Ellen",
                "ellen@example.com",
                payment_profiles=[payment_profile(card(VISA)), payment_profile(bank())],
                ship_to=[shipping()],
            )
        )
    )
    card_id, bank_id = texts(response, "customerPaymentProfileIdList", "numericString")
    (address_id,) = texts(response, "customerShippingAddressIdList", "numericString")
    return Owned(text(response, "customerProfileId") or "", card_id, bank_id, address_id)


def _snapshot(owner: Cim, owned: Owned) -> dict[str, Any]:
    """Everything merchant A can see of its records, to prove nothing changed."""
    stored = ok(owner.get_profile(owned.profile_id, unmask=True)).profile
    return {
        "profile": {
            name: text(stored, name) for name in ("merchantCustomerId", "description", "email", "profileType")
        },
        "payment_profiles": [
            (
                text(item, "customerPaymentProfileId"),
                address_values(item.billTo) if text(item, "billTo") is not None else None,
                text(item, "payment", "creditCard", "expirationDate"),
                text(item, "payment", "bankAccount", "nameOnAccount"),
                text(item, "defaultPaymentProfile"),
            )
            for item in items(stored, "paymentProfiles")
        ],
        "addresses": [
            (text(item, "customerAddressId"), address_values(item)) for item in items(stored, "shipToList")
        ],
        "ids": owner.profile_id_list(),
        "expiring": owner.expiring_total("2035-12"),
    }


def test_snapshot_sees_the_records(owner: Cim, owned: Owned) -> None:
    snapshot = _snapshot(owner, owned)
    assert snapshot["profile"]["merchantCustomerId"] == "cust-1"
    assert [entry[0] for entry in snapshot["payment_profiles"]] == [owned.card_id, owned.bank_id]
    assert snapshot["payment_profiles"][0][1] == expected(BILLING)
    assert snapshot["addresses"] == [(owned.address_id, expected(SHIPPING))]
    assert snapshot["ids"] == [owned.profile_id]
    assert snapshot["expiring"] == 1


# ----------------------------------------------------------------------------- reads


def test_reads_of_another_merchants_records_are_e00040(owner: Cim, intruder: Cim, owned: Owned) -> None:
    refusals = [
        intruder.get_profile(owned.profile_id),
        intruder.get_profile(owned.profile_id, unmask=True, issuer_info=True),
        intruder.get_profile(merchant_customer_id="cust-1"),
        intruder.get_profile(email="ellen@example.com"),
        intruder.get_payment_profile(owned.profile_id, owned.card_id),
        intruder.get_payment_profile(owned.profile_id, owned.bank_id, unmask=True),
        intruder.get_address(owned.profile_id, owned.address_id),
    ]
    for response in refusals:
        assert error(response)[0] == "E00040"
        for leak in ("profile", "paymentProfile", "address"):
            assert text(response, leak) is None


def test_lists_never_show_another_merchants_records(owner: Cim, intruder: Cim, owned: Owned) -> None:
    assert intruder.profile_id_list() == []
    listing = ok(intruder.list_expiring("2035-12"))
    assert text(listing, "totalNumInResultSet") == "0"
    assert items(listing, "paymentProfiles", "paymentProfile") == []
    mine = intruder.new_profile(profile("mine", payment_profiles=[payment_profile(card(VISA))]))
    assert intruder.profile_id_list() == [mine]
    assert intruder.expiring_total("2035-12") == 1
    assert owner.profile_id_list() == [owned.profile_id]
    assert owner.expiring_total("2035-12") == 1


def test_validation_of_another_merchants_payment_profile_is_e00040(
    owner: Cim, intruder: Cim, owned: Owned
) -> None:
    for mode in ("testMode", "liveMode"):
        response = intruder.validate(owned.profile_id, owned.card_id, mode)
        assert error(response)[0] == "E00040"
        assert text(response, "directResponse") is None
    mine = intruder.new_profile(profile("mine"))
    assert error(intruder.validate(mine, owned.card_id, "liveMode"))[0] == "E00040"
    intruders_address = intruder.new_address(mine)
    intruders_card = intruder.new_payment_profile(mine)
    assert (
        error(intruder.validate(mine, intruders_card, "testMode", address_id=owned.address_id))[0] == "E00040"
    )
    assert (
        error(owner.validate(owned.profile_id, owned.card_id, "testMode", address_id=intruders_address))[0]
        == "E00040"
    )


# ----------------------------------------------------------------------------- writes


def test_updates_of_another_merchants_records_are_e00040_and_change_nothing(
    owner: Cim, intruder: Cim, owned: Owned
) -> None:
    before = _snapshot(owner, owned)
    refusals = [
        intruder.update_profile(
            owned.profile_id, "stolen", "stolen", "thief@example.com", profile_type="guest"
        ),
        intruder.update_payment_profile(
            owned.profile_id,
            payment_profile(card(MASTERCARD, "2030-01"), shipping(), default=True, profile_id=owned.card_id),
        ),
        intruder.update_payment_profile(
            owned.profile_id,
            payment_profile(card("XXXX1111", "2031-01"), shipping(), profile_id=owned.card_id),
        ),
        intruder.update_payment_profile(
            owned.profile_id, payment_profile(bank(name="Thief"), None, profile_id=owned.bank_id)
        ),
        intruder.update_address(
            owned.profile_id, owned.address_id, shipping(firstName="Thief"), default=True
        ),
    ]
    for response in refusals:
        assert error(response)[0] == "E00040"
    assert _snapshot(owner, owned) == before


def test_creates_under_another_merchants_profile_are_e00040(owner: Cim, intruder: Cim, owned: Owned) -> None:
    before = _snapshot(owner, owned)
    assert (
        error(intruder.add_payment_profile(owned.profile_id, payment_profile(card(MASTERCARD)), "liveMode"))[
            0
        ]
        == "E00040"
    )
    assert (
        error(intruder.add_address(owned.profile_id, shipping(address="1 Thief Lane"), default=True))[0]
        == "E00040"
    )
    assert _snapshot(owner, owned) == before


def test_deletes_of_another_merchants_records_are_e00040_and_change_nothing(
    owner: Cim, intruder: Cim, owned: Owned
) -> None:
    before = _snapshot(owner, owned)
    refusals = [
        intruder.delete_payment_profile(owned.profile_id, owned.card_id),
        intruder.delete_payment_profile(owned.profile_id, owned.bank_id),
        intruder.delete_address(owned.profile_id, owned.address_id),
        intruder.delete_profile(owned.profile_id),
    ]
    for response in refusals:
        assert error(response)[0] == "E00040"
    assert _snapshot(owner, owned) == before


def test_own_profile_id_with_another_merchants_record_ids_is_e00040(
    owner: Cim, intruder: Cim, owned: Owned
) -> None:
    before = _snapshot(owner, owned)
    mine = intruder.new_profile(profile("mine"))
    refusals = [
        intruder.get_payment_profile(mine, owned.card_id),
        intruder.update_payment_profile(
            mine, payment_profile(card("XXXX1111", "XXXX"), None, profile_id=owned.card_id)
        ),
        intruder.delete_payment_profile(mine, owned.card_id),
        intruder.get_address(mine, owned.address_id),
        intruder.update_address(mine, owned.address_id, shipping()),
        intruder.delete_address(mine, owned.address_id),
    ]
    for response in refusals:
        assert error(response)[0] == "E00040"
    assert _snapshot(owner, owned) == before


# ----------------------------------------------------------------------------- duplicates


def test_duplicate_checks_never_look_at_another_merchants_records(
    owner: Cim, intruder: Cim, owned: Owned
) -> None:
    response = ok(
        intruder.create_profile(
            profile(
                "cust-1",
                "Ellen",
                "ellen@example.com",
                payment_profiles=[payment_profile(card(VISA)), payment_profile(bank())],
                ship_to=[shipping()],
            )
        )
    )
    theirs = text(response, "customerProfileId") or ""
    assert theirs != owned.profile_id
    assert owned.profile_id not in response.messages.message[0]["text"].text
    # and the owner's duplicate check still finds its own record, not the intruder's
    assert error(owner.create_profile(profile("cust-1", "Ellen", "ellen@example.com"))) == (
        "E00039",
        f"A duplicate record with ID {owned.profile_id} already exists.",
    )
    assert error(intruder.create_profile(profile("cust-1", "Ellen", "ellen@example.com"))) == (
        "E00039",
        f"A duplicate record with ID {theirs} already exists.",
    )
    # lookups by merchantCustomerId and email stay within each merchant
    assert (
        text(ok(intruder.get_profile(merchant_customer_id="cust-1")).profile, "customerProfileId") == theirs
    )
    assert (
        text(ok(owner.get_profile(email="ellen@example.com")).profile, "customerProfileId")
        == owned.profile_id
    )


def test_a_deleted_merchant_profile_does_not_affect_the_other(
    owner: Cim, intruder: Cim, owned: Owned
) -> None:
    theirs = intruder.new_profile(
        profile("cust-1", "Ellen", "ellen@example.com", payment_profiles=[payment_profile(card(VISA))])
    )
    before = _snapshot(owner, owned)
    ok(intruder.delete_profile(theirs))
    assert _snapshot(owner, owned) == before
