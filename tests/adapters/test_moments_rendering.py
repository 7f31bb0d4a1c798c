"""A deadline in every adapter: Slack's date token, Teams' reader zone, the playground's
`<time>`; always the collaborative's time as the fallback; never a token people can forge.

Poll #1 closes Friday 27 November 2026 at 17:00 in London (GMT): 18:00 in Paris, 12:00 in
New York.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from adapters.playground.render import render_card as playground_card
from adapters.slack.render import render_message
from adapters.teams.render import render_card as teams_card
from adapters.teams.render import summary
from dialogs.core.cards import Card, Context, FieldItem, Fields, Heading, Text
from dialogs.core.events import CommandIssued
from dialogs.core.moments import END, MIDDLE, START, in_zone, moment, plain
from tests.stand_ins.slack_blocks import assert_valid_message, mrkdwn_texts
from tests.support.conversation import ASHA, NORTH, Conversation, text_of

CLOSES = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
UNIX = int(CLOSES.timestamp())
FALLBACK = "Fri 27 Nov 2026 17:00 GMT"
TYPED = "Tea & <biscuits> *now* <!channel>"


@pytest.fixture
def chat(database, clock) -> Iterator[Conversation]:
    conversation = Conversation(database, clock)
    conversation.says(ASHA, NORTH, 'setup "Northshire"')
    yield conversation
    conversation.close()


def deadline_card(zone: str | None = None) -> Card:
    when = moment(CLOSES, "Europe/London")
    return Card(
        blocks=[
            Heading(text=f"Closes {when}"),
            Text(text=f"{TYPED} · closes {when}"),
            Fields(items=[FieldItem(label="Poll #1", value=f"closes {when}")]),
            Context(text=f"Answers open until {when}"),
        ],
        fallback=f"Poll #1 closes {when}",
        zone=zone,
    )


def test_a_moment_falls_back_to_the_collaboratives_time_and_reads_in_any_zone():
    text = f"closes {moment(CLOSES, 'Europe/London')}"
    assert plain(text) == f"closes {FALLBACK}"
    assert in_zone(text, "Europe/Paris") == "closes Fri 27 Nov 2026 18:00 CET"
    assert in_zone(text, None) == f"closes {FALLBACK}"
    assert in_zone(text, "Not/AZone") == f"closes {FALLBACK}"
    cut = text[:12]  # a length limit cut the token: what is left of it shows, no marks
    assert plain(cut) == cut.replace(START, "")


def test_slack_shows_a_date_token_each_reader_sees_in_their_own_zone():
    message = render_message(deadline_card(), public_url="")
    assert_valid_message(message)
    token = f"<!date^{UNIX}^{{date_short_pretty}} {{time}}|{FALLBACK}>"
    texts = mrkdwn_texts(message)
    assert f"Tea &amp; &lt;biscuits&gt; *now* &lt;!channel&gt; · closes {token}" in texts
    assert f"closes {token}" in " ".join(texts)
    assert message["text"] == f"Poll #1 closes {token}"
    header = message["blocks"][0]
    assert header["text"] == {"type": "plain_text", "text": f"Closes {FALLBACK}"}
    assert START not in str(message) and END not in str(message)


def test_teams_keeps_the_collaboratives_time_in_shared_messages():
    card = teams_card(deadline_card())
    shown = str(card)
    assert shown.count(FALLBACK) == 5  # four blocks and the fallbackText
    assert summary(deadline_card()) == f"Poll #1 closes {FALLBACK}"
    assert MIDDLE not in shown


def test_teams_shows_a_card_for_one_person_in_their_zone():
    card = teams_card(deadline_card(zone="America/New_York"))
    shown = str(card)
    assert shown.count("Fri 27 Nov 2026 12:00 EST") == 5
    assert "GMT" not in shown
    assert summary(deadline_card(zone="America/New_York")).endswith("12:00 EST")


def test_the_playground_gives_the_browser_the_instant_and_the_collaboratives_time():
    html = playground_card(deadline_card())
    element = f'<time datetime="{CLOSES.isoformat()}" data-moment>{FALLBACK}</time>'
    assert f"Tea &amp; &lt;biscuits&gt; *now* &lt;!channel&gt; · closes {element}" in html
    assert html.count("data-moment") == 4
    assert START not in html


def test_text_a_person_types_can_never_become_a_moment(chat, database):
    forged = f"{START}0{MIDDLE}<!here>{END}"
    chat.says(ASHA, NORTH, f'poll "Lunch {forged}?" "Yes" "No" --closes friday 17:00')
    posted = chat.last_message(NORTH)
    assert "Lunch 0<!here>?" in text_of(posted)
    slack = render_message(posted, public_url="")
    assert "&lt;!here&gt;" in str(slack)
    assert "<!date^0^" not in str(slack)
    assert f"<!date^{UNIX}^" in str(slack)  # the deadline Concord wrote is one
    effects = chat.engine.handle(CommandIssued(ASHA, NORTH, f"me timezone {forged}"))
    assert START not in str(effects) and END not in str(effects)
