"""What every table shares: the metadata and its naming convention, ref widths, address and money columns."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Column, MetaData
from sqlalchemy.types import String

from strongroom.storage.column_types import MinorUnits

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Public refs are random numeric strings of these lengths (Authorize.Net id widths).
PROFILE_REF_DIGITS = 10
PAYMENT_PROFILE_REF_DIGITS = 10
ADDRESS_REF_DIGITS = 9
TRANSACTION_REF_DIGITS = 11
SUBSCRIPTION_REF_DIGITS = 9
GATEWAY_ID_DIGITS = 9

# Address field -> column length, in the order of domain.customers.Address.
ADDRESS_FIELD_LENGTHS: dict[str, int] = {
    "first_name": 50,
    "last_name": 50,
    "company": 50,
    "address": 60,
    "city": 40,
    "state": 40,
    "zip": 20,
    "country": 60,
    "phone_number": 25,
    "fax_number": 25,
    "email": 255,
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def address_columns(prefix: str = "") -> list[Column[str]]:
    """Nullable columns for every Address field, named `prefix + field`."""
    return [
        Column(prefix + field, String(length), nullable=True)
        for field, length in ADDRESS_FIELD_LENGTHS.items()
    ]


def money_amount(name: str, nullable: bool) -> Column[Decimal]:
    """An amount kept as exact integer minor units (BIGINT) on every engine, read as Decimal."""
    return Column(name, MinorUnits, nullable=nullable)
