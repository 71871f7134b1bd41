"""Relational storage: SQLAlchemy Core tables, Alembic migrations, repositories, unit of work."""

from strongroom.storage.data_keys import SqlDataKeyStore
from strongroom.storage.engine import create_engine_for
from strongroom.storage.schema_migration import (
    current_revision,
    downgrade,
    head_revision,
    schema_differences,
    upgrade,
)
from strongroom.storage.unit_of_work import SqlUnitOfWork, SqlUnitOfWorkFactory

__all__ = [
    "SqlDataKeyStore",
    "SqlUnitOfWork",
    "SqlUnitOfWorkFactory",
    "create_engine_for",
    "current_revision",
    "downgrade",
    "head_revision",
    "schema_differences",
    "upgrade",
]
