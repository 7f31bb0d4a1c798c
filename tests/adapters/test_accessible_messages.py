"""Accessible messages on every platform, rendered through the engine (issue 22, item 1).

Every poll type at each stage (open, voted on, each person's own view, closed with its
chart), a check-in from its first post to its summary, and a purpose round from its
invitation to its adopted purpose are rendered for Slack, Teams and the playground. In every
message: each button has a name that makes sense alone and differs from the others' (Slack
`accessibility_label` within 75 characters, Teams `tooltip`, the playground's `aria-label`);
a leading option says "(leading)" in words; a chart's figures are in the message's words; no
menu acts the moment a choice is made; the notification text names the message.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from adapters.playground.render import render_card as playground_card
from adapters.slack.render import render_message
from adapters.teams.render import render_card as teams_card
from dialogs.core.cards import Card, Image, ResultBars
from tests.adapters.teams.test_teams_render import assert_valid
from tests.stand_ins.adaptive_cards import AdaptiveCardsNode, running_parser
from tests.stand_ins.slack_blocks import assert_valid_message, objects
from tests.support.accessible import (
    playground_problems,
    selects,
    slack_problems,
    teams_problems,
    unnamed,
)
from tests.support.conversation import ASHA, BEN, CARYS, DEE, NORTH, Conversation, buttons
from tests.support.scenarios import (
    POLLS,
    Seen,
    a_check_in,
    a_purpose_round,
    every_poll_type_at_every_stage,
)

PUBLIC = "https://concord.example.nhs.uk"


@pytest.fixture(scope="module")
def parser() -> Iterator[AdaptiveCardsNode]:
    with running_parser() as node:
        yield node


@pytest.fixture
def chat(sqlite_database, clock) -> Iterator[Conversation]:
    conversation = Conversation(sqlite_database, clock)
    conversation.set_up_two_channels()
    for someone in (BEN, CARYS, DEE):
        conversation.says(someone, NORTH, "help")
    yield conversation
    conversation.close()


def check(seen: Seen, parser: AdaptiveCardsNode) -> list[Card]:
    """Every message seen rendered on each platform, with nothing missed: the cards seen."""
    cards = list(seen.cards.values())
    slack = [render_message(card, public_url=PUBLIC) for card in cards]
    teams = [teams_card(card, public_url=PUBLIC) for card in cards]
    for message in slack:
        assert_valid_message(message)
    assert_valid(parser, *teams)
    problems = [
        f"{card.fallback}: {problem}"
        for card, message, rendered in zip(cards, slack, teams, strict=True)
        for problem in [
            *unnamed(card),
            *slack_problems(card, message),
            *teams_problems(card, rendered),
            *playground_problems(card, playground_card(card)),
        ]
    ]
    assert not problems, "\n".join(sorted(set(problems)))
    return cards


def test_every_poll_type_at_every_stage_is_accessible_on_every_platform(chat, parser):
    seen = Seen(chat)
    every_poll_type_at_every_stage(seen)
    cards = check(seen, parser)

    assert len(cards) > 60
    leading = [c for c in cards if any(isinstance(b, ResultBars) for b in c.blocks)]
    assert any("(leading)" in render_message(c, public_url="")["blocks"].__str__() for c in leading)
    charts = [c for c in cards if any(isinstance(b, Image) for b in c.blocks)]
    assert len(charts) == len(POLLS)  # each closed poll's result, its figures in words
    hidden_until_close = [c for c in cards if "Results are hidden until the poll closes" in str(c)]
    assert hidden_until_close


def test_a_vote_button_says_what_it_votes_for_and_in_which_poll(chat):
    chat.says(ASHA, NORTH, 'poll "Where shall we meet?" "Leeds" "York"')
    poll = chat.last_message(NORTH)

    slack = [o for o in objects(render_message(poll, public_url="")) if o.get("type") == "button"]
    assert [b["accessibility_label"] for b in slack[:2]] == [
        "Vote for Leeds in: Where shall we meet?",
        "Vote for York in: Where shall we meet?",
    ]
    teams = [o for o in objects(teams_card(poll)["body"]) if o.get("type") == "Action.Execute"]
    assert teams[0]["tooltip"] == "Vote for Leeds in: Where shall we meet?"
    assert 'aria-label="Vote for York in: Where shall we meet?">York</button>' in (
        playground_card(poll)
    )


def test_a_long_question_is_cut_after_a_whole_word_in_slacks_75_characters(chat):
    question = "How well did we share information with every partner organisation this week?"
    chat.says(ASHA, NORTH, f'poll "{question}" "Well" "Badly"')

    message = render_message(chat.last_message(NORTH), public_url="")
    label = next(o for o in objects(message) if o.get("type") == "button")["accessibility_label"]
    assert label == "Vote for Well in: How well did we share information with every partner…"
    assert len(label) <= 75


def test_a_check_in_from_its_post_to_its_summary_is_accessible_on_every_platform(
    chat, parser, clock
):
    seen = Seen(chat)
    posted = a_check_in(seen, clock)
    cards = check(seen, parser)

    scale = [b for b in buttons(posted) if b.isdigit()]
    assert scale == ["1", "2", "3", "4", "5"]  # the labels repeat for each scale question
    slack = render_message(posted, public_url="")
    names = [o["accessibility_label"] for o in objects(slack) if o.get("type") == "button"]
    assert "Answer 4 of 5 to: How confident are you that partners will deliver what…" in names
    assert "Answer 4 of 5 to: How well did this week's joint work serve our shared…" in names
    summary = cards[-1] if any(isinstance(b, Image) for b in cards[-1].blocks) else None
    assert summary is not None, "the summary, with its chart, was seen last"
    alt = next(b.alt for b in summary.blocks if isinstance(b, Image))
    assert alt.startswith("Bar chart of the average answers (1 to 5)")
    assert alt in json.dumps(teams_card(summary, public_url=PUBLIC), ensure_ascii=False)


def test_a_purpose_round_from_invitation_to_adoption_is_accessible_on_every_platform(chat, parser):
    seen = Seen(chat)
    editor = a_purpose_round(seen)
    cards = check(seen, parser)

    merge = selects(editor)
    assert merge and merge[0].spoken and merge[0].spoken.startswith("Merge 1. ")
    assert [c for c in cards if c.fallback.startswith("Our shared purpose")]
