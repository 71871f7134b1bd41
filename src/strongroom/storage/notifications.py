"""Webhook notifications: recorded events fanned out to the subscribed webhooks (in the caller's
transaction), the delivery job's queue, and each merchant's notification history.

Every read joins a notification to its webhook on both the webhook key and the merchant key,
and the table's composite foreign key makes any other pairing impossible to store: a
notification can only ever go to a webhook of the merchant whose event it carries.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, Select, and_, bindparam, select, update

from strongroom.domain.events import EventType, Payload, encode_payload
from strongroom.domain.webhooks import NotificationState, WebhookStatus
from strongroom.services.ports import DueNotification, EventRecorder, NotificationRepository, NotificationRow
from strongroom.storage.caches import UnitCaches, uncached
from strongroom.storage.tables import NOTIFICATION_ERROR_LENGTH, webhook_notifications, webhooks

PENDING = NotificationState.PENDING.value
N = webhook_notifications.c
_OWN_WEBHOOK = and_(webhooks.c.key == N.webhook_key, webhooks.c.merchant_key == N.merchant_key)
_ACTIVE = (
    select(webhooks.c.key, webhooks.c.event_types)
    .where(
        webhooks.c.merchant_key == bindparam("merchant_key"),
        webhooks.c.status == WebhookStatus.ACTIVE.value,
    )
    .order_by(webhooks.c.key)
)
# FOR KEY SHARE (PostgreSQL): a webhook deleted concurrently waits for the recording unit
# instead of breaking its insert; edits to the webhook are not blocked.
_ACTIVE_HELD = _ACTIVE.with_for_update(read=True, key_share=True)


class SqlEventRecorder(EventRecorder):
    """EventRecorder on one unit of work's connection (write units)."""

    def __init__(self, connection: Connection, caches: UnitCaches | None = None) -> None:
        self._connection = connection
        self._caches = caches or uncached()

    def record(
        self, merchant_key: int, event_type: EventType, payload: Payload, occurred_at: datetime
    ) -> int:
        # The cached subscriptions only rule out events nobody subscribes to; the targets are
        # read again, held, from the database.
        if not self.listens(merchant_key, event_type):
            return 0
        held = self._connection.execute(_ACTIVE_HELD, {"merchant_key": merchant_key}).all()
        targets = _targets([(key, names) for key, names in held], event_type)
        if not targets:
            return 0
        text = encode_payload(payload)
        self._connection.execute(
            webhook_notifications.insert(),
            [
                {
                    "ref": str(uuid.uuid4()),
                    "merchant_key": merchant_key,
                    "webhook_key": key,
                    "event_type": event_type.value,
                    "payload": text,
                    "occurred_at": occurred_at,
                    "state": PENDING,
                    "attempts": 0,
                    "next_attempt_at": occurred_at,
                }
                for key in targets
            ],
        )
        return len(targets)

    def listens(self, merchant_key: int, event_type: EventType) -> bool:
        subscribed = self._caches.caches.webhooks.get(
            merchant_key, lambda: self._active(merchant_key), keep=self._caches.keep
        )
        return bool(_targets(subscribed, event_type))

    def _active(self, merchant_key: int) -> tuple[tuple[int, str], ...]:
        rows = self._connection.execute(_ACTIVE, {"merchant_key": merchant_key}).all()
        return tuple((key, names) for key, names in rows)


def _targets(subscriptions: Sequence[tuple[int, str]], event_type: EventType) -> list[int]:
    return [key for key, names in subscriptions if event_type.value in names.split()]


class SqlNotificationRepository(NotificationRepository):
    """NotificationRepository on one unit of work's connection."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def claim_due(self, now: datetime, hold_until: datetime, limit: int) -> Sequence[DueNotification]:
        query = (
            _query(webhooks.c.url)
            .where(
                N.state == PENDING, N.next_attempt_at <= now, webhooks.c.status == WebhookStatus.ACTIVE.value
            )
            .order_by(N.next_attempt_at, N.key)
            .limit(limit)
            .with_for_update(skip_locked=True, of=webhook_notifications)
        )
        due = [
            DueNotification(_row(item), item["url"]) for item in self._connection.execute(query).mappings()
        ]
        if due:
            self._connection.execute(
                update(webhook_notifications)
                .where(N.key.in_([item.notification.key for item in due]))
                .values(next_attempt_at=hold_until)
            )
        return due

    def delivered(self, key: int, at: datetime) -> bool:
        result = self._connection.execute(
            update(webhook_notifications)
            .where(N.key == key, N.state == PENDING)
            .values(
                state=NotificationState.DELIVERED.value,
                attempts=N.attempts + 1,
                last_attempt_at=at,
                delivered_at=at,
                next_attempt_at=None,
                last_error=None,
            )
        )
        return result.rowcount == 1

    def attempt_failed(self, key: int, at: datetime, error: str, next_attempt_at: datetime | None) -> bool:
        state = PENDING if next_attempt_at is not None else NotificationState.FAILED.value
        result = self._connection.execute(
            update(webhook_notifications)
            .where(N.key == key, N.state == PENDING)
            .values(
                state=state,
                attempts=N.attempts + 1,
                last_attempt_at=at,
                next_attempt_at=next_attempt_at,
                last_error=error[:NOTIFICATION_ERROR_LENGTH],
            )
        )
        return result.rowcount == 1

    def history(self, merchant_key: int, offset: int, limit: int) -> Sequence[NotificationRow]:
        query = (
            _query().where(N.merchant_key == merchant_key).order_by(N.key.desc()).offset(offset).limit(limit)
        )
        return [_row(item) for item in self._connection.execute(query).mappings()]

    def get(self, merchant_key: int, ref: str) -> NotificationRow | None:
        found = (
            self._connection.execute(_query().where(N.merchant_key == merchant_key, N.ref == ref))
            .mappings()
            .first()
        )
        return _row(found) if found is not None else None


def _query(*extra: Any) -> Select[Any]:
    return select(webhook_notifications, webhooks.c.ref.label("webhook_ref"), *extra).select_from(
        webhook_notifications.join(webhooks, _OWN_WEBHOOK)
    )


def _row(row: RowMapping) -> NotificationRow:
    return NotificationRow(
        ref=row["ref"],
        merchant_key=row["merchant_key"],
        webhook_ref=row["webhook_ref"],
        event_type=EventType(row["event_type"]),
        payload=row["payload"],
        occurred_at=row["occurred_at"],
        state=NotificationState(row["state"]),
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        last_attempt_at=row["last_attempt_at"],
        last_error=row["last_error"],
        delivered_at=row["delivered_at"],
        key=row["key"],
    )
