"""Migration 0011 on a database already in use: which existing roles were chosen on purpose.

Before 0011, joining only ever gave "member", so every coordinator and observer was
made so on purpose, and so was a member the decision log records a coordinator making.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import migrate
from storage.database import Database
from tests.storage.migrated import BACKENDS, database_at

NOW = "2026-11-26 09:00:00"
PEOPLE = [  # id, name, role
    (1, "Asha", "coordinator"),
    (2, "Ben", "observer"),
    (3, "Cal", "member"),  # joined: a default
    (4, "Dee", "member"),  # a coordinator made her a member (the decision log says so)
]


@pytest.fixture(params=BACKENDS)
def at_0010(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database migrated only as far as 0010."""
    yield from database_at(request.param, tmp_path, "0010")


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
