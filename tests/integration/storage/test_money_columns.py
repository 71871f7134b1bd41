"""Money columns: exact integer minor units (BIGINT) on both engines, read back as two-place Decimal.

SQLite has no exact decimal type (NUMERIC columns store REAL, a float), so every amount is kept as
a count of cents; these tests look at the raw stored value as well as the round trip.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import Engine, insert, inspect, select, text
from sqlalchemy.exc import StatementError

from strongroom.domain.money import Money
from strongroom.services.ports import ValidationRecord
from strongroom.storage import SqlUnitOfWorkFactory
from strongroom.storage.column_types import MinorUnits, from_minor_units, to_minor_units
from strongroom.storage.tables import metadata, payment_profiles, transactions
from tests.integration.storage.builders import NOW, add_profile, card_row
from tests.integration.storage.conftest import Tenants

LARGEST = Decimal("9999999999999.99")  # 15 digits, the widest amount the API carries


def validation(merchant_key: int, amount: Decimal) -> ValidationRecord:
    return ValidationRecord(
        merchant_key=merchant_key,
        payment_profile_ref="1234567890",
        amount=Money(amount, "USD"),
        auth_code="ABC123",
        response_code=1,
        reason_code=1,
        network_trans_id=None,
        created_at=NOW,
    )


def raw_amount(engine: Engine, ref: str) -> tuple[object, str | None]:
    """The transaction's amount as the database holds it, without the column type's help, and
    (SQLite only) the storage class SQLite chose for it."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            row = connection.execute(
                text("SELECT amount, typeof(amount) FROM transactions WHERE ref = :ref"), {"ref": ref}
            ).one()
            return row[0], row[1]
        return connection.execute(
            text("SELECT amount FROM transactions WHERE ref = :ref"), {"ref": ref}
        ).scalar_one(), None


@pytest.mark.parametrize(
    "amount",
    [
        LARGEST,
        Decimal("-9999999999999.99"),
        Decimal("0.01"),
        Decimal("0.00"),
        Decimal("1234567.89"),
    ],
)
def test_a_fifteen_digit_amount_round_trips_exactly(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants, engine: Engine, amount: Decimal
) -> None:
    with uow_factory() as uow:
        ref = uow.transactions.add_validation(validation(tenants.alice.key, amount))
        uow.commit()

    with engine.connect() as connection:
        back = connection.scalar(select(transactions.c.amount).where(transactions.c.ref == ref))
    assert isinstance(back, Decimal)
    assert back == amount
    assert str(back) == str(amount)
    assert back.as_tuple().exponent == -2
    stored, storage_class = raw_amount(engine, ref)
    assert type(stored) is int
    assert stored == int(amount * 100)
    assert storage_class in (None, "integer")


def test_every_money_column_is_a_bigint_of_minor_units(engine: Engine) -> None:
    money = {
        (table.name, column.name)
        for table in metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, MinorUnits)
    }
    assert money == {
        ("transactions", "amount"),
        ("transactions", "settle_amount"),
        ("transactions", "refunded"),
        ("transactions", "original_auth_amount"),
        ("payment_profiles", "original_auth_amount"),
        ("batch_statistics", "charge_amount"),
        ("batch_statistics", "refund_amount"),
        ("subscriptions", "amount"),
        ("subscriptions", "trial_amount"),
        ("fraud_filters", "threshold"),
    }
    inspector = inspect(engine)
    for table, column in money:
        reflected = {item["name"]: item["type"] for item in inspector.get_columns(table)}
        assert str(reflected[column]).upper() == "BIGINT", (table, column)


def test_amounts_compare_exactly_in_queries(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants, engine: Engine
) -> None:
    refs = {}
    for amount in (LARGEST, LARGEST - Decimal("0.01")):
        with uow_factory() as uow:
            refs[amount] = uow.transactions.add_validation(validation(tenants.alice.key, amount))
            uow.commit()

    with engine.connect() as connection:
        found = connection.scalars(select(transactions.c.ref).where(transactions.c.amount == LARGEST)).all()
        above = connection.scalars(
            select(transactions.c.ref).where(transactions.c.amount > Decimal("9999999999999.98"))
        ).all()
    assert found == [refs[LARGEST]]
    assert above == [refs[LARGEST]]


