"""The database and its unit of work: one transaction per change, retried on conflict.

SQLite (the embedded default) is set up for many concurrent clicks from one
process: WAL, synchronous=NORMAL, a busy timeout, `BEGIN IMMEDIATE` so a
transaction takes the write lock up front instead of failing half-way with
"database is locked", and a single pooled connection so writers queue in
Python rather than fight over the file. PostgreSQL is the shared store for
several processes; there, races end in unique-constraint or serialization
errors, and the unit of work is simply run again.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import configure_mappers
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, SQLModel

log = logging.getLogger(__name__)

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 30_000
RETRYABLE_PG_STATES = {"40001", "40P01"}  # serialization failure, deadlock


class Database:
    """Owns the SQLAlchemy engine and runs units of work against it."""

    def __init__(
        self, url: str, *, echo: bool = False, connect_args: dict[str, Any] | None = None
    ) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine = _make_engine(url, echo=echo, connect_args=connect_args or {})
        # Plain objects (a vote batch's rows) read their columns through the ORM's
        # instrumentation, set up when a mapper is first used: make sure it is, even
        # if a vote batch is a process's first use of the models.
        configure_mappers()

    def run(self, work: Callable[[Session], T], *, attempts: int = 8) -> T:
        """Run `work` in one transaction and commit; run it again on a write conflict.

        `work` must read what it needs inside the transaction, so a second run
        sees the state that the competing transaction committed.
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.session() as session:
                    return work(session)
            except (IntegrityError, OperationalError) as error:
                if attempt == attempts or not self._is_conflict(error):
                    raise
                log.debug("write conflict, retrying", extra={"attempt": attempt})
                time.sleep(random.uniform(0, 0.005 * attempt))
        raise AssertionError("unreachable")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def is_healthy(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except DBAPIError:
            log.exception("database health check failed")
            return False

    def dispose(self) -> None:
        self.engine.dispose()

    def _is_conflict(self, error: DBAPIError) -> bool:
        if isinstance(error, IntegrityError):
            return True
        state = getattr(error.orig, "sqlstate", None)
        if state in RETRYABLE_PG_STATES:
            return True
        return self.is_sqlite and "locked" in str(error.orig)


def insert_row(session: Session, row: SQLModel, *, unless_present: bool = False) -> None:
    """INSERT `row` at once, without the ORM's unit of work: the cheap way for rows written
    on hot paths (ballots, outbox rows) and never read back as objects in the same turn. A
    column left None is left to its default.

    With `unless_present`, a row that would break a unique constraint is skipped
    (`ON CONFLICT DO NOTHING`) instead of failing the transaction.
    """
    insert_rows(session, type(row), [row.model_dump()], unless_present=unless_present)


def insert_rows(
    session: Session,
    table: type[SQLModel],
    rows: list[dict[str, Any]],
    *,
    unless_present: bool = False,
) -> None:
    """`insert_row` for many rows at once: one executemany per set of columns given (a
    column left None is left to its default)."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        values = {key: value for key, value in row.items() if value is not None}
        by_columns.setdefault(tuple(values), []).append(values)
    statement = _insert_statement(table, session.get_bind().dialect.name, unless_present)
    for same in by_columns.values():
        # Core on the session's connection, not the ORM's bulk path or statement handling:
        # these rows are never read back as objects.
        session.connection().execute(statement, same)


def insert_new(
    session: Session,
    table: type[SQLModel],
    rows: list[dict[str, Any]],
    key: tuple[str, ...],
    returning: tuple[str, ...],
) -> list[tuple[Any, ...]]:
    """INSERT `rows` in one statement, skipping any whose `key` (a unique constraint's
    columns) is taken already; return the `returning` columns of the rows inserted. Every
    row must give the same columns."""
    if not rows:
        return []
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    columns = table.__table__.c  # type: ignore[attr-defined]
    statement = (
        dialect.insert(table)
        .on_conflict_do_nothing(index_elements=[columns[name] for name in key])
        .returning(*(columns[name] for name in returning))
    )
    return [tuple(row) for row in session.connection().execute(statement, rows)]


@cache
def _insert_statement(table: type[SQLModel], dialect: str, unless_present: bool) -> Executable:
    """One statement object per kind of insert, so SQLAlchemy compiles it once."""
    if not unless_present:
        return insert(table)
    return (
        (postgresql if dialect == "postgresql" else sqlite).insert(table).on_conflict_do_nothing()
    )


def _make_engine(url: str, *, echo: bool, connect_args: dict[str, Any]) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(
            url,
            echo=echo,
            pool_size=10,
            max_overflow=10,
            pool_pre_ping=True,
            connect_args=connect_args,
        )
    engine = create_engine(
        url,
        echo=echo,
        # One connection: writers queue for it here instead of contending for the file.
        pool_size=1,
        max_overflow=0,
        pool_timeout=120,
        connect_args={"check_same_thread": False, **connect_args},
    )
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE instead of pysqlite's
    # deferred BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
