"""Customer profiles of one container: create, find, detect duplicates, lock, update, delete."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final

from sqlalchemy import ColumnElement, Connection, RowMapping, bindparam, delete, select, update

from strongroom.domain.customers import ProfileType
from strongroom.domain.errors import NotFound
from strongroom.services.ports import ProfileRow
from strongroom.storage.criteria import equals_or_both_null
from strongroom.storage.refs import insert_with_chosen_ref
from strongroom.storage.tables import customer_profiles, profile_containers

PROFILE_NOT_FOUND = "The customer profile cannot be found."


class SqlCustomerProfiles:
    """The customer-profile half of ProfileRepository; mixed into SqlProfileRepository."""

    _connection: Connection

    def add_profile(
        self,
        container_key: int,
        ref: str,
        merchant_customer_id: str | None,
        description: str | None,
        email: str | None,
        profile_type: ProfileType,
        created_at: datetime,
    ) -> None:
        """Insert under the caller's ref (sealed blobs bind it); `RefTaken` if it exists."""
        values = {
            "container_key": container_key,
            "merchant_customer_id": merchant_customer_id,
            "description": description,
            "email": email,
            "profile_type": profile_type.value,
            "created_at": created_at,
        }
        insert_with_chosen_ref(self._connection, customer_profiles, values, ref)

    def profile(self, container_key: int, ref: str, *, lock: bool = False) -> ProfileRow | None:
        query = _PROFILE_LOCKED if lock else _PROFILE
        row = self._connection.execute(query, {"container_key": container_key, "ref": ref}).mappings().first()
        return _profile_row(row) if row is not None else None

    def profile_by_merchant_customer_id(
        self, container_key: int, merchant_customer_id: str
    ) -> ProfileRow | None:
        return self._first_profile(
            container_key, customer_profiles.c.merchant_customer_id == merchant_customer_id
        )

    def profile_by_email(self, container_key: int, email: str) -> ProfileRow | None:
        return self._first_profile(container_key, customer_profiles.c.email == email)

    def duplicate_profile(
        self,
        container_key: int,
        merchant_customer_id: str | None,
        description: str | None,
        email: str | None,
        excluding_ref: str | None = None,
    ) -> str | None:
        query = select(customer_profiles.c.ref).where(
            customer_profiles.c.container_key == container_key,
            equals_or_both_null(customer_profiles.c.merchant_customer_id, merchant_customer_id),
            equals_or_both_null(customer_profiles.c.description, description),
            equals_or_both_null(customer_profiles.c.email, email),
        )
        if excluding_ref is not None:
            query = query.where(customer_profiles.c.ref != excluding_ref)
        return self._connection.scalar(query.order_by(customer_profiles.c.key).limit(1))

    def profile_refs(self, container_key: int) -> Sequence[str]:
        query = (
            select(customer_profiles.c.ref)
            .where(customer_profiles.c.container_key == container_key)
            .order_by(customer_profiles.c.key)
        )
        return list(self._connection.scalars(query))

    def lock_container(self, container_key: int) -> None:
        query = (
            select(profile_containers.c.key)
            .where(profile_containers.c.key == container_key)
            .with_for_update()
        )
        if self._connection.scalar(query) is None:
            raise NotFound("The profile container cannot be found.")

    def update_profile(
        self,
        container_key: int,
        ref: str,
        merchant_customer_id: str | None,
        description: str | None,
        email: str | None,
        profile_type: ProfileType | None,
    ) -> None:
        values: dict[str, object] = {
            "merchant_customer_id": merchant_customer_id,
            "description": description,
            "email": email,
        }
        if profile_type is not None:
            values["profile_type"] = profile_type.value
        result = self._connection.execute(
            update(customer_profiles)
            .where(customer_profiles.c.container_key == container_key, customer_profiles.c.ref == ref)
            .values(**values)
        )
        if result.rowcount == 0:
            raise NotFound(PROFILE_NOT_FOUND)

    def delete_profile(self, container_key: int, ref: str) -> bool:
        result = self._connection.execute(
            delete(customer_profiles).where(
                customer_profiles.c.container_key == container_key, customer_profiles.c.ref == ref
            )
        )
        return result.rowcount > 0

    def _first_profile(self, container_key: int, condition: ColumnElement[bool]) -> ProfileRow | None:
        query = (
            select(customer_profiles)
            .where(customer_profiles.c.container_key == container_key, condition)
            .order_by(customer_profiles.c.key)
            .limit(1)
        )
        row = self._connection.execute(query).mappings().first()
        return _profile_row(row) if row is not None else None


def _profile_row(row: RowMapping) -> ProfileRow:
    return ProfileRow(
        ref=row["ref"],
        merchant_customer_id=row["merchant_customer_id"],
        description=row["description"],
        email=row["email"],
        profile_type=ProfileType(row["profile_type"]),
        created_at=row["created_at"],
    )


# Hot reads, built once with their values bound per call.
_PROFILE: Final = select(customer_profiles).where(
    customer_profiles.c.container_key == bindparam("container_key"),
    customer_profiles.c.ref == bindparam("ref"),
)
_PROFILE_LOCKED: Final = _PROFILE.with_for_update()
