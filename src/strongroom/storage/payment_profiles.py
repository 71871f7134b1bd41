"""Payment profiles of a customer profile, scoped by container; secrets stay inside `sealed`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Connection,
    RowMapping,
    Select,
    bindparam,
    delete,
    func,
    select,
    update,
)

from strongroom.domain.customers import Address, CustomerType
from strongroom.domain.errors import NotFound
from strongroom.domain.instruments import YearMonth
from strongroom.services.ports import PaymentProfileRow
from strongroom.storage.address_mapping import address_from_row, address_values
from strongroom.storage.criteria import (
    equals_or_both_null,
    profile_key_in_container,
)
from strongroom.storage.customer_profiles import PROFILE_NOT_FOUND
from strongroom.storage.refs import RefSource, insert_with_ref
from strongroom.storage.tables import (
    PAYMENT_PROFILE_REF_DIGITS,
    customer_profiles,
    payment_profiles,
)

PAYMENT_PROFILE_NOT_FOUND = "The payment profile cannot be found."
CARD_KIND = "card"
BILL_TO = "bill_to_"


class SqlPaymentProfiles:
    """The payment-profile part of ProfileRepository; mixed into SqlProfileRepository."""

    _connection: Connection
    _new_ref: RefSource

    def add_payment_profile(self, container_key: int, row: PaymentProfileRow) -> str:
        profile_key = self._connection.scalar(profile_key_in_container(container_key, row.profile_ref))
        if profile_key is None:
            raise NotFound(PROFILE_NOT_FOUND)
        values = {
            "profile_key": profile_key,
            "container_key": container_key,
            "created_at": row.created_at,
            **_content_values(row),
        }
        _, ref = insert_with_ref(
            self._connection, payment_profiles, values, PAYMENT_PROFILE_REF_DIGITS, self._new_ref
        )
        return ref

    def payment_profiles(self, container_key: int, profile_ref: str) -> Sequence[PaymentProfileRow]:
        parameters = {"container_key": container_key, "profile_ref": profile_ref}
        rows = self._connection.execute(_PAYMENT_PROFILES, parameters).mappings()
        return [_payment_profile_row(row) for row in rows]

    def payment_profile(self, container_key: int, profile_ref: str, ref: str) -> PaymentProfileRow | None:
        parameters = {"container_key": container_key, "profile_ref": profile_ref, "ref": ref}
        row = self._connection.execute(_ONE_PAYMENT_PROFILE, parameters).mappings().first()
        return _payment_profile_row(row) if row is not None else None

    def replace_payment_profile(self, container_key: int, row: PaymentProfileRow) -> None:
        """Overwrite everything but ref, owner and created_at; `NotFound` if it is not there."""
        result = self._connection.execute(
            update(payment_profiles)
            .where(_owned(container_key, row.profile_ref), payment_profiles.c.ref == row.ref)
            .values(**_content_values(row))
        )
        if result.rowcount == 0:
            raise NotFound(PAYMENT_PROFILE_NOT_FOUND)

    def delete_payment_profile(self, container_key: int, profile_ref: str, ref: str) -> bool:
        result = self._connection.execute(
            delete(payment_profiles).where(_owned(container_key, profile_ref), payment_profiles.c.ref == ref)
        )
        return result.rowcount > 0

    def duplicate_payment_profile(
        self,
        container_key: int,
        profile_ref: str,
        fingerprint: str,
        bill_to: Address | None,
        excluding_ref: str | None = None,
    ) -> str | None:
        query = select(payment_profiles.c.ref).where(
            _owned(container_key, profile_ref),
            payment_profiles.c.fingerprint == fingerprint,
            *_same_billing_identity(bill_to),
        )
        if excluding_ref is not None:
            query = query.where(payment_profiles.c.ref != excluding_ref)
        return self._connection.scalar(query.order_by(payment_profiles.c.key).limit(1))

    def clear_default_payment_profile(self, container_key: int, profile_ref: str) -> None:
        self._connection.execute(
            update(payment_profiles)
            .where(_owned(container_key, profile_ref), payment_profiles.c.is_default)
            .values(is_default=False)
        )

    def payment_profiles_expiring(
        self, container_key: int, month: YearMonth, descending: bool, offset: int, limit: int
    ) -> tuple[int, Sequence[PaymentProfileRow]]:
        expiring = (
            payment_profiles.c.container_key == container_key,
            payment_profiles.c.kind == CARD_KIND,
            payment_profiles.c.expiry == str(month),
        )
        total = self._connection.scalar(select(func.count()).select_from(payment_profiles).where(*expiring))
        order = payment_profiles.c.ref.desc() if descending else payment_profiles.c.ref.asc()
        query = _payment_profile_query().where(*expiring).order_by(order).offset(offset).limit(limit)
        page = [_payment_profile_row(row) for row in self._connection.execute(query).mappings()]
        return int(total or 0), page


def _payment_profile_query() -> Select[Any]:
    return select(payment_profiles, customer_profiles.c.ref.label("profile_ref")).join(
        customer_profiles, customer_profiles.c.key == payment_profiles.c.profile_key
    )


# The hot reads (every profile charge, every profile read): built once, values bound per call.
_OF_PROFILE: Final = (
    customer_profiles.c.container_key == bindparam("container_key"),
    customer_profiles.c.ref == bindparam("profile_ref"),
)
_ONE_PAYMENT_PROFILE: Final = _payment_profile_query().where(
    *_OF_PROFILE, payment_profiles.c.ref == bindparam("ref")
)
_PAYMENT_PROFILES: Final = (
    _payment_profile_query()
    .where(*_OF_PROFILE)
    .order_by(payment_profiles.c.created_at, payment_profiles.c.key)
)


def _owned(container_key: int, profile_ref: str) -> ColumnElement[bool]:
    """Condition for statements on payment_profiles alone (updates and deletes)."""
    owner = profile_key_in_container(container_key, profile_ref).scalar_subquery()
    return payment_profiles.c.profile_key == owner


def _same_billing_identity(bill_to: Address | None) -> list[ColumnElement[bool]]:
    return [
        equals_or_both_null(
            payment_profiles.c[BILL_TO + field], getattr(bill_to, field) if bill_to is not None else None
        )
        for field in ("first_name", "last_name", "address", "zip")
    ]


def _content_values(row: PaymentProfileRow) -> dict[str, object]:
    return {
        "kind": row.kind,
        "sealed": row.sealed,
        "fingerprint": row.fingerprint,
        "last4": row.last4,
        "card_brand": row.card_brand,
        "issuer_number": row.issuer_number,
        "expiry": str(row.expiry) if row.expiry is not None else None,
        "bank_account_type": row.bank_account_type,
        "echeck_type": row.echeck_type,
        "bank_name": row.bank_name,
        "name_on_account": row.name_on_account,
        "has_bill_to": row.bill_to is not None,
        **address_values(row.bill_to, BILL_TO),
        "customer_type": row.customer_type.value if row.customer_type is not None else None,
        "drivers_license_state": row.drivers_license_state,
        "is_default": row.is_default,
        "exclude_from_account_updater": row.exclude_from_account_updater,
        "original_network_trans_id": row.original_network_trans_id,
        "original_auth_amount": row.original_auth_amount,
    }


def _payment_profile_row(row: RowMapping) -> PaymentProfileRow:
    expiry = row["expiry"]
    customer_type = row["customer_type"]
    return PaymentProfileRow(
        ref=row["ref"],
        profile_ref=row["profile_ref"],
        kind=row["kind"],
        sealed=row["sealed"],
        fingerprint=row["fingerprint"],
        last4=row["last4"],
        card_brand=row["card_brand"],
        issuer_number=row["issuer_number"],
        expiry=YearMonth.parse_iso(expiry) if expiry is not None else None,
        bank_account_type=row["bank_account_type"],
        echeck_type=row["echeck_type"],
        bank_name=row["bank_name"],
        name_on_account=row["name_on_account"],
        bill_to=address_from_row(row, BILL_TO) if row["has_bill_to"] else None,
        customer_type=CustomerType(customer_type) if customer_type is not None else None,
        drivers_license_state=row["drivers_license_state"],
        is_default=row["is_default"],
        exclude_from_account_updater=row["exclude_from_account_updater"],
        original_network_trans_id=row["original_network_trans_id"],
        original_auth_amount=row["original_auth_amount"],
        created_at=row["created_at"],
    )
