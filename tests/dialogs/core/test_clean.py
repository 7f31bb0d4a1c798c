"""Characters no database can store (NUL, lone surrogates) are removed where events enter
the engine, and the person is told when they were in their own words."""

from __future__ import annotations

import pytest
from sqlmodel import select

from dialogs.core.events import ActionInvoked
from storage.models import Member, Poll, PollOption
from tests.support.conversation import (
    ASHA,
    NORTH,
    person,
    poll_buttons,
)

REMOVED_ONE = "Removed 1 character your message can't contain"


def stored_poll(database) -> tuple[str, list[str]]:
    with database.session() as session:
        poll = session.exec(select(Poll)).one()
        options = session.exec(select(PollOption).order_by(PollOption.position)).all()
        return poll.question, [option.label for option in options]


def test_a_nul_in_a_poll_command_is_removed_and_the_author_told(chat, database):
    shown = chat.says(ASHA, NORTH, 'poll "Lunch\x00?" "Soup" "Sal\x00ad"')
    assert "Poll #1 is open" in shown
    assert "Removed 2 characters your message can't contain" in shown
    assert stored_poll(database) == ("Lunch?", ["Soup", "Salad"])


def test_a_lone_surrogate_in_a_command_is_removed(chat, database):
    shown = chat.says(ASHA, NORTH, 'poll "Lunch?\ud800" "Soup" "Salad"')
    assert "Poll #1 is open" in shown and REMOVED_ONE in shown
    assert stored_poll(database)[0] == "Lunch?"


def test_a_nul_in_a_form_value_is_removed_and_the_author_told(chat, database):
    form = chat.form(ASHA, NORTH)
    values = {"question": "Which\x00 first?", "options": "Beds\nStaff", "type": "single"}
    effects = chat.submits(ASHA, NORTH, form.action, values)
    shown = "\n".join(getattr(b, "text", "") for e in effects for b in e.card.blocks)
    assert REMOVED_ONE in shown
    assert stored_poll(database) == ("Which first?", ["Beds", "Staff"])


@pytest.mark.parametrize("together", [False, True], ids=["alone", "in a batch"])
def test_a_nul_in_a_display_name_is_removed_quietly(chat, database, together):
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    click = ActionInvoked(
        person("ben", "Ben\x00 Okafor"), NORTH, poll_buttons(chat.last_message(NORTH))["Soup"]
    )
    told = chat.engine.handle_all([click])[0] if together else chat.engine.handle(click)
    shown = "\n".join(getattr(b, "text", "") for e in told for b in e.card.blocks)
    assert "You voted “Soup”" in shown and "Removed" not in shown
    with database.session() as session:
        names = sorted(m.display_name for m in session.exec(select(Member)))
    assert names == ["Asha Patel", "Ben Okafor"]
