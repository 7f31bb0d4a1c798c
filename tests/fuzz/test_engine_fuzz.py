"""Generated commands, clicks and form submissions through the engine (SQLite and PostgreSQL).

A collaborative in two channels, with polls of several kinds open, meets a coordinator, a
member and a stranger typing and clicking whatever Hypothesis makes of the grammar's words,
the action formats and hostile text. Each must get a clear answer: the engine's refusal is
fine, an exception let out, a "Something went wrong" reply or a logged traceback is not.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dialogs.core.actions import FormKind, RequestForm, SubmitPoll, Vote
from dialogs.core.cards import Effect, Notify
from dialogs.core.events import ActionInvoked, CommandIssued, Event
from tests.fuzz import bounded
from tests.fuzz.commands import action_ids, commands, form_values, poll_forms
from tests.fuzz.logs import described, faults
from tests.fuzz.text import mixed
from tests.support.conversation import ASHA, BEN, NORTH, SOUTH, Conversation, person, text_of
from tests.support.conversation import channel as a_channel

STRANGER = person("zed", "Zed \u202eEvil")
ELSEWHERE = a_channel("elsewhere")
# Asha coordinates, Ben is a member, Zed is nobody; newcomers bring names of every kind.
PEOPLE = st.one_of(
    st.sampled_from((ASHA, BEN, STRANGER)), st.builds(person, st.just("newcomer"), mixed())
)
PLACES = st.sampled_from((NORTH, SOUTH, ELSEWHERE))
POLLS = (
    'poll "Which priority first?" "Discharge" "Beds" "Workforce"',
    'poll "Rank them" "A" "B" "C" --type ranked --anonymous',
    'poll "Adopt the charter?" --type consent --closes "in 3 days"',
    'poll "Spend the dots" "A" "B" --type dots --dots 5',
)
WRONG = "Something went wrong"


def example_each(events: tuple[Event, ...]):
    """`@example(event=…)` for each of `events`."""

    def decorate(test):
        for event in reversed(events):
            test = example(event=event)(test)
        return test

    return decorate


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    for poll in POLLS:
        conversation.says(ASHA, NORTH, poll)
    conversation.says(BEN, SOUTH, "me link")
    yield conversation
    conversation.close()


def commands_typed() -> st.SearchStrategy[Event]:
    return st.builds(CommandIssued, PEOPLE, PLACES, commands())


def clicks() -> st.SearchStrategy[Event]:
    return st.one_of(
        st.builds(ActionInvoked, PEOPLE, PLACES, action_ids(), form_values()),
        st.builds(ActionInvoked, PEOPLE, PLACES, st.just(SubmitPoll().encode()), poll_forms()),
    )


def shown(effects: list[Effect]) -> str:
    return "\n".join(text_of(e.card) for e in effects if isinstance(e, Notify))


def check(chat: Conversation, events: list[Event]) -> None:
    with faults() as logged:
        answers = chat.engine.handle_all(events)
        chat.deliver()
    for event, effects in zip(events, answers, strict=True):
        assert WRONG not in shown(effects), f"{event!r} → {shown(effects)}"
    assert not logged, f"{events!r} logged: " + "; ".join(described(r) for r in logged)


# What the attack in issue 16 sent (and what this test found), tried first every run.
NEWCOMER = person("newcomer", "Nul\x00 Name")
POLL_FORM = SubmitPoll().encode()
KNOWN = (
    CommandIssued(ASHA, ELSEWHERE, 'setup "Elsewhere" --timezone Europe'),
    CommandIssued(ASHA, NORTH, 'poll "Lunch\ud800?" "A" "B"'),
    ActionInvoked(ASHA, NORTH, POLL_FORM, {"question": "Lunch?", "options": "A\nB\ud800"}),
    ActionInvoked(ASHA, NORTH, POLL_FORM, {"question": "Lunch\x00?", "options": "A\nB"}),
    ActionInvoked(NEWCOMER, NORTH, Vote(1, 1).encode()),
    ActionInvoked(BEN, NORTH, Vote(99_999_999_999, 1).encode()),
    ActionInvoked(BEN, NORTH, RequestForm(FormKind.BALLOT, 1).encode()),
)


@bounded(max_examples=400)
@given(event=st.one_of(commands_typed(), clicks()))
@example_each(KNOWN)
def test_any_command_or_click_gets_a_clear_answer(chat, event):
    check(chat, [event])


@bounded(max_examples=60)
@given(events=st.lists(clicks(), min_size=2, max_size=8))
@example(events=[ActionInvoked(BEN, NORTH, Vote(1, 1).encode()), *KNOWN[-3:-1]])
def test_a_batch_of_clicks_never_falls_back_or_fails(chat, events):
    check(chat, events)
