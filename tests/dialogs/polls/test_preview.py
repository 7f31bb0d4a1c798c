"""A `poll` command Concord may have misread is shown to its author before anyone else."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialogs.core.cards import OpenForm
from dialogs.core.events import ActionInvoked
from tests.support.conversation import (
    ASHA,
    BEN,
    NORTH,
    SOUTH,
    Conversation,
    buttons,
    text_of,
)
from tests.support.previews import held_preview, polls


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    conversation.says(BEN, NORTH, "help")
    yield conversation
    conversation.close()


def test_unquoted_words_are_read_back_before_anything_is_posted(chat):
    card = held_preview(chat, "poll Lunch today? Pizza Pasta")
    shown = text_of(card)
    assert "Check this poll before it goes to every channel" in shown
    assert "Only you can see this." in shown and "*Lunch*" in shown
    assert "1. today?\n2. Pizza\n3. Pasta" in shown
    assert "Some words weren't in quote marks (“Lunch”, “today?”, “Pizza”, “Pasta”)" in shown
    assert list(buttons(card)) == ["Post it", "Edit", "Cancel"]


def test_post_opens_the_poll_everywhere_once(chat):
    card = held_preview(chat, 'poll "Lunch?" Pizza Pasta')
    post = buttons(card)["Post it"]
    assert "Poll #1 is open" in chat.clicks(ASHA, NORTH, post)
    assert polls(chat) == 1
    assert text_of(chat.last_message(SOUTH)).count("Lunch?") >= 1
    again = chat.clicks(ASHA, NORTH, post)
    assert "This preview was already posted." in again and polls(chat) == 1


def test_cancel_posts_nothing_and_edit_opens_the_form_filled_in(chat):
    card = held_preview(chat, "poll Lunch? Pizza Pasta --anonymous --closes friday 17:00")
    assert "Cancelled" in chat.clicks(ASHA, NORTH, buttons(card)["Cancel"])
    assert "already cancelled" in chat.clicks(ASHA, NORTH, buttons(card)["Post it"])
    card = held_preview(chat, "poll Lunch? Pizza Pasta --anonymous --closes friday 17:00")
    effects = chat.engine.handle(ActionInvoked(ASHA, NORTH, buttons(card)["Edit"], {}))
    form = next(e.form for e in effects if isinstance(e, OpenForm))
    filled = {i.name: getattr(i, "value", None) for i in form.inputs}
    assert filled["question"] == "Lunch?" and filled["options"] == "Pizza\nPasta"
    assert filled["anonymous"] == ["yes"]
    assert filled["closes"] == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # Friday, GMT
    assert polls(chat) == 0


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ('poll "close 1" "Yes" "No"', "“close 1” looks like the command `poll close 1`"),
        ('poll "resluts" "Yes" "No"', "looks like the command `poll results`"),
        ('poll "Lunch?" "Pizza" "-closes friday"', "“-closes friday” looks like an option"),
    ],
)
def test_a_question_like_a_sub_command_or_an_option_like_a_flag_is_previewed(chat, command, reason):
    assert reason in text_of(held_preview(chat, command))


def test_a_fully_quoted_command_posts_at_once(chat):
    shown = chat.says(ASHA, NORTH, 'poll "List the sites we share?" "Yes" "No"')
    assert "Poll #1 is open" in shown and polls(chat) == 1


def test_only_the_author_can_post_their_preview(chat):
    card = held_preview(chat, "poll Lunch? Pizza Pasta")
    chat.says(ASHA, NORTH, "role coordinator @Ben Okafor")
    refused = chat.clicks(BEN, NORTH, buttons(card)["Post it"])
    assert "Only the person who typed this poll can post, edit or cancel it." in refused
    assert polls(chat) == 0


def test_a_question_that_merely_starts_like_a_sub_command_posts_at_once(chat):
    shown = chat.says(ASHA, NORTH, 'poll "Closed list?" "A" "B"')
    assert "Poll #1 is open" in shown and polls(chat) == 1
