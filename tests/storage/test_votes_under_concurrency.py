"""Many clicks at once: the database, not luck, keeps every vote and never doubles one."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from dialogs.core.events import ActionInvoked
from storage.models import Ballot, Participation
from tests.support.conversation import (
    ASHA,
    NORTH,
    Conversation,
    all_at_once,
    counts,
    person,
    poll_buttons,
)


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.says(ASHA, NORTH, 'setup "Northshire"')
    conversation.says(ASHA, NORTH, 'poll "Which first?" "Discharge" "Beds" "Workforce"')
    yield conversation
    conversation.close()


def ballot_rows(database, **where) -> list[Ballot]:
    with database.session() as session:
        query = select(Ballot)
        for column, value in where.items():
            query = query.where(getattr(Ballot, column) == value)
        return list(session.exec(query).all())


def test_fifty_members_voting_at_once_make_exactly_fifty_ballots(chat, database):
    buttons = poll_buttons(chat.last_message(NORTH))
    voters = [person(f"m{i}", f"Member {i}") for i in range(50)]
    labels = list(buttons)
    clicks = [ActionInvoked(v, NORTH, buttons[labels[i % 3]]) for i, v in enumerate(voters)]
    replies = all_at_once(clicks, chat.engine)
    assert all("You voted" in r[0].card.blocks[0].text for r in replies)
    assert len(ballot_rows(database, latest=True)) == 50
    with database.session() as session:
        assert session.exec(select(func.count()).select_from(Participation)).one() == 50
    chat.deliver()
    assert counts(chat.last_message(NORTH)) == {"Discharge": 17, "Beds": 17, "Workforce": 16}


def test_one_member_clicking_twenty_times_at_once_keeps_one_latest_ballot(chat, database):
    buttons = poll_buttons(chat.last_message(NORTH))
    voter = person("eager", "Eager Voter")
    labels = list(buttons)
    clicks = [ActionInvoked(voter, NORTH, buttons[labels[i % 3]]) for i in range(20)]
    all_at_once(clicks, chat.engine)
    latest = ballot_rows(database, latest=True)
    assert len(latest) == 1
    history = ballot_rows(database)
    assert len(history) >= 3, "every change of mind is kept as history"
    assert sum(1 for b in history if not b.latest) == len(history) - 1
    chat.deliver()
    assert sum(counts(chat.last_message(NORTH)).values()) == 1
