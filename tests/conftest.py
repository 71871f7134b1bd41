"""Shared fixtures: the database URLs every storage and API test runs against.

`database_url` is parametrised over SQLite (a real file in a temp dir) and PostgreSQL.
PostgreSQL comes from STRONGROOM_TEST_POSTGRES_URL; locally without it those variants skip
with a reason, and under CI (CI=true) a missing URL is a hard failure instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES_ENV = "STRONGROOM_TEST_POSTGRES_URL"


def postgres_base_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if not url and os.environ.get("CI", "").lower() == "true":
        raise RuntimeError(f"CI=true but {POSTGRES_ENV} is not set: PostgreSQL tests must run in CI")
    return url or None


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database (no tables yet) of each engine kind, dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'strongroom.db'}"
        return
    base = postgres_base_url()
    if base is None:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} (CI sets it)")
    from tests.pg import fresh_schema_url, drop_schema  # noqa: PLC0415

    url, schema = fresh_schema_url(base, f"t_{uuid.uuid4().hex[:12]}")
    try:
        yield url
    finally:
        drop_schema(base, schema)
