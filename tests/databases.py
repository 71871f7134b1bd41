"""Creating and dropping the throw-away databases that tests run on (SQLite file or PG schema)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

POSTGRES_ENV = "STRONGROOM_TEST_POSTGRES_URL"
ENGINES = ["sqlite", "postgres"]


def postgres_base_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if not url and os.environ.get("CI", "").lower() == "true":
        raise RuntimeError(f"CI=true but {POSTGRES_ENV} is not set: PostgreSQL tests must run in CI")
    return url or None


@contextmanager
def throwaway_database(kind: str, directory: Path) -> Iterator[str]:
    """A fresh, empty database of `kind`; PostgreSQL variants skip locally without a URL."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'strongroom.db'}"
        return
    base = postgres_base_url()
    if base is None:
        pytest.skip(f"PostgreSQL variant: set {POSTGRES_ENV} (CI sets it)")
    from tests.pg import drop_schema, fresh_schema_url

    url, schema = fresh_schema_url(base, f"t_{uuid.uuid4().hex[:12]}")
    try:
        yield url
    finally:
        drop_schema(base, schema)
