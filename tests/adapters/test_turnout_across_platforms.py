"""The poll card's turnout line, as Slack, Teams and the playground show it: the same words,
an organisation's name escaped, and a card that stays within Slack's 50 blocks with its
vote buttons, however many options and organisations there are."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from adapters.playground.render import render_card as playground_card
from adapters.slack.render import render_message
from adapters.teams.render import render_card
from dialogs.core.actions import DraftChoice
from storage.models import PollDraft
from tests.adapters.teams.test_teams_render import assert_valid
from tests.adapters.test_agreement_across_platforms import (  # noqa: F401  (the fixtures)
    LEAD,
    PUBLIC,
    SLACK,
    TEAMS,
    chat,
    parser,
)
from tests.stand_ins.slack_blocks import assert_valid_message
from tests.support.conversation import person, poll_buttons

HILLTOP = [person(f"U-hill{i}", f"Hill {i}", "slack") for i in range(3)]
RIVERSIDE = [person(f"29:river{i}", f"River {i}", "teams") for i in range(4)]
TRUST = "Riverside <NHS> & Partners"


def with_trusts(chat):  # noqa: F811  (the fixture imported above)
    """Hilltop Trust (3, in Slack) and a Riverside trust whose name needs escaping (4, Teams)."""
    for trust in ("Hilltop Trust", TRUST):
        chat.says(LEAD, SLACK, f'org add "{trust}"')
    for someone in HILLTOP:
        chat.says(someone, SLACK, 'org join "Hilltop Trust"')
    for someone in RIVERSIDE:
        chat.says(someone, TEAMS, f'org join "{TRUST}"')


def rendered(chat, parser) -> dict[str, str]:  # noqa: F811  (the fixtures imported above)
    """The poll card as each platform renders it, each checked valid."""
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
def test_every_platform_shows_the_same_turnout_with_names_escaped(chat, parser, anonymous):  # noqa: F811
    with_trusts(chat)
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


def test_many_options_and_organisations_stay_within_slacks_limits(chat, parser):  # noqa: F811
    with_trusts(chat)
    for n in range(60):
        chat.says(LEAD, SLACK, f'org add "Primary Care Network number {n:02}"')
        for i in range(3):
            chat.says(
                person(f"U-pcn{n}-{i}", f"PCN {n} {i}", "slack"),
                SLACK,
                f'org join "Primary Care Network number {n:02}"',
            )
    options = " ".join(f'"Option {n}"' for n in range(20))
    chat.says(LEAD, SLACK, f'poll "Which first?" {options}')  # the coach suggests a shortlist
    with chat.database.session() as session:
        draft_id = session.exec(select(PollDraft.id)).one()
    chat.clicks(LEAD, SLACK, DraftChoice(draft_id, "post").encode())  # posted anyway
    shown = rendered(chat, parser)
    assert "Primary Care Network number 00 0 of 3" in shown["slack"]
    assert " more" in shown["slack"] and "Primary Care Network number 59" not in shown["slack"]
    assert "Option 19" in json.dumps(json.loads(shown["slack"])["blocks"][-1])  # buttons kept
