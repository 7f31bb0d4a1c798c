"""Migration 0011 on a database already in use: which existing roles were chosen on purpose.

Before 0011, joining only ever gave "member", so every coordinator and observer was
made so on purpose, and so was a member the decision log records a coordinator making.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from storage import migrate
from storage.database import Database
from tests.conftest import POSTGRES_URL, _postgres_unavailable

NOW = "2026-11-26 09:00:00"
PEOPLE = [  # id, name, role
    (1, "Asha", "coordinator"),
    (2, "Ben", "observer"),
    (3, "Cal", "member"),  # joined: a default
    (4, "Dee", "member"),  # a coordinator made her a member (the decision log says so)
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def at_0010(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database migrated only as far as 0010."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'old.db'}")
        yield from _migrated_to_0010(database)
        return
    if reason := _postgres_unavailable():
        pytest.skip(reason)
    schema = f"concord_0011_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        database = Database(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
        yield from _migrated_to_0010(database)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _migrated_to_0010(database: Database) -> Iterator[Database]:
    with database.engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), "0010")
    yield database
    database.dispose()


def test_existing_coordinators_observers_and_members_made_so_count_as_chosen(at_0010):
    with at_0010.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO collaborative (id, name, timezone, require_organisation, "
                "created_at) VALUES (1, 'Northshire', 'Europe/London', false, :now)"
            ),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO member (id, collaborative_id, display_name, role, created_at) "
                "VALUES (:id, 1, :name, :role, :now)"
            ),
            [{"id": i, "name": name, "role": role, "now": NOW} for i, name, role in PEOPLE],
        )
        connection.execute(
            text(
                "INSERT INTO auditentry (collaborative_id, at, actor_member_id, actor_name, "
                "action, summary, detail) VALUES (1, :now, 1, 'Asha', 'role', "
                "'made Dee a member (was observer)', :detail)"
            ),
            {"now": NOW, "detail": json.dumps({"member_id": 4, "role": "member"})},
        )

    migrate.upgrade(at_0010)

    with at_0010.engine.connect() as connection:
        chosen = dict(
            connection.execute(text("SELECT display_name, role_chosen FROM member")).all()
        )
        newcomers = connection.execute(text("SELECT newcomer_role FROM collaborative")).scalar()
    assert chosen == {"Asha": True, "Ben": True, "Cal": False, "Dee": True}
    assert newcomers == "member"
