"""Migration 0019 on a database already in use: its collaboratives and polls stay as they
were, and then the database itself keeps one template of a name in each collaborative
(another collaborative may use the same name)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage import migrate
from storage.database import Database
from tests.storage.migrated import BACKENDS, add_northshire, database_at

NOW = "2026-12-06 09:00:00"
INSERT = (
    'INSERT INTO polltemplate (collaborative_id, name, name_key, "values", saved_from, '
    "created_at) VALUES (:collaborative, 'Lunch', 'lunch', '{\"type\": \"single\"}', 1, :now)"
)


@pytest.fixture(params=BACKENDS)
def at_0016(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database migrated as far as 0016, holding two collaboratives and a poll."""
    for database in database_at(request.param, tmp_path, "0016"):
        with database.engine.begin() as connection:
            add_northshire(connection, NOW, ("Asha",))
            for statement in (
                "INSERT INTO collaborative (id, name, timezone, require_organisation, "
                "newcomer_role, created_at) VALUES (2, 'Eastshire', 'Europe/London', false, "
                "'member', :now)",
                "UPDATE poll SET settings = '{\"anonymous\": true}' WHERE id = 1",
            ):
                connection.execute(text(statement), {"now": NOW})
        yield database


def test_polls_stay_as_they_were_and_a_name_is_one_template_in_each_collaborative(at_0016):
    migrate.upgrade(at_0016)
    with at_0016.engine.begin() as connection:
        row = connection.execute(text("SELECT question, settings FROM poll")).one()
        assert row[0] == "Lunch?" and "anonymous" in str(row[1])
        for collaborative in (1, 2):
            connection.execute(text(INSERT), {"collaborative": collaborative, "now": NOW})
    with pytest.raises(IntegrityError), at_0016.engine.begin() as connection:
        connection.execute(text(INSERT), {"collaborative": 1, "now": NOW})
