"""The decision log reads in the collaborative's language, whoever acts: in English for an
English collaborative even when a Welsh speaker acts, and in Welsh and English when the
collaborative posts in both. Entries written before keep their words, and the chain holds.

Conversations at the engine: Asha set up Northshire in English; her platform reports Welsh
(`ASHA_CY`), so Concord answers her in Welsh.
"""

from __future__ import annotations

import csv
import io

from sqlmodel import select

from bot.verify_log import check_chains
from storage.models import AuditEntry
from tests.i18n.conftest import ASHA_CY
from tests.support.conversation import NORTH, Conversation

POLL = 'poll "Where do we meet?" "Leeds" "York"'


def _summaries(database) -> list[str]:
    with database.session() as session:
        entries = session.exec(select(AuditEntry).order_by(AuditEntry.seq)).all()
        return [entry.summary for entry in entries]


def _chain_holds(database, capsys) -> bool:
    with database.engine.connect() as connection, connection.begin():
        code = check_chains(connection, None)
    return code == 0 and "the chain is intact" in capsys.readouterr().out


def test_a_welsh_speaker_in_an_english_collaborative_writes_english_entries(
    chat: Conversation, database, capsys
):
    assert "Mae pôl #1 ar agor" in chat.says(ASHA_CY, NORTH, POLL)  # Asha reads Welsh
    chat.says(ASHA_CY, NORTH, "poll close 1")
    assert _summaries(database)[-2:] == [
        "opened poll #1: Where do we meet?",
        "closed poll #1: Where do we meet?",
    ]
    shown = chat.says(ASHA_CY, NORTH, "decisions")
    assert "Asha Patel closed poll #1: Where do we meet?" in shown
    assert _chain_holds(database, capsys)


def test_a_collaborative_that_posts_in_both_writes_entries_in_both(
    chat: Conversation, database, capsys
):
    chat.says(ASHA_CY, NORTH, "language default cy")
    chat.says(ASHA_CY, NORTH, "language shared both")
    chat.says(ASHA_CY, NORTH, POLL)
    chat.says(ASHA_CY, NORTH, "poll close 1")
    both = [
        "wedi agor pôl #1: Where do we meet? / opened poll #1: Where do we meet?",
        "wedi cau pôl #1: Where do we meet? / closed poll #1: Where do we meet?",
    ]
    assert _summaries(database)[-2:] == both
    shown = chat.says(ASHA_CY, NORTH, "decisions --all")
    assert f"Asha Patel {both[0]}" in shown
    __, file = chat.exports(ASHA_CY, NORTH, "decisions --export csv")
    rows = list(csv.DictReader(io.StringIO(file.content.decode())))
    assert [row["summary"] for row in rows][-2:] == both
    assert _chain_holds(database, capsys)


def test_entries_already_written_keep_their_words_when_the_language_changes(
    chat: Conversation, database, capsys
):
    chat.says(ASHA_CY, NORTH, POLL)
    chat.says(ASHA_CY, NORTH, "language default cy")
    chat.says(ASHA_CY, NORTH, "poll close 1")
    summaries = _summaries(database)
    assert "opened poll #1: Where do we meet?" in summaries
    assert "gosod iaith y negeseuon a rennir: Cymraeg (cyn hyn: Saesneg)" in summaries
    assert summaries[-1] == "wedi cau pôl #1: Where do we meet?"
    assert _chain_holds(database, capsys)
