"""Webhook events: the 23 event types merchants subscribe to (with their published names), the
entity each one is about, and the exact JSON text of an event's payload.

The names are Authorize.Net's notification vocabulary, which is also Strongroom's: a webhook
receiver written for Authorize.Net runs unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import TypeAlias

PAYMENT = "net.authorize.payment."
CUSTOMER = "net.authorize.customer."
PAYMENT_PROFILE = CUSTOMER + "paymentProfile."
SUBSCRIPTION = CUSTOMER + "subscription."


class EventType(StrEnum):
    """What happened; the value is the name notifications and subscriptions use."""

    AUTHCAPTURE_CREATED = PAYMENT + "authcapture.created"
    AUTHORIZATION_CREATED = PAYMENT + "authorization.created"
    CAPTURE_CREATED = PAYMENT + "capture.created"
    FRAUD_APPROVED = PAYMENT + "fraud.approved"
    FRAUD_DECLINED = PAYMENT + "fraud.declined"
    FRAUD_HELD = PAYMENT + "fraud.held"
    PRIOR_AUTH_CAPTURE_CREATED = PAYMENT + "priorAuthCapture.created"
    REFUND_CREATED = PAYMENT + "refund.created"
    VOID_CREATED = PAYMENT + "void.created"
    CUSTOMER_CREATED = CUSTOMER + "created"
    CUSTOMER_UPDATED = CUSTOMER + "updated"
    CUSTOMER_DELETED = CUSTOMER + "deleted"
    PAYMENT_PROFILE_CREATED = PAYMENT_PROFILE + "created"
    PAYMENT_PROFILE_UPDATED = PAYMENT_PROFILE + "updated"
    PAYMENT_PROFILE_DELETED = PAYMENT_PROFILE + "deleted"
    SUBSCRIPTION_CREATED = SUBSCRIPTION + "created"
    SUBSCRIPTION_UPDATED = SUBSCRIPTION + "updated"
    SUBSCRIPTION_SUSPENDED = SUBSCRIPTION + "suspended"
    SUBSCRIPTION_TERMINATED = SUBSCRIPTION + "terminated"
    SUBSCRIPTION_CANCELLED = SUBSCRIPTION + "cancelled"  # double l, unlike ARB's "canceled"
    SUBSCRIPTION_EXPIRING = SUBSCRIPTION + "expiring"
    SUBSCRIPTION_EXPIRED = SUBSCRIPTION + "expired"
    SUBSCRIPTION_FAILED = SUBSCRIPTION + "failed"


class EntityName(StrEnum):
    """What a payload's `id` identifies (its `entityName`)."""

    TRANSACTION = "transaction"
    CUSTOMER_PROFILE = "customerProfile"
    PAYMENT_PROFILE = "customerPaymentProfile"
    SUBSCRIPTION = "subscription"


def entity_of(event_type: EventType) -> EntityName:
    """The kind of record an event of this type is about."""
    if event_type.value.startswith(PAYMENT):
        return EntityName.TRANSACTION
    if event_type.value.startswith(SUBSCRIPTION):
        return EntityName.SUBSCRIPTION
    if event_type.value.startswith(PAYMENT_PROFILE):
        return EntityName.PAYMENT_PROFILE
    return EntityName.CUSTOMER_PROFILE


def parse_event_type(name: str) -> EventType | None:
    """The event type with this exact name, or None."""
    try:
        return EventType(name)
    except ValueError:
        return None


# A payload is JSON made of these; amounts are Decimals written with their own places
# (12.30 stays 12.30: receivers hash the exact bytes).
PayloadValue: TypeAlias = (
    "str | int | bool | Decimal | Sequence[PayloadValue] | Mapping[str, PayloadValue] | None"
)
Payload: TypeAlias = Mapping[str, PayloadValue]


def encode_payload(payload: Payload) -> str:
    """Compact JSON of `payload`, keys in the order given, Decimals as exact numbers."""
    return _encode(payload)


def _encode(value: PayloadValue) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("a payload amount must be a finite number")
        return format(value, "f")
    if value is None or isinstance(value, bool | int):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        items = (f"{json.dumps(str(key), ensure_ascii=False)}:{_encode(item)}" for key, item in value.items())
        return "{" + ",".join(items) + "}"
    return "[" + ",".join(_encode(item) for item in value) + "]"
