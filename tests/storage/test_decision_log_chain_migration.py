"""Migration 0023 on a log already written: every entry is numbered in the order it was
written, in its own collaborative's chain, and the chains verify."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from storage import ledger, migrate
from storage.database import Database
from tests.storage.migrated import BACKENDS, add_northshire, database_at

NOW = "2026-11-26 09:00:00"
# (id, collaborative, minute, summary): ids out of time order, two collaboratives mixed.
OLD_ENTRIES = [
    (1, 1, 5, "closed poll #1: Lunch?"),
    (2, 2, 1, "set up Westshire"),
    (3, 1, 0, "set up Northshire"),
    (4, 1, 9, "reopened poll #1: Lunch?"),
    (5, 2, 1, "added the organisation Riverside"),
]


@pytest.fixture(params=BACKENDS)
def at_0022(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    for database in database_at(request.param, tmp_path, "0022"):
        with database.engine.begin() as connection:
            add_northshire(connection, NOW, ("Asha",))
            connection.execute(
                text(
                    "INSERT INTO collaborative (id, name, timezone, require_organisation, "
                    "newcomer_role, created_at) VALUES (2, 'Westshire', 'Europe/London', false, "
                    "'member', :now)"
                ),
                {"now": NOW},
            )
            for entry_id, collaborative_id, minute, summary in OLD_ENTRIES:
                connection.execute(
                    text(
                        "INSERT INTO auditentry (id, collaborative_id, at, actor_name, action, "
                        "summary, details, detail) VALUES (:id, :c, :at, 'Asha', 'step', :s, '', "
                        """'{"poll": 1}')"""
                    ),
                    {"id": entry_id, "c": collaborative_id, "s": summary, "at": _at(minute)},
                )
        yield database


def _at(minute: int) -> str:
    return f"2026-11-26 09:{minute:02d}:00"


def test_existing_entries_are_chained_in_the_order_they_were_written(at_0022):
    migrate.upgrade(at_0022)
    with at_0022.engine.begin() as connection:
        rows = connection.execute(
            text("SELECT collaborative_id, seq, id FROM auditentry ORDER BY collaborative_id, seq")
        ).all()
        chained = [(1, 1, 3), (1, 2, 1), (1, 3, 4), (2, 1, 2), (2, 2, 5)]
        assert [tuple(row) for row in rows] == chained
        for collaborative_id in (1, 2):
            found = ledger.walk(connection, collaborative_id)
            assert (found.broken, found.redacted) == (None, [])


def test_after_the_migration_new_entries_follow_the_old_ones(at_0022):
    migrate.upgrade(at_0022)
    row = {
        "id": 10,  # the ids above were given, so PostgreSQL's sequence never moved
        "collaborative_id": 1,
        "at": datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
        "actor_member_id": 1,
        "actor_name": "Asha",
        "action": "poll.close",
        "summary": "closed poll #1: Lunch?",
        "details": "",
        "detail": {},
    }
    with at_0022.engine.begin() as connection:
        ledger.append(connection, [row])
        last = connection.execute(
            text("SELECT seq, prev_hash FROM auditentry ORDER BY id DESC")
        ).first()
        reopened = connection.execute(text("SELECT hash FROM auditentry WHERE id = 4")).scalar()
        assert tuple(last) == (4, reopened)
        assert ledger.walk(connection, 1).count == 4
