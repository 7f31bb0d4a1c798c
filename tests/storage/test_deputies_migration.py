"""Migration 0015 on a database already in use: every ballot, its history among them, stays
as it was and was cast by its member; then the database itself keeps one current deputy per
member and nobody deputy for two."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage import migrate
from storage.database import Database
from tests.storage.migrated import BACKENDS, add_northshire, database_at

NOW = "2026-11-26 09:00:00"


@pytest.fixture(params=BACKENDS)
def at_0013(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database migrated as far as 0013, holding a poll with a ballot and its history."""
    for database in database_at(request.param, tmp_path, "0013"):
        with database.engine.begin() as connection:
            add_northshire(connection, NOW, ("Ben", "Carys", "Erin"))
            connection.execute(
                text(
                    "INSERT INTO ballot (id, poll_id, member_id, choices, latest, cast_at) VALUES "
                    "('old', 1, 1, '[0]', false, :now), ('new', 1, 1, '[1]', true, :now)"
                ),
                {"now": NOW},
            )
        yield database


def test_ballots_keep_their_history_and_were_cast_by_their_members(at_0013):
    migrate.upgrade(at_0013)
    with at_0013.engine.begin() as connection:
        rows = connection.execute(text("SELECT id, latest, cast_by FROM ballot ORDER BY id")).all()
        assert [tuple(row) for row in rows] == [("new", True, None), ("old", False, None)]
    with pytest.raises(IntegrityError), at_0013.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO ballot (id, poll_id, member_id, choices, latest) "
                 "VALUES ('twice', 1, 1, '[0]', true)")
        )  # fmt: skip


@pytest.mark.parametrize(
    "second",
    [
        "(1, 1, 3, :until, 'offered', true, :now)",  # a second deputy for member 1
        "(1, 3, 2, :until, 'offered', true, :now)",  # Carys deputy for a second member
    ],
)
def test_the_database_keeps_one_current_deputy_each_way(at_0013, second):
    migrate.upgrade(at_0013)
    insert = (
        "INSERT INTO deputy (collaborative_id, member_id, deputy_id, until, status, current, "
        "created_at) VALUES "
    )
    values = {"until": "2026-12-01 09:00:00", "now": NOW}
    with at_0013.engine.begin() as connection:
        connection.execute(text(insert + "(1, 1, 2, :until, 'ended', false, :now)"), values)
        connection.execute(text(insert + "(1, 1, 2, :until, 'active', true, :now)"), values)
    with pytest.raises(IntegrityError), at_0013.engine.begin() as connection:
        connection.execute(text(insert + second), values)
