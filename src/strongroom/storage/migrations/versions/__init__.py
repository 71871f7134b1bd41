"""Alembic revision scripts, one linear chain; alembic itself skips this file."""
