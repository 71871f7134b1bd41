"""STRONGROOM_SQLITE_SYNCHRONOUS reaches every connection of the application's engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from strongroom.bootstrap import build
from strongroom.config import load_settings
from strongroom.storage import create_engine_for

NORMAL, FULL = 1, 2  # what PRAGMA synchronous answers


def _synchronous(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("PRAGMA synchronous").scalar_one())


@pytest.mark.parametrize(("setting", "expected"), [(None, NORMAL), ("normal", NORMAL), ("full", FULL)])
def test_the_application_engine_commits_with_the_configured_synchronous(
    tmp_path: Path, setting: str | None, expected: int
) -> None:
    env = {"STRONGROOM_DATA_DIR": str(tmp_path)}
    if setting is not None:
        env["STRONGROOM_SQLITE_SYNCHRONOUS"] = setting
    application = build(load_settings(env))
    try:
        assert _synchronous(application.engine) == expected
        with application.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    finally:
        application.close()


def test_an_engine_refuses_an_unknown_synchronous_mode(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="normal or full"):
        create_engine_for(f"sqlite:///{tmp_path / 'x.db'}", sqlite_synchronous="off")
