"""Databases of their own for the backup tests: a restore needs a whole database, not a
schema, and pg_dump copies a whole database. Each test gets fresh ones; PostgreSQL's are
dropped when the test run ends, all together (each DROP DATABASE waits for a checkpoint)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from storage import migrate
from storage.database import Database
from tests.conftest import POSTGRES_URL

NewDatabase = Callable[[], str]
HEAD = ScriptDirectory(str(migrate.MIGRATIONS)).get_current_head()


@contextmanager
def new_databases(backend: str, folder: Path) -> Iterator[NewDatabase]:
    """A maker of new, blank databases' URLs on `backend`; all are dropped at the end."""
    made: list[str] = []

    def new() -> str:
        name = f"concord_backup_{secrets.token_hex(4)}"
        if backend == "sqlite":
            return f"sqlite:///{folder / f'{name}.db'}"
        _admin(f'CREATE DATABASE "{name}"')
        made.append(name)
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    try:
        yield new
    finally:
        for name in made:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrated(url: str, revision: str = "head") -> Database:
    """The database at `url`, migrated up to `revision`."""
    database = Database(url)
    with database.engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), revision)
    return database


def _admin(statement: str) -> None:
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()
