"""Engines for SQLite (WAL, explicit BEGIN) and PostgreSQL (psycopg 3, READ COMMITTED)."""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError

SQLITE_BUSY_TIMEOUT_MS = 30_000
DEFAULT_POOL_SIZE = 20
POOL_OVERFLOW = 10
# A PostgreSQL connection idle in the pool this long is pinged before it is used again.
IDLE_PING_SECONDS = 5.0
_CHECKED_IN_AT = "strongroom_checked_in_at"
# PRAGMA synchronous under WAL: NORMAL loses no acknowledged write to a process crash, FULL
# none to a power loss either (a sync per commit).
SQLITE_SYNCHRONOUS = {"normal": "NORMAL", "full": "FULL"}

# Connection execution option read by the SQLite "begin" hook: True (or unset, the safe
# default) starts BEGIN IMMEDIATE; False starts a deferred, query_only transaction.
_WRITE_OPTION = "strongroom_write"
_QUERY_ONLY_STATE = "strongroom_query_only"


def create_engine_for(
    url: str, *, sqlite_synchronous: str = "normal", pool_size: int = DEFAULT_POOL_SIZE
) -> Engine:
    """An engine configured for Strongroom: SQLite file databases or PostgreSQL via psycopg 3.
    `pool_size` connections stay open; give each worker thread two (its unit of work, and a
    short read such as the sandbox clock's) so that none ever waits for one while it holds a
    lock that the holders of the others wait for."""
    return build_engine(
        url, enforce_foreign_keys=True, sqlite_synchronous=sqlite_synchronous, pool_size=pool_size
    )


def build_engine(
    url: str,
    *,
    enforce_foreign_keys: bool,
    sqlite_synchronous: str = "normal",
    pool_size: int = DEFAULT_POOL_SIZE,
) -> Engine:
    """As `create_engine_for`; migrations turn SQLite foreign keys off for batch mode."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if sqlite_synchronous not in SQLITE_SYNCHRONOUS:
            raise ValueError(f"SQLite synchronous must be normal or full, not {sqlite_synchronous!r}")
        return _sqlite_engine(parsed, enforce_foreign_keys, SQLITE_SYNCHRONOUS[sqlite_synchronous], pool_size)
    if backend == "postgresql":
        return _postgres_engine(parsed, pool_size)
    raise ValueError(f"unsupported database backend {backend!r}: use sqlite or postgresql")


def prepare_transaction(connection: Connection, *, write: bool) -> None:
    """Mark the connection's next transaction as a write (locks early) or read-only unit."""
    options: dict[str, Any] = {_WRITE_OPTION: write}
    if connection.dialect.name == "postgresql":
        options["postgresql_readonly"] = not write
    connection.execution_options(**options)


_WRITERS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_WRITERS_GUARD = threading.Lock()


def writer_lock(engine: Engine) -> AbstractContextManager[object]:
    """SQLite admits one writer at a time. Writers of the same process queue on this lock
    instead of on SQLite's busy handler, which backs off with sleeps of up to 100 ms under
    contention; other processes still meet the busy timeout. PostgreSQL needs no lock."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(engine, threading.RLock())


@dataclass(frozen=True, slots=True)
class SharedTransaction:
    """One write transaction that the units of work of a request join as savepoints, so all of
    the request's changes commit together, or none do."""

    engine: Engine
    connection: Connection


_SHARED: ContextVar[SharedTransaction | None] = ContextVar("strongroom_shared", default=None)


def joined(engine: Engine) -> SharedTransaction | None:
    """The shared transaction open on `engine` in this context, if any."""
    shared = _SHARED.get()
    return shared if shared is not None and shared.engine is engine else None


@contextmanager
def shared_transaction(engine: Engine) -> Iterator[SharedTransaction]:
    """Open a write transaction that `transaction` and units of work join until the block ends.
    Nothing is committed unless the caller commits `connection`; leaving the block rolls back
    whatever is left. Not reentrant."""
    if _SHARED.get() is not None:
        raise RuntimeError("a shared transaction is already open in this context")
    with writer_lock(engine), engine.connect() as connection:
        prepare_transaction(connection, write=True)
        connection.begin()
        shared = SharedTransaction(engine, connection)
        token = _SHARED.set(shared)
        try:
            yield shared
        finally:
            _SHARED.reset(token)
            if connection.in_transaction():
                connection.rollback()


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """A short transaction on its own connection, committed when the block ends without error;
    inside a shared transaction, a savepoint of it."""
    shared = joined(engine)
    if shared is not None:
        with shared.connection.begin_nested():
            yield shared.connection
        return
    with writer_lock(engine) if write else nullcontext(), engine.connect() as connection:
        prepare_transaction(connection, write=write)
        with connection.begin():
            yield connection


def _sqlite_engine(url: URL, enforce_foreign_keys: bool, synchronous: str, pool_size: int) -> Engine:
    if url.database in (None, "", ":memory:") or (url.query.get("mode") == "memory"):
        raise ValueError("SQLite needs a database file (WAL and several connections)")
    engine = create_engine(url, pool_size=pool_size, max_overflow=POOL_OVERFLOW)

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        _configure_sqlite_connection(dbapi_connection, enforce_foreign_keys, synchronous)

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, enforce_foreign_keys: bool, synchronous: str) -> None:
    # Take BEGIN away from the sqlite3 module; `_begin_sqlite_transaction` emits it instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute(f"PRAGMA synchronous = {synchronous}")
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if enforce_foreign_keys else 'OFF'}")
    finally:
        cursor.close()


def _begin_sqlite_transaction(connection: Connection) -> None:
    """Writers take the write lock up front (BEGIN IMMEDIATE) so they queue on busy_timeout
    instead of failing when a deferred read lock cannot be upgraded; readers stay deferred and
    are held to their promise by query_only."""
    write = bool(connection.get_execution_options().get(_WRITE_OPTION, True))
    state = connection.connection.info  # per pooled DBAPI connection
    if state.get(_QUERY_ONLY_STATE) != (not write):
        # Only when the mode changes: a pragma per transaction would cost a round trip each.
        connection.exec_driver_sql(f"PRAGMA query_only = {0 if write else 1}")
        state[_QUERY_ONLY_STATE] = not write
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN DEFERRED")


def _postgres_engine(url: URL, pool_size: int) -> Engine:
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(
        url, isolation_level="READ COMMITTED", pool_size=pool_size, max_overflow=POOL_OVERFLOW
    )
    event.listen(engine, "checkin", _note_checkin)
    event.listen(engine, "checkout", _ping_if_idle)
    return engine


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info[_CHECKED_IN_AT] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """A connection that sat in the pool for a while is pinged before use, one in steady use is
    not (a ping per unit of work is a round trip each). A dead one is replaced: the pool retries
    the checkout with a new connection."""
    checked_in_at = record.info.get(_CHECKED_IN_AT)
    if checked_in_at is None or time.monotonic() - checked_in_at < IDLE_PING_SECONDS:
        return
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        dbapi_connection.rollback()
    except Exception as error:  # any failure: the connection is not to be trusted
        raise DisconnectionError("an idle pooled connection no longer answers") from error
