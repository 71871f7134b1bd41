"""Unit of work: commit, rollback, read-only units, and engine configuration per dialect."""

from __future__ import annotations

from typing import get_type_hints

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from strongroom.services.ports import UnitOfWork
from strongroom.storage import SqlUnitOfWorkFactory, create_engine_for
from strongroom.storage.unit_of_work import REPOSITORIES
from tests.integration.storage.builders import add_merchant


class Boom(Exception):
    pass


def merchant_logins(uow_factory: SqlUnitOfWorkFactory) -> list[str]:
    with uow_factory(write=False) as uow:
        return [merchant.login_id for merchant in uow.merchants.all()]


def test_every_repository_the_port_declares_is_opened_as_its_port(uow_factory: SqlUnitOfWorkFactory) -> None:
    declared = get_type_hints(UnitOfWork)
    assert set(REPOSITORIES) == set(declared)

    with uow_factory(write=False) as uow:
        opened = {name: type(getattr(uow, name)) for name in declared}

    assert {name: declared[name] in kind.__mro__ for name, kind in opened.items()} == dict.fromkeys(
        declared, True
    )


def test_commit_makes_changes_visible(uow_factory: SqlUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        add_merchant(uow, "alice")
        uow.commit()

    assert merchant_logins(uow_factory) == ["alice"]


def test_leaving_without_commit_rolls_back(uow_factory: SqlUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        add_merchant(uow, "alice")

    assert merchant_logins(uow_factory) == []


def test_an_exception_rolls_back_and_propagates(uow_factory: SqlUnitOfWorkFactory) -> None:
    def add_then_fail() -> None:
        with uow_factory() as uow:
            add_merchant(uow, "alice")
            raise Boom

    with pytest.raises(Boom):
        add_then_fail()

    assert merchant_logins(uow_factory) == []


def test_a_read_unit_refuses_to_write(uow_factory: SqlUnitOfWorkFactory) -> None:
    with uow_factory(write=False) as uow, pytest.raises(DBAPIError):
        add_merchant(uow, "alice")

    assert merchant_logins(uow_factory) == []


def test_a_read_unit_proceeds_while_a_write_unit_is_open(uow_factory: SqlUnitOfWorkFactory) -> None:
    with uow_factory() as writer:
        add_merchant(writer, "alice")
        assert merchant_logins(uow_factory) == []
        writer.commit()

    assert merchant_logins(uow_factory) == ["alice"]


def test_connections_are_reusable_after_read_units(uow_factory: SqlUnitOfWorkFactory) -> None:
    for login in ("alice", "bob", "carol"):
        merchant_logins(uow_factory)
        with uow_factory() as uow:
            add_merchant(uow, login)
            uow.commit()

    assert merchant_logins(uow_factory) == ["alice", "bob", "carol"]


def test_a_unit_of_work_cannot_be_entered_twice(uow_factory: SqlUnitOfWorkFactory) -> None:
    uow = uow_factory()
    with uow, pytest.raises(RuntimeError):
        uow.__enter__()


def test_engine_settings_of_the_dialect(engine: Engine) -> None:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            pragmas = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
            assert pragmas == {
                "journal_mode": "wal",
                "synchronous": 1,
                "foreign_keys": 1,
                "busy_timeout": 30_000,
            }
        else:
            assert connection.scalar(text("SHOW transaction_isolation")) == "read committed"
            assert engine.dialect.driver == "psycopg"


def test_unsupported_urls_are_refused() -> None:
    with pytest.raises(ValueError, match="database file"):
        create_engine_for("sqlite://")
    with pytest.raises(ValueError, match="unsupported"):
        create_engine_for("mysql://user@localhost/db")
