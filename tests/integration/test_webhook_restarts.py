"""Webhook notifications survive restarts: recorded by one server, delivered by the next; a
delivery run that dies after claiming leaves its notifications due again; `strongroom jobs run
webhooks` delivers them from the command line. Both engines, loopback receivers, no sleeps."""

from __future__ import annotations

from pathlib import Path

from strongroom.bootstrap import build
from strongroom.domain.webhooks import NotificationState
from strongroom.services.webhooks.delivery import HOLD
from strongroom.services.webhooks.management import WebhookDraft
from strongroom.storage import SqlUnitOfWorkFactory, create_engine_for
from tests.api.live_server import settings_for, start_server
from tests.api.rest_client import create_webhook, deliver, history, rest
from tests.api.sdk import new_merchant
from tests.api.transactions.test_create_transaction import Gateway
from tests.api.webhook_receiver import Receiver
from tests.integration import test_cli
from tests.integration.payments.conftest import charge
from tests.integration.test_cli import Place, strongroom, succeeded, upgraded

AUTHCAPTURE = "net.authorize.payment.authcapture.created"

# test_cli's fixtures, for these tests too (the proxy one is autouse).
place = test_cli.place
_no_proxies = test_cli._no_proxies


def test_notifications_recorded_before_a_restart_are_delivered_after_it(
    database_url: str, tmp_path: Path
) -> None:
    settings = settings_for(database_url, tmp_path / "data")
    receiver = Receiver()
    try:
        first, stop_first = start_server(settings)
        try:
            merchant = new_merchant(first)
            url = receiver.endpoint(merchant.signature_key)
            with rest(first, merchant) as client:
                webhook_id = create_webhook(client, url, [AUTHCAPTURE])["webhookId"]
            refs = [Gateway(first, merchant).charge(amount) for amount in ("1.00", "2.00")]
        finally:
            stop_first()  # stopped before any delivery run
        assert receiver.state(url).attempts == 0

        second, stop_second = start_server(settings)
        try:
            report = deliver(second)
            with rest(second, merchant) as client:
                statuses = [item["deliveryStatus"] for item in history(client)]
        finally:
            stop_second()
    finally:
        receiver.close()
    assert (report.delivered, report.retrying, report.failed) == (2, 0, 0)
    assert statuses == ["Delivered", "Delivered"]
    accepted = receiver.accepted(url)
    assert sorted(item.payload["id"] for item in accepted) == sorted(refs)
    assert {item.json["webhookId"] for item in accepted} == {webhook_id}
    assert receiver.state(url).bad_signatures == 0


def test_a_run_that_dies_after_claiming_leaves_the_notification_due_again(
    database_url: str, tmp_path: Path
) -> None:
    settings = settings_for(database_url, tmp_path / "data")
    receiver = Receiver()
    try:
        first, stop_first = start_server(settings)
        try:
            merchant = new_merchant(first)
            url = receiver.endpoint(merchant.signature_key)
            with rest(first, merchant) as client:
                create_webhook(client, url, [AUTHCAPTURE])
            ref = Gateway(first, merchant).charge("3.00")
            # A delivery run claims the notification, then the process dies (kill -9) before
            # sending or recording anything.
            engine = create_engine_for(database_url)
            try:
                now = first.clock.now()
                with SqlUnitOfWorkFactory(engine)() as uow:
                    [claimed] = uow.notifications.claim_due(now, now + HOLD, 10)
                    uow.commit()
            finally:
                engine.dispose()
        finally:
            stop_first()

        second, stop_second = start_server(settings)
        try:
            assert second.clock.now() == now  # both servers start at the same instant
            second.clock.advance(HOLD / 2)
            assert deliver(second).delivered == 0  # still held by the dead run
            second.clock.advance(HOLD / 2)
            assert deliver(second).delivered == 1
        finally:
            stop_second()
    finally:
        receiver.close()
    [notification] = receiver.accepted(url)
    assert notification.payload["id"] == ref
    assert notification.json["notificationId"] == claimed.notification.ref


def test_jobs_run_webhooks_delivers_from_the_command_line(place: Place) -> None:
    upgraded(place)
    receiver = Receiver()
    try:
        application = build(place.settings)
        try:
            services = application.services
            merchant, credentials = services.merchants.create("Hooked shop", "hooked-1")
            url = receiver.endpoint(credentials.signature_key)
            services.webhooks.create(merchant, WebhookDraft(url, (AUTHCAPTURE,)))
            result = services.payments.charge(merchant, charge("10.00"))
            assert result.record is not None
        finally:
            application.close()

        report = succeeded(strongroom(place, "jobs", "run", "webhooks"))
        again = succeeded(strongroom(place, "jobs", "run", "webhooks"))
    finally:
        receiver.close()
    assert "Webhooks: 1 notifications delivered, 0 to retry, 0 failed for good." in report
    assert "Webhooks: 0 notifications delivered" in again
    [notification] = receiver.accepted(url)
    assert notification.payload["id"] == result.record.ref
    assert receiver.state(url).bad_signatures == 0
    application = build(place.settings)
    try:
        [row] = application.services.webhooks.notifications(merchant)
    finally:
        application.close()
    assert row.state is NotificationState.DELIVERED
