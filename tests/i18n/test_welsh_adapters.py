"""Welsh comes out of the words Slack's and Teams' renderers add to the engine's cards: a
form's buttons and pickers, the question before a menu acts (a click Concord can't act
on: tests/adapters/teams/test_teams_welsh_outside_a_turn.py). The same in English reads
exactly as before.

Renderers run outside an engine turn, so they speak whatever language is current: here
`speaking(...)` sets it, as the adapters must for the card's reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest

from adapters.slack.confirm import choice_dialog
from adapters.slack.port import SlackPort
from adapters.slack.render import render_modal
from adapters.teams.render import render_form
from dialogs.core.cards import Card, Choice, Download, Select
from dialogs.core.language import speaking
from tests.i18n.conftest import ASHA_CY
from tests.support.conversation import NORTH, Conversation


@pytest.fixture
def chat(database, clock) -> Iterator[Conversation]:
    conversation = Conversation(database, clock)
    conversation.says(ASHA_CY, NORTH, 'setup "Gogledd Cymru"')
    yield conversation
    conversation.close()


def test_the_poll_form_on_slack_and_teams_reads_in_the_language_it_was_written_in(chat):
    welsh = chat.form(ASHA_CY, NORTH, "poll")
    english = chat.form(replace(ASHA_CY, locale="en-GB"), NORTH, "poll")
    with speaking("en"):  # whatever is current: the form's own language
        assert render_modal(welsh, private_metadata="")["close"]["text"] == "Canslo"
        assert '"label": "Amser"' in json.dumps(render_form(welsh), ensure_ascii=False)
    with speaking("cy"):
        assert render_modal(english, private_metadata="")["close"]["text"] == "Cancel"
        assert '"label": "Time"' in json.dumps(render_form(english), ensure_ascii=False)


def test_slack_asks_in_welsh_before_a_menu_acts():
    menu = Select(placeholder="Dewis", choices=[Choice(label="Cawl", value="poll:vote:1:1")])
    with speaking("cy"):
        dialog = choice_dialog(menu)
    assert dialog["text"]["text"] == "Bwrw ymlaen â'ch dewis?"
    assert (dialog["confirm"]["text"], dialog["deny"]["text"]) == ("Bwrw ymlaen", "Ddim eto")
    with speaking("en"):
        dialog = choice_dialog(menu)
    assert (dialog["confirm"]["text"], dialog["deny"]["text"]) == ("Go ahead", "Not yet")


def test_a_card_written_in_welsh_is_rendered_for_slack_in_welsh_whatever_is_current():
    download = Download(
        filename="pleidleisiau.csv", media_type="text/csv", url="/exports/abc", size=10
    )
    port = SlackPort(lambda team: "xoxb-test", public_url="https://concord.example")
    with speaking("en"):
        welsh = port.render(Card(blocks=[download], fallback="Allforio", language="cy"))
        english = port.render(Card(blocks=[download], fallback="Export", language="en"))
    assert "Mae *pleidleisiau.csv* ar ei ffordd i'ch negeseuon uniongyrchol gyda Concord." in (
        json.dumps(welsh, ensure_ascii=False)
    )
    assert "*pleidleisiau.csv* is on its way to your direct messages with Concord." in (
        json.dumps(english, ensure_ascii=False)
    )
