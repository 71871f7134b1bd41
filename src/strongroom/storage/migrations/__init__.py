"""Alembic migrations of the Strongroom schema (run through strongroom.storage.schema_migration)."""
