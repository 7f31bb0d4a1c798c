"""Nothing that can't be taken back happens in one click, and a voter is told what they chose.

Closing a poll is for coordinators: the shared poll message carries no Close button;
the coordinator's private notice does, and it asks first. An anonymous vote, which
can't be changed, asks before it is cast, and its confirmation names the choice.
"""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from dialogs.core.cards import Button, Confirm, Notify, OpenForm
from dialogs.core.events import ActionInvoked, CommandIssued
from storage.models import Outbox, Poll
from tests.dialogs.polls.test_vote_batches import one_at_a_time_and_together
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    button_elements,
    channel,
    poll_buttons,
    text_of,
)

EVERY_KIND = [
    'poll "Lunch?" "Soup" "Salad" --open-options',
    'poll "Pick two" "A" "B" "C" --type multi --max 2',
    'poll "Rank them" "A" "B" --type ranked',
    'poll "Adopt it?" --type consent',
    'poll "Secret?" "Yes" "No" --anonymous',
]
CLOSE_QUESTION = Confirm(
    title="Close poll #1 now?",
    text="Voting stops at once and the result is posted in every linked channel.",
    yes="Close it",
    no="Keep it open",
)


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


def opened(chat: Conversation, command: str) -> list[Button]:
    """The buttons of the private notice a coordinator gets on opening a poll."""
    effects = chat.engine.handle(CommandIssued(ASHA, NORTH, command))
    chat.deliver()
    (notice,) = [e.card for e in effects if isinstance(e, Notify)]
    assert text_of(notice).startswith("Poll #1 is open\nPosted in 2 channels.")
    return list(button_elements(notice))


def status(chat: Conversation) -> str:
    with chat.database.session() as session:
        return session.exec(select(Poll.status)).one()


@pytest.mark.parametrize("command", EVERY_KIND)
def test_no_poll_message_shows_members_a_close_button(chat, command):
    chat.says(ASHA, NORTH, command)

    for place in (NORTH, SOUTH):
        card = chat.last_message(place)
        shown = {b.label: b.action for b in button_elements(card)}
        assert shown, "people still get their vote buttons"
        assert not [label for label, action in shown.items() if action.startswith("close:")]
        assert "Close poll" not in shown


def test_the_coordinator_who_opens_a_poll_gets_a_close_button_that_asks_first(chat):
    (close,) = opened(chat, 'poll "Lunch?" "Soup" "Salad"')

    assert (close.label, close.style, close.confirm) == ("Close poll #1", "danger", CLOSE_QUESTION)
    assert "Poll #1 is closed" in chat.clicks(ASHA, NORTH, close.action)
    assert status(chat) == "closed"
    assert "Result of poll #1" in text_of(chat.last_message(SOUTH))


def test_the_close_button_works_from_the_coordinators_private_chat(chat):
    (close,) = opened(chat, 'poll "Lunch?" "Soup" "Salad"')

    assert "Poll #1 is closed" in chat.clicks(ASHA, channel("asha-and-concord"), close.action)
    assert status(chat) == "closed"


def test_a_member_or_an_outsider_who_sends_the_close_action_is_refused_and_nothing_changes(chat):
    (close,) = opened(chat, 'poll "Lunch?" "Soup" "Salad"')
    chat.says(BEN, NORTH, "poll list")  # Ben is a member
    posted = len(chat.messages(NORTH))

    member = chat.clicks(BEN, channel("ben-and-concord"), close.action)
    outsider = chat.clicks(CARYS, channel("carys-and-concord"), close.action)

    assert "Only a coordinator can close a poll; you are a member" in member
    assert "isn't part of a collaborative" in outsider
    assert status(chat) == "open"
    assert len(chat.messages(NORTH)) == posted, "no result was posted"


def test_an_anonymous_polls_vote_buttons_ask_first_saying_the_vote_cant_be_changed(chat):
    chat.says(ASHA, NORTH, 'poll "Secret?" "Yes" "No" --anonymous')

    asked = {b.label: b.confirm for b in button_elements(chat.last_message(SOUTH))}
    assert asked == {
        label: Confirm(
            title=f"Vote “{label}”?",
            text="Poll #1 is anonymous: once cast, your vote can't be changed, "
            "because nothing links it back to you.",
            yes="Cast my vote",
            no="Not yet",
        )
        for label in ("Yes", "No")
    }


def test_an_anonymous_multiple_choice_says_the_vote_cant_be_added_to_either(chat):
    chat.says(ASHA, NORTH, 'poll "Pick two" "A" "B" "C" --type multi --max 2 --anonymous')

    asked = [b.confirm for b in button_elements(chat.last_message(NORTH))]
    assert [a.text for a in asked if a] == [
        "Poll #1 is anonymous: once cast, your vote can't be changed or added to, "
        "because nothing links it back to you."
    ] * 3


