"""The question coach in the poll flows: a question it finds hard to answer well is held in
its author's private preview (or the form comes back) with the findings, and never blocked."""

from __future__ import annotations

from sqlmodel import select

from dialogs.core.actions import DraftChoice
from dialogs.core.events import ActionInvoked, CommandIssued
from storage.models import Poll, PollDraft
from tests.support.conversation import (
    ASHA,
    BEN,
    NORTH,
    Conversation,
    buttons,
    returned_form,
    text_of,
)
from tests.support.previews import held_preview

VAGUE = 'poll "How are things going with the partnership?" "Well" "Badly"'
DOUBLE = 'poll "Should we pool the budget and hire a shared analyst?" --type consent'


def questions(linked_chat: Conversation) -> list[str]:
    with linked_chat.database.session() as session:
        return list(session.exec(select(Poll.question).order_by(Poll.id)))


def test_a_vague_question_is_held_with_the_finding_and_posts_anyway(linked_chat):
    card = held_preview(linked_chat, VAGUE)
    shown = text_of(card)
    assert "Only you can see this." in shown
    assert "The question is too broad to answer concretely." in shown
    assert "Name what, when or who, for example: ‘" in shown
    assert "the coach never blocks" in shown
    assert "quote marks" not in shown  # the command was typed well: only the wording is at issue
    assert list(buttons(card)) == ["Post anyway", "Edit", "Cancel"]
    assert "Poll #1 is open" in linked_chat.clicks(ASHA, NORTH, buttons(card)["Post anyway"])
    assert questions(linked_chat) == ["How are things going with the partnership?"]


def test_a_double_question_splits_into_two_polls_with_the_same_settings(linked_chat):
    card = held_preview(linked_chat, DOUBLE)
    shown = text_of(card)
    assert "This asks two questions at once" in shown
    assert "‘Should we pool the budget?’ and ‘Should we hire a shared analyst?’" in shown
    split = buttons(card)["Split into two polls"]
    linked_chat.clicks(ASHA, NORTH, split)
    assert questions(linked_chat) == [
        "Should we pool the budget?",
        "Should we hire a shared analyst?",
    ]
    with linked_chat.database.session() as session:
        assert {poll.type for poll in session.exec(select(Poll))} == {"consent"}
    assert "already split into two polls" in linked_chat.clicks(ASHA, NORTH, split)


def test_too_many_options_suggests_a_dot_vote_shortlist_first(linked_chat):
    options = " ".join(f'"Site {n}"' for n in range(1, 10))
    shown = text_of(
        held_preview(linked_chat, f'poll "Which site should host the hub from April?" {options}')
    )
    assert "9 options are more than people can weigh at once." in shown
    assert "`--type dots`" in shown


def test_clean_questions_post_at_once(linked_chat):
    linked_chat.says(ASHA, NORTH, 'poll "Which day suits the June away day?" "Tuesday" "Thursday"')
    scale = '"Agree" "Neutral" "Disagree"'
    linked_chat.says(ASHA, NORTH, f'poll "Should the hub open on Saturdays from May?" {scale}')
    assert len(questions(linked_chat)) == 2


def test_the_form_comes_back_with_the_findings_until_posted_as_written(linked_chat):
    linked_chat.says(ASHA, NORTH, "poll")
    values = {"question": "Don't you agree the new rota is better?", "options": "Yes\nNo"}
    effects = linked_chat.submits(ASHA, NORTH, "submit:poll", values)
    form = returned_form(effects)
    assert questions(linked_chat) == []
    assert "the coach never blocks" in (form.error or "")
    assert any("suggests which answer is wanted" in note for note in form.notes)
    names = [i.name for i in form.inputs]
    assert names.index("as-written") == names.index("question") + 1
    filled = {i.name: getattr(i, "value", None) for i in form.inputs}
    assert filled["question"] == values["question"]
    linked_chat.submits(ASHA, NORTH, "submit:poll", {**values, "as-written": ["yes"]})
    assert questions(linked_chat) == [values["question"]]


def test_edit_from_a_held_preview_opens_the_form_and_a_member_cannot_split(linked_chat):
    card = held_preview(linked_chat, DOUBLE)
    assert "Only a coordinator" in linked_chat.clicks(
        BEN, NORTH, buttons(card)["Split into two polls"]
    )
    effects = linked_chat.engine.handle(ActionInvoked(ASHA, NORTH, buttons(card)["Edit"], {}))
    form = returned_form(effects)
    filled = {i.name: getattr(i, "value", None) for i in form.inputs}
    assert filled["question"] == "Should we pool the budget and hire a shared analyst?"
    assert questions(linked_chat) == []


def test_a_split_of_a_question_that_is_not_double_is_refused_and_the_preview_still_works(
    linked_chat,
):
    card = held_preview(linked_chat, VAGUE)
    with linked_chat.database.session() as session:
        split = DraftChoice(session.exec(select(PollDraft.id)).one(), "split").encode()
    assert "The coach no longer reads this as two questions." in linked_chat.clicks(
        ASHA, NORTH, split
    )
    assert questions(linked_chat) == []
    assert "Poll #1 is open" in linked_chat.clicks(ASHA, NORTH, buttons(card)["Post anyway"])


