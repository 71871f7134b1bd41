"""Idempotency keys: a request's digest and its kept answer."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class IdempotencyEntry:
    """A request answered under an Idempotency-Key: its body digest and the answer (None once
    the answer is no longer kept)."""

    merchant_key: int
    key: str
    request_digest: str
    created_at: datetime
    sealed_reply: bytes | None = field(default=None, repr=False)
    media_type: str | None = None


class KeyGuard(Protocol):
    """An Idempotency-Key held by the open shared transaction that does the request's work."""

    busy: bool  # another request holds the key right now
    existing: IdempotencyEntry | None  # the key's committed entry (None: never answered)

    def commit_with(self, entry: IdempotencyEntry) -> None:
        """Store `entry` and commit it in one transaction with all the work done meanwhile."""
        ...


class IdempotencyStore(Protocol):
    """Idempotency keys (implemented by storage)."""

    def guard(self, merchant_key: int, key: str) -> AbstractContextManager[KeyGuard]:
        """Open a shared transaction that every unit of work in the block joins, holding the
        key; leaving the block without `commit_with` rolls all of it back."""
        ...

    def purge(self, answers_before: datetime, keys_before: datetime) -> int:
        """Drop answers older than `answers_before`, forget keys older than `keys_before`."""
        ...
