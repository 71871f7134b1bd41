"""Public refs: random numeric ids, inserted so that a rare clash is retried with another."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection, Insert, Table, UniqueConstraint
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from strongroom.services.ports import RefTaken

RefSource = Callable[[int], str]
"""Makes a candidate ref of the given number of digits."""

INSERT_ATTEMPTS = 8


INT32_MAX = 2**31 - 1


def random_ref(digits: int) -> str:
    """A uniformly random numeric string of `digits` digits without a leading zero.

    Ten-digit ids stay at or below 2^31-1: the schema types profile and payment profile ids as
    xs:int in some responses (getCustomerPaymentProfileList), as the real service's ids are.
    """
    smallest = 10 ** (digits - 1)
    largest = min(10**digits - 1, INT32_MAX) if digits == 10 else 10**digits - 1
    return str(smallest + secrets.randbelow(largest - smallest + 1))


def insert_with_ref(
    connection: Connection, table: Table, values: Mapping[str, Any], digits: int, new_ref: RefSource
) -> tuple[int, str]:
    """Insert a row under a fresh random `ref`, retrying clashes; return (surrogate key, ref)."""
    for _ in range(INSERT_ATTEMPTS):
        ref = new_ref(digits)
        try:
            return insert_with_chosen_ref(connection, table, values, ref), ref
        except RefTaken:
            continue
    raise RuntimeError(f"no free ref in {table.name} after {INSERT_ATTEMPTS} attempts")


def insert_with_chosen_ref(connection: Connection, table: Table, values: Mapping[str, Any], ref: str) -> int:
    """Insert a row under `ref` and return its surrogate key; `RefTaken` if the ref exists.

    A clash on the ref inserts nothing (ON CONFLICT DO NOTHING) instead of failing, so the unit
    of work stays usable without a savepoint; a clash on anything else still raises."""
    key = connection.execute(_insert(connection.dialect.name, table), {"ref": ref, **values}).scalar()
    if key is None:
        raise RefTaken(f"{table.name} ref {ref} is taken")
    return int(key)


@functools.cache
def _insert(dialect: str, table: Table) -> Insert:
    """The table's insert, built once per dialect: the columns come with each call's values."""
    build = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return build(table).on_conflict_do_nothing(index_elements=_ref_constraint(table)).returning(table.c.key)


def _ref_constraint(table: Table) -> list[str]:
    """The columns of the table's unique constraint on its ref: (ref) or (merchant_key, ref)."""
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and "ref" in constraint.columns:
            return [column.name for column in constraint.columns]
    raise ValueError(f"{table.name} has no unique constraint on ref")
