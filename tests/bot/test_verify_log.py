"""`concord verify-log`: the decision log checked entry by entry, and a partner's exported
copy compared with it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlmodel import select

from bot.cli import main
from bot.verify_log import check_chains, compare
from dialogs.core import audit
from dialogs.core.events import ActionInvoked
from storage.models import AuditEntry, Collaborative
from tests.support.conversation import ASHA, BEN, NORTH, Conversation

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    conversation.says(ASHA, NORTH, 'poll "Which site first?" "North" "South"')
    conversation.engine.handle(ActionInvoked(BEN, NORTH, "vote:1:1", {}))
    conversation.says(ASHA, NORTH, "poll close 1")
    yield conversation
    conversation.close()


def verified(database, capsys, against=None) -> tuple[int, str]:
    """The exit code, and what was printed (on stdout, or stderr for a usage error)."""
    with database.engine.connect() as connection, connection.begin():
        code = compare(connection, against, None) if against else check_chains(connection, None)
    printed = capsys.readouterr()
    return code, printed.out + printed.err


def kept_copy(chat: Conversation, tmp_path) -> tuple[list[dict[str, str]], object]:
    """The log as a partner organisation downloads and keeps it."""
    _, file = chat.exports(ASHA, NORTH, "decisions --export csv")
    path = tmp_path / "decisions.csv"
    path.write_bytes(file.content)
    return list(csv.DictReader(io.StringIO(file.content.decode()))), path


def by_hand(database, statement: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(text(statement))


def test_an_intact_log_says_how_many_entries_it_holds(chat, database, capsys):
    code, said = verified(database, capsys)
    count = len(chat_entries(database))
    assert (code, said) == (
        0,
        f"Northshire Provider Collaborative (collaborative 1): {count} entries; the chain is "
        "intact.\n",
    )


def chat_entries(database) -> list[AuditEntry]:
    with database.session() as session:
        return list(session.exec(select(AuditEntry).order_by(AuditEntry.seq)).all())


def test_an_entry_edited_by_hand_is_named_with_its_time_and_headline(chat, database, capsys):
    closed = next(e for e in chat_entries(database) if e.action == "poll.close")
    by_hand(database, f"UPDATE auditentry SET details = 'South won' WHERE id = {closed.id}")
    code, said = verified(database, capsys)
    assert code == 1
    assert (
        f"BROKEN at entry no. {closed.seq} (id {closed.id}, 2026-11-26 09:00 UTC, "
        '"Asha Patel closed poll #1: Which site first?"): its content was changed after it '
        "was written." in said
    )


def test_the_export_carries_each_entry_s_place_and_hashes(chat, database, tmp_path):
    rows, _ = kept_copy(chat, tmp_path)
    held = chat_entries(database)
    assert [(r["entry"], r["hash"], r["previous hash"]) for r in rows] == [
        (str(e.seq), e.hash, e.prev_hash) for e in held
    ]
    _, file = chat.exports(ASHA, NORTH, "decisions --export md")
    assert f"| {held[-1].seq} | `{held[-1].hash}` | `{held[-1].prev_hash}` |  |" in (
        file.content.decode()
    )


def test_a_kept_copy_matches_until_the_latest_entry_is_deleted(chat, database, tmp_path, capsys):
    rows, path = kept_copy(chat, tmp_path)
    assert verified(database, capsys, path)[0] == 0
    by_hand(database, f"DELETE FROM auditentry WHERE seq = {rows[-1]['entry']}")
    assert verified(database, capsys)[0] == 0  # the chain alone cannot see its end cut off
    code, said = verified(database, capsys, path)
    number = rows[-1]["entry"]
    assert (code, said) == (
        1,
        f"Entry no. {number} of {path} is missing from the database: deleted.\n",
    )


def test_a_kept_copy_shows_a_chain_rewritten_since(chat, database, tmp_path, capsys):
    _, path = kept_copy(chat, tmp_path)
    by_hand(database, "UPDATE auditentry SET hash = prev_hash WHERE seq = 2")
    code, said = verified(database, capsys, path)
    assert (code, said) == (1, f"Entry no. 2 differs from {path}: changed since the export.\n")


def test_a_redacted_entry_is_intact_and_said_so_in_the_check_and_the_export(
    chat, database, tmp_path, capsys
):
    with database.session() as session:
        first = session.exec(select(AuditEntry).where(AuditEntry.seq == 1)).one()
        audit.redact(session, first, {"actor_name": "a former member"})
    code, said = verified(database, capsys)
    assert code == 0 and ", 1 redacted (no. 1); the chain is intact." in said
    rows, path = kept_copy(chat, tmp_path)
    assert (rows[0]["who"], rows[0]["redacted"]) == ("a former member", "actor_name")
    assert verified(database, capsys, path)[0] == 0


def test_the_command_checks_the_database_it_is_given(sqlite_database, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", sqlite_database.url)
    with sqlite_database.session() as session:
        session.add(Collaborative(name="Empty", timezone="Europe/London", created_at=NOW))
    assert main(["verify-log"]) == 0
    assert capsys.readouterr().out == "Empty (collaborative 1): no entries yet.\n"
    assert main(["verify-log", "--collaborative", "7"]) == 2
    assert capsys.readouterr().err == "concord: there is no collaborative 7\n"


def test_a_file_that_is_not_an_export_with_hashes_is_refused(sqlite_database, tmp_path, capsys):
    path = tmp_path / "ballots.csv"
    path.write_text("when,timezone,who,what,summary,details\n")
    code, said = verified(sqlite_database, capsys, path)
    assert (code, said) == (
        2,
        f"concord: {path}: not a decision log exported with hashes (`decisions --export csv`)\n",
    )
