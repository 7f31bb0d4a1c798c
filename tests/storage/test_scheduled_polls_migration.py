"""Migration 0017 on a database already in use: polls written before it stay open polls with
no opening time, and a scheduled poll can be stored beside them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import migrate
from storage.database import Database
from tests.storage.migrated import BACKENDS, add_northshire, database_at

NOW = "2026-11-26 09:00:00"


@pytest.fixture(params=BACKENDS)
def at_0016(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database migrated as far as 0016, holding an open poll."""
    for database in database_at(request.param, tmp_path, "0016"):
        with database.engine.begin() as connection:
            add_northshire(connection, NOW, ("Asha",))
        yield database


def test_polls_before_it_stay_open_and_a_scheduled_poll_can_be_stored(at_0016):
    migrate.upgrade(at_0016)
    with at_0016.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO poll (id, collaborative_id, number, question, type, settings, "
                 "status, created_by, created_at, description, opens_at, remind_after, "
                 "scheduled_from) VALUES (2, 1, 2, 'Later?', 'single', '{}', 'scheduled', 1, "
                 ":now, '', :opens, 7200, 'playground:demo:#north')"),
            {"now": NOW, "opens": "2026-11-27 09:00:00"},
        )  # fmt: skip
        rows = connection.execute(
            text("SELECT number, status, opens_at IS NULL, remind_after FROM poll ORDER BY number")
        ).all()
    assert [tuple(row) for row in rows] == [(1, "open", True, None), (2, "scheduled", False, 7200)]
