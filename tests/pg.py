"""PostgreSQL test helpers: one throw-away schema per test, selected through the URL's search_path."""

from __future__ import annotations

from urllib.parse import quote

import psycopg


def _libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def fresh_schema_url(base_url: str, schema: str) -> tuple[str, str]:
    with psycopg.connect(_libpq_url(base_url), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in base_url else "?"
    options = quote(f"-csearch_path={schema}")
    return f"{base_url}{separator}options={options}", schema


def drop_schema(base_url: str, schema: str) -> None:
    with psycopg.connect(_libpq_url(base_url), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
