"""Pooled connections: sized from the worker threads, and on PostgreSQL pinged only after they
sat idle, so a connection the server dropped meanwhile is replaced, not handed to a unit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from strongroom.storage import create_engine_for
from strongroom.storage import engine as engine_module
from tests.databases import throwaway_database


@pytest.fixture
def postgres_url(tmp_path: Path) -> Iterator[str]:
    with throwaway_database("postgres", tmp_path) as url:
        yield url


def test_the_pool_keeps_the_size_it_was_given(database_url: str) -> None:
    engine = create_engine_for(database_url, pool_size=7)
    try:
        assert engine.pool.size() == 7  # type: ignore[attr-defined]
    finally:
        engine.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(url: str, pid: int) -> None:
    killer = create_engine_for(url)
    try:
        with killer.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    finally:
        killer.dispose()


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine_for(postgres_url, pool_size=1)
    try:
        dropped = _backend_pid(engine)
        _terminate(postgres_url, dropped)
        monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 0.0)  # every pooled one is idle

        assert _backend_pid(engine) != dropped
    finally:
        engine.dispose()


def test_a_connection_in_steady_use_is_not_pinged_and_a_drop_costs_one_failure(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 3600.0)  # nothing counts as idle
    engine = create_engine_for(postgres_url, pool_size=1)
    try:
        dropped = _backend_pid(engine)
        _terminate(postgres_url, dropped)

        with pytest.raises(OperationalError):
            _backend_pid(engine)  # not pinged: the unit meets the dropped connection
        assert _backend_pid(engine) != dropped  # and the pool has replaced it
    finally:
        engine.dispose()
