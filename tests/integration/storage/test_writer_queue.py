"""In-process SQLite writers queue on one lock per engine (not on SQLite's sleeping busy handler)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from strongroom.storage import SqlUnitOfWorkFactory, create_engine_for, upgrade
from strongroom.storage.engine import writer_lock


def test_sqlite_writers_share_one_reentrant_lock_per_engine(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'queue.db'}"
    upgrade(url)
    engine, other = create_engine_for(url), create_engine_for(url)
    try:
        lock = writer_lock(engine)
        assert isinstance(lock, type(threading.RLock()))
        assert writer_lock(engine) is lock
        assert writer_lock(other) is not lock
        units = SqlUnitOfWorkFactory(engine)
        with units():  # a write unit holds the engine's writer lock, so another thread can't
            assert _acquired_elsewhere(lock) is False
            with units(write=False):  # readers never queue
                pass
        assert _acquired_elsewhere(lock) is True
    finally:
        engine.dispose()
        other.dispose()


def test_postgres_needs_no_writer_lock(database_url: str) -> None:
    engine = create_engine_for(database_url)
    try:
        assert (writer_lock(engine) is writer_lock(engine)) == (engine.dialect.name == "sqlite")
    finally:
        engine.dispose()


def _acquired_elsewhere(lock: Any) -> bool:
    """Whether another thread could take `lock` right now (a non-blocking try, then release)."""
    outcome: list[bool] = []

    def attempt() -> None:
        taken = lock.acquire(blocking=False)
        if taken:
            lock.release()
        outcome.append(taken)

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join(timeout=10)
    return outcome[0]
