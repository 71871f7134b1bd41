"""Alembic environment: migrates on the connection that schema_migration hands over."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from strongroom.storage.column_types import MinorUnits, UtcDateTime
from strongroom.storage.tables import metadata


def render_item(kind: str, item: Any, _autogen_context: AutogenContext) -> str | Literal[False]:
    """Autogenerate writes the plain SQLAlchemy type for our decorators (revisions stay frozen)."""
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    if kind == "type" and isinstance(item, MinorUnits):
        return "sa.BigInteger()"  # money as integer minor units
    return False


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def handed_over_connection() -> Connection:
    connection = context.config.attributes.get("connection")
    if context.is_offline_mode() or not isinstance(connection, Connection):
        raise RuntimeError("run migrations with strongroom.storage.schema_migration.upgrade()")
    return connection


run_migrations(handed_over_connection())