def test_an_anonymous_consent_asks_before_agreeing_and_the_reason_form_is_its_own_step(chat):
    chat.says(ASHA, NORTH, 'poll "Adopt it?" --type consent --anonymous')

    asked = {b.label: b.confirm for b in button_elements(chat.last_message(NORTH))}
    assert asked["Agree"] and asked["Agree"].title == "Respond “Agree”?"
    assert asked["Can live with it"] and asked["Can live with it"].yes == "Cast my vote"
    assert (asked["Object"], asked["Block"]) == (None, None)


def test_votes_that_can_be_changed_are_cast_in_one_click(chat):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    chat.says(ASHA, NORTH, 'poll "Agree?" --type consent')

    for card in chat.messages(NORTH)[-2:]:
        asked = [b.confirm for b in button_elements(card)]
        assert asked and asked == [None] * len(asked)


def test_an_anonymous_vote_is_confirmed_naming_the_choice_only_to_the_voter(chat, database):
    chat.says(ASHA, NORTH, 'poll "Secret?" "Yes" "No" --anonymous')
    vote = poll_buttons(chat.last_message(NORTH))["No"]

    assert chat.clicks(BEN, NORTH, vote).startswith(
        "Your anonymous vote in poll #1 is recorded — you voted “No”. "
        "Nobody else can see what you chose, and it can't be changed.\n"
    )
    with database.session() as session:
        stored = [json.dumps(row.effect) for row in session.exec(select(Outbox))]
    assert not [effect for effect in stored if "you voted" in effect.lower()]


def test_an_anonymous_ranked_ballot_is_confirmed_with_the_ranking(chat):
    chat.says(ASHA, NORTH, 'poll "Rank them" "A" "B" "C" --type ranked --anonymous')
    (rank,) = button_elements(chat.last_message(NORTH))
    effects = chat.engine.handle(ActionInvoked(BEN, NORTH, rank.action, {}))
    (form,) = [e.form for e in effects if isinstance(e, OpenForm)]

    assert form.submit_label == "Cast my final vote"
    told = chat.clicks(BEN, NORTH, form.action, {"rank0": "2", "rank1": "0"})

    assert told.startswith(
        "Your anonymous vote in poll #1 is recorded — you ranked “C” 1st, “A” 2nd. "
        "Nobody else can see what you chose, and it can't be changed.\n"
    )


def test_a_batch_of_anonymous_clicks_is_confirmed_exactly_as_one_click(database, clock):
    talk = Conversation(database, clock)
    talk.says(ASHA, NORTH, 'setup "Northshire"')
    try:
        told = one_at_a_time_and_together(talk, [(BEN, 1), (CARYS, 2)], "--anonymous")
    finally:
        talk.close()

    assert [words.split("\n")[0] for words in told] == [
        "Your anonymous vote in poll #N is recorded — you voted “Salad”. "
        "Nobody else can see what you chose, and it can't be changed.",
        "Your anonymous vote in poll #N is recorded — you voted “Stew”. "
        "Nobody else can see what you chose, and it can't be changed.",
    ]


def test_poll_results_reminds_each_person_of_their_own_vote(chat):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad" "Stew" --type multi --max 2')
    buttons = poll_buttons(chat.last_message(NORTH))
    chat.clicks(BEN, NORTH, buttons["Soup"])
    chat.clicks(BEN, NORTH, buttons["Stew"])

    assert chat.says(BEN, SOUTH, "poll results 1").endswith("You voted “Soup”, “Stew”.")
    assert chat.says(CARYS, SOUTH, "poll results 1").endswith("You haven't voted yet.")
    chat.says(DEE, NORTH, "poll list")
    assert "observer" in chat.says(ASHA, NORTH, "role observer @Dee Sharma")
    assert chat.says(DEE, NORTH, "poll results 1").endswith("recount it: `poll export 1`")
    chat.says(ASHA, NORTH, "poll close 1")
    assert chat.says(CARYS, SOUTH, "poll results 1").endswith("You didn't vote.")


@pytest.mark.parametrize(
    ("command", "values", "said"),
    [
        (
            'poll "Adopt it?" --type consent',
            "stance:1:live-with-it",
            "You responded “Can live with it”.",
        ),
        (
            'poll "Rank" "A" "B" --type ranked',
            {"rank0": "1", "rank1": "0"},
            "You ranked “B” 1st, “A” 2nd.",
        ),
    ],
    ids=["consent", "ranked"],
)
def test_poll_results_names_a_vote_of_any_type_in_the_words_of_its_confirmation(
    chat, command, values, said
):
    chat.says(ASHA, NORTH, command)
    if isinstance(values, str):
        chat.clicks(BEN, NORTH, values)
    else:
        chat.clicks(BEN, NORTH, "submit:ballot:1", values)

    assert chat.says(BEN, NORTH, "poll results 1").endswith(said)


def test_poll_results_of_an_anonymous_poll_says_you_voted_but_cannot_say_what(chat):
    chat.says(ASHA, NORTH, 'poll "Secret?" "Yes" "No" --anonymous')
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Yes"])

    shown = chat.says(BEN, NORTH, "poll results 1")

    assert shown.endswith(
        "You have voted. The poll is anonymous, so nothing links your choice to you."
    )
    assert "“Yes”" not in shown.splitlines()[-1]
