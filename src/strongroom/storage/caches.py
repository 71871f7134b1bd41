"""Per-process caches of rarely changed rows (logins, data keys, fraud filters, webhooks).

An entry lives at most `seconds` (STRONGROOM_CACHE_SECONDS, at most 1 s), so a change another
process commits is seen here within that bound. A change committed through this process drops
the entries it touches at once (`UnitCaches.after_commit`), and a load that raced with such a
change is not kept. Units joined to a shared transaction read through without storing: what they
see may still roll back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from strongroom.config import MAX_CACHE_SECONDS
from strongroom.domain.fraud import FraudFilter
from strongroom.services.ports import MerchantRow, WrappedDataKey

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

Monotonic = Callable[[], float]
DEFAULT_MAX_ENTRIES = 4096


class TtlCache(Generic[K, V]):
    """A thread-safe map of loaded values, each kept `seconds` from its load; `seconds=0` keeps
    nothing. Past `max_entries` it starts again empty (a bound, not an eviction policy)."""

    def __init__(
        self, seconds: float, monotonic: Monotonic = time.monotonic, max_entries: int = DEFAULT_MAX_ENTRIES
    ) -> None:
        if not 0 <= seconds <= MAX_CACHE_SECONDS:
            raise ValueError(f"a cache entry lives 0 to {MAX_CACHE_SECONDS:g} s, not {seconds!r}")
        self._seconds = seconds
        self._monotonic = monotonic
        self._max_entries = max_entries
        self._entries: dict[K, tuple[float, V]] = {}
        self._generation = 0  # bumped by every invalidation: a load that spans one is not kept
        self._lock = threading.Lock()

    def get(self, key: K, load: Callable[[], V], *, keep: bool = True) -> V:
        """The cached value of `key`, or `load()`'s (kept unless `keep` is False)."""
        if self._seconds <= 0:
            return load()
        now = self._monotonic()
        with self._lock:
            entry = self._entries.get(key)
            generation = self._generation
        if entry is not None and entry[0] > now:
            return entry[1]
        value = load()
        if keep:
            with self._lock:
                if self._generation == generation:
                    if len(self._entries) >= self._max_entries:
                        self._entries.clear()
                    self._entries[key] = (now + self._seconds, value)
        return value

    def invalidate(self, key: K) -> None:
        with self._lock:
            self._generation += 1
            self._entries.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._generation += 1
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __repr__(self) -> str:
        return f"TtlCache(seconds={self._seconds:g}, entries={len(self)})"


@dataclass(frozen=True, slots=True)
class StorageCaches:
    """The caches of one application (one engine)."""

    seconds: float = MAX_CACHE_SECONDS
    monotonic: Monotonic = time.monotonic
    merchants_by_login: TtlCache[str, MerchantRow | None] = field(init=False)
    data_keys: TtlCache[tuple[int, str], WrappedDataKey | None] = field(init=False)
    fraud_filters: TtlCache[int, tuple[FraudFilter, ...]] = field(init=False)
    webhooks: TtlCache[int, tuple[tuple[int, str], ...]] = field(init=False)

    def __post_init__(self) -> None:
        for name in ("merchants_by_login", "data_keys", "fraud_filters", "webhooks"):
            object.__setattr__(self, name, TtlCache(self.seconds, self.monotonic))


def no_caches() -> StorageCaches:
    """Caches that keep nothing: every read goes to the database."""
    return StorageCaches(seconds=0)


class UnitCaches:
    """The caches as one unit of work sees them: it reads through them (storing only while it is
    not part of a shared transaction and has changed nothing) and drops what it changed once it
    commits."""

    __slots__ = ("_pending", "caches", "keep")

    def __init__(self, caches: StorageCaches, *, keep: bool) -> None:
        self.caches = caches
        self.keep = keep
        self._pending: list[Callable[[], None]] = []

    def after_commit(self, invalidation: Callable[[], None]) -> None:
        """Run `invalidation` when the unit commits (and now: a concurrent load then sees the
        change or is not kept). From here on the unit keeps nothing it reads: it may read its own
        change, which may still roll back."""
        invalidation()
        self._pending.append(invalidation)
        self.keep = False

    def drop_after_commit(self, cache: TtlCache[K, V], key: K) -> None:
        """`after_commit` of dropping one entry."""
        self.after_commit(lambda: cache.invalidate(key))

    def committed(self) -> None:
        pending, self._pending = self._pending, []
        for invalidation in pending:
            invalidation()


def uncached() -> UnitCaches:
    """For a repository opened on its own connection, outside any unit of work."""
    return UnitCaches(no_caches(), keep=False)
