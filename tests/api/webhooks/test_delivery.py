"""Webhook notifications end to end: payments and profile changes made with the official SDK are
delivered by the webhooks job to a loopback receiver that checks every signature; bodies as
documented; notification history; retries with exponential backoff on the server's clock (no
sleeps); giving up; pausing, moving and deleting webhooks; and tenancy."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest

from tests.api.builders import (
    DECLINE_ZIP,
    Cim,
    address,
    card,
    ok,
    payment_profile,
    profile,
    text,
)
from tests.api.live_server import LiveServer
from tests.api.raw import merchant_of
from tests.api.rest_client import (
    ALL_PAYMENT_EVENTS,
    PROFILE_EVENTS,
    create_webhook,
    deliver,
    history,
    rest,
)
from tests.api.sdk import ApiMerchant, new_merchant
from tests.api.stored_rows import settle, unit
from tests.api.transactions.test_create_transaction import (
    AUTH_CAPTURE,
    CAPTURE_ONLY,
    PRIOR_AUTH_CAPTURE,
    REFUND,
    VOID,
    Gateway,
    failed,
    trans_id,
    transaction,
)
from tests.api.webhook_receiver import Receiver

EVENT_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z")
HISTORY_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}")
AUTHCAPTURE = "net.authorize.payment.authcapture.created"


@pytest.fixture
def gateway(server: LiveServer, merchant: ApiMerchant) -> Gateway:
    return Gateway(server, merchant)


def subscribe(
    server: LiveServer, merchant: ApiMerchant, url: str, event_types: Sequence[str], **kw: Any
) -> str:
    with rest(server, merchant) as client:
        return str(create_webhook(client, url, event_types, **kw)["webhookId"])


def events(receiver: Receiver, url: str) -> list[tuple[str, dict[str, Any]]]:
    return [(item.event_type, item.payload) for item in receiver.accepted(url)]


# ----------------------------------------------------------------------------- payments


def test_a_charge_is_delivered_signed_and_exactly_as_documented(gateway: Gateway, receiver: Receiver) -> None:
    server, merchant = gateway.server, gateway.merchant
    url = receiver.endpoint(merchant.signature_key)
    webhook_id = subscribe(server, merchant, url, [AUTHCAPTURE])
    answer = gateway.approved(transaction(AUTH_CAPTURE, "20.00", card(), invoice="INV-77", bill_to=address()))
    ref = trans_id(answer)
    assert receiver.state(url).attempts == 0  # nothing is sent from the request

    report = deliver(server)

    assert report.delivered >= 1
    [notification] = receiver.accepted(url)
    assert receiver.state(url).bad_signatures == 0
    body = notification.json
    assert list(body) == ["notificationId", "eventType", "eventDate", "webhookId", "payload"]
    assert str(uuid.UUID(body["notificationId"])) == body["notificationId"]
    assert EVENT_DATE.fullmatch(body["eventDate"])
    assert (body["eventType"], body["webhookId"]) == (AUTHCAPTURE, webhook_id)
    auth_code = text(answer, "authCode")
    assert body["payload"] == {
        "responseCode": 1,
        "authCode": auth_code,
        "avsResponse": "Y",
        "authAmount": 20.0,
        "invoiceNumber": "INV-77",
        "entityName": "transaction",
        "id": ref,
    }
    # The amount keeps its two places: receivers hash these exact bytes.
    assert (
        f'"payload":{{"responseCode":1,"authCode":"{auth_code}","avsResponse":"Y",'
        f'"authAmount":20.00,"invoiceNumber":"INV-77","entityName":"transaction",'
        f'"id":"{ref}"}}}}'
    ).encode() in notification.body

    with rest(server, merchant) as client:
        [item] = history(client)
        assert item == {
            "_links": {"self": {"href": f"/rest/v1/notifications/{body['notificationId']}"}},
            "notificationId": body["notificationId"],
            "deliveryStatus": "Delivered",
            "eventType": AUTHCAPTURE,
            "eventDate": item["eventDate"],
        }
        assert HISTORY_DATE.fullmatch(item["eventDate"])
        assert body["eventDate"].startswith(item["eventDate"])
        detail = client.get(f"/notifications/{body['notificationId']}")
        assert detail.json() == {**item, "webhookId": webhook_id, "payload": body["payload"]}
        assert b'"authAmount":20.00' in detail.content


def test_every_payment_event_is_delivered(gateway: Gateway, receiver: Receiver) -> None:
    server, merchant = gateway.server, gateway.merchant
    url = receiver.endpoint(merchant.signature_key)
    subscribe(server, merchant, url, ALL_PAYMENT_EVENTS)
    auth = gateway.authorize("30.00")
    gateway.approved(transaction(PRIOR_AUTH_CAPTURE, "25.50", ref=auth))
    capture_only = trans_id(gateway.approved(transaction(CAPTURE_ONLY, "9.00", card(), auth_code="ROHNFQ")))
    charge = gateway.charge("15.00")
    gateway.approved(transaction(VOID, None, ref=charge))
    settled = gateway.charge("40.00")
    settle(server, merchant, settled)
    refund = trans_id(gateway.approved(transaction(REFUND, "5.00", card("XXXX1111", "XXXX"), ref=settled)))
    declined = trans_id(
        failed(
            gateway.send(transaction(AUTH_CAPTURE, "5.00", card(), bill_to=address(zip=DECLINE_ZIP))),
            "2",
            "2",
        )[0]
    )

    deliver(server)

    seen = [
        (
            kind.removeprefix("net.authorize.payment."),
            payload["id"],
            payload["responseCode"],
            payload["authAmount"],
        )
        for kind, payload in events(receiver, url)
    ]
    assert sorted(seen) == sorted(
        [
            ("authorization.created", auth, 1, 30.0),
            ("priorAuthCapture.created", auth, 1, 25.5),
            ("capture.created", capture_only, 1, 9.0),
            ("authcapture.created", charge, 1, 15.0),
            ("void.created", charge, 1, 15.0),
            ("authcapture.created", settled, 1, 40.0),
            ("refund.created", refund, 1, 5.0),
            ("authcapture.created", declined, 2, 5.0),
        ]
    )
    assert receiver.state(url).bad_signatures == 0
    capture = next(
        payload
        for kind, payload in events(receiver, url)
        if kind.endswith("capture.created") and payload["id"] == capture_only
    )
    assert capture["authCode"] == "ROHNFQ"


def test_refused_and_test_requests_announce_nothing(gateway: Gateway, receiver: Receiver) -> None:
    server, merchant = gateway.server, gateway.merchant
    url = receiver.endpoint(merchant.signature_key)
    subscribe(server, merchant, url, ALL_PAYMENT_EVENTS)
    gateway.approved(transaction(AUTH_CAPTURE, "3.00", card(), settings={"testRequest": "true"}))
    gateway.send(transaction(VOID, None, ref="99999999999"))  # refused: nothing changed
    deliver(server)
    assert receiver.accepted(url) == []
    with rest(server, merchant) as client:
        assert history(client) == []


# ----------------------------------------------------------------------------- profiles


def test_customer_and_payment_profile_events(
    server: LiveServer, merchant: ApiMerchant, receiver: Receiver
) -> None:
    url = receiver.endpoint(merchant.signature_key)
    subscribe(server, merchant, url, PROFILE_EVENTS)
    cim = Cim(server, merchant)
    profile_id = cim.new_profile(
        profile("cust-77", "Gold member", "gold@example.com", [payment_profile(customer_type="business")])
    )
    [first_card] = [
        item.customerPaymentProfileId.text for item in cim.stored_profile(profile_id).paymentProfiles
    ]
    ok(cim.update_profile(profile_id, "cust-78", "Platinum member"))
    second_card = cim.new_payment_profile(profile_id, payment_profile(card("5424000000000015")))
    ok(
        cim.update_payment_profile(
            profile_id,
            payment_profile(card("5424000000000015"), customer_type="individual", profile_id=second_card),
        )
    )
    ok(cim.delete_payment_profile(profile_id, first_card))
    ok(cim.delete_profile(profile_id))

    deliver(server)

    number = int(profile_id)
    received = {(kind, payload["id"]): payload for kind, payload in events(receiver, url)}
    assert len(received) == len(events(receiver, url)) == 7
    assert received[("net.authorize.customer.created", profile_id)] == {
        "paymentProfiles": [{"id": first_card, "customerType": "business"}],
        "merchantCustomerId": "cust-77",
        "description": "Gold member",
        "entityName": "customerProfile",
        "id": profile_id,
    }
    assert received[("net.authorize.customer.paymentProfile.created", first_card)] == {
        "customerProfileId": number,
        "entityName": "customerPaymentProfile",
        "id": first_card,
        "customerType": "business",
    }
    assert received[("net.authorize.customer.updated", profile_id)] == {
        "paymentProfiles": [{"id": first_card, "customerType": "business"}],
        "merchantCustomerId": "cust-78",
        "description": "Platinum member",
        "entityName": "customerProfile",
        "id": profile_id,
    }
    assert received[("net.authorize.customer.paymentProfile.created", second_card)] == {
        "customerProfileId": number,
        "entityName": "customerPaymentProfile",
        "id": second_card,
    }
    assert received[("net.authorize.customer.paymentProfile.updated", second_card)] == {
        "customerProfileId": number,
        "entityName": "customerPaymentProfile",
        "id": second_card,
        "customerType": "individual",
    }
    assert received[("net.authorize.customer.paymentProfile.deleted", first_card)]["id"] == first_card
    assert received[("net.authorize.customer.deleted", profile_id)] == {
        "paymentProfiles": [{"id": second_card, "customerType": "individual"}],
        "merchantCustomerId": "cust-78",
        "description": "Platinum member",
        "entityName": "customerProfile",
        "id": profile_id,
    }
    assert receiver.state(url).bad_signatures == 0


def test_a_refused_change_announces_nothing(
    server: LiveServer, merchant: ApiMerchant, receiver: Receiver
) -> None:
    url = receiver.endpoint(merchant.signature_key)
    subscribe(server, merchant, url, PROFILE_EVENTS)
    cim = Cim(server, merchant)
    cim.new_profile(profile("dup-1"))
    assert cim.create_profile(profile("dup-1")).messages.message[0]["code"].text == "E00039"
    assert cim.delete_profile("1999999999").messages.message[0]["code"].text == "E00040"
    deliver(server)
    assert [kind for kind, _ in events(receiver, url)] == ["net.authorize.customer.created"]


# ----------------------------------------------------------------------------- subscriptions


def test_only_subscribed_active_webhooks_are_notified(gateway: Gateway, receiver: Receiver) -> None:
    server, merchant = gateway.server, gateway.merchant
    key = merchant.signature_key
    payments, profiles, paused, both = (receiver.endpoint(key) for _ in range(4))
    subscribe(server, merchant, payments, [AUTHCAPTURE])
    subscribe(server, merchant, profiles, ["net.authorize.customer.created"])
    subscribe(server, merchant, paused, [AUTHCAPTURE], status="inactive")
    subscribe(server, merchant, both, [AUTHCAPTURE, "net.authorize.customer.created"])
    ref = gateway.charge("11.00")
    profile_id = Cim(server, merchant).new_profile(profile("only-1"))

    deliver(server)

    assert [payload["id"] for _, payload in events(receiver, payments)] == [ref]
    assert [payload["id"] for _, payload in events(receiver, profiles)] == [profile_id]
    assert events(receiver, paused) == []
    assert sorted(payload["id"] for _, payload in events(receiver, both)) == sorted([ref, profile_id])
    ids = [item.json["notificationId"] for url in (payments, both) for item in receiver.accepted(url)]
    assert len(set(ids)) == len(ids)  # one notification per webhook, each its own id


# ----------------------------------------------------------------------------- retries


def test_a_failing_receiver_is_retried_with_exponential_backoff(gateway: Gateway, receiver: Receiver) -> None:
    server, merchant = gateway.server, gateway.merchant
    url = receiver.endpoint(merchant.signature_key, fail_first=3)
    subscribe(server, merchant, url, [AUTHCAPTURE])
    ref = gateway.charge("7.00")
    waits = server.application.services.webhook_delivery.schedule.waits()
    assert waits[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]

    deliver(server)
    assert receiver.state(url).attempts == 1
    with rest(server, merchant) as client:
        assert [item["deliveryStatus"] for item in history(client)] == ["RetryPending"]
    for failed_attempts, wait in enumerate(waits[:3], start=1):
        deliver(server)  # not yet due
        server.clock.advance(wait - timedelta(seconds=1))
        deliver(server)  # one second early
        assert receiver.state(url).attempts == failed_attempts
        server.clock.advance(timedelta(seconds=1))
        deliver(server)
        assert receiver.state(url).attempts == failed_attempts + 1

    state = receiver.state(url)
    [accepted] = state.accepted
    assert accepted.payload["id"] == ref
    assert state.bad_signatures == 0
    # Every attempt carried the same notification, byte for byte, and the same signature.
    assert {item.body for item in state.every_attempt} == {accepted.body}
    assert {item.headers["x-anet-signature"] for item in state.every_attempt} == {
        accepted.headers["x-anet-signature"]
    }
    with rest(server, merchant) as client:
        assert [item["deliveryStatus"] for item in history(client)] == ["Delivered"]
    server.clock.advance(timedelta(days=1))
    deliver(server)
    assert receiver.state(url).attempts == 4  # delivered once: never again


def test_a_receiver_that_never_accepts_fails_for_good(gateway: Gateway, receiver: Receiver) -> None:
    server, merchant = gateway.server, gateway.merchant
    url = receiver.endpoint(merchant.signature_key, fail_first=1000, fail_status=404)
    subscribe(server, merchant, url, [AUTHCAPTURE])
    gateway.charge("8.00")
    schedule = server.application.services.webhook_delivery.schedule

    deliver(server)
    for wait in schedule.waits():
        server.clock.advance(wait)
        deliver(server)
    assert receiver.state(url).attempts == schedule.attempts
    with rest(server, merchant) as client:
        [item] = history(client)
        assert item["deliveryStatus"] == "Failed"
        server.clock.advance(timedelta(days=7))
        deliver(server)
        assert receiver.state(url).attempts == schedule.attempts
        assert history(client)[0]["deliveryStatus"] == "Failed"


def test_an_inactive_webhook_holds_its_retries_until_reactivated(
    gateway: Gateway, receiver: Receiver
) -> None:
    server, merchant = gateway.server, gateway.merchant
    url = receiver.endpoint(merchant.signature_key, fail_first=1)
    webhook_id = subscribe(server, merchant, url, [AUTHCAPTURE])
    gateway.charge("9.50")
    deliver(server)
    with rest(server, merchant) as client:
        assert client.put(f"/webhooks/{webhook_id}", json={"status": "inactive"}).is_success
        server.clock.advance(timedelta(hours=1))
        deliver(server)
        assert receiver.state(url).attempts == 1
        assert client.put(f"/webhooks/{webhook_id}", json={"status": "active"}).is_success
    deliver(server)
    assert receiver.state(url).attempts == 2
    assert len(receiver.accepted(url)) == 1


def test_retries_follow_the_webhook_to_its_new_url(gateway: Gateway, receiver: Receiver) -> None:
    server, merchant = gateway.server, gateway.merchant
    broken = receiver.endpoint(merchant.signature_key, fail_first=1000)
    fixed = receiver.endpoint(merchant.signature_key)
    webhook_id = subscribe(server, merchant, broken, [AUTHCAPTURE])
    ref = gateway.charge("6.25")
    deliver(server)
    with rest(server, merchant) as client:
        assert client.put(f"/webhooks/{webhook_id}", json={"url": fixed}).is_success
    server.clock.advance(timedelta(minutes=1))
    deliver(server)
    assert receiver.state(broken).attempts == 1
    assert [payload["id"] for _, payload in events(receiver, fixed)] == [ref]


def test_deleting_a_webhook_drops_its_pending_notifications(gateway: Gateway, receiver: Receiver) -> None:
    server, merchant = gateway.server, gateway.merchant
    url = receiver.endpoint(merchant.signature_key)
    webhook_id = subscribe(server, merchant, url, [AUTHCAPTURE])
    gateway.charge("4.00")
    with rest(server, merchant) as client:
        [pending] = history(client)
        assert pending["deliveryStatus"] == "Pending"
        assert client.delete(f"/webhooks/{webhook_id}").status_code == 200
        assert history(client) == []
        assert client.get(f"/notifications/{pending['notificationId']}").status_code == 404
    deliver(server)
    assert receiver.state(url).attempts == 0


def test_history_is_newest_first_and_pages_by_offset(gateway: Gateway, receiver: Receiver) -> None:
    server, merchant = gateway.server, gateway.merchant
    url = receiver.endpoint(merchant.signature_key)
    subscribe(server, merchant, url, [AUTHCAPTURE])
    refs = [gateway.charge(f"{amount}.00") for amount in (1, 2, 3)]
    deliver(server)
    by_notification = {item.json["notificationId"]: item.payload["id"] for item in receiver.accepted(url)}
    with rest(server, merchant) as client:
        everything = history(client)
        assert [by_notification[item["notificationId"]] for item in everything] == refs[::-1]
        assert history(client, offset=1, limit=1) == everything[1:2]
        assert history(client, offset=3) == []
        page = client.get("/notifications", params={"offset": 1, "limit": 2}).json()
        assert page["_links"]["self"]["href"] == "/rest/v1/notifications?offset=1&limit=2"


# ----------------------------------------------------------------------------- tenancy


def test_a_merchants_events_never_reach_another_merchants_webhooks(
    server: LiveServer, merchant: ApiMerchant, receiver: Receiver
) -> None:
    other = new_merchant(server, "Other")
    mine = receiver.endpoint(merchant.signature_key)
    theirs = receiver.endpoint(other.signature_key)
    my_webhook = subscribe(server, merchant, mine, [*ALL_PAYMENT_EVENTS, *PROFILE_EVENTS])
    their_webhook = subscribe(server, other, theirs, [*ALL_PAYMENT_EVENTS, *PROFILE_EVENTS])
    my_charge = Gateway(server, merchant).charge("10.00")
    their_charge = Gateway(server, other).charge("10.00")
    their_profile = Cim(server, other).new_profile(profile("theirs"))

    deliver(server)

    assert [(item.json["webhookId"], item.payload["id"]) for item in receiver.accepted(mine)] == [
        (my_webhook, my_charge)
    ]
    assert sorted(
        (item.json["webhookId"], item.payload["id"]) for item in receiver.accepted(theirs)
    ) == sorted([(their_webhook, their_charge), (their_webhook, their_profile)])
    # Each was signed with its own merchant's key (the receiver refuses anything else).
    assert receiver.state(mine).bad_signatures == receiver.state(theirs).bad_signatures == 0
    with rest(server, merchant) as client:
        mine_seen = {item["notificationId"] for item in history(client)}
    with rest(server, other) as client:
        their_seen = {item["notificationId"] for item in history(client)}
        for notification_id in mine_seen:
            assert client.get(f"/notifications/{notification_id}").status_code == 404
    assert len(mine_seen) == 1
    assert len(their_seen) == 2
    assert not mine_seen & their_seen


def test_without_a_signature_key_nothing_leaves_unsigned(gateway: Gateway, receiver: Receiver) -> None:
    server, merchant = gateway.server, gateway.merchant
    url = receiver.endpoint(merchant.signature_key)
    subscribe(server, merchant, url, [AUTHCAPTURE])
    gateway.charge("5.55")
    with unit(server, write=True) as uow:
        uow.merchants.set_signature_key(merchant_of(server, merchant).key, None)
    deliver(server)
    assert receiver.state(url).attempts == 0
    with rest(server, merchant) as client:
        assert [item["deliveryStatus"] for item in history(client)] == ["RetryPending"]
