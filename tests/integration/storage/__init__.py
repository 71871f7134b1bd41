"""Integration tests of strongroom.storage, each run on SQLite and PostgreSQL."""
