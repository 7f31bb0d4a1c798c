"""The new-poll form names its collaborative, so it can be submitted from a private place.

Teams can't open a dialog from a typed message, so `poll` typed alone sends the form to
the person's 1:1 chat with Concord, which no collaborative is linked to: submitting it
there starts the poll in the collaborative of the channel it was asked for in, for a
coordinator of that collaborative and nobody else.
"""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from dialogs.core.actions import SubmitPollIn
from dialogs.core.cards import Notify, OpenForm
from dialogs.core.events import ActionInvoked, CommandIssued
from storage.models import Collaborative, Poll
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    NORTH,
    SOUTH,
    Conversation,
    buttons,
    channel,
    person,
    poll_buttons,
    text_of,
)

ZED = person("zed", "Zed Nobody")  # in no collaborative at all
ASHA_DM = channel("dm-asha")  # a private chat with Concord: no collaborative is linked there
LUNCH = {"question": "Lunch?", "options": "Soup\nSalad", "type": "single"}


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    conversation.says(BEN, NORTH, "help")  # Ben joins Northshire as a member
    conversation.says(CARYS, channel("east"), 'setup "Eastshire"')  # Carys coordinates another
    yield conversation
    conversation.close()


def northshire_id(chat: Conversation) -> int:
    with chat.database.session() as session:
        query = select(Collaborative.id).where(Collaborative.name.startswith("Northshire"))  # type: ignore[union-attr]
        return session.exec(query).one()


def polls(chat: Conversation) -> int:
    with chat.database.session() as session:
        return session.exec(select(func.count()).select_from(Poll)).one()


def submitted(chat: Conversation, person, form_action: str, values: dict) -> str:
    """What the person reads after submitting the form from their private chat."""
    return chat.clicks(person, channel(f"dm-{person.user_id}"), form_action, values)


def test_the_form_poll_asks_for_names_the_channels_collaborative(chat):
    form = chat.form(ASHA, NORTH)
    assert form.action == SubmitPollIn(northshire_id(chat)).encode()
    assert form.action == f"submit:poll:{northshire_id(chat)}"


def test_submitting_it_from_a_private_chat_posts_the_poll_in_every_channel(chat):
    form = chat.form(ASHA, NORTH)
    shown = chat.clicks(ASHA, ASHA_DM, form.action, LUNCH)
    assert "Poll #1 is open" in shown
    for place in (NORTH, SOUTH):
        assert list(poll_buttons(chat.last_message(place))) == ["Soup", "Salad"]
    assert "Lunch?" in text_of(chat.last_message(SOUTH))


def test_a_problem_brings_the_form_back_still_naming_the_collaborative(chat):
    form = chat.form(ASHA, NORTH)
    effects = chat.submits(ASHA, ASHA_DM, form.action, {**LUNCH, "options": "Soup\nSoup"})
    (again,) = [e.form for e in effects if isinstance(e, OpenForm)]
    assert again.error == "“Soup” is listed twice."
    assert again.action == form.action and again.inputs[1].value == "Lunch?"
    assert polls(chat) == 0


def test_a_member_who_is_not_a_coordinator_is_refused_and_nothing_changes(chat):
    form = chat.form(ASHA, NORTH)
    refused = submitted(chat, BEN, form.action, LUNCH)
    assert "Only a coordinator can start a poll; you are a member of Northshire" in refused
    assert polls(chat) == 0


@pytest.mark.parametrize("who", [CARYS, ZED], ids=["another collaborative's coordinator", "nobody"])
def test_someone_outside_the_collaborative_is_refused_and_nothing_changes(chat, who):
    form = chat.form(ASHA, NORTH)
    refused = submitted(chat, who, form.action, LUNCH)
    assert "This channel isn't part of a collaborative yet." in refused
    assert polls(chat) == 0 and len(chat.messages(NORTH)) == 1  # only Asha's setup notice


def test_a_forged_or_unknown_collaborative_is_refused_and_nothing_changes(chat):
    before = len(chat.messages(NORTH))
    for action in (f"submit:poll:{northshire_id(chat)}", "submit:poll:99999", "submit:poll"):
        refused = submitted(chat, CARYS, action, LUNCH)  # Carys coordinates Eastshire only
        assert "This channel isn't part of a collaborative yet." in refused
    assert polls(chat) == 0 and len(chat.messages(NORTH)) == before


def test_a_previews_edit_in_a_private_chat_gives_a_form_that_posts_from_there(chat):
    typed = chat.engine.handle(CommandIssued(ASHA, NORTH, "poll Lunch? Pizza Pasta"))
    preview = next(e.card for e in typed if isinstance(e, Notify))
    effects = chat.engine.handle(ActionInvoked(ASHA, ASHA_DM, buttons(preview)["Edit"], {}))
    (form,) = [e.form for e in effects if isinstance(e, OpenForm)]
    assert form.action == f"submit:poll:{northshire_id(chat)}"
    filled = {i.name: i.value for i in form.inputs if isinstance(i.value, str)}
    assert filled["question"] == "Lunch?" and filled["options"] == "Pizza\nPasta"
    shown = chat.clicks(ASHA, ASHA_DM, form.action, {**filled, "type": "single"})
    assert "Poll #1 is open" in shown
    assert list(poll_buttons(chat.last_message(SOUTH))) == ["Pizza", "Pasta"]
