"""The deadline picker on each platform (D-17): Slack's `datetimepicker`, Teams' `Input.Date`
and `Input.Time`, the playground's `<input type=datetime-local>`, each rendered valid and
holding the value, and each submission decoded into the ISO 8601 text the engine reads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from adapters.playground.render import render_form as playground_form
from adapters.slack.inbound import from_view_submission, modal_metadata
from adapters.slack.render import render_modal
from adapters.teams.inbound import card_action
from adapters.teams.render import render_form as teams_form
from dialogs.core.cards import DateTimeInput, Form
from dialogs.core.events import Place
from tests.stand_ins import slack_payloads as sp
from tests.stand_ins.adaptive_cards import AdaptiveCardsNode, running_parser
from tests.stand_ins.slack_blocks import assert_valid_modal

SUMMER_FIVE_PM = datetime(2027, 6, 30, 16, 0, tzinfo=UTC)  # 17:00 BST in London


def deadline_form(value: datetime | None = SUMMER_FIVE_PM) -> Form:
    picker = DateTimeInput(name="closes", label="Closes", timezone="Europe/London", value=value)
    return Form(title="New poll", action="submit:poll", submit_label="Start", inputs=[picker])


@pytest.fixture(scope="module")
def parser() -> Iterator[AdaptiveCardsNode]:
    with running_parser() as node:
        yield node


def test_slack_shows_its_own_picker_holding_the_deadline():
    here = Place("slack", sp.TEAM, sp.CHANNEL)
    view = render_modal(deadline_form(), private_metadata=modal_metadata("submit:poll", here))
    assert_valid_modal(view)
    (block,) = view["blocks"]
    assert block["label"]["text"] == "Closes", "Slack's picker shows the person's own zone"
    assert block["element"] == {
        "type": "datetimepicker",
        "action_id": "closes",
        "initial_date_time": int(SUMMER_FIVE_PM.timestamp()),
    }
    empty = render_modal(deadline_form(None), private_metadata="{}")
    assert "initial_date_time" not in empty["blocks"][0]["element"]


@pytest.mark.parametrize(
    ("picked", "submitted"),
    [
        (int(SUMMER_FIVE_PM.timestamp()), "2027-06-30T16:00:00+00:00"),
        (None, ""),
        ("soon", "soon"),  # forged: passed on for the engine to refuse by name
    ],
)
def test_a_slack_pick_arrives_as_the_instant_it_names(picked, submitted):
    metadata = modal_metadata("submit:poll", Place("slack", sp.TEAM, sp.CHANNEL))
    element = {"type": "datetimepicker", "selected_date_time": picked}
    event = from_view_submission(sp.view_submission(metadata, {"closes": element}))
    assert event is not None and event.form_values == {"closes": submitted}


def test_teams_shows_a_date_and_a_time_picker_in_the_collaboratives_zone(parser):
    card = teams_form(deadline_form())
    parser_problems = parser.problems([card])
    assert parser_problems == [[]]
    row = next(item for item in card["body"] if item["type"] == "ColumnSet")
    day, time = (column["items"][0] for column in row["columns"])
    assert (day["type"], day["id"], day["value"]) == ("Input.Date", "closes", "2027-06-30")
    assert (time["type"], time["id"], time["value"]) == ("Input.Time", "closes.time", "17:00")
    assert day["label"] == "Closes (Europe/London time)"


@pytest.mark.parametrize(
    ("day", "time", "submitted"),
    [
        ("2027-06-30", "17:00", "2027-06-30T17:00"),
        ("2027-06-30", "", "2027-06-30"),
        ("", "", ""),
    ],
)
def test_a_teams_pick_arrives_as_one_wall_clock_value(day, time, submitted):
    data = {"action": "submit:poll", "closes": day, "closes.time": time}
    activity = dict(type="message", value=data)
    assert card_action(activity) == ("submit:poll", {"closes": submitted})


def test_the_playground_uses_the_browsers_picker_in_the_collaboratives_zone():
    html = playground_form(deadline_form())
    assert '<input type="datetime-local" id="form-input-0" name="closes" ' in html
    assert 'value="2027-06-30T17:00"' in html
    assert "Closes (Europe/London time)" in html
    assert 'data-input="text" data-name="closes"' in html, "posted as the value it shows"
