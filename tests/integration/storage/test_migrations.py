"""Migrations: linear, reversible on both engines, and producing exactly tables.metadata."""

from __future__ import annotations

from sqlalchemy import inspect

from strongroom.storage import (
    create_engine_for,
    current_revision,
    downgrade,
    head_revision,
    schema_differences,
    upgrade,
)
from strongroom.storage.tables import metadata

VAULT_TABLES = {"customer_profiles", "payment_profiles", "shipping_addresses"}


def table_names(url: str) -> set[str]:
    engine = create_engine_for(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_creates_every_table_at_head(database_url: str) -> None:
    assert current_revision(database_url) is None

    upgrade(database_url)

    assert current_revision(database_url) == head_revision()
    assert table_names(database_url) == set(metadata.tables)


def test_migrated_schema_matches_the_metadata(database_url: str) -> None:
    upgrade(database_url)

    assert schema_differences(database_url) == []


def test_drift_check_notices_a_missing_revision(database_url: str) -> None:
    upgrade(database_url, "0002")

    assert schema_differences(database_url) != []


def test_upgrade_downgrade_upgrade_round_trip(database_url: str) -> None:
    upgrade(database_url)

    downgrade(database_url, "0001")
    assert current_revision(database_url) == "0001"
    assert table_names(database_url) == {"merchants", "profile_containers", "data_keys"}

    downgrade(database_url, "base")
    assert current_revision(database_url) is None
    assert table_names(database_url) == set()

    upgrade(database_url)
    assert current_revision(database_url) == head_revision()
    assert schema_differences(database_url) == []


def test_upgrade_is_idempotent(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)

    assert current_revision(database_url) == head_revision()
    assert table_names(database_url) >= VAULT_TABLES
