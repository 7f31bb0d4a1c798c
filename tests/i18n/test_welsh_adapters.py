"""Welsh comes out of the words Slack's and Teams' renderers add to the engine's cards: a
form's buttons and pickers, a click Concord can't act on, the question before a menu
acts. The same in English reads exactly as before.

Renderers run outside an engine turn, so they speak whatever language is current: here
`speaking(...)` sets it, as the adapters must for the card's reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from adapters.slack.confirm import choice_dialog
from adapters.slack.port import SlackPort
from adapters.slack.render import render_modal
from adapters.teams.render import render_card, render_form
from adapters.teams.universal_actions import Refused, read_click
from dialogs.core.cards import Card, Choice, Download, Select
from dialogs.core.language import speaking
from tests.i18n.conftest import ASHA_CY
from tests.support.conversation import NORTH, Conversation

STRANGE_CLICK = {"action": {"verb": "dance", "data": {"action": "dance:1"}}}


@pytest.fixture
def chat(database, clock) -> Iterator[Conversation]:
    conversation = Conversation(database, clock)
    conversation.says(ASHA_CY, NORTH, 'setup "Gogledd Cymru"')
    yield conversation
    conversation.close()


def _refusal_shown_in_teams() -> str:
    with pytest.raises(Refused) as refused:
        read_click(STRANGE_CLICK)
    return json.dumps(render_card(refused.value.card), ensure_ascii=False)


def test_the_poll_form_on_slack_and_teams_reads_in_welsh_and_in_english(chat):
    form = chat.form(ASHA_CY, NORTH, "poll")
    with speaking("cy"):
        assert render_modal(form, private_metadata="")["close"]["text"] == "Canslo"
        assert '"label": "Amser"' in json.dumps(render_form(form), ensure_ascii=False)
    with speaking("en"):
        assert render_modal(form, private_metadata="")["close"]["text"] == "Cancel"
        assert '"label": "Time"' in json.dumps(render_form(form), ensure_ascii=False)


def test_a_click_concord_cannot_act_on_is_refused_in_welsh_on_teams():
    with speaking("cy"):
        shown = _refusal_shown_in_teams()
    assert "Does gan Concord ddim gweithred o'r enw “dance”, felly ni newidiodd dim." in shown
    assert "Rhowch gynnig ar y botwm eto; os yw hyn yn dal i ddigwydd, teipiwch" in shown
    with speaking("en"):
        shown = _refusal_shown_in_teams()
    assert "Concord has no action called “dance”, so nothing changed." in shown
    assert "Try the button again; if this keeps happening, type" in shown


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
