"""Public refs: random numeric ids, inserted inside a SAVEPOINT so a rare clash can be retried."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection, Table, exists, select
from sqlalchemy.exc import IntegrityError

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

    The insert runs in a SAVEPOINT, so after a clash the unit of work is still usable."""
    try:
        with connection.begin_nested():
            key = connection.execute(
                table.insert().values(ref=ref, **values).returning(table.c.key)
            ).scalar_one()
    except IntegrityError as error:
        if _ref_taken(connection, table, ref):
            raise RefTaken(f"{table.name} ref {ref} is taken") from error
        raise
    return int(key)


def _ref_taken(connection: Connection, table: Table, ref: str) -> bool:
    return bool(connection.scalar(select(exists().where(table.c.ref == ref))))
