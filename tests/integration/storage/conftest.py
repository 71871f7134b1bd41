"""Fixtures for storage tests: a migrated database, its unit-of-work factory and two tenants."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from strongroom.domain.merchants import Merchant
from strongroom.storage import SqlUnitOfWorkFactory, create_engine_for, upgrade
from tests.integration.storage.builders import add_merchant


@dataclass(frozen=True)
class Tenants:
    """Two merchants, each with its own default profile container."""

    alice: Merchant
    bob: Merchant


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    upgrade(database_url)
    engine = create_engine_for(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def uow_factory(engine: Engine) -> SqlUnitOfWorkFactory:
    return SqlUnitOfWorkFactory(engine)


@pytest.fixture
def tenants(uow_factory: SqlUnitOfWorkFactory) -> Tenants:
    with uow_factory() as uow:
        alice = add_merchant(uow, "alice")
        bob = add_merchant(uow, "bob")
        uow.commit()
    return Tenants(alice, bob)
