"""A notification as it goes over the wire: the exact JSON body, and its `X-ANET-Signature`
(uppercase hex HMAC-SHA512 of those bytes, keyed with the merchant's signature key as text)."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

from strongroom.domain.events import EventType
from strongroom.domain.sensitive import Secret
from strongroom.services.merchants import SIGNATURE_RECORD
from strongroom.services.ports import UnitOfWorkFactory, Vault

SIGNATURE_HEADER = "X-ANET-Signature"
CONTENT_TYPE = "application/json"


def event_date(at: datetime) -> str:
    """UTC with seven fractional digits and Z, as notifications write it."""
    utc = at.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond:06d}0Z"


def notification_body(
    notification_id: str, event_type: EventType, occurred_at: datetime, webhook_id: str, payload_json: str
) -> bytes:
    """The notification's JSON, byte for byte the same on every attempt."""
    head = (
        f'{{"notificationId":{json.dumps(notification_id)},'
        f'"eventType":{json.dumps(event_type.value)},'
        f'"eventDate":{json.dumps(event_date(occurred_at))},'
        f'"webhookId":{json.dumps(webhook_id)},'
        f'"payload":'
    )
    return (head + payload_json + "}").encode()


def signature(key: Secret[str], body: bytes) -> str:
    """The X-ANET-Signature value: `sha512=` + uppercase hex HMAC-SHA512 of `body`."""
    digest = hmac.new(key.reveal().encode(), body, hashlib.sha512).hexdigest().upper()
    return "sha512=" + digest


def signed_headers(key: Secret[str], body: bytes) -> dict[str, str]:
    return {"Content-Type": CONTENT_TYPE, SIGNATURE_HEADER: signature(key, body)}


class SignatureKeys:
    """Merchants' signature keys, unsealed on first use and kept for this object's lifetime
    (one delivery run, one ping). Never call inside a unit of work (vault I/O)."""

    def __init__(self, units: UnitOfWorkFactory, vault: Vault) -> None:
        self._units = units
        self._vault = vault
        self._keys: dict[int, Secret[str] | None] = {}

    def of(self, merchant_key: int) -> Secret[str] | None:
        if merchant_key not in self._keys:
            self._keys[merchant_key] = self._unseal(merchant_key)
        return self._keys[merchant_key]

    def _unseal(self, merchant_key: int) -> Secret[str] | None:
        with self._units(write=False) as uow:
            row = uow.merchants.by_key(merchant_key)
        if row is None or row.sealed_signature_key is None:
            return None
        plain = self._vault.unseal(merchant_key, SIGNATURE_RECORD, row.sealed_signature_key)
        return Secret(plain.decode())
