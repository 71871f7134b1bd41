"""SqlUnitOfWork: one database transaction; rolled back unless commit() was called."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from types import TracebackType

from sqlalchemy import Connection, Engine, NestedTransaction

from strongroom.services.ports import UnitOfWork
from strongroom.storage.batches import SqlBatchRepository
from strongroom.storage.engine import joined, prepare_transaction, writer_lock
from strongroom.storage.fraud import SqlFraudFilterRepository
from strongroom.storage.leases import SqlLeaseRepository
from strongroom.storage.merchants import SqlMerchantRepository
from strongroom.storage.notifications import SqlEventRecorder, SqlNotificationRepository
from strongroom.storage.outbox import SqlOutboxRepository
from strongroom.storage.profiles import SqlProfileRepository
from strongroom.storage.refs import RefSource, random_ref
from strongroom.storage.reporting import SqlReportingRepository
from strongroom.storage.split_tenders import SqlSplitTenderRepository
from strongroom.storage.subscriptions import SqlSubscriptionRepository
from strongroom.storage.transaction_instruments import SqlTransactionInstrumentRepository
from strongroom.storage.transactions import SqlTransactionRepository
from strongroom.storage.webhooks import SqlWebhookRepository

# How SqlUnitOfWork opens, on its connection, each repository `UnitOfWork` declares (the names
# and types are written there, once).
Opener = Callable[[Connection, RefSource], object]


def _without_refs(repository: Callable[[Connection], object]) -> Opener:
    return lambda connection, _new_ref: repository(connection)


REPOSITORIES: dict[str, Opener] = {
    "merchants": SqlMerchantRepository,
    "profiles": SqlProfileRepository,
    "transactions": SqlTransactionRepository,
    "batches": SqlBatchRepository,
    "leases": _without_refs(SqlLeaseRepository),
    "instruments": _without_refs(SqlTransactionInstrumentRepository),
    "outbox": _without_refs(SqlOutboxRepository),
    "split_tenders": SqlSplitTenderRepository,
    "subscriptions": _without_refs(SqlSubscriptionRepository),
    "reporting": _without_refs(SqlReportingRepository),
    "fraud": _without_refs(SqlFraudFilterRepository),
    "webhooks": _without_refs(SqlWebhookRepository),
    "notifications": _without_refs(SqlNotificationRepository),
    "events": _without_refs(SqlEventRecorder),
}


class SqlUnitOfWork(UnitOfWork):
    """A UnitOfWork on its own pooled connection, or a savepoint of the shared transaction
    open in this context (see `storage.engine.shared_transaction`); use once, as a `with`
    block."""

    def __init__(self, engine: Engine, *, write: bool, new_ref: RefSource = random_ref) -> None:
        self._engine = engine
        self._write = write
        self._new_ref = new_ref
        self._connection: Connection | None = None
        self._savepoint: NestedTransaction | None = None
        self._writer: AbstractContextManager[object] = nullcontext()
        self._committed = False

    def __enter__(self) -> SqlUnitOfWork:
        if self._connection is not None:
            raise RuntimeError("this unit of work is already in use")
        shared = joined(self._engine)
        if shared is not None:
            self._savepoint = shared.connection.begin_nested()
            return self._attach(shared.connection)
        self._writer = writer_lock(self._engine) if self._write else nullcontext()
        self._writer.__enter__()
        try:
            connection = self._engine.connect()
            try:
                prepare_transaction(connection, write=self._write)
                connection.begin()
            except BaseException:
                connection.close()
                raise
        except BaseException:
            self._writer.__exit__(None, None, None)
            raise
        return self._attach(connection)

    def _attach(self, connection: Connection) -> SqlUnitOfWork:
        self._connection = connection
        for name, open_repository in REPOSITORIES.items():
            setattr(self, name, open_repository(connection, self._new_ref))
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        savepoint, self._savepoint = self._savepoint, None
        if savepoint is not None:
            if not self._committed and savepoint.is_active:
                savepoint.rollback()
            return
        try:
            if not self._committed:
                connection.rollback()
        finally:
            connection.close()
            self._writer.__exit__(None, None, None)

    def commit(self) -> None:
        if self._connection is None:
            raise RuntimeError("commit() outside the unit of work's `with` block")
        if self._savepoint is not None:
            self._savepoint.commit()
        else:
            self._connection.commit()
        self._committed = True


class SqlUnitOfWorkFactory:
    """UnitOfWorkFactory: `factory(write=False)` for read-only units."""

    def __init__(self, engine: Engine, *, new_ref: RefSource = random_ref) -> None:
        self._engine = engine
        self._new_ref = new_ref

    def __call__(self, *, write: bool = True) -> SqlUnitOfWork:
        # mypy counts the repositories as abstract: `_attach` sets them from REPOSITORIES, whose
        # names tests/integration/storage/test_unit_of_work.py holds equal to UnitOfWork's.
        return SqlUnitOfWork(  # type: ignore[abstract]
            self._engine, write=write, new_ref=self._new_ref
        )
