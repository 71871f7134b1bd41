"""Shared fixtures: the database URLs every storage and API test runs against.

`database_url` is parametrised over SQLite (a real file in a temp dir) and PostgreSQL.
PostgreSQL comes from STRONGROOM_TEST_POSTGRES_URL; locally without it those variants skip
with a reason, and under CI (CI=true) a missing URL is a hard failure instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import ENGINES, throwaway_database


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database (no tables yet) of each engine kind, dropped afterwards."""
    with throwaway_database(request.param, tmp_path) as url:
        yield url