def test_original_auth_amount_round_trips_exactly(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)
    row = replace(card_row(profile_ref), original_auth_amount=LARGEST)

    with uow_factory() as uow:
        ref = uow.profiles.add_payment_profile(container, row)
        uow.commit()
    with uow_factory(write=False) as uow:
        back = uow.profiles.payment_profile(container, profile_ref, ref)

    assert back is not None
    assert back.original_auth_amount == LARGEST
    assert str(back.original_auth_amount) == "9999999999999.99"


def test_one_place_comes_back_with_two(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants, engine: Engine
) -> None:
    with uow_factory() as uow:
        ref = uow.transactions.add_validation(validation(tenants.alice.key, Decimal("12.3")))
        uow.commit()

    with engine.connect() as connection:
        back = connection.scalar(select(transactions.c.amount).where(transactions.c.ref == ref))
    assert str(back) == "12.30"


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        (Decimal("0.001"), "more than 2 decimal places"),
        (Decimal("12.345"), "more than 2 decimal places"),
        (Decimal("10000000000000.00"), "more than 15 digits"),
        (Decimal("NaN"), "not a finite number"),
        (Decimal("Infinity"), "not a finite number"),
    ],
)
def test_amounts_that_do_not_fit_are_refused_not_rounded(
    engine: Engine, tenants: Tenants, amount: Decimal, reason: str
) -> None:
    values = {
        "ref": "10000000001",
        "merchant_key": tenants.alice.key,
        "kind": "verification",
        "status": "voided",
        "amount": amount,
        "currency": "USD",
        "settle_amount": Decimal(0),
        "refunded": Decimal(0),
        "response_code": 1,
        "reason_code": 1,
        "auth_code": "ABC123",
        "avs_result": "",
        "card_code_result": "",
        "cavv_result": "",
        "payment_method": "card",
        "account_last4": "1111",
        "account_type": "Visa",
        "fingerprint": "fp",
        "duplicate_key": "",
        "processor_reference": "",
        "details_json": "{}",
        "submitted_at": NOW,
    }

    with pytest.raises(StatementError, match=reason), engine.begin() as connection:
        connection.execute(insert(transactions).values(**values))

    with engine.connect() as connection:
        assert connection.scalar(select(transactions.c.key)) is None
    with engine.begin() as connection:  # the rest of the row was fine
        connection.execute(insert(transactions).values(**{**values, "amount": Decimal("0.01")}))


def test_floats_are_refused(engine: Engine, tenants: Tenants, uow_factory: SqlUnitOfWorkFactory) -> None:
    profile_ref = add_profile(uow_factory, tenants.alice.container_key)
    with uow_factory() as uow:
        ref = uow.profiles.add_payment_profile(tenants.alice.container_key, card_row(profile_ref))
        uow.commit()

    with pytest.raises(StatementError, match="not float"), engine.begin() as connection:
        connection.execute(
            payment_profiles.update().where(payment_profiles.c.ref == ref).values(original_auth_amount=12.5)
        )


@pytest.mark.parametrize(
    ("amount", "units"),
    [
        (Decimal("9999999999999.99"), 999_999_999_999_999),
        (Decimal("-9999999999999.99"), -999_999_999_999_999),
        (Decimal("0"), 0),
        (Decimal("0E+7"), 0),
        (Decimal("1.2300"), 123),
        (Decimal("1E+2"), 10_000),
    ],
)
def test_minor_units_conversion_is_exact(amount: Decimal, units: int) -> None:
    assert to_minor_units(amount) == units
    assert from_minor_units(units) == amount
    assert from_minor_units(units).as_tuple().exponent == -2


@pytest.mark.parametrize(
    "amount",
    [
        Decimal("1.0000000000000000000000000000001"),  # rounds to 1.00 in a 28-digit context
        Decimal("1E-999999"),
        Decimal("1E+999999"),
        Decimal("99999999999999.9"),
        Decimal("-10000000000000"),
    ],
)
def test_minor_units_refuse_instead_of_rounding(amount: Decimal) -> None:
    with pytest.raises(ValueError, match="more than"):
        to_minor_units(amount)


@pytest.mark.parametrize("amount", [12.5, 1250, True, "12.50"])
def test_minor_units_take_only_a_decimal(amount: object) -> None:
    with pytest.raises(TypeError):
        to_minor_units(amount)  # type: ignore[arg-type]
