"""SQL conditions shared by the repositories: tenant scoping and NULL-equals-NULL matching."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, select

from strongroom.storage.tables import customer_profiles


def equals_or_both_null(column: ColumnElement[Any], value: object) -> ColumnElement[bool]:
    """`column = value`, or `column IS NULL` when value is None (index-friendly on both engines)."""
    if value is None:
        return column.is_(None)
    return column == value


def profile_key_in_container(container_key: int, profile_ref: str) -> Select[Any]:
    """The surrogate key of the profile `profile_ref`, only if it lives in `container_key`."""
    return select(customer_profiles.c.key).where(
        customer_profiles.c.container_key == container_key, customer_profiles.c.ref == profile_ref
    )


def joined_profile_is(container_key: int, profile_ref: str) -> tuple[ColumnElement[bool], ...]:
    """Conditions for queries joined to customer_profiles: that profile, in that container."""
    return (customer_profiles.c.container_key == container_key, customer_profiles.c.ref == profile_ref)
