"""A merchant's webhooks: URL, subscribed event types and status, always scoped by merchant."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, RowMapping, delete, select, update

from strongroom.domain.events import EventType
from strongroom.domain.webhooks import WebhookStatus
from strongroom.services.ports import WebhookRepository, WebhookRow
from strongroom.storage.caches import UnitCaches, uncached
from strongroom.storage.tables import webhooks


def join_event_types(event_types: Sequence[EventType]) -> str:
    return " ".join(item.value for item in event_types)


def split_event_types(text: str) -> tuple[EventType, ...]:
    return tuple(EventType(item) for item in text.split())


class SqlWebhookRepository(WebhookRepository):
    """WebhookRepository on one unit of work's connection."""

    def __init__(self, connection: Connection, caches: UnitCaches | None = None) -> None:
        self._connection = connection
        self._caches = caches or uncached()

    def _changed(self, merchant_key: int) -> None:
        self._caches.drop_after_commit(self._caches.caches.webhooks, merchant_key)

    def add(self, row: WebhookRow) -> None:
        self._changed(row.merchant_key)
        self._connection.execute(
            webhooks.insert().values(
                ref=row.ref,
                merchant_key=row.merchant_key,
                name=row.name,
                url=row.url,
                status=row.status.value,
                event_types=join_event_types(row.event_types),
                created_at=row.created_at,
                updated_at=row.updated_at,
            )
        )

    def get(self, merchant_key: int, ref: str) -> WebhookRow | None:
        found = (
            self._connection.execute(
                select(webhooks).where(webhooks.c.merchant_key == merchant_key, webhooks.c.ref == ref)
            )
            .mappings()
            .first()
        )
        return _row(found) if found is not None else None

    def of_merchant(self, merchant_key: int) -> Sequence[WebhookRow]:
        query = select(webhooks).where(webhooks.c.merchant_key == merchant_key).order_by(webhooks.c.key)
        return [_row(item) for item in self._connection.execute(query).mappings()]

    def replace(self, row: WebhookRow) -> bool:
        self._changed(row.merchant_key)
        result = self._connection.execute(
            update(webhooks)
            .where(webhooks.c.merchant_key == row.merchant_key, webhooks.c.ref == row.ref)
            .values(
                name=row.name,
                url=row.url,
                status=row.status.value,
                event_types=join_event_types(row.event_types),
                updated_at=row.updated_at,
            )
        )
        return result.rowcount == 1

    def delete(self, merchant_key: int, ref: str) -> bool:
        # The notifications go with it (ON DELETE CASCADE on both engines).
        self._changed(merchant_key)
        result = self._connection.execute(
            delete(webhooks).where(webhooks.c.merchant_key == merchant_key, webhooks.c.ref == ref)
        )
        return result.rowcount == 1


def _row(row: RowMapping) -> WebhookRow:
    return WebhookRow(
        ref=row["ref"],
        merchant_key=row["merchant_key"],
        url=row["url"],
        event_types=split_event_types(row["event_types"]),
        status=WebhookStatus(row["status"]),
        created_at=row["created_at"],
        name=row["name"],
        updated_at=row["updated_at"],
    )
