"""Turnout by organisation: every poll card says how many of each organisation's people
have voted (counts only, small groups hidden), and a coordinator can ask privately who
hasn't voted yet, to nudge their own organisation. Never for anonymous polls."""

from __future__ import annotations

import pytest

from dialogs.core.cards import Context
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    person,
    poll_buttons,
    text_of,
)

RIVERSIDE = [person(f"river{i}", f"River {i}") for i in range(4)]
NORTHSHIRE = [person(f"north{i}", f"North {i}") for i in range(3)]


@pytest.fixture
def chat(database, clock):
    """Riverside Trust (4 who may vote), Northshire Community (3, Asha among them), Tiny
    Trust (Ben alone), Carys and Dee with no organisation, and Dee an observer."""
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    for name in ("Riverside Trust", "Northshire Community", "Tiny Trust"):
        conversation.says(ASHA, NORTH, f'org add "{name}"')
    for people, name in ((RIVERSIDE, "Riverside Trust"), (NORTHSHIRE[1:], "Northshire Community")):
        for someone in people:
            conversation.says(someone, NORTH, f'org join "{name}"')
    conversation.says(ASHA, NORTH, 'org join "Northshire Community"')
    conversation.says(BEN, NORTH, 'org join "Tiny Trust"')
    for someone in (CARYS, DEE):
        conversation.says(someone, NORTH, "help")  # members by acting, with no organisation
    conversation.says(ASHA, NORTH, "role observer @Dee Sharma")
    yield conversation
    conversation.close()


def turnout(card) -> str:
    lines = [b.text for b in card.blocks if isinstance(b, Context) and "Turnout:" in b.text]
    assert len(lines) == 1, text_of(card)
    return lines[0]


def poll_card(chat):
    """The latest version of the poll's own message (not the result posted beside it)."""
    return [card for card in chat.messages(NORTH) if card.blocks[0].text.endswith("?")][-1]


def vote(chat, people, label, place=NORTH):
    for someone in people:
        chat.clicks(someone, place, poll_buttons(chat.last_message(place))[label])


def test_the_poll_card_counts_each_organisations_voters_of_those_who_may_vote(chat):
    chat.says(ASHA, NORTH, 'poll "Share the waiting list?" "Yes" "No"')
    assert turnout(chat.last_message(NORTH)) == (
        "Turnout: Northshire Community 0 of 3 · Riverside Trust 0 of 4 · "
        "Tiny Trust not shown (fewer than 3 members) · "
        "no organisation given not shown (fewer than 3 members)"
    )
    vote(chat, RIVERSIDE[:2], "Yes")
    vote(chat, [NORTHSHIRE[1], BEN, CARYS], "No", place=SOUTH)
    expected = (
        "Turnout: Northshire Community 1 of 3 · Riverside Trust 2 of 4 · "
        "Tiny Trust not shown (fewer than 3 members) · "
        "no organisation given not shown (fewer than 3 members)"
    )
    assert turnout(chat.last_message(NORTH)) == turnout(chat.last_message(SOUTH)) == expected
    chat.says(ASHA, NORTH, "poll close 1")
    closed = poll_card(chat)
    assert text_of(closed).count(" · closed") == 1
    assert turnout(closed) == expected  # the closed card keeps it


def test_people_without_an_organisation_are_counted_apart_and_observers_not_at_all(chat):
    chat.says(ASHA, NORTH, "role member @Dee Sharma")
    chat.says(person("eve", "Eve Lund"), NORTH, "help")
    chat.says(ASHA, NORTH, 'poll "Share the waiting list?" "Yes" "No"')
    vote(chat, [CARYS], "Yes")
    assert turnout(chat.last_message(NORTH)).endswith("no organisation given 1 of 3")
    chat.says(ASHA, NORTH, "role observer @Eve Lund")
    chat.says(ASHA, NORTH, "poll close 1")
    assert "no organisation given not shown" in turnout(poll_card(chat))


def test_an_anonymous_poll_never_gives_a_count_under_three_not_even_none(chat):
    chat.says(ASHA, NORTH, 'poll "Do we trust the data?" "Yes" "No" --anonymous')
    assert turnout(chat.last_message(NORTH)).startswith(
        "Turnout: Northshire Community fewer than 3 of 3 · Riverside Trust fewer than 3 of 4"
    )
    vote(chat, RIVERSIDE[:1], "Yes")
    card = chat.last_message(NORTH)
    assert "Riverside Trust fewer than 3 of 4" in turnout(card)  # unchanged: no one is dated
    vote(chat, RIVERSIDE[1:3], "No")
    assert "Riverside Trust 3 of 4" in turnout(chat.last_message(NORTH))
    assert "Tiny Trust not shown (fewer than 3 members)" in turnout(chat.last_message(NORTH))


def test_a_coordinator_sees_privately_who_hasnt_voted_their_own_organisation_first(chat):
    chat.says(ASHA, NORTH, 'poll "Share the waiting list?" "Yes" "No"')
    vote(chat, [RIVERSIDE[0], NORTHSHIRE[1]], "Yes")
    posted = len(chat.messages(NORTH)) + len(chat.messages(SOUTH))
    shown = chat.says(ASHA, SOUTH, "poll waiting 1")
    assert shown.splitlines() == [
        "Who hasn't voted yet in poll #1",
        "7 people · only you can see this list · `poll remind 1` reminds them all privately",
        "Northshire Community (2): Asha Patel, North 2",
        "Riverside Trust (3): River 1, River 2, River 3",
        "Tiny Trust (1): Ben Okafor",
        "No organisation given (1): Carys Jones",
    ]
    assert "Dee Sharma" not in shown  # an observer is not expected to vote
    assert len(chat.messages(NORTH)) + len(chat.messages(SOUTH)) == posted  # nothing posted


def test_when_everyone_has_voted_the_coordinator_is_told_so(chat):
    chat.says(ASHA, NORTH, 'poll "Share the waiting list?" "Yes" "No"')
    vote(chat, [*RIVERSIDE, *NORTHSHIRE[1:], ASHA, BEN, CARYS], "Yes")
    assert chat.says(ASHA, NORTH, "poll waiting 1") == (
        "Who hasn't voted yet in poll #1\nEveryone who may vote has voted."
    )


def test_only_a_coordinator_may_see_who_hasnt_voted(chat):
    chat.says(ASHA, NORTH, 'poll "Share the waiting list?" "Yes" "No"')
    shown = chat.says(RIVERSIDE[0], NORTH, "poll waiting 1")
    assert "Only a coordinator can see who hasn't voted yet; you are a member" in shown
    assert "River 1" not in shown
    assert "Only a coordinator" in chat.says(DEE, NORTH, "poll waiting 1")


def test_an_anonymous_poll_has_no_list_of_who_hasnt_voted(chat):
    chat.says(ASHA, NORTH, 'poll "Do we trust the data?" "Yes" "No" --anonymous')
    shown = chat.says(ASHA, NORTH, "poll waiting 1")
    assert "Poll #1 is anonymous: nobody, coordinators included, may see who has voted" in shown
    assert "`poll remind 1` reminds them privately without naming anyone." in shown
    assert "River 1" not in shown


def test_a_closed_or_missing_poll_has_nobody_waiting(chat):
    chat.says(ASHA, NORTH, 'poll "Share the waiting list?" "Yes" "No"')
    chat.says(ASHA, NORTH, "poll close 1")
    assert "Poll #1 is closed, so nobody is waiting to vote." in chat.says(
        ASHA, NORTH, "poll waiting 1"
    )
    assert "There is no poll #7 here." in chat.says(ASHA, NORTH, "poll waiting 7")
