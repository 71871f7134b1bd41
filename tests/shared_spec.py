"""Locates the specification folder `../shared` beside the checkout (read, never copied)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    configured = os.environ.get("STRONGROOM_SHARED_DIR")
    path = Path(configured) if configured else REPO.parent / "shared"
    if not (path / "reference" / "AnetApiSchema.xsd").is_file():
        raise FileNotFoundError(
            f"the specification folder is missing: expected {path}/reference/AnetApiSchema.xsd "
            "(set STRONGROOM_SHARED_DIR)"
        )
    return path


@cache
def anet_schema() -> etree.XMLSchema:
    """The official Authorize.Net schema, compiled once per test process."""
    return etree.XMLSchema(file=str(shared_dir() / "reference" / "AnetApiSchema.xsd"))


def schema_errors(body: bytes) -> list[str]:
    """Validation errors of one XML response body (BOM included, as sent on the wire)."""
    document = etree.fromstring(body.removeprefix(b"\xef\xbb\xbf"))
    schema = anet_schema()
    if schema.validate(document):
        return []
    log: Iterable[Any] = schema.error_log  # type: ignore[assignment]  # iterable at runtime
    return [f"{error.line}: {error.message}" for error in log]
