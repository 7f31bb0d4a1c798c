"""`concord backup` copies a running database at one instant; `concord restore` puts it
back onto an empty database only, and never a schema newer than the code."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import text
from sqlmodel import select

from dialogs.core.events import ActionInvoked
from storage.backup import BackupError, backup, restore
from storage.database import Database
from storage.models import Ballot, Member, Participation
from tests.storage.backups import HEAD, migrated
from tests.support.conversation import ASHA, NORTH, Conversation, person, poll_buttons


class Voters:
    """A thread that keeps casting votes through the engine, each a new member's, and
    records each one once its transaction has committed."""

    def __init__(self, chat: Conversation, button: str) -> None:
        self.chat = chat
        self.button = button
        self.committed: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._vote)

    def _vote(self) -> None:
        while not self.stop.is_set():
            self.vote(f"Voter {len(self.committed)}")

    def vote(self, name: str) -> None:
        voter = person(name.lower().replace(" ", "-"), name)
        self.chat.engine.handle(ActionInvoked(voter, NORTH, self.button))
        self.committed.append(name)

    def wait_for(self, count: int) -> None:
        while len(self.committed) < count and self.thread.is_alive():
            self.stop.wait(0.01)  # another thread's progress, not time, is awaited


def voters_in(database: Database) -> tuple[list[str], int]:
    """Whose latest ballots the database holds, and how many participation rows."""
    with database.session() as session:
        names = session.exec(
            select(Member.display_name).join(Ballot, Ballot.member_id == Member.id)  # type: ignore[arg-type]
        ).all()
        participations = len(session.exec(select(Participation.id)).all())
    return sorted(names), participations


def test_a_backup_under_write_load_holds_every_vote_committed_before_it(
    new_database, tmp_path, clock
):
    source = migrated(new_database())
    chat = Conversation(source, clock)
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    chat.says(ASHA, NORTH, 'poll "Which first?" "Discharge" "Beds"')
    voters = Voters(chat, next(iter(poll_buttons(chat.last_message(NORTH)).values())))
    voters.thread.start()
    try:
        voters.wait_for(20)
        before = list(voters.committed)
        backup(source.url, tmp_path / "concord.backup")
        during = len(voters.committed)
        voters.wait_for(during + 5)
    finally:
        voters.stop.set()
        voters.thread.join()
        chat.close()
        source.dispose()
    assert len(voters.committed) > during, "the votes went on after the backup"
    target = new_database()
    restored = restore(target, tmp_path / "concord.backup")
    database = Database(target)
    names, participations = voters_in(database)
    assert set(before) <= set(names), "every vote committed before the backup is in it"
    assert len(names) <= during
    assert participations == len(names), "no vote is half there: ballot and participation"
    assert restored.rows > len(names)
    chat = Conversation(database, clock)
    Voters(chat, voters.button).vote("After Restore")  # the restored database takes new rows
    assert voters_in(database) == (sorted([*names, "After Restore"]), len(names) + 1)
    chat.close()
    database.dispose()


def test_a_restore_refuses_a_database_that_holds_rows_and_changes_nothing(
    new_database, tmp_path, clock
):
    source = migrated(new_database())
    source.dispose()
    backup(source.url, tmp_path / "concord.backup")
    target = migrated(new_database())
    chat = Conversation(target, clock)
    chat.says(ASHA, NORTH, 'setup "Southshire"')
    chat.close()
    with pytest.raises(BackupError) as refused:
        restore(target.url, tmp_path / "concord.backup")
    assert str(refused.value) == (
        "the database at DATABASE_URL is not empty (rows in auditentry, channel, collaborative, "
        "identity, member): restore only onto an empty database"
    )
    with target.session() as session:
        assert session.exec(text("SELECT name FROM collaborative")).all() == [("Southshire",)]
    target.dispose()


def test_a_backup_of_a_newer_schema_is_refused_with_both_versions(new_database, tmp_path):
    source = migrated(new_database())
    with source.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    source.dispose()
    backup(source.url, tmp_path / "concord.backup")
    target = new_database()
    with pytest.raises(BackupError) as refused:
        restore(target, tmp_path / "concord.backup")
    assert str(refused.value) == (
        f"the backup is at revision 0999, this Concord knows up to {HEAD}: upgrade Concord first"
    )


def test_an_older_backup_is_restored_onto_a_prepared_database_then_upgraded(new_database, tmp_path):
    """The target was prepared by `concord db upgrade` (its tables are empty): the backup's
    tables take their place, and the schema is brought up to date afterwards."""
    source = migrated(new_database(), "0021")
    with source.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO collaborative (name, timezone, require_organisation, created_at) "
                "VALUES ('Old', 'Europe/London', false, '2026-01-01')"
            )
        )
    source.dispose()
    assert backup(source.url, tmp_path / "old.backup") == "0021"
    database = migrated(new_database())
    restored = restore(database.url, tmp_path / "old.backup")
    assert (restored.revision, restored.upgraded_to) == ("0021", HEAD)
    with database.session() as session:
        kept = session.exec(text("SELECT name, retention_free_text_months FROM collaborative"))
        assert kept.all() == [("Old", 24)]
    database.dispose()


def test_a_backup_is_never_written_over_a_file(tmp_path):
    existing = tmp_path / "keep.db"
    existing.write_bytes(b"precious")
    with pytest.raises(BackupError) as refused:
        backup(f"sqlite:///{tmp_path / 'concord.db'}", existing)
    assert str(refused.value) == f"{existing} already exists: a backup is never written over a file"
    assert existing.read_bytes() == b"precious"


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    other = tmp_path / "notes.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    (tmp_path / "notes.txt").write_text("hello")
    url = f"sqlite:///{tmp_path / 'concord.db'}"
    for file in (other, tmp_path / "notes.txt"):
        with pytest.raises(BackupError, match="is not a Concord backup"):
            restore(url, file)


def test_a_backup_is_not_restored_onto_itself(tmp_path):
    source = migrated(f"sqlite:///{tmp_path / 'concord.db'}")
    source.dispose()
    backup(source.url, tmp_path / "concord.backup")
    with pytest.raises(BackupError) as refused:
        restore(f"sqlite:///{tmp_path / 'concord.backup'}", tmp_path / "concord.backup")
    assert str(refused.value) == (
        f"{tmp_path / 'concord.backup'} is the database DATABASE_URL names: restore into a new one"
    )
