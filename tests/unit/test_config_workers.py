"""`strongroom serve` worker processes and SQLite's commit durability."""

from __future__ import annotations

import pytest

from strongroom.config import MAX_WORKERS, SettingsError, load_settings


def test_one_worker_and_normal_synchronous_by_default() -> None:
    settings = load_settings({})
    assert settings.workers == 1
    assert settings.sqlite_synchronous == "normal"


def test_the_worker_count_is_read() -> None:
    assert load_settings({"STRONGROOM_WORKERS": "4"}).workers == 4
    assert load_settings({"STRONGROOM_WORKERS": str(MAX_WORKERS)}).workers == MAX_WORKERS


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5", str(MAX_WORKERS + 1)])
def test_the_worker_count_must_be_a_whole_number_from_one_to_the_maximum(value: str) -> None:
    with pytest.raises(SettingsError, match="STRONGROOM_WORKERS"):
        load_settings({"STRONGROOM_WORKERS": value})


@pytest.mark.parametrize(("value", "mode"), [("full", "full"), (" FULL ", "full"), ("Normal", "normal")])
def test_sqlite_synchronous_is_normal_or_full_in_any_case(value: str, mode: str) -> None:
    assert load_settings({"STRONGROOM_SQLITE_SYNCHRONOUS": value}).sqlite_synchronous == mode


@pytest.mark.parametrize("value", ["off", "extra", "2", "full;"])
def test_any_other_sqlite_synchronous_mode_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match="STRONGROOM_SQLITE_SYNCHRONOUS must be normal or full"):
        load_settings({"STRONGROOM_SQLITE_SYNCHRONOUS": value})
