"""Migration 0024 on a database already in use: anonymous ballots cast before it have no
receipt (nobody was shown one) and are exported under their ids as before, and from then
on the database keeps every receipt unique."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from dialogs.polls import ballot_csv
from dialogs.polls.results import export_csv
from storage import migrate
from storage.database import Database
from storage.models import Ballot, Poll
from tests.storage.migrated import BACKENDS, add_northshire, database_at

NOW = "2026-12-06 09:00:00"
EARLIER = {"a" * 32: "[0]", "b" * 32: "[1]", "c" * 32: "[0]"}


@pytest.fixture(params=BACKENDS)
def at_0023(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database migrated as far as 0023, holding an anonymous poll with three ballots."""
    for database in database_at(request.param, tmp_path, "0023"):
        with database.engine.begin() as connection:
            add_northshire(connection, NOW, ("Asha",))
            connection.execute(text("""UPDATE poll SET settings = '{"anonymous": "yes"}'"""))
            for position, label in enumerate(("Yes", "No")):
                connection.execute(
                    text("INSERT INTO polloption (poll_id, position, label) VALUES (1, :p, :l)"),
                    {"p": position, "l": label},
                )
            for ballot_id, choices in EARLIER.items():
                connection.execute(
                    text(
                        "INSERT INTO ballot (id, poll_id, choices, latest) "
                        "VALUES (:id, 1, :choices, true)"
                    ),
                    {"id": ballot_id, "choices": choices},
                )
        yield database


def test_ballots_cast_before_have_no_receipt_and_are_exported_under_their_ids(at_0023):
    migrate.upgrade(at_0023)
    with at_0023.session() as session:
        assert {b.id: b.receipt for b in session.exec(select(Ballot))} == dict.fromkeys(EARLIER)
        exported, count = export_csv(session, session.exec(select(Poll)).one())
    assert count == 3
    read = ballot_csv.read(exported)
    assert sorted(read.ballots) == [[0], [0], [1]]
    assert all(ballot_id in exported for ballot_id in EARLIER)


def test_from_then_on_the_database_keeps_each_receipt_unique(at_0023):
    migrate.upgrade(at_0023)
    with pytest.raises(IntegrityError), at_0023.session() as session:
        for _ in range(2):
            session.add(Ballot(poll_id=1, choices=[0], receipt="K7QM-4XPR-9DHT"))
            session.flush()
