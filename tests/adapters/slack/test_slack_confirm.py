"""Buttons that ask first, in Slack: Block Kit's own confirmation dialog, in plain text."""

from __future__ import annotations

import pytest

from adapters.slack.render import render_message
from dialogs.core.cards import Actions, Button, Card, Confirm, Notify
from dialogs.core.events import CommandIssued
from tests.stand_ins.slack_blocks import assert_valid_message, mrkdwn_texts
from tests.support.conversation import ASHA, NORTH, Conversation

PUBLIC = "https://concord.example.nhs.uk"


@pytest.fixture
def chat(sqlite_database, clock):
    conversation = Conversation(sqlite_database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


def slack_buttons(card: Card) -> list[dict]:
    """The card's buttons as Slack gets them, once the whole message is checked valid."""
    payload = render_message(card, public_url=PUBLIC)
    assert_valid_message(payload)
    actions = [block for block in payload["blocks"] if block["type"] == "actions"]
    return [element for block in actions for element in block["elements"]]


def plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def test_the_coordinators_close_button_opens_slacks_red_confirmation_dialog(chat):
    effects = chat.engine.handle(CommandIssued(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"'))
    (notice,) = [e.card for e in effects if isinstance(e, Notify)]

    (close,) = slack_buttons(notice)

    assert (close["value"], close["style"]) == ("close:1", "danger")
    assert close["confirm"] == {
        "title": plain("Close poll #1 now?"),
        "text": plain("Voting stops at once and the result is posted in every linked channel."),
        "confirm": plain("Close it"),
        "deny": plain("Keep it open"),
        "style": "danger",
    }


def test_an_anonymous_vote_asks_in_a_dialog_and_an_ordinary_vote_does_not(chat):
    chat.says(ASHA, NORTH, 'poll "Secret?" "Yes" "No" --anonymous')
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    secret, lunch = chat.messages(NORTH)[-2:]

    yes, no = slack_buttons(secret)
    assert yes["confirm"] == {
        "title": plain("Vote “Yes”?"),
        "text": plain(
            "Poll #1 is anonymous: once cast, your vote can't be changed, "
            "because nothing links it back to you."
        ),
        "confirm": plain("Cast my vote"),
        "deny": plain("Not yet"),
    }
    assert no["confirm"]["title"] == plain("Vote “No”?")
    assert ["confirm" in button for button in slack_buttons(lunch)] == [False, False]


def test_a_long_or_hostile_option_fits_the_dialog_and_pings_nobody():
    label = "<!channel> " + "Discharge delays " * 12
    asked = Confirm(title=f"Vote “{label}”?", text="Sure? " * 80, yes="Cast my vote", no="Not yet")
    card = Card(
        blocks=[Actions(elements=[Button(label=label, action="vote:1:1", confirm=asked)])],
        fallback="Poll",
    )

    (button,) = slack_buttons(card)

    title, text = button["confirm"]["title"]["text"], button["confirm"]["text"]["text"]
    assert title.startswith("Vote “<!channel> Discharge") and title.endswith("…")
    assert (len(title), len(text)) == (100, 300)
    assert not [t for t in mrkdwn_texts(render_message(card, public_url=PUBLIC)) if "<!" in t]
