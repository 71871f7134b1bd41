"""Alembic migrations run programmatically (no alembic.ini): upgrade, downgrade, drift check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from strongroom.storage.engine import build_engine, create_engine_for, transaction
from strongroom.storage.tables import metadata

SCRIPT_LOCATION = "strongroom.storage:migrations"
# Any constant works; it only has to be the same for every Strongroom process.
_POSTGRES_MIGRATION_LOCK = 0x5374726F6E67


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at `url` up to `revision` (default: the newest)."""
    with _migration_connection(url) as connection:
        command.upgrade(_alembic_config(connection), revision)


def downgrade(url: str, revision: str) -> None:
    """Migrate the database at `url` down to `revision` ("base" removes every table)."""
    with _migration_connection(url) as connection:
        command.downgrade(_alembic_config(connection), revision)


def current_revision(url: str) -> str | None:
    """The revision the database is at, or None if it was never migrated."""
    engine = create_engine_for(url)
    try:
        with transaction(engine, write=False) as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head_revision() -> str:
    """The newest revision shipped with this code."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def schema_differences(url: str) -> list[Any]:
    """Alembic's diff between `tables.metadata` and the database; empty when they agree."""
    engine = create_engine_for(url)
    try:
        with transaction(engine, write=False) as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def _alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("file_template", "v%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


@contextmanager
def _migration_connection(url: str) -> Iterator[Connection]:
    """One write transaction for the whole migration; SQLite runs it with foreign keys off
    (batch mode rebuilds tables) and checks them before committing."""
    engine = build_engine(url, enforce_foreign_keys=False)
    try:
        with transaction(engine, write=True) as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": _POSTGRES_MIGRATION_LOCK}
                )
            yield connection
            if connection.dialect.name == "sqlite":
                _check_foreign_keys(connection)
    finally:
        engine.dispose()


def _check_foreign_keys(connection: Connection) -> None:
    violations = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if violations:
        raise RuntimeError(f"migration left {len(violations)} foreign key violations: {violations[:5]}")
