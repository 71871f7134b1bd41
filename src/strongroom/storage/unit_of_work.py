"""SqlUnitOfWork: one database transaction; rolled back unless commit() was called."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from types import TracebackType
from typing import cast

from sqlalchemy import Connection, Engine, NestedTransaction

from strongroom.services.ports import UnitOfWork
from strongroom.storage.batches import SqlBatchRepository
from strongroom.storage.caches import StorageCaches, UnitCaches, no_caches
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
# and types are written there, once). Each is opened when the unit first uses it.
Opener = Callable[[Connection, RefSource, UnitCaches], object]


def _with_refs(repository: Callable[[Connection, RefSource], object]) -> Opener:
    return lambda connection, new_ref, _caches: repository(connection, new_ref)


def _with_caches(repository: Callable[[Connection, UnitCaches], object]) -> Opener:
    return lambda connection, _new_ref, caches: repository(connection, caches)


def _plain(repository: Callable[[Connection], object]) -> Opener:
    return lambda connection, _new_ref, _caches: repository(connection)


REPOSITORIES: dict[str, Opener] = {
    "merchants": lambda connection, new_ref, caches: SqlMerchantRepository(connection, new_ref, caches),
    "profiles": _with_refs(SqlProfileRepository),
    "transactions": _with_refs(SqlTransactionRepository),
    "batches": _with_refs(SqlBatchRepository),
    "leases": _plain(SqlLeaseRepository),
    "instruments": _plain(SqlTransactionInstrumentRepository),
    "outbox": _plain(SqlOutboxRepository),
    "split_tenders": _with_refs(SqlSplitTenderRepository),
    "subscriptions": _plain(SqlSubscriptionRepository),
    "reporting": _plain(SqlReportingRepository),
    "fraud": _with_caches(SqlFraudFilterRepository),
    "webhooks": _with_caches(SqlWebhookRepository),
    "notifications": _plain(SqlNotificationRepository),
    "events": _with_caches(SqlEventRecorder),
}


def _begun(engine: Engine, *, write: bool) -> Connection:
    """A pooled connection with its transaction begun (closed again if beginning fails)."""
    connection = engine.connect()
    try:
        prepare_transaction(connection, write=write)
        connection.begin()
    except BaseException:
        connection.close()
        raise
    return connection


class _DeferredConnection:
    """A read unit's connection, checked out and begun when a repository first uses it: a
    read answered from the caches (`storage.caches`) costs no connection at all."""

    __slots__ = ("_engine", "connection")

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.connection: Connection | None = None

    def opened(self) -> Connection:
        if self.connection is None:
            self.connection = _begun(self._engine, write=False)
        return self.connection

    def __getattr__(self, name: str) -> object:
        return getattr(self.opened(), name)


class SqlUnitOfWork(UnitOfWork):
    """A UnitOfWork on its own pooled connection, or a savepoint of the shared transaction
    open in this context (see `storage.engine.shared_transaction`); use once, as a `with`
    block."""

    def __init__(
        self,
        engine: Engine,
        *,
        write: bool,
        new_ref: RefSource = random_ref,
        caches: StorageCaches | None = None,
    ) -> None:
        self._engine = engine
        self._write = write
        self._new_ref = new_ref
        self._caches = caches or no_caches()
        self._unit_caches: UnitCaches | None = None
        self._connection: Connection | None = None
        self._savepoint: NestedTransaction | None = None
        self._deferred: _DeferredConnection | None = None
        self._writer: AbstractContextManager[object] = nullcontext()
        self._committed = False

    def __enter__(self) -> SqlUnitOfWork:
        if self._connection is not None:
            raise RuntimeError("this unit of work is already in use")
        shared = joined(self._engine)
        if shared is not None:
            self._savepoint = shared.connection.begin_nested()
            return self._attach(shared.connection)
        if not self._write:
            self._deferred = _DeferredConnection(self._engine)
            return self._attach(cast(Connection, self._deferred))
        self._writer = writer_lock(self._engine) if self._write else nullcontext()
        self._writer.__enter__()
        try:
            connection = _begun(self._engine, write=self._write)
        except BaseException:
            self._writer.__exit__(None, None, None)
            raise
        return self._attach(connection)

    def _attach(self, connection: Connection) -> SqlUnitOfWork:
        self._connection = connection
        self._unit_caches = UnitCaches(self._caches, keep=self._savepoint is None)
        return self

    def __getattr__(self, name: str) -> object:
        """A repository, opened on this unit's connection when first used."""
        open_repository = REPOSITORIES.get(name)
        connection = self.__dict__.get("_connection")
        if open_repository is None or connection is None:
            raise AttributeError(name)
        repository = open_repository(connection, self._new_ref, self.__dict__["_unit_caches"])
        setattr(self, name, repository)
        return repository

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        for name in REPOSITORIES:
            self.__dict__.pop(name, None)  # a used unit's repositories are gone with it
        savepoint, self._savepoint = self._savepoint, None
        if savepoint is not None:
            if not self._committed and savepoint.is_active:
                savepoint.rollback()
            return
        deferred, self._deferred = self._deferred, None
        if deferred is not None:
            connection = deferred.connection  # None: never opened, nothing to end
            if connection is None:
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
        elif self._deferred is not None:
            if self._deferred.connection is not None:
                self._deferred.connection.commit()
        else:
            self._connection.commit()
        self._committed = True
        if self._unit_caches is not None:
            self._unit_caches.committed()


class SqlUnitOfWorkFactory:
    """UnitOfWorkFactory: `factory(write=False)` for read-only units."""

    def __init__(
        self, engine: Engine, *, new_ref: RefSource = random_ref, caches: StorageCaches | None = None
    ) -> None:
        self._engine = engine
        self._new_ref = new_ref
        self._caches = caches or no_caches()

    def __call__(self, *, write: bool = True) -> SqlUnitOfWork:
        # mypy counts the repositories as abstract: `__getattr__` opens them from REPOSITORIES,
        # whose names tests/integration/storage/test_unit_of_work.py holds equal to UnitOfWork's.
        return SqlUnitOfWork(  # type: ignore[abstract]
            self._engine, write=write, new_ref=self._new_ref, caches=self._caches
        )
