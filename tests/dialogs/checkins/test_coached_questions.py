"""The question coach in the coordinators' forms for questions answered in words: a
check-in's questions and a purpose round's prompts come back with its findings beside them,
and are saved as written once the coordinator says so (it never blocks)."""

from __future__ import annotations

from sqlmodel import select

from storage.models import CheckinSchedule, PurposeRound
from tests.support.conversation import ASHA, NORTH, Conversation, returned_form, text_of

SPECIFIC = "How many shared cases did we close this week?"
VAGUE = "How are things going?"


def saved_questions(linked_chat: Conversation) -> list[str]:
    with linked_chat.database.session() as session:
        schedule = session.exec(select(CheckinSchedule)).one()
        return [q["text"] for q in schedule.questions]


def test_checkin_questions_come_back_with_findings_named_and_save_as_written(linked_chat):
    linked_chat.says(ASHA, NORTH, 'checkin add "every weekday 16:30"')
    before = saved_questions(linked_chat)
    typed = {"questions": f"{SPECIFIC}\n{VAGUE} (text)"}
    form = returned_form(linked_chat.submits(ASHA, NORTH, "submit:checkin:1", typed))
    assert saved_questions(linked_chat) == before
    assert "Save the questions as written" in (form.error or "")
    assert [i.name for i in form.inputs] == ["questions", "as-written"]
    assert form.inputs[0].value == typed["questions"]  # what was typed, kept
    assert len(form.notes) == 1 and form.notes[0].startswith(f"“{VAGUE}”: The question is too")
    assert "Name what, when or who" in form.notes[0]
    said = linked_chat.submits(ASHA, NORTH, "submit:checkin:1", {**typed, "as-written": ["yes"]})
    assert saved_questions(linked_chat) == [SPECIFIC, VAGUE]
    assert "Check-in #1 will ask:" in text_of(said[0].card)


def test_specific_checkin_questions_save_at_once(linked_chat):
    linked_chat.says(ASHA, NORTH, 'checkin add "every weekday 16:30"')
    typed = {"questions": f"{SPECIFIC}\nWhat one thing slowed a joint discharge last week? (text)"}
    linked_chat.submits(ASHA, NORTH, "submit:checkin:1", typed)
    assert saved_questions(linked_chat)[1] == "What one thing slowed a joint discharge last week?"


def test_purpose_prompts_come_back_with_findings_and_save_as_written(linked_chat):
    linked_chat.says(ASHA, NORTH, "purpose start")
    with linked_chat.database.session() as session:
        round_id = session.exec(select(PurposeRound.id)).one()
    typed = {"prompt1": "Which patients fall between our services?", "prompt2": "Any thoughts?"}
    form = returned_form(linked_chat.submits(ASHA, NORTH, f"submit:prompts:{round_id}", typed))
    assert "Save the prompts as written" in (form.error or "")
    assert any(note.startswith("“Any thoughts?”: The question is too broad") for note in form.notes)
    assert [i.value for i in form.inputs if i.name.startswith("prompt")][:2] == list(typed.values())
    linked_chat.submits(ASHA, NORTH, f"submit:prompts:{round_id}", {**typed, "as-written": ["yes"]})
    with linked_chat.database.session() as session:
        assert session.get(PurposeRound, round_id).prompts == list(typed.values())
