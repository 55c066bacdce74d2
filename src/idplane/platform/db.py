"""Engine, sessions and migrations. SQLite (WAL, foreign keys on) by default; PostgreSQL by URL.

Services open one transaction per operation with `Store.transaction()`; correctness under
several server processes comes from the database's constraints, never from in-process locks.
A request runs in one unit of work (`Store.unit`, opened by the HTTP middleware): its blocks
share one database transaction, each `transaction()` block a SAVEPOINT in it (but the first
write block, which has nothing before it to keep). On SQLite the
writers of one process queue in FIFO order for the write lock instead of busy-waiting on it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, CursorResult, MetaData, Result, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from idplane.platform.writequeue import WriteQueue

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # Never a wait for a pooled connection: a request may run on the event loop (see
        # `loop_unit`), which must not block. A SQLite connection is a file handle.
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=16,
            max_overflow=-1,
            json_deserializer=_json_loads,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, json_deserializer=_json_loads
    )


def _json_loads(text: str | bytes) -> Any:
    """JSON columns as Python values (text from SQLite, bytes from psycopg). Most hold `null`
    or an empty list (a user's addresses, phone numbers, enterprise extension): answered
    without the parser, which a page of 50 users called 200 times (a select of 50 users'
    rows: 280 -> 154 us)."""
    if text in _NULL:
        return None
    if text in _EMPTY_LIST:
        return []  # a new list each time: callers may change it
    return json.loads(text)


_NULL = ("null", b"null")
_EMPTY_LIST = ("[]", b"[]")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the driver, issue BEGIN, so writers take the lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin_immediate(connection) -> None:
    # Writers take the lock up front (BEGIN IMMEDIATE), so a read-then-write transaction never
    # fails half way on a lock upgrade; readers stay deferred and never wait for writers (WAL).
    immediate = connection.get_execution_options().get("writer", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_current_unit: ContextVar[Unit | None] = ContextVar("idplane_unit", default=None)
T = TypeVar("T")


class WorkerNeeded(BaseException):
    """A unit running on the event loop needs the write lock while another request holds it
    (waiting would stop the loop that request needs to finish), or slow work (`outside_write`).
    A BaseException, so that no `except Exception` on the way swallows it."""


class Unit:
    """One request's database transaction. It begins at the first block (a write unit, or the
    first `transaction()` block, takes the write lock then) and ends with `commit`/`rollback`;
    until then blocks run inside it: `transaction()` blocks as SAVEPOINTs, so a block that
    raises rolls back alone and the blocks before it stay, as they did as transactions. The
    first write block runs without one: if it raises, the transaction (reads only, so far)
    rolls back and the next block begins another."""

    def __init__(self, store: Store, write: bool):
        self.store = store
        self.write = write
        self.connection: Connection | None = None
        self.locked = False  # holds the store's write lock (SQLite's FIFO queue)
        self.closed = False
        self.depth = 0  # open blocks
        self.wrote = False  # a write block completed in the current transaction
        self.on_loop = False  # its work runs on the event loop: it must never wait for a lock

    async def reserve(self) -> None:
        """Takes the write lock ahead, waiting on the event loop rather than in a worker
        thread (waiting threads could take every worker from the request that holds it)."""
        if self.write and not self.locked:
            await self.store.acquire_write_async()
            self.locked = True

    def connect(self, write: bool) -> Connection:
        write = write or self.write
        if self.connection is not None and (self.locked or not write):
            return self.connection
        if self.connection is not None:  # a read that turns into a write: on SQLite a
            self._end(commit=True)  # deferred read cannot safely upgrade, so start over
        if write and not self.locked:
            if not self.on_loop:
                self.store.acquire_write()
            elif not self.store.try_acquire_write():
                raise WorkerNeeded
            self.locked = True
        try:
            self.connection = self.store.connect(write)
        except BaseException:
            self._end(commit=False)
            raise
        return self.connection

    def commit(self) -> None:
        self._end(commit=True)
        self.closed = True

    def rollback(self) -> None:
        self._end(commit=False)
        self.closed = True

    def outside_write(self, work: Callable[[], T]) -> T:
        """Runs slow work (password hashing, mail) without holding the write lock: what the
        unit wrote so far commits first. Inside an open block it cannot, and runs as it is.
        Never on the event loop: the work would stop it, and what commits here could not be
        done again on a worker thread."""
        if self.on_loop:
            raise WorkerNeeded
        if self.locked and self.depth == 0 and not self.closed:
            self._end(commit=True)
        return work()

    def restart(self) -> None:
        """Drops the transaction (its first write block failed and rolled it back): the next
        block begins a new one."""
        self._end(commit=False)

    def leave_loop(self) -> None:
        """After `WorkerNeeded`: rolls back what the unit did (a unit on the loop commits
        nothing before its end); its work starts again on a worker thread, where it may wait."""
        self.on_loop = False
        self._end(commit=False)

    def _end(self, commit: bool) -> None:
        connection, locked = self.connection, self.locked
        self.connection, self.locked, self.wrote = None, False, False
        try:
            if connection is not None:
                if commit:
                    connection.commit()
                else:
                    connection.rollback()
        finally:
            if connection is not None:
                connection.close()
            if locked:
                self.store.released_write()


class Store:
    """The database of one server: an engine and a session factory."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self._writer_engine = self.engine.execution_options(writer=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writer_sessions = sessionmaker(self._writer_engine, expire_on_commit=False)
        self._queue = WriteQueue() if url.startswith("sqlite") else None
        self.remote = self._queue is None  # a database server (PostgreSQL), not a local file

    @contextmanager
    def unit(self, write: bool) -> Iterator[Unit]:
        """A request's unit of work; the caller ends it with `commit()` or `rollback()` (if it
        does not, it rolls back). `write`: take the write lock at the first block."""
        unit = Unit(self, write)
        token = _current_unit.set(unit)
        try:
            yield unit
        finally:
            _current_unit.reset(token)
            if not unit.closed:
                unit.rollback()

    @contextmanager
    def transaction(self, *, last: bool = False) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls back on any exception. Inside a
        request's unit it is a SAVEPOINT of the request's transaction. `last`: the request's
        last write, whose failure fails the whole request (its audit record): no SAVEPOINT,
        and if it raises, everything the request's transaction holds rolls back with it."""
        unit = _current_unit.get()
        if unit is not None and not unit.closed:
            with self._block(unit, write=True, alone=last) as session, session.begin():
                yield session
            return
        self.acquire_write()
        try:
            with self._writer_sessions.begin() as session:
                yield session
        finally:
            self.released_write()

    @contextmanager
    def read(self) -> Iterator[Session]:
        unit = _current_unit.get()
        if unit is not None and not unit.closed:
            with self._block(unit, write=False) as session:
                yield session
            return
        with self._sessions() as session:
            yield session

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """`read()` for Core statements only: the request's connection itself, without the ORM
        session a block builds (a third of a small read's cost in the store layer)."""
        unit = _current_unit.get()
        if unit is not None and not unit.closed:
            connection = unit.connect(False)
            unit.depth += 1
            try:
                yield connection
            finally:
                unit.depth -= 1
            return
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def _block(self, unit: Unit, write: bool, alone: bool = False) -> Iterator[Session]:
        # A session of its own per block (a fresh identity map, as before), on the unit's
        # connection; `create_savepoint` makes its begin/commit/rollback a SAVEPOINT. The
        # first write block of a transaction needs none: there is nothing before it to keep,
        # so if it fails the whole transaction rolls back (`rollback_only`) and starts anew.
        connection = unit.connect(write)
        first = write and unit.depth == 0 and (alone or not unit.wrote)
        session = Session(
            bind=connection,
            join_transaction_mode="create_savepoint" if write and not first else "rollback_only",
            expire_on_commit=False,
        )
        unit.depth += 1
        try:
            with session:
                yield session
            if first:
                unit.wrote = True
        except BaseException:
            if first:
                unit.restart()
            raise
        finally:
            unit.depth -= 1

    def connect(self, write: bool) -> Connection:
        """A connection in a begun transaction (a writer's, BEGIN IMMEDIATE on SQLite: take
        `acquire_write()` first)."""
        connection = (self._writer_engine if write else self.engine).connect()
        try:
            connection.begin()
        except BaseException:
            connection.close()
            raise
        return connection

    def acquire_write(self) -> None:
        if self._queue is not None:
            self._queue.acquire()

    def try_acquire_write(self) -> bool:
        return self._queue.try_acquire() if self._queue is not None else True

    async def acquire_write_async(self) -> None:
        if self._queue is not None:
            await self._queue.acquire_async()

    def released_write(self) -> None:
        if self._queue is not None:
            self._queue.release()

    def dispose(self) -> None:
        self.engine.dispose()


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE matched (`Session.execute` is typed as a plain Result)."""
    return cast(CursorResult[Any], result).rowcount


def is_unique_violation(error: IntegrityError) -> bool:
    text = str(error.orig).lower()
    return "unique" in text or "duplicate key" in text


def default_sqlite_url(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'idplane.db'}"


def migrate(url: str) -> None:
    """Bring the store to the newest schema of every service (several Alembic branches)."""
    from alembic import command
    from alembic.config import Config

    migrations = Path(__file__).resolve().parent.parent / "migrations"
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "heads")


def loop_unit() -> Unit | None:
    """The current request's unit, marked to run its work on the event loop, if it may: on
    SQLite, a unit that only reads (a GET) or one that holds the write lock already (a write,
    which took it on the loop before its endpoint). Its statements are local and take
    microseconds, where a worker-thread hop costs more CPU than a whole small request (GIL
    hand-overs and wake-ups). It must never wait there: a read that needs the write lock while
    another request holds it, or slow work, raises `WorkerNeeded`."""
    unit = _current_unit.get()
    if unit is None or unit.closed or unit.store.remote or (unit.write and not unit.locked):
        return None
    unit.on_loop = True
    return unit


def end_unit_if_unwritten() -> None:
    """Ends the current request's unit of work now if it wrote nothing and no block is open
    (committing and rolling back are then the same), on the thread that ran its work."""
    unit = _current_unit.get()
    if unit is not None and not unit.closed and not unit.locked and unit.depth == 0:
        unit.commit()


def outside_write(work: Callable[[], T]) -> T:
    """Runs slow CPU work (argon2) outside the current request's write lock, if it can."""
    unit = _current_unit.get()
    return unit.outside_write(work) if unit is not None else work()
