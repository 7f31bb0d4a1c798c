"""Reminders lead somewhere (D-21): a reminder carries the poll's own buttons and a
per-poll stop, and coordinators remind those who haven't voted, at most once an hour."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dialogs.core.cards import Card
from dialogs.ticker import Ticker
from storage.models import PollReminderMute
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    buttons,
    channel,
    counts,
    text_of,
)

CARYS_DM = channel("dm-carys")  # a private chat with Concord: no collaborative is linked there


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    for person in (BEN, CARYS, DEE):
        conversation.says(person, NORTH, "help")  # each becomes a member by acting
    yield conversation
    conversation.close()


def reminders_to(chat, person) -> list[Card]:
    return [card for actor, card in chat.platform.private if actor.user_id == person.user_id]


def test_the_reminder_carries_the_polls_buttons_and_a_vote_there_counts(chat, clock):
    chat.says(ASHA, NORTH, 'poll "Where do we meet?" "Leeds" "York" --closes in 2 days --remind 1h')
    clock.advance(hours=1)
    Ticker(chat.database, clock).tick()
    chat.deliver()
    (reminder,) = reminders_to(chat, CARYS)
    assert "You haven't voted yet in poll #1: Where do we meet?" in text_of(reminder)
    assert (
        "Vote here, or on the poll in your Northshire Provider Collaborative channels. "
        "It closes Sat 28 Nov 2026 09:00 GMT." in text_of(reminder)
    )
    shown = buttons(reminder)
    assert list(shown) == [
        "Leeds",
        "York",
        "Stop reminding me about this poll",
        "Stop all reminders",
    ]
    assert "You voted “York” in poll #1" in chat.clicks(CARYS, CARYS_DM, shown["York"])
    assert counts(chat.last_message(SOUTH)) == {"Leeds": 0, "York": 1}


def test_a_consent_reminder_offers_every_stance_and_a_stance_there_counts(chat, clock):
    chat.says(ASHA, NORTH, 'poll "Adopt the plan?" --type consent')
    chat.says(ASHA, NORTH, "poll remind 1")
    chat.deliver()
    shown = buttons(reminders_to(chat, CARYS)[0])
    assert list(shown)[:4] == ["Agree", "Can live with it", "Object", "Block"]
    assert "You responded “Agree”" in chat.clicks(CARYS, CARYS_DM, shown["Agree"])
    chat.platform.private.clear()
    clock.advance(hours=1)
    chat.says(ASHA, NORTH, "poll remind 1")
    chat.deliver()
    assert reminders_to(chat, CARYS) == [], "Carys has answered"


def test_stopping_one_polls_reminders_leaves_the_others(chat, clock):
    chat.says(ASHA, NORTH, 'poll "First?" "A" "B"')
    chat.says(ASHA, NORTH, 'poll "Second?" "A" "B"')
    chat.says(ASHA, NORTH, "poll remind 1")
    chat.deliver()
    stop = buttons(reminders_to(chat, CARYS)[0])["Stop reminding me about this poll"]
    stopped = chat.clicks(CARYS, CARYS_DM, stop)
    assert "You won't get more reminders about poll #1: First?" in stopped
    assert "Reminders about other polls still come." in stopped
    chat.platform.private.clear()
    clock.advance(hours=1)
    assert "Reminded 3 people" in chat.says(ASHA, NORTH, "poll remind 1"), "not Carys"
    chat.deliver()
    assert reminders_to(chat, CARYS) == []
    chat.says(ASHA, NORTH, "poll remind 2")
    chat.deliver()
    assert "poll #2: Second?" in text_of(reminders_to(chat, CARYS)[0])


def test_only_those_who_have_not_voted_are_reminded_and_not_again_within_the_hour(chat, clock):
    chat.says(ASHA, NORTH, "role observer @Dee Sharma")
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B"')
    chat.clicks(BEN, NORTH, buttons(chat.last_message(NORTH))["A"])
    done = chat.says(ASHA, NORTH, "poll remind 1")
    assert "Reminded 2 people who haven't voted in poll #1, privately." in done
    assert "You can remind them again from Thu 26 Nov 2026 10:00 GMT." in done
    chat.deliver()
    assert {actor.user_id for actor, _ in chat.platform.private} == {"asha", "carys"}
    clock.advance(minutes=59)
    refused = chat.says(ASHA, NORTH, "poll remind 1")
    assert "were reminded Thu 26 Nov 2026 09:00 GMT" in refused
    assert "You can remind them again from Thu 26 Nov 2026 10:00 GMT." in refused
    chat.deliver()
    assert len(chat.platform.private) == 2, "the refusal reminded nobody"
    clock.advance(minutes=1)
    assert "Reminded 2 people" in chat.says(ASHA, NORTH, "poll remind 1")


def test_the_coordinator_learns_how_many_were_reminded_in_an_anonymous_poll_never_who(chat):
    chat.says(ASHA, NORTH, 'poll "Secret?" "A" "B" --anonymous')
    chat.clicks(BEN, NORTH, buttons(chat.last_message(NORTH))["A"])
    done = chat.says(ASHA, NORTH, "poll remind 1")
    assert "Reminded 3 people who haven't voted in poll #1, privately." in done
    for name in ("Ben", "Carys", "Dee", "Asha"):
        assert name not in done


def test_nobody_left_to_remind_is_said_and_does_not_use_up_the_hour(chat):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B"')
    for person in (ASHA, BEN, CARYS, DEE):
        chat.clicks(person, NORTH, buttons(chat.last_message(NORTH))["A"])
    assert "Nobody to remind in poll #1: everyone who may vote has voted" in chat.says(
        ASHA, NORTH, "poll remind 1"
    )
    assert "Nobody to remind" in chat.says(ASHA, NORTH, "poll remind 1")


def test_members_cannot_remind_and_closed_polls_are_not_reminded(chat):
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B"')
    refused = chat.says(BEN, NORTH, "poll remind 1")
    assert "Only a coordinator can remind those who haven't voted" in refused
    chat.says(ASHA, NORTH, "poll close 1")
    assert "Poll #1 is closed, so nobody needs reminding." in chat.says(
        ASHA, NORTH, "poll remind 1"
    )
    assert "There is no poll #9 here." in chat.says(ASHA, NORTH, "poll remind 9")
    chat.deliver()
    assert chat.platform.private == []


def test_a_stop_button_naming_another_collaboratives_poll_changes_nothing(chat, database):
    elsewhere = channel("elsewhere")
    chat.says(CARYS, elsewhere, 'setup "Another collaborative"')
    chat.says(CARYS, elsewhere, 'poll "Theirs?" "A" "B"')
    chat.says(ASHA, NORTH, 'poll "Ours?" "A" "B"')
    refused = chat.clicks(BEN, NORTH, "mute-poll:1")
    assert "That poll isn't part of this channel's collaborative." in refused
    assert "isn't part of a collaborative" in chat.clicks(BEN, CARYS_DM, "mute-poll:1")
    with database.session() as session:
        assert session.exec(select(PollReminderMute)).all() == []
    chat.says(ASHA, NORTH, "poll remind 1")
    chat.deliver()
    assert "poll #1: Ours?" in text_of(reminders_to(chat, BEN)[0])
