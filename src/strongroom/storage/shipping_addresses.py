"""Shipping addresses of a customer profile, scoped by container."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import ColumnElement, Connection, RowMapping, Select, bindparam, delete, select, update

from strongroom.domain.customers import Address
from strongroom.domain.errors import NotFound
from strongroom.services.ports import AddressRow
from strongroom.storage.address_mapping import address_from_row, address_values
from strongroom.storage.criteria import (
    equals_or_both_null,
    joined_profile_is,
    profile_key_in_container,
)
from strongroom.storage.customer_profiles import PROFILE_NOT_FOUND
from strongroom.storage.refs import RefSource, insert_with_ref
from strongroom.storage.tables import ADDRESS_REF_DIGITS, customer_profiles, shipping_addresses

ADDRESS_NOT_FOUND = "The shipping address cannot be found."
IDENTITY_FIELDS = ("first_name", "last_name", "address", "zip", "phone_number")


class SqlShippingAddresses:
    """The shipping-address part of ProfileRepository; mixed into SqlProfileRepository."""

    _connection: Connection
    _new_ref: RefSource

    def add_address(
        self, container_key: int, profile_ref: str, address: Address, is_default: bool, created_at: datetime
    ) -> str:
        profile_key = self._connection.scalar(profile_key_in_container(container_key, profile_ref))
        if profile_key is None:
            raise NotFound(PROFILE_NOT_FOUND)
        values = {
            "profile_key": profile_key,
            "is_default": is_default,
            "created_at": created_at,
            **address_values(address),
        }
        _, ref = insert_with_ref(
            self._connection, shipping_addresses, values, ADDRESS_REF_DIGITS, self._new_ref
        )
        return ref

    def addresses(self, container_key: int, profile_ref: str) -> Sequence[AddressRow]:
        parameters = {"container_key": container_key, "profile_ref": profile_ref}
        return [_address_row(row) for row in self._connection.execute(_ADDRESSES, parameters).mappings()]

    def address(self, container_key: int, profile_ref: str, ref: str) -> AddressRow | None:
        query = _address_query().where(
            *joined_profile_is(container_key, profile_ref), shipping_addresses.c.ref == ref
        )
        row = self._connection.execute(query).mappings().first()
        return _address_row(row) if row is not None else None

    def replace_address(self, container_key: int, row: AddressRow) -> None:
        """Overwrite the address and default flag; `NotFound` if it is not there."""
        result = self._connection.execute(
            update(shipping_addresses)
            .where(_owned(container_key, row.profile_ref), shipping_addresses.c.ref == row.ref)
            .values(is_default=row.is_default, **address_values(row.address))
        )
        if result.rowcount == 0:
            raise NotFound(ADDRESS_NOT_FOUND)

    def delete_address(self, container_key: int, profile_ref: str, ref: str) -> bool:
        result = self._connection.execute(
            delete(shipping_addresses).where(
                _owned(container_key, profile_ref), shipping_addresses.c.ref == ref
            )
        )
        return result.rowcount > 0

    def duplicate_address(
        self, container_key: int, profile_ref: str, address: Address, excluding_ref: str | None = None
    ) -> str | None:
        query = select(shipping_addresses.c.ref).where(
            _owned(container_key, profile_ref),
            *(
                equals_or_both_null(shipping_addresses.c[field], getattr(address, field))
                for field in IDENTITY_FIELDS
            ),
        )
        if excluding_ref is not None:
            query = query.where(shipping_addresses.c.ref != excluding_ref)
        return self._connection.scalar(query.order_by(shipping_addresses.c.key).limit(1))

    def clear_default_address(self, container_key: int, profile_ref: str) -> None:
        self._connection.execute(
            update(shipping_addresses)
            .where(_owned(container_key, profile_ref), shipping_addresses.c.is_default)
            .values(is_default=False)
        )


def _address_query() -> Select[Any]:
    return select(shipping_addresses, customer_profiles.c.ref.label("profile_ref")).join(
        customer_profiles, customer_profiles.c.key == shipping_addresses.c.profile_key
    )


_ADDRESSES: Final = (
    _address_query()
    .where(
        customer_profiles.c.container_key == bindparam("container_key"),
        customer_profiles.c.ref == bindparam("profile_ref"),
    )
    .order_by(shipping_addresses.c.created_at, shipping_addresses.c.key)
)


def _owned(container_key: int, profile_ref: str) -> ColumnElement[bool]:
    owner = profile_key_in_container(container_key, profile_ref).scalar_subquery()
    return shipping_addresses.c.profile_key == owner


def _address_row(row: RowMapping) -> AddressRow:
    return AddressRow(
        ref=row["ref"],
        profile_ref=row["profile_ref"],
        address=address_from_row(row),
        is_default=row["is_default"],
        created_at=row["created_at"],
    )
