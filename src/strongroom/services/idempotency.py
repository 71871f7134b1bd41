"""Safe retries: a request repeated with the same Idempotency-Key gets the first answer back.

Beyond Authorize.Net: a client whose request timed out can retry without charging twice. The
key's entry is written in the same database transaction as the work it answers, so after a
crash at any point a retry finds either the committed work and its answer, or nothing at all
(and does the work once). The answer is kept sealed (it can hold names and addresses) for 24
hours; the key itself is remembered for 30 days, and a retry after the answer was dropped is
refused rather than run again. Requests are compared by a keyed digest of their exact bytes,
so the same key with a different body is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from strongroom.domain.errors import InvalidField, RequestConflict
from strongroom.services.ports import Clock, IdempotencyEntry, IdempotencyStore, Vault

RETENTION: Final = timedelta(hours=24)  # how long an answer is kept for retries
KEY_MEMORY: Final = timedelta(days=30)  # how long a used key is refused for new work
MAX_KEY_LENGTH: Final = 255

IN_PROGRESS: Final = "A request with this Idempotency-Key is still being processed; retry it shortly."
MISMATCH: Final = (
    "This Idempotency-Key was already used with a different request; use a new key for a new request."
)
ANSWER_GONE: Final = (
    "The answer to this Idempotency-Key is no longer kept (answers are kept "
    "24 hours); the request was done and is not run again."
)


@dataclass(frozen=True, slots=True)
class Answer:
    """What a request answered; `keep` False (an unexpected failure) undoes its work, so a
    retry runs it again."""

    body: bytes
    media_type: str
    keep: bool = True


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidField(
            "Idempotency-Key",
            f"The Idempotency-Key header must be 1 to {MAX_KEY_LENGTH} printable characters.",
        )
    return key


class Idempotency:
    def __init__(self, store: IdempotencyStore, vault: Vault, clock: Clock) -> None:
        self._store = store
        self._vault = vault
        self._clock = clock

    def answer(self, merchant_key: int, key: str, request: bytes, work: Callable[[], Answer]) -> Answer:
        """The first answer to (key, request), doing `work` only if it was never committed.
        Raises RequestConflict when the key is busy, used for another request, or spent."""
        key = check_key(key)
        # Keyed digest: the body may hold a card number, which is never hashed plainly.
        digest = self._vault.fingerprint(merchant_key, "idempotency:" + request.hex())
        self._vault.prepare(merchant_key)  # keys created now commit on their own
        with self._store.guard(merchant_key, key) as guard:
            if guard.busy:
                raise RequestConflict(IN_PROGRESS)
            if guard.existing is not None:
                return self._replay(guard.existing, digest)
            answer = work()
            if answer.keep:
                sealed = self._vault.seal(merchant_key, _record(key), answer.body)
                guard.commit_with(
                    IdempotencyEntry(merchant_key, key, digest, self._clock.now(), sealed, answer.media_type)
                )
            return answer

    def _replay(self, entry: IdempotencyEntry, digest: str) -> Answer:
        if entry.request_digest != digest:
            raise RequestConflict(MISMATCH)
        if entry.sealed_reply is None or entry.media_type is None:
            raise RequestConflict(ANSWER_GONE)
        reply = self._vault.unseal(entry.merchant_key, _record(entry.key), entry.sealed_reply)
        return Answer(reply, entry.media_type)

    def purge(self) -> int:
        now = self._clock.now()
        return self._store.purge(answers_before=now - RETENTION, keys_before=now - KEY_MEMORY)


def _record(key: str) -> str:
    return f"idempotency/{key}"
