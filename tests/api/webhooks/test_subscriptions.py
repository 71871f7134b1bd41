"""Subscription webhook events end to end, on a live server of its own (its clock moves months
ahead): ARBCreate, ARBUpdate and ARBCancel through the official SDK announce created, updated
and cancelled; the billing job announces expiring (one occurrence left, once), expired, failed
and suspended, and terminated. Delivered by the webhooks job to a loopback receiver that checks
every signature; another merchant's webhooks hear nothing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from authorizenet import apicontractsv1 as contracts

from tests.api.arb.test_billing import bill, move_to
from tests.api.arb.test_subscriptions import stored_profile
from tests.api.arb_client import Arb, days, name_and_address, profile_ids, schedule, subscription, today
from tests.api.builders import DECLINE_ZIP, ok, text
from tests.api.live_server import LiveServer, serve_engine
from tests.api.rest_client import create_webhook, deliver, history, rest
from tests.api.sdk import ApiMerchant, new_merchant
from tests.api.webhook_receiver import Receiver
from tests.databases import ENGINES

SUBSCRIPTION = "net.authorize.customer.subscription."
CREATED, UPDATED, SUSPENDED, TERMINATED, CANCELLED, EXPIRING, EXPIRED, FAILED = (
    SUBSCRIPTION + name
    for name in (
        "created",
        "updated",
        "suspended",
        "terminated",
        "cancelled",
        "expiring",
        "expired",
        "failed",
    )
)
SUBSCRIPTION_EVENTS = [CREATED, UPDATED, SUSPENDED, TERMINATED, CANCELLED, EXPIRING, EXPIRED, FAILED]
AUTHCAPTURE = "net.authorize.payment.authcapture.created"


@pytest.fixture(scope="module", params=ENGINES)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server for this module alone: its clock moves months ahead."""
    yield from serve_engine(request, tmp_path_factory, "subscription-events")


@pytest.fixture
def arb(server: LiveServer, merchant: ApiMerchant) -> Arb:
    return Arb(server, merchant)


def listen(
    arb: Arb,
    receiver: Receiver,
    event_types: Sequence[str] = SUBSCRIPTION_EVENTS,
    merchant: ApiMerchant | None = None,
) -> str:
    owner = merchant or arb.merchant
    url = receiver.endpoint(owner.signature_key)
    with rest(arb.server, owner) as client:
        create_webhook(client, url, event_types)
    return url


Heard = list[tuple[str, dict[str, Any]]]


class Inbox:
    """One endpoint's notifications, step by step: `news()` delivers what is due and answers
    what arrived since the last call, sorted by event type and id (one run delivers on several
    threads, so arrival order within a run is not defined)."""

    def __init__(self, arb: Arb, receiver: Receiver, url: str) -> None:
        self._arb, self._receiver, self._url = arb, receiver, url
        self._seen = 0

    def news(self) -> Heard:
        deliver(self._arb.server)
        state = self._receiver.state(self._url)
        assert state.bad_signatures == 0
        accepted = self._receiver.accepted(self._url)
        fresh = [(item.event_type, item.payload) for item in accepted[self._seen :]]
        self._seen = len(accepted)
        return sorted(fresh, key=lambda item: (item[0], str(item[1]["id"])))


def inbox(
    arb: Arb,
    receiver: Receiver,
    event_types: Sequence[str] = SUBSCRIPTION_EVENTS,
    merchant: ApiMerchant | None = None,
) -> Inbox:
    return Inbox(arb, receiver, listen(arb, receiver, event_types, merchant))


def kinds(events: Heard, subscription_id: str) -> list[str]:
    return [kind for kind, payload in events if payload["id"] == subscription_id]


def payload(
    subscription_id: str, status: str, *, amount: float, name: str | None = None, profile: dict[str, int]
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name} if name else {}
    return {
        **body,
        "amount": amount,
        "status": status,
        "profile": profile,
        "entityName": "subscription",
        "id": subscription_id,
    }


def only_total(total: int) -> Any:
    """An update's paymentSchedule that changes nothing but totalOccurrences."""
    item = contracts.paymentScheduleType()
    item.totalOccurrences = total
    return item


