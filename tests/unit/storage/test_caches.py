"""TtlCache: entries live their bound on an injected clock, invalidations win over racing loads."""

from __future__ import annotations

import pytest

from strongroom.storage.caches import StorageCaches, TtlCache, UnitCaches, no_caches


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Loads:
    """A loader that hands out numbered values and counts its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return f"value {self.calls}"


def test_an_entry_is_kept_until_its_bound_and_then_loaded_again() -> None:
    clock, load = FakeMonotonic(), Loads()
    cache: TtlCache[str, str] = TtlCache(1.0, clock)

    first = cache.get("alice", load)
    clock.now += 0.999
    still = cache.get("alice", load)
    clock.now += 0.001
    after = cache.get("alice", load)

    assert (first, still, after) == ("value 1", "value 1", "value 2")
    assert load.calls == 2


def test_keys_are_kept_apart() -> None:
    cache: TtlCache[int, str] = TtlCache(1.0, FakeMonotonic())

    assert cache.get(1, lambda: "one") == "one"
    assert cache.get(2, lambda: "two") == "two"
    assert cache.get(1, lambda: "not asked") == "one"


def test_an_invalidated_entry_is_loaded_again_at_once() -> None:
    cache: TtlCache[str, str] = TtlCache(1.0, FakeMonotonic())
    load = Loads()
    cache.get("alice", load)

    cache.invalidate("alice")

    assert cache.get("alice", load) == "value 2"


def test_a_load_that_an_invalidation_overtook_is_not_kept() -> None:
    cache: TtlCache[str, str] = TtlCache(1.0, FakeMonotonic())

    def stale_load() -> str:
        cache.invalidate("alice")  # a change commits while the old value is being read
        return "stale"

    assert cache.get("alice", stale_load) == "stale"
    assert cache.get("alice", lambda: "fresh") == "fresh"


def test_zero_seconds_keeps_nothing_and_keep_false_only_reads() -> None:
    load = Loads()
    off: TtlCache[str, str] = TtlCache(0, FakeMonotonic())
    off.get("a", load)
    off.get("a", load)
    on: TtlCache[str, str] = TtlCache(1.0, FakeMonotonic())
    on.get("a", load, keep=False)
    on.get("a", load)

    assert load.calls == 4
    assert len(off) == 0
    assert len(on) == 1


def test_the_cache_is_bounded() -> None:
    cache: TtlCache[int, int] = TtlCache(1.0, FakeMonotonic(), max_entries=3)
    for key in range(10):
        cache.get(key, lambda key=key: key)  # type: ignore[misc]

    assert len(cache) <= 3


@pytest.mark.parametrize("seconds", [-0.1, 1.5])
def test_the_bound_is_at_most_one_second(seconds: float) -> None:
    with pytest.raises(ValueError, match="0 to 1 s"):
        TtlCache(seconds)


def test_a_unit_drops_what_it_changed_now_and_again_when_it_commits() -> None:
    caches = StorageCaches(1.0, FakeMonotonic())
    unit = UnitCaches(caches, keep=True)
    caches.fraud_filters.get(7, lambda: ())

    unit.after_commit(lambda: caches.fraud_filters.invalidate(7))
    caches.fraud_filters.get(7, lambda: ())  # read before the commit: the old value
    assert len(caches.fraud_filters) == 1
    unit.committed()

    assert len(caches.fraud_filters) == 0


def test_no_caches_keep_nothing() -> None:
    caches = no_caches()
    load = Loads()

    caches.webhooks.get(1, lambda: (load(), ())[1])
    caches.webhooks.get(1, lambda: (load(), ())[1])

    assert load.calls == 2
