"""Building each port's implementations for the contract suites: the fakes tests use, and the
real adapters on a fresh database of each engine (SQLite file, PostgreSQL schema)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from strongroom.storage import create_engine_for, upgrade
from tests.databases import ENGINES, throwaway_database

MEMORY = "in-memory"
SQL = [f"sql-{engine}" for engine in ENGINES]  # sql-sqlite, sql-postgres


@contextmanager
def migrated_engine(kind: str, directory: Path) -> Iterator[Engine]:
    """A migrated throw-away database of `kind` ('sql-sqlite' or 'sql-postgres'), as the
    `database_url` fixture makes it; PostgreSQL skips locally without its URL."""
    with throwaway_database(kind.removeprefix("sql-"), directory) as url:
        upgrade(url)
        engine = create_engine_for(url)
        try:
            yield engine
        finally:
            engine.dispose()