def no_change(**fields: Any) -> Any:
    """An ARBSubscriptionType for an update: only what is given."""
    return subscription(
        fields.pop("payment_schedule", None),
        amount=fields.pop("amount", None),
        payment=None,
        bill_to=fields.pop("bill_to", None),
        **fields,
    )


# --------------------------------------------------------------------------- ARB calls


def test_create_update_and_cancel_are_announced_with_the_subscription_as_it_stands(
    arb: Arb, receiver: Receiver
) -> None:
    url = listen(
        arb,
        receiver,
        [
            *SUBSCRIPTION_EVENTS,
            "net.authorize.customer.created",
            "net.authorize.customer.paymentProfile.created",
        ],
    )
    heard = Inbox(arb, receiver, url)
    answer = ok(
        arb.create(subscription(schedule(today(arb.server) + days(5)), amount="10.20", name="Gold plan"))
    )
    subscription_id = text(answer, "subscriptionId") or ""
    profile_id = text(answer, "profile", "customerProfileId") or ""
    payment_profile_id = text(answer, "profile", "customerPaymentProfileId") or ""
    ids = {"customerProfileId": int(profile_id), "customerPaymentProfileId": int(payment_profile_id)}
    assert receiver.state(url).attempts == 0  # nothing is sent from the request

    first = heard.news()
    assert [(kind, body["id"]) for kind, body in first] == [
        ("net.authorize.customer.created", profile_id),  # the profile made for it
        ("net.authorize.customer.paymentProfile.created", payment_profile_id),
        (CREATED, subscription_id),
    ]
    assert first[-1][1] == payload(subscription_id, "active", amount=10.2, name="Gold plan", profile=ids)
    [created] = [item for item in receiver.accepted(url) if item.event_type == CREATED]
    assert b'"amount":10.20,"status":"active"' in created.body

    ok(arb.update(subscription_id, no_change(amount="12.00", name="Platinum plan")))
    assert heard.news() == [
        (UPDATED, payload(subscription_id, "active", amount=12.0, name="Platinum plan", profile=ids))
    ]
    ok(arb.cancel(subscription_id))
    assert arb.cancel(subscription_id).messages.message[0]["code"].text == "I00002"
    # ARB's spelling in the status, a double l in the event's name; canceled once, said once
    assert heard.news() == [
        (CANCELLED, payload(subscription_id, "canceled", amount=12.0, name="Platinum plan", profile=ids))
    ]


def test_a_subscription_on_a_stored_profile_names_its_payment_profile_and_address(
    arb: Arb, receiver: Receiver
) -> None:
    profile_id, payment_profile_id, address_id = stored_profile(arb)
    heard = inbox(arb, receiver)

    subscription_id = arb.new(
        subscription(
            schedule(today(arb.server)),
            amount="5.00",
            profile=profile_ids(profile_id, payment_profile_id, address_id),
        )
    )

    assert heard.news() == [
        (
            CREATED,
            payload(
                subscription_id,
                "active",
                amount=5.0,
                profile={
                    "customerProfileId": int(profile_id),
                    "customerPaymentProfileId": int(payment_profile_id),
                    "customerShippingAddressId": int(address_id),
                },
            ),
        )
    ]


def test_one_occurrence_left_is_announced_as_expiring_by_the_change_that_gets_it_there(
    arb: Arb, receiver: Receiver
) -> None:
    heard = inbox(arb, receiver)
    single = arb.new(subscription(schedule(today(arb.server) + days(3), total=1)))
    assert kinds(heard.news(), single) == [CREATED, EXPIRING]

    longer = arb.new(subscription(schedule(today(arb.server) + days(3), total=12), amount="11.00"))
    assert kinds(heard.news(), longer) == [CREATED]
    ok(arb.update(longer, no_change(payment_schedule=only_total(1))))
    assert kinds(heard.news(), longer) == [EXPIRING, UPDATED]
    ok(arb.update(longer, no_change(name="Renamed")))  # still one left: not said again
    assert kinds(heard.news(), longer) == [UPDATED]


