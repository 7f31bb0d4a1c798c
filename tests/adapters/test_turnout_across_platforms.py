"""The poll card's turnout line, as Slack, Teams and the playground show it: the same words,
an organisation's name escaped, and a card that stays within Slack's 50 blocks with its
vote buttons, however many options and organisations there are."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from adapters.playground.render import render_card as playground_card
from adapters.slack.render import render_message
from adapters.teams.render import render_card
from bot.dispatcher import Dispatcher
from tests.adapters.teams.test_teams_render import assert_valid
from tests.stand_ins.adaptive_cards import AdaptiveCardsNode, running_parser
from tests.stand_ins.slack_blocks import assert_valid_message
from tests.support.conversation import Conversation, channel, person, poll_buttons

SLACK, TEAMS = channel("C-north", "slack"), channel("19:south", "teams")
LEAD = person("U-lead", "Lea Coordinator", "slack")
HILLTOP = [person(f"U-hill{i}", f"Hill {i}", "slack") for i in range(3)]
RIVERSIDE = [person(f"29:river{i}", f"River {i}", "teams") for i in range(4)]
PUBLIC = "https://concord.example.nhs.uk"
TRUST = "Riverside <NHS> & Partners"


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
    for trust in ("Hilltop Trust", TRUST):
        conversation.says(LEAD, SLACK, f'org add "{trust}"')
    for someone in HILLTOP:
        conversation.says(someone, SLACK, 'org join "Hilltop Trust"')
    for someone in RIVERSIDE:
        conversation.says(someone, TEAMS, f'org join "{TRUST}"')
    yield conversation
    conversation.close()


def rendered(chat, parser) -> dict[str, str]:
    slack = render_message(chat.last_message(SLACK), public_url=PUBLIC)
    assert_valid_message(slack)
    teams = render_card(chat.last_message(TEAMS), public_url=PUBLIC)
    assert_valid(parser, teams)
    return {
        "slack": json.dumps(slack, ensure_ascii=False),
        "teams": json.dumps(teams, ensure_ascii=False),
        "playground": playground_card(chat.last_message(SLACK)),
    }


@pytest.mark.parametrize("anonymous", [False, True])
def test_every_platform_shows_the_same_turnout_with_names_escaped(chat, parser, anonymous):
    flag = " --anonymous" if anonymous else ""
    chat.says(LEAD, SLACK, f'poll "Open the shared clinic?" "Yes" "Not yet"{flag}')
    for people, place in ((HILLTOP, SLACK), (RIVERSIDE[:1], TEAMS)):
        button = poll_buttons(chat.last_message(place))["Yes"]
        for someone in people:
            chat.clicks(someone, place, button)
    river = "fewer than 3 of 4" if anonymous else "1 of 4"
    shown = rendered(chat, parser)
    assert (
        f"Turnout: Hilltop Trust 3 of 3 · Riverside &lt;NHS&gt; &amp; Partners {river}"
        in (shown["slack"])
    )
    assert (
        f"Turnout: Hilltop Trust 3 of 3 · Riverside \\\\<NHS\\\\> & Partners {river}"
        in (shown["teams"])
        or f"Riverside &lt;NHS&gt; &amp; Partners {river}" in shown["teams"]
    )
    assert (
        f"Turnout: Hilltop Trust 3 of 3 · Riverside &lt;NHS&gt; &amp; Partners {river}"
        in (shown["playground"])
    )
    assert "<NHS>" not in shown["slack"] + shown["playground"]


def test_many_options_and_organisations_stay_within_slacks_limits(chat, parser):
    for n in range(60):
        chat.says(LEAD, SLACK, f'org add "Primary Care Network number {n:02}"')
        for i in range(3):
            chat.says(
                person(f"U-pcn{n}-{i}", f"PCN {n} {i}", "slack"),
                SLACK,
                f'org join "Primary Care Network number {n:02}"',
            )
    options = " ".join(f'"Option {n}"' for n in range(20))
    chat.says(LEAD, SLACK, f'poll "Which first?" {options}')
    shown = rendered(chat, parser)
    assert "Primary Care Network number 00 0 of 3" in shown["slack"]
    assert " more" in shown["slack"] and "Primary Care Network number 59" not in shown["slack"]
    assert "Option 19" in json.dumps(json.loads(shown["slack"])["blocks"][-1])  # buttons kept
