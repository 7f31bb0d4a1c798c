"""Buttons that ask first, in Teams: Adaptive Cards have no confirmation dialog, so the
button folds out a small card with the question and the button that acts. Every card is
checked by Microsoft's parser; the question's words are escaped like any user text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.teams.inbound import card_action
from adapters.teams.render import render_card
from dialogs.core.cards import Card, Notify
from dialogs.core.events import CommandIssued
from tests.stand_ins.adaptive_cards import (
    AdaptiveCardsNode,
    Rendered,
    markdown_texts,
    objects,
    running_parser,
)
from tests.support.conversation import ASHA, NORTH, Conversation


@pytest.fixture(scope="module")
def parser() -> Iterator[AdaptiveCardsNode]:
    with running_parser() as node:
        yield node


@pytest.fixture
def chat(sqlite_database, clock):
    conversation = Conversation(sqlite_database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


def teams_card(parser: AdaptiveCardsNode, card: Card) -> dict:
    rendered = render_card(card, public_url="https://concord.example.nhs.uk")
    assert parser.problems([rendered]) == [[]]
    return rendered


def fold_outs(card: dict) -> list[dict]:
    return [o for o in objects(card) if o.get("type") == "Action.ShowCard"]


def said(parser: AdaptiveCardsNode, card: dict) -> list[str]:
    """The words a person reads in the card's text blocks, as Teams renders the markdown."""
    texts = [o["text"] for o in card["body"] if o["type"] == "TextBlock"]
    return [Rendered(html).text for html in parser.markdown_html(texts)]


def acts(card: dict) -> dict:
    (action_set,) = [o for o in card["body"] if o["type"] == "ActionSet"]
    (submit,) = action_set["actions"]
    return submit


def test_the_close_button_folds_out_the_question_and_the_button_that_closes(parser, chat):
    effects = chat.engine.handle(CommandIssued(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"'))
    (notice,) = [e.card for e in effects if isinstance(e, Notify)]

    (close,) = fold_outs(teams_card(parser, notice))

    assert (close["title"], close["style"]) == ("Close poll #1", "destructive")
    assert said(parser, close["card"]) == [
        "Close poll #1 now?",
        "Voting stops at once and the result is posted in every linked channel.",
        "Keep it open? Press the button again to fold this away.",
    ]
    close_it = acts(close["card"])
    assert (close_it["title"], close_it["style"]) == ("Close it", "destructive")
    clicked = dict(type="message", value=close_it["data"])
    assert card_action(clicked) == ("close:1", {})


def test_an_anonymous_vote_folds_out_its_question_and_an_ordinary_vote_is_one_click(parser, chat):
    chat.says(ASHA, NORTH, 'poll "Secret?" "Yes" "No" --anonymous')
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    secret, lunch = (teams_card(parser, card) for card in chat.messages(NORTH)[-2:])

    yes, no = fold_outs(secret)
    assert said(parser, yes["card"])[:2] == [
        "Vote “Yes”?",
        "Poll #1 is anonymous: once cast, your vote can't be changed, "
        "because nothing links it back to you.",
    ]
    assert (acts(yes["card"])["title"], acts(yes["card"])["data"]) == (
        "Cast my vote",
        {"action": "vote:1:1", "view": "poll:1"},
    )
    assert acts(yes["card"])["fallback"]["title"] == "Cast my vote"
    assert (no["title"], acts(no["card"])["data"]) == (
        "No",
        {"action": "vote:1:2", "view": "poll:1"},
    )
    assert fold_outs(lunch) == []


def test_a_hostile_option_in_the_question_is_shown_as_typed(parser, chat):
    typed = "[click](https://evil.example) <at>Everyone</at>"
    chat.says(ASHA, NORTH, f'poll "Secret?" "{typed}" "No" --anonymous')

    card = teams_card(parser, chat.last_message(NORTH))

    texts = markdown_texts(fold_outs(card)[0]["card"])
    for rendered in (Rendered(html) for html in parser.markdown_html(texts)):
        assert rendered.markup() == []
    assert Rendered(parser.markdown_html(texts[:1])[0]).text == f"Vote “{typed}”?"
