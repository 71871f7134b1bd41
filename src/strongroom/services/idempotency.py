"""Safe retries: a request repeated with the same Idempotency-Key gets the first answer back.

Beyond Authorize.Net: a client whose request timed out can retry without charging twice. The
answer is kept sealed (it can hold names and addresses) for at least 24 hours; the request is
compared by a keyed digest of its exact bytes, so the same key with a different body is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Final

from strongroom.domain.errors import InvalidField
from strongroom.services.ports import Clock, IdempotencyEntry, IdempotencyStore, Vault

RETENTION: Final = timedelta(hours=24)
MAX_KEY_LENGTH: Final = 255


class ClaimState(Enum):
    NEW = "new"  # go ahead, then call `complete` (or `release` on an unexpected failure)
    REPLAY = "replay"  # same key, same request, answered before: send `reply` again
    MISMATCH = "mismatch"  # same key, different request
    IN_PROGRESS = "in_progress"  # same key, first request still running


@dataclass(frozen=True, slots=True)
class Claim:
    state: ClaimState
    reply: bytes | None = None
    media_type: str | None = None


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidField("Idempotency-Key",
                           f"The Idempotency-Key header must be 1 to {MAX_KEY_LENGTH} "
                           "printable characters.")
    return key


class Idempotency:
    def __init__(self, store: IdempotencyStore, vault: Vault, clock: Clock) -> None:
        self._store = store
        self._vault = vault
        self._clock = clock

    def _record(self, key: str) -> str:
        return f"idempotency/{key}"

    def claim(self, merchant_key: int, key: str, request: bytes) -> Claim:
        now = self._clock.now()
        # Keyed digest: the body may hold a card number, which is never hashed plainly.
        digest = self._vault.fingerprint(merchant_key, "idempotency:" + request.hex())
        existing = self._store.claim(IdempotencyEntry(merchant_key, key, digest, now),
                                     expired_before=now - RETENTION)
        if existing is None:
            return Claim(ClaimState.NEW)
        if existing.request_digest != digest:
            return Claim(ClaimState.MISMATCH)
        if existing.sealed_reply is None:
            return Claim(ClaimState.IN_PROGRESS)
        reply = self._vault.unseal(merchant_key, self._record(key), existing.sealed_reply)
        return Claim(ClaimState.REPLAY, reply, existing.media_type)

    def complete(self, merchant_key: int, key: str, reply: bytes, media_type: str) -> None:
        sealed = self._vault.seal(merchant_key, self._record(key), reply)
        self._store.complete(merchant_key, key, sealed, media_type)

    def release(self, merchant_key: int, key: str) -> None:
        self._store.release(merchant_key, key)

    def purge(self) -> int:
        return self._store.purge(self._clock.now() - RETENTION)
