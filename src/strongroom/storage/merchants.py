"""Merchants (tenants), their default profile containers, and their account details."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, RowMapping, Select, bindparam, exists, select, update
from sqlalchemy.exc import IntegrityError

from strongroom.domain.customers import Address
from strongroom.domain.errors import Duplicate
from strongroom.domain.merchants import Merchant, MerchantContact, MerchantDetails
from strongroom.services.ports import MerchantRepository, MerchantRow
from strongroom.storage.address_mapping import address_from_row, address_values
from strongroom.storage.caches import UnitCaches, uncached
from strongroom.storage.refs import INSERT_ATTEMPTS, RefSource, random_ref
from strongroom.storage.tables import GATEWAY_ID_DIGITS, merchants, profile_containers

BUSINESS_PREFIX = "business_"


class SqlMerchantRepository(MerchantRepository):
    """MerchantRepository on one unit of work's connection."""

    def __init__(
        self, connection: Connection, new_ref: RefSource = random_ref, caches: UnitCaches | None = None
    ) -> None:
        self._connection = connection
        self._new_ref = new_ref
        self._caches = caches or uncached()

    def _changed(self) -> None:
        """Any change to a merchant drops the cached logins (changes are rare)."""
        self._caches.after_commit(self._caches.caches.merchants_by_login.clear)

    def add(
        self,
        name: str,
        login_id: str,
        credential_salt: bytes,
        transaction_key_digest: bytes,
        public_client_key: str,
        created_at: datetime,
        is_sandbox: bool,
    ) -> Merchant:
        merchant_key = self._insert_merchant(
            name=name,
            login_id=login_id,
            credential_salt=credential_salt,
            transaction_key_digest=transaction_key_digest,
            public_client_key=public_client_key,
            created_at=created_at,
            is_sandbox=is_sandbox,
        )
        container_key = self._insert_default_container(merchant_key, created_at)
        self._changed()
        return Merchant(
            key=merchant_key,
            name=name,
            login_id=login_id,
            container_key=container_key,
            public_client_key=public_client_key,
            created_at=created_at,
            is_sandbox=is_sandbox,
            has_signature_key=False,
        )

    def set_signature_key(self, merchant_key: int, sealed: bytes | None) -> None:
        self._changed()
        self._connection.execute(
            update(merchants).where(merchants.c.key == merchant_key).values(sealed_signature_key=sealed)
        )

    def by_login(self, login_id: str) -> MerchantRow | None:
        return self._caches.caches.merchants_by_login.get(
            login_id, lambda: self._read_by_login(login_id), keep=self._caches.keep
        )

    def _read_by_login(self, login_id: str) -> MerchantRow | None:
        row = self._connection.execute(_BY_LOGIN, {"login_id": login_id}).mappings().first()
        return _merchant_row(row) if row is not None else None

    def by_key(self, merchant_key: int) -> MerchantRow | None:
        row = self._connection.execute(_BY_KEY, {"merchant_key": merchant_key}).mappings().first()
        return _merchant_row(row) if row is not None else None

    def all(self) -> Sequence[Merchant]:
        rows = self._connection.execute(_merchant_query().order_by(merchants.c.key)).mappings()
        return [_merchant(row) for row in rows]

    def all_rows(self) -> Sequence[MerchantRow]:
        rows = self._connection.execute(_merchant_query().order_by(merchants.c.key)).mappings()
        return [_merchant_row(row) for row in rows]

    def set_transaction_key(
        self, merchant_key: int, credential_salt: bytes, transaction_key_digest: bytes
    ) -> None:
        self._changed()
        self._connection.execute(
            update(merchants)
            .where(merchants.c.key == merchant_key)
            .values(credential_salt=credential_salt, transaction_key_digest=transaction_key_digest)
        )

    def details(self, merchant_key: int) -> MerchantDetails | None:
        row = (
            self._connection.execute(select(merchants).where(merchants.c.key == merchant_key))
            .mappings()
            .first()
        )
        if row is None:
            return None
        return MerchantDetails(
            gateway_id=row["gateway_id"],
            business=address_from_row(row, BUSINESS_PREFIX),
            contact=MerchantContact(
                row["contact_email"], row["contact_first_name"], row["contact_last_name"]
            ),
        )

    def set_details(self, merchant_key: int, business: Address, contact: MerchantContact) -> None:
        self._changed()
        self._connection.execute(
            update(merchants)
            .where(merchants.c.key == merchant_key)
            .values(
                **address_values(business, BUSINESS_PREFIX),
                contact_email=contact.email,
                contact_first_name=contact.first_name,
                contact_last_name=contact.last_name,
            )
        )

    def _insert_merchant(self, **values: object) -> int:
        """Insert under a fresh random gateway id; a clash on it (rare) is retried."""
        login_id = str(values["login_id"])
        for _ in range(INSERT_ATTEMPTS):
            try:
                with self._connection.begin_nested():
                    key = self._connection.execute(
                        merchants.insert()
                        .values(**values, gateway_id=self._new_ref(GATEWAY_ID_DIGITS))
                        .returning(merchants.c.key)
                    ).scalar_one()
                return int(key)
            except IntegrityError as error:
                if self._login_taken(login_id):
                    raise Duplicate(login_id) from error
        raise RuntimeError(f"no free gateway id after {INSERT_ATTEMPTS} attempts")

    def _insert_default_container(self, merchant_key: int, created_at: datetime) -> int:
        return int(
            self._connection.execute(
                profile_containers.insert()
                .values(owner_merchant_key=merchant_key, is_default=True, created_at=created_at)
                .returning(profile_containers.c.key)
            ).scalar_one()
        )

    def _login_taken(self, login_id: str) -> bool:
        return bool(self._connection.scalar(select(exists().where(merchants.c.login_id == login_id))))


def _merchant_query() -> Select[tuple[object, ...]]:
    return select(merchants, profile_containers.c.key.label("container_key")).join(
        profile_containers,
        (profile_containers.c.owner_merchant_key == merchants.c.key) & profile_containers.c.is_default,
    )


def _merchant(row: RowMapping) -> Merchant:
    return Merchant(
        key=row["key"],
        name=row["name"],
        login_id=row["login_id"],
        container_key=row["container_key"],
        public_client_key=row["public_client_key"],
        created_at=row["created_at"],
        is_sandbox=row["is_sandbox"],
        has_signature_key=row["sealed_signature_key"] is not None,
    )


def _merchant_row(row: RowMapping) -> MerchantRow:
    return MerchantRow(
        merchant=_merchant(row),
        credential_salt=row["credential_salt"],
        transaction_key_digest=row["transaction_key_digest"],
        sealed_signature_key=row["sealed_signature_key"],
    )


# Built once: these run on every API request (authentication), so no per-call query building.
_BY_LOGIN = _merchant_query().where(merchants.c.login_id == bindparam("login_id"))
_BY_KEY = _merchant_query().where(merchants.c.key == bindparam("merchant_key"))
