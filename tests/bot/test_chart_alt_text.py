"""Every chart says its figures in words (D-13): the result card's and the check-in summary's
image carry them as alt text, and each platform keeps it (Slack `alt_text`, Teams `altText`,
the playground's `<img alt>`)."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest

from adapters.playground.render import render_card as playground_card
from adapters.slack.render import render_message
from adapters.teams.render import render_card as teams_card
from dialogs.core.cards import Card, Image
from tests.bot.test_charts import closed_check_in_summary
from tests.support.conversation import ASHA, BEN, CARYS, NORTH, Conversation
from tests.support.fakes import FakeClock

PUBLIC = "https://concord.example.org"


@pytest.fixture
def chat(sqlite_database):
    conversation = Conversation(sqlite_database, FakeClock(datetime(2026, 11, 30, 8, tzinfo=UTC)))
    conversation.says(ASHA, NORTH, 'setup "Charts"')
    for someone in (BEN, CARYS):
        conversation.says(someone, NORTH, "help")
    yield conversation
    conversation.close()


def chart_alt(card: Card) -> str:
    return next(b.alt for b in card.blocks if isinstance(b, Image))


def closed_poll(chat, poll: str, ballots: dict) -> Card:
    chat.says(ASHA, NORTH, poll)
    for who, action in ballots.items():
        chat.clicks(who, NORTH, action)
    chat.says(ASHA, NORTH, "poll close 1")
    return chat.last_message(NORTH)


def test_a_closed_polls_chart_says_each_figure_and_the_winner(chat):
    card = closed_poll(
        chat,
        'poll "Which first?" "Beds" "Discharge" "Workforce"',
        {ASHA: "vote:1:1", BEN: "vote:1:1", CARYS: "vote:1:2"},
    )
    assert chart_alt(card) == "Bar chart: Beds 2 votes (winner), Discharge 1, Workforce 0."


def test_a_consent_chart_counts_people_per_stance(chat):
    card = closed_poll(
        chat,
        'poll "We pool our waiting-list data" --type consent',
        {ASHA: "stance:1:agree", BEN: "stance:1:agree"},
    )
    assert chart_alt(card).startswith("Bar chart: Agree 2 people")


def test_the_first_check_in_summary_says_its_averages_not_a_trend(sqlite_database):
    alt = chart_alt(closed_check_in_summary(sqlite_database))
    assert alt.startswith("Bar chart of the average answers (1 to 5) on 30 Nov: “How confident")
    assert "no answers" in alt and "Line chart" not in alt


ALT = "Bar chart: Beds 2 votes (winner), Discharge 1 & <more>."


def test_slack_teams_and_the_playground_keep_the_alt_text():
    card = Card(blocks=[Image(url="/charts/abc.png", alt=ALT)], fallback="Result")
    slack = next(b for b in render_message(card, public_url=PUBLIC)["blocks"])
    assert (slack["type"], slack["alt_text"]) == ("image", ALT)
    teams = teams_card(card, public_url=PUBLIC)["body"][0]
    assert (teams["type"], teams["altText"]) == ("Image", ALT)
    assert f'alt="{html.escape(ALT)}"' in playground_card(card)
