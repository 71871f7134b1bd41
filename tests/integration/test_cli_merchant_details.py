"""`strongroom merchant create` with business and contact options, and `strongroom merchant
details` showing and changing them, as real subprocesses (helpers and fixtures from test_cli)."""

from __future__ import annotations

import re

from strongroom.bootstrap import build
from strongroom.domain.customers import Address
from strongroom.domain.merchants import MerchantContact, MerchantDetails
from tests.integration import test_cli
from tests.integration.test_cli import Place, create_merchant, refused, strongroom, succeeded

# test_cli's fixtures, for these tests too (the proxy one is autouse).
place = test_cli.place
sqlite_place = test_cli.sqlite_place
_no_proxies = test_cli._no_proxies


def stored_details(place: Place, login_id: str) -> MerchantDetails:
    application = build(place.settings)
    try:
        merchants = application.services.merchants
        found = merchants.by_login(login_id)
        assert found is not None
        return merchants.details(found)
    finally:
        application.close()


def test_details_are_set_at_creation_and_changed_later(place: Place) -> None:
    succeeded(strongroom(place, "db", "upgrade"))
    create_merchant(
        place,
        "--name",
        "Herb shop",
        "--login-id",
        "herbs-1",
        "--company",
        "Thyme for Herbs",
        "--city",
        "Pecan Springs",
        "--zip",
        "44628",
        "--contact-email",
        "china@example.com",
        "--contact-first-name",
        "China",
    )

    created = stored_details(place, "herbs-1")
    assert created.business == Address(company="Thyme for Herbs", city="Pecan Springs", zip="44628")
    assert created.contact == MerchantContact("china@example.com", "China", None)
    assert re.fullmatch(r"[1-9][0-9]{8}", created.gateway_id)

    shown = succeeded(
        strongroom(
            place,
            "merchant",
            "details",
            "herbs-1",
            "--zip",
            "",
            "--contact-last-name",
            "Bayles",
            "--phone",
            "999-999-9999",
        )
    )

    changed = stored_details(place, "herbs-1")
    assert changed.business == Address(
        company="Thyme for Herbs", city="Pecan Springs", phone_number="999-999-9999"
    )
    assert changed.contact == MerchantContact("china@example.com", "China", "Bayles")
    assert changed.gateway_id == created.gateway_id
    assert f"gateway ID:      {created.gateway_id}" in shown
    assert "last name: Bayles" in shown


def test_details_of_an_unknown_merchant_or_too_long_a_value_are_refused(sqlite_place: Place) -> None:
    create_merchant(sqlite_place, "--name", "Shop", "--login-id", "shop-1")

    assert "No merchant has API login ID 'nobody'" in refused(
        strongroom(sqlite_place, "merchant", "details", "nobody")
    )
    assert "at most 20 characters" in refused(
        strongroom(sqlite_place, "merchant", "details", "shop-1", "--zip", "1" * 21)
    )
    assert "(none)" in succeeded(strongroom(sqlite_place, "merchant", "details", "shop-1"))