# --------------------------------------------------------------------------- billing


def test_billing_announces_expiring_once_then_expired(arb: Arb, receiver: Receiver) -> None:
    heard = inbox(arb, receiver, [*SUBSCRIPTION_EVENTS, AUTHCAPTURE])
    start = today(arb.server)
    subscription_id = arb.new(subscription(schedule(start, length=7, unit="days", total=3), amount="4.00"))
    [(_, created)] = heard.news()
    profile = created["profile"]
    bill(arb.server)
    [(kind, paid)] = heard.news()  # the first payment: two occurrences left
    assert (kind, paid["responseCode"], paid["authAmount"]) == (AUTHCAPTURE, 1, 4.0)

    move_to(arb.server, start + days(7))
    bill(arb.server)
    bill(arb.server)  # nothing more is due: nothing more is said
    news = heard.news()
    assert [kind for kind, _ in news] == [EXPIRING, AUTHCAPTURE]
    assert news[0][1] == payload(subscription_id, "active", amount=4.0, profile=profile)

    move_to(arb.server, start + days(14))
    bill(arb.server)
    move_to(arb.server, start + days(30))
    bill(arb.server)

    news = heard.news()
    assert [kind for kind, _ in news] == [EXPIRED, AUTHCAPTURE]
    assert news[0][1] == payload(subscription_id, "expired", amount=4.0, profile=profile)
    assert arb.status_of(subscription_id) == "expired"


def test_a_declined_payment_announces_failed_and_suspended_then_terminated(
    arb: Arb, receiver: Receiver
) -> None:
    other = new_merchant(arb.server, "Other shop")
    heard = inbox(arb, receiver)
    theirs = inbox(arb, receiver, merchant=other)
    start = today(arb.server)
    subscription_id = arb.new(
        subscription(
            schedule(start, length=10, unit="days", total=5),
            amount="20.00",
            bill_to=name_and_address(zip=DECLINE_ZIP),
        )
    )
    [(_, created)] = heard.news()
    profile = created["profile"]

    bill(arb.server)
    assert heard.news() == [
        (FAILED, payload(subscription_id, "suspended", amount=20.0, profile=profile)),
        (SUSPENDED, payload(subscription_id, "suspended", amount=20.0, profile=profile)),
    ]

    move_to(arb.server, start + days(9))
    bill(arb.server)  # not yet: the next occurrence is tomorrow
    assert heard.news() == []
    move_to(arb.server, start + days(10))
    bill(arb.server)
    bill(arb.server)

    assert heard.news() == [
        (TERMINATED, payload(subscription_id, "terminated", amount=20.0, profile=profile))
    ]
    # Another merchant's webhook, subscribed to everything, heard none of it.
    assert theirs.news() == []
    with rest(arb.server, other) as client:
        assert history(client) == []


def test_a_reactivated_subscription_that_fails_again_is_announced_again(arb: Arb, receiver: Receiver) -> None:
    heard = inbox(arb, receiver)
    start = today(arb.server)
    subscription_id = arb.new(
        subscription(schedule(start, total=6), amount="9.00", bill_to=name_and_address(zip=DECLINE_ZIP))
    )
    bill(arb.server)
    assert [(kind, body["status"]) for kind, body in heard.news()] == [
        (CREATED, "active"),
        (FAILED, "suspended"),
        (SUSPENDED, "suspended"),
    ]

    ok(arb.update(subscription_id, no_change(amount="8.00")))  # reactivates; still declines
    assert [(kind, body["status"]) for kind, body in heard.news()] == [(UPDATED, "active")]
    bill(arb.server)
    assert [(kind, body["status"], body["amount"]) for kind, body in heard.news()] == [
        (FAILED, "suspended", 8.0),
        (SUSPENDED, "suspended", 8.0),
    ]

    ok(arb.update(subscription_id, no_change(bill_to=name_and_address(zip="44628"))))
    bill(arb.server)  # the retry is paid: nothing more to announce
    assert [(kind, body["status"]) for kind, body in heard.news()] == [(UPDATED, "active")]
    assert arb.status_of(subscription_id) == "active"
