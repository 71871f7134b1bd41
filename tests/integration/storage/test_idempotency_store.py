"""SqlIdempotencyStore: a key is held by the transaction that does the work; units of work in
it commit with the key's entry or not at all; a second holder is told the key is busy (on
PostgreSQL) or waits for the first to finish (SQLite's single writer); purging keeps keys."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from strongroom.services.ports import IdempotencyEntry
from strongroom.storage import SqlUnitOfWorkFactory
from strongroom.storage.engine import joined, shared_transaction, transaction
from strongroom.storage.idempotency import SqlIdempotencyStore
from tests.integration.storage.builders import add_merchant
from tests.integration.storage.conftest import Tenants
from tests.integration.storage.test_unit_of_work import merchant_logins

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def entry(merchant_key: int, key: str, at: datetime = NOW) -> IdempotencyEntry:
    return IdempotencyEntry(merchant_key, key, "digest-" + key, at, b"sealed answer", "application/xml")


def add_then_fail(uow_factory: SqlUnitOfWorkFactory, login: str) -> None:
    with uow_factory() as uow:
        add_merchant(uow, login)
        raise ZeroDivisionError


def test_work_commits_with_the_entry(
    engine: Engine, uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    store = SqlIdempotencyStore(engine)
    with store.guard(tenants.alice.key, "k1") as guard:
        assert (guard.busy, guard.existing) == (False, None)
        with uow_factory() as uow:  # joins the shared transaction as a savepoint
            add_merchant(uow, "carol")
            uow.commit()
        guard.commit_with(entry(tenants.alice.key, "k1"))
    assert "carol" in merchant_logins(uow_factory)
    with store.guard(tenants.alice.key, "k1") as guard:
        assert guard.existing == entry(tenants.alice.key, "k1")


def test_leaving_without_the_entry_undoes_the_work(
    engine: Engine, uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    store = SqlIdempotencyStore(engine)
    with store.guard(tenants.alice.key, "k2") as guard:
        with uow_factory() as uow:
            add_merchant(uow, "dave")
            uow.commit()  # only a savepoint: nothing is committed yet
        assert guard.existing is None
    assert "dave" not in merchant_logins(uow_factory)
    with store.guard(tenants.alice.key, "k2") as guard:
        assert guard.existing is None  # the key is free for the retry


def test_a_failing_unit_rolls_back_only_its_savepoint(
    engine: Engine, uow_factory: SqlUnitOfWorkFactory, tenants: Tenants
) -> None:
    store = SqlIdempotencyStore(engine)
    with store.guard(tenants.alice.key, "k3") as guard:
        with uow_factory() as uow:
            add_merchant(uow, "erin")
            uow.commit()
        with pytest.raises(ZeroDivisionError):
            add_then_fail(uow_factory, "frank")
        guard.commit_with(entry(tenants.alice.key, "k3"))
    logins = merchant_logins(uow_factory)
    assert "erin" in logins
    assert "frank" not in logins


def test_transactions_join_only_their_own_engine(engine: Engine) -> None:
    assert joined(engine) is None
    with shared_transaction(engine) as shared:
        assert joined(engine) is shared
        with transaction(engine, write=False) as connection:
            assert connection is shared.connection
        with pytest.raises(RuntimeError), shared_transaction(engine):
            pass
    assert joined(engine) is None


def test_a_held_key_is_busy_or_waited_for(engine: Engine, tenants: Tenants) -> None:
    store = SqlIdempotencyStore(engine)
    held, release = threading.Event(), threading.Event()
    seen: list[tuple[bool, IdempotencyEntry | None]] = []

    def second() -> None:
        held.wait(timeout=30)
        if engine.dialect.name == "sqlite":
            release.set()  # SQLite: the second waits for the writer lock, so let the first go
        with store.guard(tenants.alice.key, "k4") as guard:
            seen.append((guard.busy, guard.existing))
        release.set()

    thread = threading.Thread(target=second)
    thread.start()
    with store.guard(tenants.alice.key, "k4") as guard:
        held.set()
        assert release.wait(timeout=30)
        guard.commit_with(entry(tenants.alice.key, "k4"))
    thread.join(timeout=30)
    if engine.dialect.name == "postgresql":
        assert seen == [(True, None)]  # told at once that the first still runs
    else:
        assert seen == [(False, entry(tenants.alice.key, "k4"))]  # waited, then saw the answer


def test_keys_of_other_merchants_are_independent(engine: Engine, tenants: Tenants) -> None:
    store = SqlIdempotencyStore(engine)
    with store.guard(tenants.alice.key, "same") as guard:
        guard.commit_with(entry(tenants.alice.key, "same"))
    with store.guard(tenants.bob.key, "same") as guard:
        assert (guard.busy, guard.existing) == (False, None)


def test_purge_drops_answers_then_forgets_keys(engine: Engine, tenants: Tenants) -> None:
    store = SqlIdempotencyStore(engine)
    for key, age in (
        ("old", timedelta(days=31)),
        ("day", timedelta(hours=25)),
        ("young", timedelta(hours=1)),
    ):
        with store.guard(tenants.alice.key, key) as guard:
            guard.commit_with(entry(tenants.alice.key, key, NOW - age))
    touched = store.purge(answers_before=NOW - timedelta(hours=24), keys_before=NOW - timedelta(days=30))
    assert touched == 2
    with store.guard(tenants.alice.key, "old") as guard:
        assert guard.existing is None
    with store.guard(tenants.alice.key, "day") as guard:
        assert guard.existing is not None
        assert (guard.existing.sealed_reply, guard.existing.media_type) == (None, None)
        assert guard.existing.request_digest == "digest-day"
    with store.guard(tenants.alice.key, "young") as guard:
        assert guard.existing == entry(tenants.alice.key, "young", NOW - timedelta(hours=1))
