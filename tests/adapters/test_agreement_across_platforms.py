"""A partnership split across platforms: Hilltop Trust votes in Slack, Riverside Trust in
Teams, and they disagree. The verdict of `--rule every-org` reaches both, rendered by each
platform's own adapter as valid Block Kit and a valid Adaptive Card, with the same words."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from adapters.slack.render import render_message
from adapters.teams.render import render_card
from bot.dispatcher import Dispatcher
from tests.adapters.teams.test_teams_render import assert_valid
from tests.stand_ins.adaptive_cards import AdaptiveCardsNode, running_parser
from tests.stand_ins.slack_blocks import assert_valid_message
from tests.support.conversation import Conversation, channel, person, poll_buttons

SLACK, TEAMS = channel("C-north", "slack"), channel("19:south", "teams")
LEAD = person("U-lead", "Lea Coordinator", "slack")
HILLTOP = [person(f"U-hill{i}", f"Hill {i}", "slack") for i in range(4)]
RIVERSIDE = [person(f"29:river{i}", f"River {i}", "teams") for i in range(3)]
VERDICT = "Does not pass: short in Riverside Trust by 60 points (0 % of 60 %)."
PUBLIC = "https://concord.example.nhs.uk"


@pytest.fixture(scope="module")
def parser() -> Iterator[AdaptiveCardsNode]:
    with running_parser() as node:
        yield node


@pytest.fixture
def chat(sqlite_database, clock):
    conversation = Conversation(sqlite_database, clock)
    both = {"slack": conversation.platform, "teams": conversation.platform}  # one recorder
    conversation.dispatcher = Dispatcher(sqlite_database, conversation.engine, both, clock)
    conversation.says(LEAD, SLACK, 'setup "Westshire Partnership"')
    code = conversation.says(LEAD, SLACK, "link").split("Link code: ")[1].split()[0]
    conversation.says(LEAD, TEAMS, f"link {code}")
    yield conversation
    conversation.close()


def test_slack_and_teams_organisations_disagree_and_both_read_the_verdict(chat, parser):
    for trust in ("Hilltop Trust", "Riverside Trust"):
        chat.says(LEAD, SLACK, f'org add "{trust}"')
    for someone in HILLTOP:
        chat.says(someone, SLACK, 'org join "Hilltop Trust"')
    for someone in RIVERSIDE:
        chat.says(someone, TEAMS, 'org join "Riverside Trust"')
    chat.says(LEAD, SLACK, 'poll "Open the shared clinic?" "Yes" "Not yet" --rule every-org 60')
    for people, place, label in ((HILLTOP, SLACK, "Yes"), (RIVERSIDE, TEAMS, "Not yet")):
        button = poll_buttons(chat.last_message(place))[label]
        for someone in people:
            chat.clicks(someone, place, button)
    chat.says(LEAD, SLACK, "poll close 1")

    slack = render_message(chat.last_message(SLACK), public_url=PUBLIC)
    assert_valid_message(slack)
    teams = render_card(chat.last_message(TEAMS), public_url=PUBLIC)
    assert_valid(parser, teams)
    for rendered in (json.dumps(slack, ensure_ascii=False), json.dumps(teams, ensure_ascii=False)):
        assert VERDICT in rendered
        assert "Lowest support in any organisation: Yes 0 % (Riverside Trust)" in rendered
        assert "Hilltop Trust (4 voters)" in rendered and "Riverside Trust (3 voters)" in rendered
