"""The hot path's settings: how long caches keep entries, and how many worker threads."""

from __future__ import annotations

import pytest

from strongroom.config import (
    DEFAULT_CACHE_SECONDS,
    DEFAULT_THREADS,
    MAX_THREADS,
    SettingsError,
    load_settings,
)


def test_one_second_caches_and_eight_threads_by_default() -> None:
    settings = load_settings({})
    assert settings.cache_seconds == DEFAULT_CACHE_SECONDS == 1.0
    assert settings.threads == DEFAULT_THREADS == 8


@pytest.mark.parametrize(("value", "seconds"), [("0", 0.0), ("0.25", 0.25), ("1", 1.0)])
def test_the_cache_bound_is_read_from_zero_to_one_second(value: str, seconds: float) -> None:
    assert load_settings({"STRONGROOM_CACHE_SECONDS": value}).cache_seconds == seconds


@pytest.mark.parametrize("value", ["1.5", "-1", "soon", "60"])
def test_a_cache_bound_beyond_one_second_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match="STRONGROOM_CACHE_SECONDS"):
        load_settings({"STRONGROOM_CACHE_SECONDS": value})


@pytest.mark.parametrize("value", ["0", str(MAX_THREADS + 1), "many"])
def test_the_thread_count_is_a_whole_number_from_one_to_the_maximum(value: str) -> None:
    assert load_settings({"STRONGROOM_THREADS": "3"}).threads == 3
    with pytest.raises(SettingsError, match="STRONGROOM_THREADS"):
        load_settings({"STRONGROOM_THREADS": value})
