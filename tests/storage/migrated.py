"""A database migrated only as far as an older revision, on SQLite or PostgreSQL, to test
a migration on data written before it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, create_engine, text

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


def add_northshire(connection: Connection, now: str, members: tuple[str, ...]) -> None:
    """Collaborative 1, Northshire, with `members` (ids from 1) and open poll #1 (id 1,
    "Lunch?", started by the first), written as any revision since 0013 holds them."""
    connection.execute(
        text(
            "INSERT INTO collaborative (id, name, timezone, require_organisation, newcomer_role, "
            "created_at) VALUES (1, 'Northshire', 'Europe/London', false, 'member', :now)"
        ),
        {"now": now},
    )
    for number, name in enumerate(members, start=1):
        connection.execute(
            text(
                "INSERT INTO member (id, collaborative_id, display_name, role, role_chosen, "
                "reminders_muted, created_at) VALUES (:id, 1, :name, 'member', false, false, :now)"
            ),
            {"id": number, "name": name, "now": now},
        )
    connection.execute(
        text(
            "INSERT INTO poll (id, collaborative_id, number, question, type, settings, status, "
            "created_by, created_at, description) VALUES (1, 1, 1, 'Lunch?', 'single', '{}', "
            "'open', 1, :now, '')"
        ),
        {"now": now},
    )
