"""The slow-client bounds: seconds for a request head and body, and open connections."""

from __future__ import annotations

from pathlib import Path

import pytest

from strongroom.config import SettingsError, load_settings


def test_the_bounds_default_to_ten_and_thirty_seconds_and_five_hundred_connections(tmp_path: Path) -> None:
    settings = load_settings({"STRONGROOM_DATA_DIR": str(tmp_path)})
    assert (settings.header_timeout, settings.body_timeout) == (10.0, 30.0)
    assert settings.max_connections == 500


def test_the_bounds_are_read_with_fractions_of_a_second(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "STRONGROOM_DATA_DIR": str(tmp_path),
            "STRONGROOM_HEADER_TIMEOUT": "0.5",
            "STRONGROOM_BODY_TIMEOUT": " 45 ",
            "STRONGROOM_MAX_CONNECTIONS": "2",
        }
    )
    assert (settings.header_timeout, settings.body_timeout) == (0.5, 45.0)
    assert settings.max_connections == 2


@pytest.mark.parametrize("name", ["STRONGROOM_HEADER_TIMEOUT", "STRONGROOM_BODY_TIMEOUT"])
@pytest.mark.parametrize("value", ["0", "0.0", "-1", "ten", "nan", "inf", "1e3", "3601", "1" * 400])
def test_a_timeout_must_be_a_positive_number_of_seconds_up_to_an_hour(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value})


@pytest.mark.parametrize("value", ["0", "-5", "many", "2.5"])
def test_the_connection_cap_must_be_a_positive_whole_number(value: str) -> None:
    with pytest.raises(SettingsError, match="STRONGROOM_MAX_CONNECTIONS"):
        load_settings({"STRONGROOM_MAX_CONNECTIONS": value})
