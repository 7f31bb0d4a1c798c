"""The question coach in the poll flows: a question it finds hard to answer well is held in
its author's private preview (or the form comes back) with the findings, and never blocked."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dialogs.core.actions import DraftChoice
from dialogs.core.cards import OpenForm
from dialogs.core.events import ActionInvoked, CommandIssued
from storage.models import Poll, PollDraft
from tests.support.conversation import ASHA, BEN, NORTH, SOUTH, Conversation, buttons, text_of

VAGUE = 'poll "How are things going with the partnership?" "Well" "Badly"'
DOUBLE = 'poll "Should we pool the budget and hire a shared analyst?" --type consent'


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


def questions(chat: Conversation) -> list[str]:
    with chat.database.session() as session:
        return list(session.exec(select(Poll.question).order_by(Poll.id)))


def held(chat: Conversation, text: str):
    """The preview its author sees, after checking nothing reached a channel."""
    before = len(chat.messages(SOUTH))
    effects = chat.engine.handle(CommandIssued(ASHA, NORTH, text))
    chat.deliver()
    assert len(chat.messages(SOUTH)) == before and questions(chat) == []
    return next(e.card for e in effects if getattr(e, "card", None))


def test_a_vague_question_is_held_with_the_finding_and_posts_anyway(chat):
    card = held(chat, VAGUE)
    shown = text_of(card)
    assert "Only you can see this." in shown
    assert "The question is too broad to answer concretely." in shown
    assert "Name what, when or who, for example: ‘" in shown
    assert "the coach never blocks" in shown
    assert "quote marks" not in shown  # the command was typed well: only the wording is at issue
    assert list(buttons(card)) == ["Post anyway", "Edit", "Cancel"]
    assert "Poll #1 is open" in chat.clicks(ASHA, NORTH, buttons(card)["Post anyway"])
    assert questions(chat) == ["How are things going with the partnership?"]


def test_a_double_question_splits_into_two_polls_with_the_same_settings(chat):
    card = held(chat, DOUBLE)
    shown = text_of(card)
    assert "This asks two questions at once" in shown
    assert "‘Should we pool the budget?’ and ‘Should we hire a shared analyst?’" in shown
    split = buttons(card)["Split into two polls"]
    chat.clicks(ASHA, NORTH, split)
    assert questions(chat) == ["Should we pool the budget?", "Should we hire a shared analyst?"]
    with chat.database.session() as session:
        assert {poll.type for poll in session.exec(select(Poll))} == {"consent"}
    assert "already split into two polls" in chat.clicks(ASHA, NORTH, split)


def test_too_many_options_suggests_a_dot_vote_shortlist_first(chat):
    options = " ".join(f'"Site {n}"' for n in range(1, 10))
    shown = text_of(held(chat, f'poll "Which site should host the hub from April?" {options}'))
    assert "9 options are more than people can weigh at once." in shown
    assert "`--type dots`" in shown


def test_clean_questions_post_at_once(chat):
    chat.says(ASHA, NORTH, 'poll "Which day suits the June away day?" "Tuesday" "Thursday"')
    scale = '"Agree" "Neutral" "Disagree"'
    chat.says(ASHA, NORTH, f'poll "Should the hub open on Saturdays from May?" {scale}')
    assert len(questions(chat)) == 2


def test_the_form_comes_back_with_the_findings_until_posted_as_written(chat):
    chat.says(ASHA, NORTH, "poll")
    values = {"question": "Don't you agree the new rota is better?", "options": "Yes\nNo"}
    effects = chat.submits(ASHA, NORTH, "submit:poll", values)
    form = next(e.form for e in effects if isinstance(e, OpenForm))
    assert questions(chat) == []
    assert "the coach never blocks" in (form.error or "")
    assert any("suggests which answer is wanted" in note for note in form.notes)
    names = [i.name for i in form.inputs]
    assert names.index("as-written") == names.index("question") + 1
    filled = {i.name: getattr(i, "value", None) for i in form.inputs}
    assert filled["question"] == values["question"]
    chat.submits(ASHA, NORTH, "submit:poll", {**values, "as-written": ["yes"]})
    assert questions(chat) == [values["question"]]


def test_edit_from_a_held_preview_opens_the_form_and_a_member_cannot_split(chat):
    card = held(chat, DOUBLE)
    assert "Only a coordinator" in chat.clicks(BEN, NORTH, buttons(card)["Split into two polls"])
    effects = chat.engine.handle(ActionInvoked(ASHA, NORTH, buttons(card)["Edit"], {}))
    form = next(e.form for e in effects if isinstance(e, OpenForm))
    filled = {i.name: getattr(i, "value", None) for i in form.inputs}
    assert filled["question"] == "Should we pool the budget and hire a shared analyst?"
    assert questions(chat) == []


def test_a_split_of_a_question_that_is_not_double_is_refused_and_the_preview_still_works(chat):
    card = held(chat, VAGUE)
    with chat.database.session() as session:
        split = DraftChoice(session.exec(select(PollDraft.id)).one(), "split").encode()
    assert "The coach no longer reads this as two questions." in chat.clicks(ASHA, NORTH, split)
    assert questions(chat) == []
    assert "Poll #1 is open" in chat.clicks(ASHA, NORTH, buttons(card)["Post anyway"])
