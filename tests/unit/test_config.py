"""Settings come from STRONGROOM_* variables with working development defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from strongroom.config import SettingsError, load_settings


def test_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings({})
    assert settings.data_dir == tmp_path / "strongroom-data"
    assert settings.database_url == f"sqlite:///{tmp_path / 'strongroom-data' / 'strongroom.db'}"
    assert settings.master_key_file == tmp_path / "strongroom-data" / "master.key"
    assert settings.is_sqlite
    assert settings.auto_migrate
    assert not settings.is_production
    assert (settings.host, settings.port) == ("127.0.0.1", 8080)


def test_postgres_does_not_migrate_by_default(tmp_path: Path) -> None:
    settings = load_settings(
        {"STRONGROOM_DATA_DIR": str(tmp_path), "STRONGROOM_DATABASE_URL": "postgresql+psycopg://u:pw@db/x"}
    )
    assert not settings.is_sqlite
    assert not settings.auto_migrate
    assert "pw" not in repr(settings)


def test_master_key_never_in_repr(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "STRONGROOM_DATA_DIR": str(tmp_path),
            "STRONGROOM_MASTER_KEY": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYg",
        }
    )
    assert settings.master_key is not None
    assert settings.master_key not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("STRONGROOM_PORT", "eighty"),
        ("STRONGROOM_PORT", "0"),
        ("STRONGROOM_MAX_BODY_BYTES", "10"),
        ("STRONGROOM_AUTO_MIGRATE", "maybe"),
        ("STRONGROOM_ENVIRONMENT", "staging"),
    ],
)
def test_bad_values_are_refused(name: str, value: str) -> None:
    with pytest.raises(SettingsError):
        load_settings({name: value})


@pytest.mark.parametrize(("value", "interval"), [(None, 60), ("", 60), ("0", 0), ("5", 5)])
def test_the_scheduler_interval_defaults_to_a_minute_and_zero_turns_it_off(
    tmp_path: Path, value: str | None, interval: int
) -> None:
    env = {"STRONGROOM_DATA_DIR": str(tmp_path)}
    if value is not None:
        env["STRONGROOM_SCHEDULER_INTERVAL"] = value
    assert load_settings(env).scheduler_interval == interval


@pytest.mark.parametrize("value", ["-1", "often", "1.5"])
def test_a_bad_scheduler_interval_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match="STRONGROOM_SCHEDULER_INTERVAL"):
        load_settings({"STRONGROOM_SCHEDULER_INTERVAL": value})


@pytest.mark.parametrize(("value", "days"), [(None, 30), ("", 30), ("1", 1), ("365", 365), ("3650", 3650)])
def test_kept_instruments_are_kept_thirty_days_unless_configured(
    tmp_path: Path, value: str | None, days: int
) -> None:
    env = {"STRONGROOM_DATA_DIR": str(tmp_path)}
    if value is not None:
        env["STRONGROOM_INSTRUMENT_RETENTION_DAYS"] = value
    assert load_settings(env).instrument_retention_days == days


@pytest.mark.parametrize("value", ["0", "-3", "3651", "a month", "1.5"])
def test_a_bad_instrument_retention_is_refused(value: str) -> None:
    with pytest.raises(SettingsError, match="STRONGROOM_INSTRUMENT_RETENTION_DAYS"):
        load_settings({"STRONGROOM_INSTRUMENT_RETENTION_DAYS": value})


def test_authentication_limits_default_to_ten_per_login_and_fifty_per_address(tmp_path: Path) -> None:
    settings = load_settings({"STRONGROOM_DATA_DIR": str(tmp_path)})

    assert (
        settings.auth_login_failures,
        settings.auth_address_failures,
        settings.auth_window_seconds,
        settings.auth_lockout_seconds,
    ) == (10, 50, 300, 900)


def test_authentication_limits_are_configurable_and_zero_turns_one_off(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "STRONGROOM_DATA_DIR": str(tmp_path),
            "STRONGROOM_AUTH_LOGIN_FAILURES": "5",
            "STRONGROOM_AUTH_ADDRESS_FAILURES": "0",
            "STRONGROOM_AUTH_WINDOW_SECONDS": "60",
            "STRONGROOM_AUTH_LOCKOUT_SECONDS": "3600",
        }
    )

    assert (
        settings.auth_login_failures,
        settings.auth_address_failures,
        settings.auth_window_seconds,
        settings.auth_lockout_seconds,
    ) == (5, 0, 60, 3600)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("STRONGROOM_AUTH_LOGIN_FAILURES", "-1"),
        ("STRONGROOM_AUTH_ADDRESS_FAILURES", "many"),
        ("STRONGROOM_AUTH_WINDOW_SECONDS", "0"),
        ("STRONGROOM_AUTH_LOCKOUT_SECONDS", "86401"),
    ],
)
def test_unusable_authentication_limits_are_refused(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value})
