"""Fresh, migrated databases for benchmarks: a SQLite file, or a PostgreSQL schema of its own."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from storage import migrate
from storage.database import Database

Opener = Callable[[], AbstractContextManager[Database]]
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def sqlite_database() -> Iterator[Database]:
    with tempfile.TemporaryDirectory(prefix="concord-bench-") as folder:
        database = Database(f"sqlite:///{Path(folder) / 'concord.db'}")
        migrate.upgrade(database)
        try:
            yield database
        finally:
            database.dispose()


@contextmanager
def postgres_schema(url: str = POSTGRES) -> Iterator[str]:
    """A new, empty schema on the PostgreSQL at `url`, dropped when the block ends."""
    schema = f"concord_bench_{secrets.token_hex(4)}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def postgres_database(url: str = POSTGRES) -> Opener:
    """An opener of fresh schemas on the PostgreSQL at `url`, each dropped after use."""

    @contextmanager
    def opened() -> Iterator[Database]:
        with postgres_schema(url) as schema:
            database = Database(url, connect_args={"options": f"-csearch_path={schema}"})
            try:
                migrate.upgrade(database)
                yield database
            finally:
                database.dispose()

    return opened