def test_each_half_of_a_split_is_reviewed_a_clean_one_posts_one_with_findings_is_held(
    linked_chat,
):
    typed = "poll “Should we keep the Tuesday meeting and how are things going generally?” "
    card = held_preview(linked_chat, typed + "--type consent")
    split = buttons(card)["Split into two polls"]
    effects = linked_chat.engine.handle(ActionInvoked(ASHA, NORTH, split, {}))
    linked_chat.deliver()
    assert questions(linked_chat) == ["Should we keep the Tuesday meeting?"]
    half = next(e.card for e in effects if "Only you can see this." in text_of(e.card))
    shown = text_of(half)
    assert "*How are things going generally?*" in shown
    assert "The question is too broad to answer concretely." in shown
    assert list(buttons(half)) == ["Post anyway", "Edit", "Cancel"]
    assert "Nothing was posted." in linked_chat.clicks(ASHA, NORTH, buttons(half)["Cancel"])
    assert questions(linked_chat) == ["Should we keep the Tuesday meeting?"]


def test_a_held_half_posts_anyway_with_the_split_polls_settings(linked_chat):
    typed = 'poll "Should we hire a shared analyst and how are things going?" --type consent'
    split = buttons(held_preview(linked_chat, typed))["Split into two polls"]
    effects = linked_chat.engine.handle(ActionInvoked(ASHA, NORTH, split, {}))
    half = next(e.card for e in effects if "Only you can see this." in text_of(e.card))
    assert "Poll #2 is open" in linked_chat.clicks(ASHA, NORTH, buttons(half)["Post anyway"])
    assert questions(linked_chat) == ["Should we hire a shared analyst?", "How are things going?"]
    with linked_chat.database.session() as session:
        assert {poll.type for poll in session.exec(select(Poll))} == {"consent"}


def test_a_reworded_poll_comes_back_with_the_findings_until_saved_as_written(linked_chat):
    linked_chat.says(ASHA, NORTH, 'poll "Which day suits the June away day?" "Tue" "Thu"')
    typed = 'poll edit 1 --question "Don\'t you agree the new rota is better?"'
    form = returned_form(linked_chat.engine.handle(CommandIssued(ASHA, NORTH, typed)))
    assert questions(linked_chat) == ["Which day suits the June away day?"]
    assert form.title == "Edit poll #1"
    assert "tick “Save the question as written”" in (form.error or "")
    assert any("suggests which answer is wanted" in note for note in form.notes)
    names = [i.name for i in form.inputs]
    assert names.index("as-written") == names.index("question") + 1
    values = {i.name: getattr(i, "value", None) for i in form.inputs}
    assert values["question"] == "Don't you agree the new rota is better?"
    again = returned_form(linked_chat.submits(ASHA, NORTH, form.action, values))
    assert again.notes == form.notes and questions(linked_chat) == [
        "Which day suits the June away day?"
    ]
    said = linked_chat.clicks(ASHA, NORTH, form.action, {**values, "as-written": ["yes"]})
    assert "Poll #1 is changed" in said
    assert questions(linked_chat) == ["Don't you agree the new rota is better?"]


def test_overlapping_options_in_the_edit_form_are_named(linked_chat):
    linked_chat.says(ASHA, NORTH, 'poll "How long should a joint discharge take?" "A" "B"')
    form = linked_chat.form(ASHA, NORTH, "poll edit 1")
    values = {i.name: getattr(i, "value", None) for i in form.inputs}
    values["options"] = "0–5 days\n5–10 days\nNot sure"
    again = returned_form(linked_chat.submits(ASHA, NORTH, form.action, values))
    assert any("‘0–5 days’ and ‘5–10 days’ both include 5" in note for note in again.notes)
    assert "Save the question as written" in (again.error or "")


def test_an_edit_that_leaves_the_wording_alone_is_not_coached_again(linked_chat):
    held_preview(linked_chat, VAGUE)
    linked_chat.clicks(ASHA, NORTH, DraftChoice(1, "post").encode())  # posted as written
    said = linked_chat.says(ASHA, NORTH, 'poll edit 1 --description "For the June review"')
    assert "Poll #1 is changed" in said and "Description changed." in said


def test_a_complete_template_with_findings_opens_the_form_and_a_clean_one_posts(linked_chat):
    leading = 'poll from "Yes / no / abstain" "Don\'t you agree the new rota is better?"'
    form = returned_form(linked_chat.engine.handle(CommandIssued(ASHA, NORTH, leading)))
    assert questions(linked_chat) == []
    assert any("suggests which answer is wanted" in note for note in form.notes)
    values = {i.name: getattr(i, "value", None) for i in form.inputs}
    assert values["options"] == "Yes\nNo\nAbstain"
    linked_chat.submits(ASHA, NORTH, form.action, {**values, "as-written": ["yes"]})
    clean = 'poll from "Yes / no / abstain" "Should the hub open on Saturdays from May?"'
    assert "Poll #2 is open" in linked_chat.says(ASHA, NORTH, clean)
    assert len(questions(linked_chat)) == 2


def test_a_cloned_poll_is_coached_when_its_form_is_submitted(linked_chat):
    held_preview(linked_chat, VAGUE)
    linked_chat.clicks(ASHA, NORTH, DraftChoice(1, "post").encode())  # posted as written
    form = linked_chat.form(ASHA, NORTH, "poll clone 1")
    values = {i.name: getattr(i, "value", None) for i in form.inputs}
    again = returned_form(linked_chat.submits(ASHA, NORTH, form.action, values))
    assert any(note.startswith("The question is too broad") for note in again.notes)
    linked_chat.submits(ASHA, NORTH, form.action, {**values, "as-written": ["yes"]})
    assert questions(linked_chat) == [VAGUE.split('"')[1]] * 2
