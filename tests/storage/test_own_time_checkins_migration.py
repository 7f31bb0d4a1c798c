"""Migration 0021 on a database already in use: a check-in scheduled before it keeps posting
in the channels, and the database itself keeps one prompt per person per occurrence."""

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
def at_0016(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database migrated as far as 0016, holding a weekly check-in with one open run."""
    for database in database_at(request.param, tmp_path, "0016"):
        with database.engine.begin() as connection:
            add_northshire(connection, NOW, ("Ben",))
            for statement in (
                "INSERT INTO checkinschedule (id, collaborative_id, number, recurrence, rule, "
                "timezone, questions, window_seconds, skip_dates, status, next_run_at, "
                "created_by, created_at) VALUES (1, 1, 1, 'every monday 09:00', "
                """'{"kind": "cron", "day_of_week": "mon", "hour": 9, "minute": 0}', """
                "'Europe/London', '[]', 86400, '[]', 'active', :now, 1, :now)",
                "INSERT INTO checkinrun (id, schedule_id, occurrence_key, due_at, status) "
                "VALUES (1, 1, '2026-11-23T09:00', :now, 'open')",
            ):
                connection.execute(text(statement), {"now": NOW})
        yield database


def test_a_check_in_scheduled_before_keeps_posting_in_the_channels(at_0016):
    migrate.upgrade(at_0016)
    with at_0016.engine.begin() as connection:
        mode = connection.execute(text("SELECT each_in_own_timezone FROM checkinschedule"))
        assert [tuple(row) for row in mode] == [(False,)]
        prompts = connection.execute(text("SELECT count(*) FROM checkinprompt")).scalar()
        assert prompts == 0


def test_the_database_keeps_one_prompt_per_person_per_occurrence(at_0016):
    migrate.upgrade(at_0016)
    insert = text(
        "INSERT INTO checkinprompt (schedule_id, run_id, member_id, occurrence_key, zone, "
        "zone_source, due_at, status) VALUES (1, 1, 1, '2026-11-23T09:00', 'Europe/London', "
        "'collaborative', :now, 'pending')"
    )
    with at_0016.engine.begin() as connection:
        connection.execute(insert, {"now": NOW})
    with pytest.raises(IntegrityError), at_0016.engine.begin() as connection:
        connection.execute(insert, {"now": NOW})
