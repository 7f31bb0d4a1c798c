"""A database migrated only as far as an older revision, on SQLite or PostgreSQL, to test
a migration on data written before it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from storage import migrate
from storage.database import Database
from tests.conftest import POSTGRES_URL, _postgres_unavailable

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def database_at(backend: str, tmp_path: Path, revision: str) -> Iterator[Database]:
    """An empty database of `backend` migrated to `revision` (PostgreSQL: in a schema of its
    own, dropped afterwards)."""
    if backend == "sqlite":
        yield from _migrated(Database(f"sqlite:///{tmp_path / 'old.db'}"), revision)
        return
    if reason := _postgres_unavailable():
        pytest.skip(reason)
    schema = f"concord_{revision}_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        database = Database(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
        yield from _migrated(database, revision)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _migrated(database: Database, revision: str) -> Iterator[Database]:
    with database.engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), revision)
    yield database
    database.dispose()
