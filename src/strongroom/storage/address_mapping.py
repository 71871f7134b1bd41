"""Maps the domain Address to its columns (optionally prefixed, e.g. bill_to_) and back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import RowMapping

from strongroom.domain.customers import Address
from strongroom.storage.tables import ADDRESS_FIELD_LENGTHS


def address_values(address: Address | None, prefix: str = "") -> dict[str, str | None]:
    """Column values for an address; None fills every column with NULL."""
    return {
        prefix + field: (getattr(address, field) if address is not None else None)
        for field in ADDRESS_FIELD_LENGTHS
    }


def address_from_row(row: RowMapping, prefix: str = "") -> Address:
    fields: dict[str, Any] = {field: row[prefix + field] for field in ADDRESS_FIELD_LENGTHS}
    return Address(**fields)
