"""Every ARB call through the official SDK against the live server: create (card, bank account,
stored profile), get, status, update, cancel and list, with the rules each one enforces and
the customer profile a card subscription gets. (Billing over time: test_arb_billing.py.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.api.arb_client import (
    Arb,
    days,
    name_and_address,
    profile_ids,
    schedule,
    subscription,
    today,
)
from tests.api.builders import (
    AMEX,
    MASTERCARD,
    SHIPPING,
    bank,
    card,
    error,
    ok,
    payment_profile,
    profile,
    shipping,
    text,
    texts,
)
from tests.api.live_server import LiveServer
from tests.api.sdk import ApiMerchant, new_merchant, result


@pytest.fixture
def arb(server: LiveServer, merchant: ApiMerchant) -> Arb:
    return Arb(server, merchant)


def stored_profile(arb: Arb) -> tuple[str, str, str]:
    """A customer profile with a card payment profile and a shipping address: their ids."""
    cim = arb.cim
    profile_id = cim.new_profile(
        profile(
            "cust-7", email="ellen@example.com", payment_profiles=[payment_profile()], ship_to=[shipping()]
        )
    )
    stored = cim.stored_profile(profile_id)
    return (
        profile_id,
        text(stored, "paymentProfiles", "customerPaymentProfileId") or "",
        text(stored, "shipToList", "customerAddressId") or "",
    )


# --------------------------------------------------------------------------- create


def test_a_card_subscription_gets_a_customer_profile_of_its_own(arb: Arb) -> None:
    start = today(arb.server) + days(3)
    answer = ok(
        arb.create(
            subscription(
                schedule(start, length=30, unit="days", total=12, trial=1),
                amount="10.29",
                trial_amount="0.00",
                name="Gold plan",
                invoice="INV-0042",
                customer_id="cust-42",
                email="ellen@example.com",
                ship_to=name_and_address(firstName="China", zip="44629"),
            ),
            ref_id="create-1",
        )
    )

    subscription_id = text(answer, "subscriptionId") or ""
    profile_id = text(answer, "profile", "customerProfileId") or ""
    payment_profile_id = text(answer, "profile", "customerPaymentProfileId") or ""
    address_id = text(answer, "profile", "customerAddressId") or ""
    assert text(answer, "refId") == "create-1"
    assert all(value.isdigit() for value in (subscription_id, profile_id, payment_profile_id, address_id))

    found = arb.stored(subscription_id)
    assert text(found, "name") == "Gold plan"
    assert (
        text(found, "paymentSchedule", "interval", "length"),
        text(found, "paymentSchedule", "interval", "unit"),
        text(found, "paymentSchedule", "startDate"),
        text(found, "paymentSchedule", "totalOccurrences"),
        text(found, "paymentSchedule", "trialOccurrences"),
    ) == ("30", "days", start.isoformat(), "12", "1")
    assert (text(found, "amount"), text(found, "trialAmount"), text(found, "status")) == (
        "10.29",
        "0.00",
        "active",
    )
    assert (text(found, "order", "invoiceNumber"), text(found, "order", "description")) == (
        "INV-0042",
        "Monthly plan",
    )
    assert text(found, "profile", "customerProfileId") == profile_id
    assert text(found, "profile", "merchantCustomerId") == "cust-42"
    assert text(found, "profile", "email") == "ellen@example.com"
    assert text(found, "profile", "description") == f"Profile created by Subscription: {subscription_id}"
    paid_by = found.profile.paymentProfile
    assert text(paid_by, "customerPaymentProfileId") == payment_profile_id
    assert (
        text(paid_by, "payment", "creditCard", "cardNumber"),
        text(paid_by, "payment", "creditCard", "expirationDate"),
    ) == ("XXXX1111", "XXXX")
    assert (text(paid_by, "billTo", "firstName"), text(paid_by, "billTo", "zip")) == ("Ellen", "44628")
    assert text(found, "profile", "shippingProfile", "customerAddressId") == address_id
    assert text(found, "profile", "shippingProfile", "firstName") == "China"
    assert getattr(found, "arbTransactions", None) is None  # not asked for

    # The customer profile is an ordinary CIM profile that lists its subscription.
    read = ok(arb.cim.get_profile(profile_id))
    assert texts(read, "subscriptionIds", "subscriptionId") == [subscription_id]
    assert texts(read.profile.paymentProfiles, "subscriptionIds", "subscriptionId") == [subscription_id]
    assert texts(arb.cim.stored(profile_id, payment_profile_id), "subscriptionIds", "subscriptionId") == [
        subscription_id
    ]
    assert texts(ok(arb.cim.get_address(profile_id, address_id)), "subscriptionIds", "subscriptionId") == [
        subscription_id
    ]


def test_a_bank_account_subscription(arb: Arb) -> None:
    subscription_id = arb.new(
        subscription(
            schedule(today(arb.server), unit="days", length=7),
            payment=bank(account="123456789", bank_name="Bank"),
        )
    )

    found = arb.stored(subscription_id)
    account = found.profile.paymentProfile.payment.bankAccount
    assert (
        text(account, "accountNumber"),
        text(account, "routingNumber"),
        text(account, "nameOnAccount"),
    ) == ("XXXX6789", "XXXX2882", "John Doe")
    assert texts(
        ok(arb.search("subscriptionActive")), "subscriptionDetails", "subscriptionDetail", "paymentMethod"
    ) == ["eCheck"]


def test_a_subscription_on_a_stored_profile_uses_its_records(arb: Arb) -> None:
    profile_id, payment_profile_id, address_id = stored_profile(arb)

    answer = ok(
        arb.create(
            subscription(
                schedule(today(arb.server)), profile=profile_ids(profile_id, payment_profile_id, address_id)
            )
        )
    )

    subscription_id = text(answer, "subscriptionId") or ""
    assert (
        text(answer, "profile", "customerProfileId"),
        text(answer, "profile", "customerPaymentProfileId"),
        text(answer, "profile", "customerAddressId"),
    ) == (profile_id, payment_profile_id, address_id)
    found = arb.stored(subscription_id)
    assert text(found, "profile", "merchantCustomerId") == "cust-7"
    assert text(found, "profile", "paymentProfile", "customerPaymentProfileId") == payment_profile_id
    assert text(found, "profile", "shippingProfile", "address") == SHIPPING["address"]
    assert arb.cim.profile_id_list() == [profile_id]  # no second profile was made
    assert texts(ok(arb.cim.get_profile(profile_id)), "subscriptionIds", "subscriptionId") == [
        subscription_id
    ]


def test_a_stored_profile_must_exist_and_pay_on_its_own(arb: Arb) -> None:
    profile_id, payment_profile_id, address_id = stored_profile(arb)
    start = schedule(today(arb.server))

    assert (
        error(arb.create(subscription(start, profile=profile_ids(profile_id, "1999999999"))))[0] == "E00040"
    )
    assert (
        error(
            arb.create(subscription(start, profile=profile_ids(profile_id, payment_profile_id, "199999999")))
        )[0]
        == "E00040"
    )
    assert error(arb.create(subscription(start, profile=profile_ids(profile_id))))[0] == "E00110"
    assert (
        error(
            arb.create(
                subscription(start, profile=profile_ids(profile_id, payment_profile_id), payment=card())
            )
        )[0]
        == "E00091"
    )
    assert (
        error(
            arb.create(
                subscription(
                    start, profile=profile_ids(profile_id, payment_profile_id), bill_to=name_and_address()
                )
            )
        )[0]
        == "E00093"
    )
    assert (
        error(
            arb.create(
                subscription(start, profile=profile_ids(profile_id, payment_profile_id), customer_id="x")
            )
        )[0]
        == "E00108"
    )
    assert (
        error(
            arb.create(
                subscription(
                    start,
                    profile=profile_ids(profile_id, payment_profile_id, address_id),
                    ship_to=name_and_address(),
                )
            )
        )[0]
        == "E00109"
    )
    # another merchant's profile is not found
    other = Arb(arb.server, new_merchant(arb.server))
    assert (
        error(other.create(subscription(start, profile=profile_ids(profile_id, payment_profile_id))))[0]
        == "E00040"
    )


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        ({"length": 6, "unit": "days"}, "E00022", "7 to 365 days"),
        ({"length": 366, "unit": "days"}, "E00022", "7 to 365 days"),
        ({"length": 13, "unit": "months"}, "E00022", "1 to 12 months"),
        ({"total": 3, "trial": 3}, "E00028", "less than Total"),
        ({"total": None}, "E00014", "totalOccurrences"),
        ({"interval": False}, "E00014", "interval"),
    ],
)
def test_schedule_rules(arb: Arb, change: dict[str, object], code: str, words: str) -> None:
    options: dict[str, object] = {"length": 1, "unit": "months", "total": 12}
    options.update(change)
    trial_amount = "1.00" if options.get("trial") else None
    started = schedule(today(arb.server), **options)  # type: ignore[arg-type]
    found_code, message = error(arb.create(subscription(started, trial_amount=trial_amount)))
    assert (found_code, words in message) == (code, True), message


def test_create_rules(arb: Arb) -> None:
    now = today(arb.server)
    past, _ = error(arb.create(subscription(schedule(now - days(1)))))
    assert past == "E00017"
    assert error(arb.create(subscription(None)))[0] == "E00030"
    assert error(arb.create(subscription(schedule(now), amount=None)))[0] == "E00031"
    assert error(arb.create(subscription(schedule(now, trial=2))))[0] == "E00026"
    assert error(arb.create(subscription(schedule(now), trial_amount="1.00")))[0] == "E00024"
    assert error(arb.create(subscription(schedule(now), payment=None)))[0] == "E00029"
    expires = f"{now.year:04d}-{now.month:02d}"
    starts_later = now.replace(day=1) + days(40)
    code, message = error(arb.create(subscription(schedule(starts_later), payment=card(expiry=expires))))
    assert (code, "expires" in message) == ("E00018", True)
    assert error(arb.create(subscription(schedule(now), amount="1.001")))[0] == "E00013"
    assert error(arb.create(subscription(schedule(now), payment=card("4111111111111112"))))[0] == "E00013"
    assert arb.listed("subscriptionActive") == []  # nothing was stored by any of them
    assert arb.cim.profile_id_list() == []


def test_a_duplicate_subscription_is_refused_naming_the_first(arb: Arb) -> None:
    start = schedule(today(arb.server) + days(1))
    first = arb.new(subscription(start, invoice="INV-1", customer_id="c-1"))

    code, message = error(
        arb.create(subscription(start, invoice="INV-1", customer_id="c-1", name="another name"))
    )

    assert code == "E00012"
    assert message == (
        f"You have submitted a duplicate of Subscription {first}. "
        "A duplicate subscription will not be created."
    )
    # Any compared field that differs makes a new subscription: amount, invoice, card, name.
    arb.new(subscription(start, invoice="INV-1", customer_id="c-1", amount="10.30"))
    arb.new(subscription(start, invoice="INV-2", customer_id="c-1"))
    arb.new(subscription(start, invoice="INV-1", customer_id="c-1", payment=card(MASTERCARD)))
    arb.new(
        subscription(start, invoice="INV-1", customer_id="c-1", bill_to=name_and_address(lastName="Other"))
    )
    # ... and so does canceling the first.
    ok(arb.cancel(first))
    arb.new(subscription(start, invoice="INV-1", customer_id="c-1"))


# --------------------------------------------------------------------------- read


def test_status_cancel_and_not_found(arb: Arb) -> None:
    subscription_id = arb.new()
    assert arb.status_of(subscription_id) == "active"

    assert result(ok(arb.cancel(subscription_id)))[1] == "I00001"
    assert arb.status_of(subscription_id) == "canceled"
    assert result(arb.cancel(subscription_id)) == (
        "Ok",
        "I00002",
        "The subscription has already been canceled.",
    )
    code, _ = error(
        arb.update(subscription_id, subscription(None, amount="11.00", payment=None, bill_to=None))
    )
    assert code == "E00037"

    for missing in ("999999999", "1"):
        assert error(arb.get(missing))[0] == "E00035"
        assert error(arb.status(missing))[0] == "E00035"
        assert error(arb.cancel(missing))[0] == "E00035"
        assert error(arb.update(missing, subscription(None, payment=None, bill_to=None)))[0] == "E00035"


def test_another_merchants_subscription_is_not_found(arb: Arb) -> None:
    subscription_id = arb.new()
    other = Arb(arb.server, new_merchant(arb.server))

    assert error(other.get(subscription_id))[0] == "E00035"
    assert error(other.cancel(subscription_id))[0] == "E00035"
    assert arb.status_of(subscription_id) == "active"


# --------------------------------------------------------------------------- update


def test_an_update_changes_only_what_it_sends(arb: Arb) -> None:
    start = today(arb.server) + days(5)
    subscription_id = arb.new(
        subscription(schedule(start, total=12, trial=2), trial_amount="1.00", name="Silver", invoice="INV-9")
    )
    before = arb.stored(subscription_id)

    change = subscription(None, amount="12.50", payment=None, bill_to=None)
    answer = ok(arb.update(subscription_id, change))

    assert text(answer, "profile", "customerProfileId") == text(before, "profile", "customerProfileId")
    after = arb.stored(subscription_id)
    assert text(after, "amount") == "12.50"
    assert (
        text(after, "name"),
        text(after, "trialAmount"),
        text(after, "order", "invoiceNumber"),
        text(after, "paymentSchedule", "startDate"),
        text(after, "paymentSchedule", "trialOccurrences"),
    ) == ("Silver", "1.00", "INV-9", start.isoformat(), "2")

    # a new card, a later start, fewer occurrences, a new name and billing address
    moved = start + days(10)
    ok(
        arb.update(
            subscription_id,
            subscription(
                schedule(moved, total=6, interval=False),
                amount=None,
                payment=card(AMEX, "2034-05"),
                name="Platinum",
                bill_to=name_and_address(zip="10001"),
            ),
        )
    )
    after = arb.stored(subscription_id)
    paid_by = after.profile.paymentProfile
    assert (
        text(after, "name"),
        text(after, "paymentSchedule", "startDate"),
        text(after, "paymentSchedule", "totalOccurrences"),
        text(after, "amount"),
    ) == ("Platinum", moved.isoformat(), "6", "12.50")
    assert text(paid_by, "payment", "creditCard", "cardNumber") == "XXXX0002"
    assert (text(paid_by, "billTo", "zip"), text(paid_by, "billTo", "firstName")) == ("10001", "Ellen")
    # a masked card keeps the number; the expiry may change with it
    ok(
        arb.update(
            subscription_id,
            subscription(None, amount=None, bill_to=None, payment=card("XXXX0002", "2035-01")),
        )
    )
    stored = arb.cim.stored(
        text(after, "profile", "customerProfileId") or "", text(paid_by, "customerPaymentProfileId") or ""
    )
    assert (
        text(stored, "payment", "creditCard", "cardNumber"),
        text(stored, "payment", "creditCard", "expirationDate"),
    ) == ("XXXX0002", "2035-01")


def test_update_rules(arb: Arb) -> None:
    now = today(arb.server)
    subscription_id = arb.new(subscription(schedule(now + days(1), total=12)))
    nothing = {"payment": None, "bill_to": None, "amount": None}

    def refused(item: object) -> str:
        return error(arb.update(subscription_id, item))[0]

    assert refused(subscription(schedule(now + days(1), length=2), **nothing)) == "E00034"
    assert refused(subscription(schedule(now + days(1), length=14, unit="days"), **nothing)) == "E00034"
    assert refused(subscription(schedule(now - days(1), total=None, interval=False), **nothing)) == "E00017"
    assert (
        refused(
            subscription(
                schedule(now + days(1), total=12, trial=12, interval=False),
                trial_amount="1.00",
                payment=None,
                bill_to=None,
                amount=None,
            )
        )
        == "E00028"
    )
    assert (
        refused(subscription(schedule(now + days(1), total=None, trial=2, interval=False), **nothing))
        == "E00026"
    )
    assert refused(subscription(None, trial_amount="2.00", **nothing)) == "E00024"
    assert refused(subscription(None, amount=None, bill_to=None, payment=bank())) == "E00036"
    other_profile = arb.cim.new_profile(profile("cust-8"))
    assert refused(subscription(None, amount=None, profile=profile_ids(other_profile))) == "E00111"
    # the same interval sent again is no change
    ok(arb.update(subscription_id, subscription(schedule(now + days(1)), **nothing)))
    assert arb.status_of(subscription_id) == "active"


def test_an_update_may_switch_to_another_payment_profile_of_its_customer(arb: Arb) -> None:
    profile_id, payment_profile_id, _ = stored_profile(arb)
    subscription_id = arb.new(
        subscription(schedule(today(arb.server)), profile=profile_ids(profile_id, payment_profile_id))
    )
    second = arb.cim.new_payment_profile(profile_id, payment_profile(card(MASTERCARD)))
    account = arb.cim.new_payment_profile(profile_id, payment_profile(bank()))

    ok(arb.update(subscription_id, subscription(None, amount=None, profile=profile_ids(profile_id, second))))
    assert (
        text(arb.stored(subscription_id), "profile", "paymentProfile", "customerPaymentProfileId") == second
    )
    assert (
        error(
            arb.update(
                subscription_id, subscription(None, amount=None, profile=profile_ids(profile_id, account))
            )
        )[0]
        == "E00036"
    )
    assert (
        error(
            arb.update(
                subscription_id,
                subscription(None, amount=None, profile=profile_ids(profile_id, "1999999999")),
            )
        )[0]
        == "E00040"
    )


# --------------------------------------------------------------------------- list


def test_lists_by_search_type_with_sorting_and_paging(arb: Arb) -> None:
    now = today(arb.server)
    ids = [
        arb.new(subscription(schedule(now + days(1)), amount=amount, bill_to=name_and_address(lastName=last)))
        for amount, last in (("30.00", "Adams"), ("10.00", "Cole"), ("20.00", "Baker"))
    ]
    canceled = arb.new(subscription(schedule(now + days(2)), name="gone"))
    ok(arb.cancel(canceled))

    assert arb.listed("subscriptionActive") == sorted(ids)
    assert arb.listed("subscriptionActive", order_by="id", descending=True) == sorted(ids, reverse=True)
    assert arb.listed("subscriptionActive", order_by="amount") == [ids[1], ids[2], ids[0]]
    assert arb.listed("subscriptionActive", order_by="lastName", descending=True) == [ids[1], ids[2], ids[0]]
    assert arb.listed("subscriptionActive", order_by="amount", limit=2, offset=2) == [ids[0]]
    answer = ok(arb.search("subscriptionActive", order_by="amount", limit=2, offset=1))
    assert text(answer, "totalNumInResultSet") == "3"
    assert arb.listed("subscriptionInactive") == [canceled]

    detail = ok(arb.search("subscriptionInactive")).subscriptionDetails.subscriptionDetail
    assert (
        text(detail, "name"),
        text(detail, "status"),
        text(detail, "firstName"),
        text(detail, "lastName"),
        text(detail, "totalOccurrences"),
        text(detail, "pastOccurrences"),
        text(detail, "paymentMethod"),
        text(detail, "accountNumber"),
        text(detail, "amount"),
        text(detail, "currencyCode"),
    ) == ("gone", "canceled", "Ellen", "Johnson", "12", "0", "creditCard", "XXXX1111", "10.29", "USD")
    assert (text(detail, "createTimeStampUTC") or "").endswith("Z")
    assert text(
        detail,
        "customerProfileId",
    ).isdigit()  # type: ignore[union-attr]

    empty = ok(Arb(arb.server, new_merchant(arb.server)).search("subscriptionActive"))
    assert text(empty, "totalNumInResultSet") == "0"


def test_lists_what_ends_or_whose_card_expires_this_month(arb: Arb) -> None:
    now = today(arb.server)
    this_month = f"{now.year:04d}-{now.month:02d}"
    ending = arb.new(subscription(schedule(now, total=1)))
    expiring_card = arb.new(subscription(schedule(now), payment=card(expiry=this_month), amount="15.00"))
    arb.new(subscription(schedule(now, total=9999), amount="99.00"))

    assert arb.listed("subscriptionExpiringThisMonth") == [ending]
    assert arb.listed("cardExpiringThisMonth") == [expiring_card]


# --------------------------------------------------------------------------- delete guards


def test_records_a_live_subscription_bills_cannot_be_deleted(arb: Arb) -> None:
    profile_id, payment_profile_id, address_id = stored_profile(arb)
    cim = arb.cim
    spare = cim.new_payment_profile(profile_id, payment_profile(card(MASTERCARD)))
    subscription_id = arb.new(
        subscription(
            schedule(today(arb.server)), profile=profile_ids(profile_id, payment_profile_id, address_id)
        )
    )

    assert error(cim.delete_payment_profile(profile_id, payment_profile_id)) == (
        "E00105",
        "The specified payment profile is associated with an active or suspended "
        "subscription and cannot be deleted.",
    )
    assert error(cim.delete_address(profile_id, address_id))[0] == "E00107"
    assert error(cim.delete_profile(profile_id))[0] == "E00106"
    ok(cim.delete_payment_profile(profile_id, spare))  # not used by the subscription
    # another merchant naming these ids learns nothing: not found, not "in use"
    intruder = Arb(arb.server, new_merchant(arb.server)).cim
    own = intruder.new_profile(profile("intruder"))
    assert error(intruder.delete_payment_profile(own, payment_profile_id))[0] == "E00040"
    assert error(intruder.delete_address(own, address_id))[0] == "E00040"
    assert error(intruder.delete_profile(profile_id))[0] == "E00040"

    ok(arb.cancel(subscription_id))

    ok(cim.delete_address(profile_id, address_id))
    ok(cim.delete_payment_profile(profile_id, payment_profile_id))
    ok(cim.delete_profile(profile_id))
    # The canceled subscription can still be read; its deleted records are simply gone.
    found = arb.stored(subscription_id)
    assert text(found, "status") == "canceled"
    assert getattr(found, "profile", None) is None


def test_a_card_subscriptions_own_profile_is_guarded_too(arb: Arb) -> None:
    answer = ok(arb.create(subscription(schedule(today(arb.server)))))
    profile_id = text(answer, "profile", "customerProfileId") or ""

    assert error(arb.cim.delete_profile(profile_id))[0] == "E00106"
    ok(arb.cancel(text(answer, "subscriptionId") or ""))
    ok(arb.cim.delete_profile(profile_id))


def test_amounts_are_decimal_and_exact(arb: Arb) -> None:
    subscription_id = arb.new(subscription(schedule(today(arb.server)), amount="1234.5"))

    assert text(arb.stored(subscription_id), "amount") == "1234.50"
    assert Decimal(text(arb.stored(subscription_id), "amount") or "0") == Decimal("1234.50")
