"""SqlDataKeyStore: the vault's wrapped data keys, each call in its own short transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import Engine, RowMapping, Select, bindparam, select, update
from sqlalchemy.exc import IntegrityError

from strongroom.services.ports import WrappedDataKey
from strongroom.storage.caches import StorageCaches, no_caches
from strongroom.storage.engine import joined, transaction
from strongroom.storage.tables import data_keys


class SqlDataKeyStore:
    """DataKeyStore; concurrent `add`s of the same (merchant, purpose, version) converge.
    The newest key of each (merchant, purpose) is cached (`storage.caches`); a version added
    by another process is used within the cache's bound, one added here at once."""

    def __init__(self, engine: Engine, caches: StorageCaches | None = None) -> None:
        self._engine = engine
        self._newest = (caches or no_caches()).data_keys

    def current(self, merchant_key: int, purpose: str) -> WrappedDataKey | None:
        # Inside a shared transaction the row read may still roll back: not kept.
        return self._newest.get(
            (merchant_key, purpose),
            lambda: self._one(_CURRENT, {"merchant_key": merchant_key, "purpose": purpose}),
            keep=joined(self._engine) is None,
        )

    def get(self, key_id: int) -> WrappedDataKey | None:
        return self._one(_BY_ID, {"key_id": key_id})

    def add(
        self, merchant_key: int, purpose: str, version: int, wrapped: bytes, master_version: int
    ) -> WrappedDataKey:
        values = {
            "merchant_key": merchant_key,
            "purpose": purpose,
            "version": version,
            "wrapped": wrapped,
            "master_version": master_version,
        }
        try:
            with transaction(self._engine, write=True) as connection:
                key_id = connection.execute(
                    data_keys.insert().values(**values).returning(data_keys.c.key_id)
                ).scalar_one()
        except IntegrityError:
            existing = self._version(merchant_key, purpose, version)
            if existing is None:
                raise
            return existing
        finally:
            self._newest.invalidate((merchant_key, purpose))
        return WrappedDataKey(
            key_id=int(key_id),
            merchant_key=merchant_key,
            purpose=purpose,
            version=version,
            wrapped=wrapped,
            master_version=master_version,
        )

    def all_keys(self) -> Sequence[WrappedDataKey]:
        with transaction(self._engine, write=False) as connection:
            rows = connection.execute(select(data_keys).order_by(data_keys.c.key_id)).mappings()
            return [_wrapped_key(row) for row in rows]

    def rewrap(self, key_id: int, wrapped: bytes, master_version: int) -> None:
        with transaction(self._engine, write=True) as connection:
            connection.execute(
                update(data_keys)
                .where(data_keys.c.key_id == key_id)
                .values(wrapped=wrapped, master_version=master_version)
            )
        self._newest.clear()

    def _version(self, merchant_key: int, purpose: str, version: int) -> WrappedDataKey | None:
        return self._one(
            select(data_keys).where(
                data_keys.c.merchant_key == merchant_key,
                data_keys.c.purpose == purpose,
                data_keys.c.version == version,
            )
        )

    def _one(self, query: Select[Any], parameters: dict[str, Any] | None = None) -> WrappedDataKey | None:
        with transaction(self._engine, write=False) as connection:
            row = connection.execute(query, parameters or {}).mappings().first()
            return _wrapped_key(row) if row is not None else None


_CURRENT: Final = (
    select(data_keys)
    .where(data_keys.c.merchant_key == bindparam("merchant_key"), data_keys.c.purpose == bindparam("purpose"))
    .order_by(data_keys.c.version.desc())
    .limit(1)
)
_BY_ID: Final = select(data_keys).where(data_keys.c.key_id == bindparam("key_id"))


def _wrapped_key(row: RowMapping) -> WrappedDataKey:
    return WrappedDataKey(
        key_id=row["key_id"],
        merchant_key=row["merchant_key"],
        purpose=row["purpose"],
        version=row["version"],
        wrapped=row["wrapped"],
        master_version=row["master_version"],
    )
