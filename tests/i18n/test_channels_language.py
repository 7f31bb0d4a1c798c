"""What a coordinator does is told to every channel in the collaborative's language, not in
the coordinator's own: Asha reads English, Northshire's shared messages are Welsh
(`language default cy`), so the channel reads Welsh whoever acts.

Conversations at the engine: Asha set up Northshire in the North channel; Ben and Dee are
members.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.support import conversation as people
from tests.support.conversation import BEN, NORTH, Conversation, poll_buttons, text_of

# Their platforms report English, so Concord answers them in English.
ASHA = replace(people.ASHA, locale="en-GB")
DEE = replace(people.DEE, locale="en-GB")


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.says(ASHA, NORTH, 'setup "Northshire"')
    for someone in (BEN, DEE):
        conversation.says(someone, NORTH, "help")
    conversation.says(ASHA, NORTH, "language default cy")
    yield conversation
    conversation.close()


def test_a_reopened_poll_is_announced_in_welsh(chat):
    chat.says(ASHA, NORTH, 'poll "Where do we meet?" "Leeds" "York"')
    chat.says(ASHA, NORTH, "poll close 1")
    said = chat.says(ASHA, NORTH, "poll reopen 1")
    assert said.startswith("Poll #1 is open again"), "Asha is answered in her language"
    told = text_of(chat.last_message(NORTH))
    assert "Mae pôl #1 ar agor eto" in told
    assert "Ailagorwyd" in told and "gan Asha Patel" in told
    assert "Pleidleisiwch ar neges y pôl." in told
    assert "open again" not in told and "Reopened" not in told


def test_a_decision_is_posted_in_welsh(chat):
    chat.says(ASHA, NORTH, 'poll "Which first?" "A" "B" --mode delegated --decider @Dee Sharma')
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["A"])
    chat.says(ASHA, NORTH, "poll close 1")
    said = chat.says(DEE, NORTH, 'poll decide 1 "A it is"')
    assert said.startswith("Your decision on poll #1 is recorded")
    told = text_of(chat.last_message(NORTH))
    assert "Penderfyniad ar bôl #1" in told
    assert "Penderfynwyd gan Dee Sharma: “A it is”." in told
    assert "Decided by" not in told


@pytest.mark.parametrize(
    ("typed", "welsh", "english"),
    [
        ('poll edit 1 --question "Where shall we meet?"', "Golygwyd", "Edited"),
        ("poll delete 1", "ei ddileu gan Asha Patel", "was deleted by"),
    ],
)
def test_a_changed_poll_says_so_in_welsh(chat, typed, welsh, english):
    chat.says(ASHA, NORTH, 'poll "Where do we meet?" "Leeds" "York"')
    chat.says(ASHA, NORTH, typed)
    chat.deliver()
    poll = chat.messages(NORTH)[-1]
    assert welsh in text_of(poll)
    assert english not in text_of(poll)


def test_a_purpose_round_moved_on_is_told_in_welsh(chat):
    chat.says(ASHA, NORTH, "purpose start")
    for who, statement in [(BEN, "We cut waiting times."), (DEE, "Patients wait less.")]:
        chat.clicks(who, NORTH, "form:proposal:1")
        chat.clicks(who, NORTH, "submit:proposal:1", {"text": statement})
    said = chat.says(ASHA, NORTH, "purpose next")
    assert said.startswith("Purpose round #1 moved on."), "Asha reads English"
    told = "\n".join(text_of(card) for card in chat.messages(NORTH))
    assert "Mae'r cynigion ar gau: 2 ddatganiad gan 2 berson" in told
    assert "Nesaf: " in told
    assert "Proposals are closed" not in told


def test_a_purpose_round_asks_its_default_prompts_in_welsh(chat):
    chat.says(ASHA, NORTH, "purpose start")
    told = "\n".join(text_of(card) for card in chat.messages(NORTH))
    assert "Pwy ydyn ni'n eu gwasanaethu gyda'n gilydd" in told
    assert "Who do we serve together" not in told


def test_a_check_in_asks_its_questions_in_welsh(chat):
    said = chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
    assert "Check-in #1 scheduled" in said, "Asha reads English"
    assert "1. Pa mor hyderus ydych chi y bydd partneriaid yn cyflawni" in said, "as asked"
    assert "How confident" not in said
