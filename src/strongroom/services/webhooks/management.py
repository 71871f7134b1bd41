"""Webhook management use cases: event types, webhooks (list, create, read, update, delete,
ping) and notification history, every call scoped to the calling merchant."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from strongroom.domain.errors import InvalidField, MissingField, NotFound, StrongroomError
from strongroom.domain.events import EventType, encode_payload, entity_of, parse_event_type
from strongroom.domain.merchants import Merchant
from strongroom.domain.webhooks import WebhookStatus, valid_name, valid_url
from strongroom.services.ports import (
    Clock,
    DeliveryFailed,
    UnitOfWorkFactory,
    Vault,
    WebhookRow,
    WebhookSender,
)
from strongroom.services.webhooks.signing import (
    SignatureKeys,
    notification_body,
    signed_headers,
)
from strongroom.services.webhooks.summaries import Notification, Webhook

MAX_PAGE = 1000
DEFAULT_PAGE = 1000
PING_ID = "0"  # a ping is about nothing that happened


class PingFailed(StrongroomError):
    """The webhook's receiver did not accept a ping (the message says how)."""

    code = "ping_failed"


@dataclass(frozen=True, slots=True)
class WebhookDraft:
    """A new webhook as requested; names and status are checked by the service."""

    url: str
    event_types: tuple[str, ...]
    name: str | None = None
    status: str | None = None  # default active


@dataclass(frozen=True, slots=True)
class WebhookChange:
    """What an update sends; None leaves a field as it is."""

    url: str | None = None
    event_types: tuple[str, ...] | None = None
    name: str | None = None
    status: str | None = None

    def is_empty(self) -> bool:
        return all(value is None for value in (self.url, self.event_types, self.name, self.status))


def event_types_of(names: Sequence[str]) -> tuple[EventType, ...]:
    """Known event types, each once, in the order given; InvalidField names an unknown one."""
    if not names:
        raise MissingField("eventTypes", "eventTypes must name at least one event type.")
    chosen: list[EventType] = []
    for name in names:
        event_type = parse_event_type(name)
        if event_type is None:
            raise InvalidField(
                "eventTypes", f"{name!r} is not an event type (GET /rest/v1/eventtypes lists them)."
            )
        if event_type not in chosen:
            chosen.append(event_type)
    return tuple(chosen)


def status_of(text: str) -> WebhookStatus:
    try:
        return WebhookStatus(text)
    except ValueError:
        raise InvalidField("status", "The status must be active or inactive.") from None


class Webhooks:
    """A merchant's webhooks and their notification history."""

    def __init__(self, units: UnitOfWorkFactory, vault: Vault, sender: WebhookSender, clock: Clock) -> None:
        self._units = units
        self._vault = vault
        self._sender = sender
        self._clock = clock

    @staticmethod
    def event_types() -> tuple[EventType, ...]:
        return tuple(EventType)

    def of_merchant(self, merchant: Merchant) -> Sequence[Webhook]:
        """Every webhook of the merchant, oldest first."""
        with self._units(write=False) as uow:
            return [Webhook.of(row) for row in uow.webhooks.of_merchant(merchant.key)]

    def create(self, merchant: Merchant, draft: WebhookDraft) -> Webhook:
        row = WebhookRow(
            ref=str(uuid.uuid4()),
            merchant_key=merchant.key,
            url=valid_url(draft.url),
            event_types=event_types_of(draft.event_types),
            status=status_of(draft.status) if draft.status is not None else WebhookStatus.ACTIVE,
            created_at=self._clock.now(),
            name=valid_name(draft.name),
        )
        with self._units() as uow:
            owner = uow.merchants.by_key(merchant.key)
            if owner is None or owner.sealed_signature_key is None:
                raise MissingField(
                    "signatureKey",
                    "Notifications are signed with the merchant's signature key, and this merchant has none.",
                )
            uow.webhooks.add(row)
            uow.commit()
        return Webhook.of(row)

    def get(self, merchant: Merchant, ref: str) -> Webhook:
        with self._units(write=False) as uow:
            row = uow.webhooks.get(merchant.key, ref)
        if row is None:
            raise NotFound("The webhook cannot be found.")
        return Webhook.of(row)

    def update(self, merchant: Merchant, ref: str, change: WebhookChange) -> Webhook:
        """Change the fields sent; the others stay."""
        if change.is_empty():
            raise MissingField("webhook", "Send at least one of url, eventTypes, status, name.")
        with self._units() as uow:
            current = uow.webhooks.get(merchant.key, ref)
            if current is None:
                raise NotFound("The webhook cannot be found.")
            row = replace(
                current,
                url=valid_url(change.url) if change.url is not None else current.url,
                event_types=(
                    event_types_of(change.event_types)
                    if change.event_types is not None
                    else current.event_types
                ),
                status=status_of(change.status) if change.status is not None else current.status,
                name=valid_name(change.name) if change.name is not None else current.name,
                updated_at=self._clock.now(),
            )
            uow.webhooks.replace(row)
            uow.commit()
        return Webhook.of(row)

    def delete(self, merchant: Merchant, ref: str) -> None:
        """Delete the webhook; its notifications (pending ones and history) go with it."""
        with self._units() as uow:
            if not uow.webhooks.delete(merchant.key, ref):
                raise NotFound("The webhook cannot be found.")
            uow.commit()

    def ping(self, merchant: Merchant, ref: str) -> None:
        """POST a test notification to the webhook's URL now (active or not), signed as any
        other, about its first event type and no record (`id` "0"); PingFailed unless the
        receiver answers 2xx. Pings are not kept in the notification history."""
        webhook = self.get(merchant, ref)
        key = SignatureKeys(self._units, self._vault).of(merchant.key)
        if key is None:
            raise PingFailed("The merchant has no signature key to sign notifications with.")
        event_type = webhook.event_types[0]
        payload = encode_payload({"entityName": entity_of(event_type).value, "id": PING_ID})
        body = notification_body(str(uuid.uuid4()), event_type, self._clock.now(), webhook.ref, payload)
        try:
            self._sender.post(webhook.url, body, signed_headers(key, body))
        except DeliveryFailed as failure:
            raise PingFailed(f"The webhook endpoint did not accept the ping: {failure}.") from None

    def notifications(
        self, merchant: Merchant, offset: int = 0, limit: int = DEFAULT_PAGE
    ) -> Sequence[Notification]:
        """The merchant's notifications, newest first; `offset` counts notifications."""
        if offset < 0:
            raise InvalidField("offset", "The offset must be 0 or more.")
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidField("limit", f"The limit must be between 1 and {MAX_PAGE}.")
        with self._units(write=False) as uow:
            rows = uow.notifications.history(merchant.key, offset, limit)
        return [Notification.of(row) for row in rows]

    def notification(self, merchant: Merchant, ref: str) -> Notification:
        with self._units(write=False) as uow:
            row = uow.notifications.get(merchant.key, ref)
        if row is None:
            raise NotFound("The notification cannot be found.")
        return Notification.of(row)
