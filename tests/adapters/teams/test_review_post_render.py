"""A review's message in Slack and Teams: the original decision, its figures and the three
buttons render valid on both, and what people typed stays inert."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.slack.render import render_message
from adapters.teams.render import render_card
from dialogs.ticker import Ticker
from tests.adapters.teams.test_teams_render import assert_valid, executes, flat
from tests.stand_ins.adaptive_cards import AdaptiveCardsNode, running_parser
from tests.stand_ins.slack_blocks import assert_valid_message, mrkdwn_texts, unescaped
from tests.support.conversation import ASHA, BEN, NORTH, SOUTH, Conversation, poll_buttons

PUBLIC = "https://concord.example.nhs.uk"
QUESTION = "Open the hub <!channel> on **Saturdays** [now](https://evil.example)?"


@pytest.fixture(scope="module")
def parser() -> Iterator[AdaptiveCardsNode]:
    with running_parser() as node:
        yield node


@pytest.fixture
def review(sqlite_database, clock):
    """The review message of a decided poll, as both channels show it."""
    chat = Conversation(sqlite_database, clock)
    chat.set_up_two_channels()
    chat.says(ASHA, NORTH, f'poll "{QUESTION}" "Yes" "No" --review 2 weeks')
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Yes"])
    chat.says(ASHA, NORTH, "poll close 1")
    clock.advance(weeks=2)
    Ticker(sqlite_database, clock).tick()
    chat.deliver()
    yield chat.last_message(SOUTH)
    chat.close()


def test_the_review_renders_as_valid_block_kit_with_its_three_buttons(review):
    payload = render_message(review, public_url=PUBLIC)
    assert_valid_message(payload)
    assert not [text for text in mrkdwn_texts(payload) if unescaped(text)]
    labels = [
        element["text"]["text"]
        for block in payload["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert labels == ["Still right", "Change it", "Drop it"]
    assert payload["blocks"][0]["text"]["text"] == "Review of poll #1: still right?"


def test_the_review_renders_as_a_valid_adaptive_card_with_its_three_buttons(parser, review):
    card = render_card(review, public_url=PUBLIC)
    assert_valid(parser, card)
    buttons = [action for action in executes(card) if "title" in action]  # not the refresh
    assert [action["title"] for action in buttons] == ["Still right", "Change it", "Drop it"]
    assert [action["data"]["action"] for action in buttons] == [
        "review:1:kept",
        "review:1:changed",
        "review:1:dropped",
    ]
    texts = [flat(block.get("text", "")) for block in card["body"]]
    assert "Review of poll #1: still right?" in texts
    assert not any("[now](https://evil.example)" in text for text in texts)
