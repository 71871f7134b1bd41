"""Webhooks and notifications in storage, on both engines: fan-out to the merchant's active
subscribed webhooks inside the caller's transaction, the composite foreign key that keeps a
notification with its own merchant's webhooks, claiming, outcomes and cascade deletion."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from strongroom.domain.events import EventType, Payload
from strongroom.domain.webhooks import NotificationState, WebhookStatus
from strongroom.services.ports import WebhookRow
from strongroom.storage import SqlUnitOfWorkFactory
from strongroom.storage.engine import transaction
from strongroom.storage.tables import webhook_notifications, webhooks
from tests.integration.storage.builders import NOW, later
from tests.integration.storage.conftest import Tenants
from tests.integration.storage.threads import run_together

CHARGE = EventType.AUTHCAPTURE_CREATED
PAYLOAD: Payload = {
    "responseCode": 1,
    "authAmount": Decimal("12.30"),
    "entityName": "transaction",
    "id": "60000000001",
}


def webhook(
    merchant_key: int, ref: str, *event_types: EventType, status: WebhookStatus = WebhookStatus.ACTIVE
) -> WebhookRow:
    return WebhookRow(
        ref=ref,
        merchant_key=merchant_key,
        url=f"https://example.com/{ref}",
        event_types=event_types or (CHARGE,),
        status=status,
        created_at=NOW,
    )


def add(uow_factory: SqlUnitOfWorkFactory, *rows: WebhookRow) -> None:
    with uow_factory() as uow:
        for row in rows:
            uow.webhooks.add(row)
        uow.commit()


def record(uow_factory: SqlUnitOfWorkFactory, merchant_key: int, event_type: EventType = CHARGE) -> int:
    with uow_factory() as uow:
        count = uow.events.record(merchant_key, event_type, PAYLOAD, NOW)
        uow.commit()
    return count


def test_webhooks_round_trip_scoped_by_merchant(uow_factory: SqlUnitOfWorkFactory, tenants: Tenants) -> None:
    alice = tenants.alice.key
    row = replace(webhook(alice, "w-1", CHARGE, EventType.CUSTOMER_CREATED), name="Orders")
    add(uow_factory, row)
    with uow_factory() as uow:
        assert uow.webhooks.get(alice, "w-1") == row
        assert uow.webhooks.get(tenants.bob.key, "w-1") is None
        assert uow.webhooks.of_merchant(tenants.bob.key) == []
        assert not uow.webhooks.replace(replace(row, merchant_key=tenants.bob.key, url="x"))
        assert not uow.webhooks.delete(tenants.bob.key, "w-1")
        moved = replace(
            row, url="https://example.com/moved", updated_at=later(5), status=WebhookStatus.INACTIVE
        )
        assert uow.webhooks.replace(moved)
        uow.commit()
    with uow_factory(write=False) as uow:
        assert uow.webhooks.of_merchant(alice) == [moved]


def test_an_event_fans_out_to_the_merchants_active_subscribed_webhooks_only(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    alice, bob = tenants.alice.key, tenants.bob.key
    add(
        uow_factory,
        webhook(alice, "a-charges"),
        webhook(alice, "a-profiles", EventType.CUSTOMER_CREATED),
        webhook(alice, "a-paused", status=WebhookStatus.INACTIVE),
        webhook(bob, "b-charges"),
    )

    assert record(uow_factory, alice) == 1
    assert record(uow_factory, alice, EventType.VOID_CREATED) == 0

    with uow_factory(write=False) as uow:
        [only] = uow.notifications.history(alice, 0, 10)
        assert uow.notifications.history(bob, 0, 10) == []
        assert uow.notifications.get(bob, only.ref) is None
    assert (only.webhook_ref, only.event_type, only.state, only.attempts) == (
        "a-charges",
        CHARGE,
        NotificationState.PENDING,
        0,
    )
    assert only.payload == (
        '{"responseCode":1,"authAmount":12.30,"entityName":"transaction","id":"60000000001"}'
    )
    assert (only.occurred_at, only.next_attempt_at) == (NOW, NOW)


def test_an_event_recorded_in_a_unit_that_rolls_back_is_gone(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    add(uow_factory, webhook(tenants.alice.key, "w-1"))
    with uow_factory() as uow:
        assert uow.events.record(tenants.alice.key, CHARGE, PAYLOAD, NOW) == 1
        # leaving without commit(): the change failed, so did its notification
    with uow_factory(write=False) as uow:
        assert uow.notifications.history(tenants.alice.key, 0, 10) == []


def test_a_notification_cannot_belong_to_another_merchants_webhook(
    engine: Engine, uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    add(uow_factory, webhook(tenants.alice.key, "alices"))
    with transaction(engine, write=False) as connection:
        alices_key = connection.execute(select(webhooks.c.key).where(webhooks.c.ref == "alices")).scalar_one()
    with pytest.raises(IntegrityError), transaction(engine, write=True) as connection:
        connection.execute(
            insert(webhook_notifications).values(
                ref="n-1",
                merchant_key=tenants.bob.key,
                webhook_key=alices_key,
                event_type=CHARGE.value,
                payload="{}",
                occurred_at=NOW,
                state=NotificationState.PENDING.value,
                attempts=0,
                next_attempt_at=NOW,
            )
        )


def test_claimed_notifications_are_held_and_outcomes_recorded(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    alice = tenants.alice.key
    add(uow_factory, webhook(alice, "w-1"), webhook(alice, "w-2"))
    assert record(uow_factory, alice) == 2
    hold = later(900)
    with uow_factory() as uow:
        assert uow.notifications.claim_due(NOW - timedelta(seconds=1), hold, 10) == []
        claimed = uow.notifications.claim_due(NOW, hold, 10)
        uow.commit()
    assert sorted(item.url for item in claimed) == ["https://example.com/w-1", "https://example.com/w-2"]
    with uow_factory() as uow:
        assert uow.notifications.claim_due(later(899), later(2000), 10) == []  # held
        first, second = (item.notification for item in claimed)
        assert uow.notifications.delivered(first.key, later(1))
        assert not uow.notifications.delivered(first.key, later(2))  # once
        assert uow.notifications.attempt_failed(second.key, later(1), "HTTP 500" + "x" * 300, later(61))
        uow.commit()
    with uow_factory(write=False) as uow:
        delivered = uow.notifications.get(alice, first.ref)
        retrying = uow.notifications.get(alice, second.ref)
    assert delivered is not None
    assert retrying is not None
    assert (delivered.state, delivered.attempts, delivered.delivered_at, delivered.next_attempt_at) == (
        NotificationState.DELIVERED,
        1,
        later(1),
        None,
    )
    assert (retrying.state, retrying.attempts, retrying.next_attempt_at) == (
        NotificationState.PENDING,
        1,
        later(61),
    )
    assert retrying.last_error is not None
    assert len(retrying.last_error) == 255
    with uow_factory() as uow:
        [again] = uow.notifications.claim_due(later(61), later(961), 10)
        assert uow.notifications.attempt_failed(again.notification.key, later(62), "gone", None)
        uow.commit()
    with uow_factory(write=False) as uow:
        failed = uow.notifications.get(alice, second.ref)
    assert failed is not None
    assert (failed.state, failed.attempts, failed.next_attempt_at) == (NotificationState.FAILED, 2, None)


def test_inactive_webhooks_are_not_claimed_and_deleting_takes_notifications_along(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    alice = tenants.alice.key
    row = webhook(alice, "w-1")
    add(uow_factory, row)
    record(uow_factory, alice)
    with uow_factory() as uow:
        uow.webhooks.replace(replace(row, status=WebhookStatus.INACTIVE))
        assert uow.notifications.claim_due(later(1), later(900), 10) == []
        assert uow.webhooks.delete(alice, "w-1")
        uow.commit()
    with uow_factory(write=False) as uow:
        assert uow.notifications.history(alice, 0, 10) == []


def test_concurrent_claims_never_share_a_notification(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    alice = tenants.alice.key
    add(uow_factory, webhook(alice, "w-1"))
    for _ in range(6):
        record(uow_factory, alice)

    def claim(index: int, barrier: threading.Barrier) -> list[int]:
        barrier.wait()
        with uow_factory() as uow:
            claimed = uow.notifications.claim_due(later(1), later(900), 2 + index)
            uow.commit()
        return [item.notification.key for item in claimed]

    first, second = run_together(claim)
    assert not set(first) & set(second)
    with uow_factory(write=False) as uow:
        every = {item.key for item in uow.notifications.history(alice, 0, 10)}
    assert set(first) | set(second) <= every
    # Each got its full share of the six: a held notification is skipped, never waited for
    # or taken twice.
    assert sorted([len(first), len(second)]) == [2, 3]
