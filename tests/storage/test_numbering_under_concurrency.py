"""Many `poll` commands at once in one collaborative: each takes the next number, none fails."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dialogs.core.events import CommandIssued
from dialogs.core.ports import Limits
from storage.models import CheckinSchedule, Poll
from tests.support.conversation import ASHA, NORTH, Conversation, all_at_once, text_of


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.says(ASHA, NORTH, 'setup "Northshire"')
    yield conversation
    conversation.close()


def polls_started_at_once(chat: Conversation, count: int) -> list[str]:
    commands = [
        CommandIssued(ASHA, NORTH, f'poll "Question {i}?" "Yes" "No"') for i in range(count)
    ]
    replies = all_at_once(commands, chat.engine)
    return [text_of(reply[0].card) for reply in replies]


def numbers(database, model=Poll) -> list[int]:
    with database.session() as session:
        return sorted(session.exec(select(model.number)).all())


@pytest.mark.postgres
@pytest.mark.parametrize("database", ["postgresql"], indirect=True)  # SQLite: the test below
def test_two_hundred_polls_started_at_once_on_postgresql_are_numbered_1_to_200(database, clock):
    # An operator who expects this many raises the hourly limits (CONCORD_POLLS_PER_…_HOUR).
    chat = Conversation(
        database, clock, Limits(polls_per_coordinator_hour=200, polls_per_collaborative_hour=200)
    )
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    shown = polls_started_at_once(chat, 200)
    chat.close()
    assert [s for s in shown if "is open" not in s] == []
    assert numbers(database) == list(range(1, 201))


def test_twenty_polls_started_at_once_are_numbered_1_to_20(chat, database):
    shown = polls_started_at_once(chat, 20)
    assert [s for s in shown if "is open" not in s] == []
    assert numbers(database) == list(range(1, 21))


def test_twenty_check_ins_added_at_once_are_numbered_1_to_20(chat, database):
    commands = [CommandIssued(ASHA, NORTH, 'checkin add "every monday 09:00"')] * 20
    replies = all_at_once(commands, chat.engine)
    assert all("went wrong" not in text_of(reply[0].card) for reply in replies)
    assert numbers(database, CheckinSchedule) == list(range(1, 21))


def test_polls_started_at_once_stop_at_the_hourly_limit(chat, database):
    shown = polls_started_at_once(chat, 26)
    refused = [s for s in shown if "the limit is 20 an hour for each coordinator" in s]
    assert len(refused) == 6
    assert numbers(database) == list(range(1, 21))
