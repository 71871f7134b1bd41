"""Concurrent writers on both engines: converging key creation and a lock-guarded limit."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine

from strongroom.domain.errors import Duplicate
from strongroom.storage import SqlDataKeyStore, SqlUnitOfWorkFactory
from tests.integration.storage.builders import add_merchant, add_profile, card_row
from tests.integration.storage.conftest import Tenants
from tests.integration.storage.threads import run_together

LIMIT = 5


def test_threads_adding_the_same_data_key_converge(engine: Engine) -> None:
    store = SqlDataKeyStore(engine)

    def add(index: int, barrier: threading.Barrier) -> object:
        barrier.wait()
        return store.add(0, "data", 1, f"wrapped-by-{index}".encode(), 1)

    first, second = run_together(add)

    assert first == second
    assert list(store.all_keys()) == [first]


def test_threads_taking_the_same_login_get_one_merchant_and_one_duplicate(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    def add(_index: int, barrier: threading.Barrier) -> str:
        barrier.wait()
        try:
            with uow_factory() as uow:
                add_merchant(uow, "same-login")
                uow.commit()
        except Duplicate:
            return "duplicate"
        return "added"

    assert sorted(run_together(add)) == ["added", "duplicate"]


@pytest.mark.parametrize("round_", range(3))
def test_a_locked_profile_never_exceeds_its_payment_profile_limit(
    uow_factory: SqlUnitOfWorkFactory, tenants: Tenants, round_: int
) -> None:
    container = tenants.alice.container_key
    profile_ref = add_profile(uow_factory, container)

    def add_until_full(index: int, barrier: threading.Barrier) -> int:
        added = 0
        for attempt in range(LIMIT):
            barrier.wait()
            with uow_factory() as uow:
                if uow.profiles.profile(container, profile_ref, lock=True) is None:
                    raise AssertionError("profile vanished")
                if len(uow.profiles.payment_profiles(container, profile_ref)) >= LIMIT:
                    continue
                uow.profiles.add_payment_profile(
                    container, card_row(profile_ref, fingerprint=f"{index}-{attempt}")
                )
                uow.commit()
                added += 1
        return added

    added = run_together(add_until_full)

    assert sum(added) == LIMIT
    with uow_factory(write=False) as uow:
        assert len(uow.profiles.payment_profiles(container, profile_ref)) == LIMIT
