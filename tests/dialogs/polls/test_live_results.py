"""A poll's live message is tallied again only when its ballots (or what they are counted
against) changed, and then always: `results.shown_result`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing

import pytest
from sqlalchemy import event

from tests.dialogs.polls.test_engine_polls import LUNCH
from tests.support import conversation as people
from tests.support.conversation import Conversation, counts, poll_buttons


@pytest.fixture
def chat(database, clock) -> Iterator[Conversation]:
    with closing(Conversation(database, clock)) as conversation:
        conversation.set_up_two_channels()
        yield conversation


@pytest.fixture
def ballot_reads(database) -> Iterator[list[str]]:
    """Every statement that reads ballots' contents (what a tally decodes), as it is run."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if "ballot.choices" in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", record)
    yield seen
    event.remove(database.engine, "before_cursor_execute", record)


def first_poll(chat: Conversation) -> dict[str, str]:
    """Asha's poll in the North channel: its buttons by option."""
    chat.says(people.ASHA, people.NORTH, LUNCH)
    return poll_buttons(chat.last_message(people.NORTH))


def poll_counts(chat: Conversation) -> dict[str, int]:
    card = chat.engine.render_message("poll:1")
    assert card is not None
    return counts(card)


def test_every_new_and_changed_vote_shows_in_the_next_rendering(chat):
    buttons = first_poll(chat)
    chat.clicks(people.BEN, people.NORTH, buttons["Discharge delays"])
    assert poll_counts(chat) == {"Discharge delays": 1, "Mental health beds": 0, "Workforce": 0}

    chat.clicks(people.CARYS, people.SOUTH, buttons["Workforce"])
    assert poll_counts(chat) == {"Discharge delays": 1, "Mental health beds": 0, "Workforce": 1}

    chat.clicks(people.BEN, people.NORTH, buttons["Mental health beds"])  # Ben changes his mind
    assert poll_counts(chat) == {"Discharge delays": 0, "Mental health beds": 1, "Workforce": 1}


def test_an_unchanged_poll_is_not_tallied_again(chat, ballot_reads):
    buttons = first_poll(chat)
    chat.clicks(people.BEN, people.NORTH, buttons["Workforce"])
    chat.clicks(people.DEE, people.SOUTH, buttons["Workforce"])
    first = poll_counts(chat)
    tallied = len(ballot_reads)

    assert (
        poll_counts(chat)
        == first
        == {
            "Discharge delays": 0,
            "Mental health beds": 0,
            "Workforce": 2,
        }
    )
    assert len(ballot_reads) == tallied  # the second rendering decoded no ballot

    chat.clicks(people.CARYS, people.SOUTH, buttons["Discharge delays"])
    assert poll_counts(chat)["Discharge delays"] == 1
    assert len(ballot_reads) > tallied
