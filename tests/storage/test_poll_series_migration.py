"""Migration 0018 on a database already in use: the polls already there stay as they were,
and then the database itself lets each occurrence of a series happen once, as one poll."""

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
RUN = "INSERT INTO pollseriesrun (series_id, occurrence_key, due_at, status, poll_id) VALUES "


@pytest.fixture(params=BACKENDS)
def at_0016(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database migrated as far as 0016, holding a collaborative with a poll."""
    for database in database_at(request.param, tmp_path, "0016"):
        with database.engine.begin() as connection:
            add_northshire(connection, NOW, ("Asha",))
            connection.execute(
                text(
                    "INSERT INTO poll (id, collaborative_id, number, question, type, settings, "
                    "status, created_by, created_at, description) VALUES (2, 1, 2, 'Tea?', "
                    "'single', '{}', 'open', 1, :now, '')"
                ),
                {"now": NOW},
            )
        yield database


def test_polls_stay_and_each_occurrence_is_one_poll(at_0016):
    migrate.upgrade(at_0016)
    with at_0016.engine.begin() as connection:
        rows = connection.execute(text("SELECT number, question FROM poll ORDER BY id")).all()
        assert [tuple(row) for row in rows] == [(1, "Lunch?"), (2, "Tea?")]
        connection.execute(
            text(
                "INSERT INTO pollseries (id, collaborative_id, number, definition, recurrence, "
                "rule, timezone, closes_after, status, next_run_at, created_by, created_at) "
                "VALUES (1, 1, 1, '{}', 'every monday 09:00', '{}', 'Europe/London', NULL, "
                "'active', :now, 1, :now)"
            ),
            {"now": NOW},
        )
        connection.execute(text(RUN + "(1, '2026-11-30T09:00', :now, 'posted', 1)"), {"now": NOW})
    for again in (
        "(1, '2026-11-30T09:00', :now, 'missed', NULL)",  # the same occurrence twice
        "(1, '2026-12-07T09:00', :now, 'posted', 1)",  # one poll for two occurrences
    ):
        with pytest.raises(IntegrityError), at_0016.engine.begin() as connection:
            connection.execute(text(RUN + again), {"now": NOW})
