"""The deputy's buttons on each platform: Accept and Decline on the private request, and
“Vote for …” with the member's ballot form it opens, rendered as Slack Block Kit and as
Teams Adaptive Cards (a dialog for the form, a Universal Action for the answers)."""

from __future__ import annotations

import pytest

from adapters.slack.render import render_message, render_modal
from adapters.teams.render import render_card, render_form
from dialogs.core.cards import Card, Form, OpenForm
from dialogs.core.events import ActionInvoked
from tests.stand_ins.adaptive_cards import objects as teams_objects
from tests.stand_ins.slack_blocks import assert_valid_message, assert_valid_modal
from tests.stand_ins.slack_blocks import objects as slack_objects
from tests.support.conversation import ASHA, BEN, CARYS, NORTH, Conversation, buttons

PUBLIC = "https://concord.example.nhs.uk"


@pytest.fixture
def chat(sqlite_database, clock):
    conversation = Conversation(sqlite_database, clock)
    conversation.says(ASHA, NORTH, 'setup "Northshire"')
    conversation.says(ASHA, NORTH, 'org add "Trust A"')
    for someone in (BEN, CARYS):
        conversation.says(someone, NORTH, 'org join "Trust A"')
    yield conversation
    conversation.close()


def request(chat: Conversation) -> Card:
    chat.says(BEN, NORTH, "deputy @Carys Jones --until in 3 days")
    return next(card for actor, card in chat.platform.private if actor == CARYS)


def vote_for(chat: Conversation) -> tuple[Card, Form]:
    """Carys's own view of a ranked poll, once she is Ben's deputy, and the form it opens."""
    chat.clicks(CARYS, NORTH, buttons(request(chat))["Accept"])
    chat.says(ASHA, NORTH, 'poll "Order?" "A" "B" --type ranked')
    view = chat.engine.render_view("poll:1", CARYS)
    assert view is not None
    effects = chat.engine.handle(ActionInvoked(CARYS, NORTH, buttons(view)["Vote for Ben Okafor"]))
    return view, next(e.form for e in effects if isinstance(e, OpenForm))


def test_slack_shows_accept_and_decline_and_the_vote_for_button_and_form(chat):
    asked = render_message(request(chat), public_url=PUBLIC)
    assert_valid_message(asked)
    shown = {
        o["text"]["text"]: o["value"] for o in slack_objects(asked) if o.get("type") == "button"
    }
    assert shown == {"Accept": "deputy:1:accept", "Decline": "deputy:1:decline"}
    view, form = vote_for(chat)
    rendered = render_message(view, public_url=PUBLIC)
    assert_valid_message(rendered)
    assert any(
        o.get("value") == "form:proxy:1" and o["text"]["text"] == "Vote for Ben Okafor"
        for o in slack_objects(rendered)
    )
    modal = render_modal(form, private_metadata="{}")
    assert_valid_modal(modal)
    assert modal["submit"]["text"] == "Vote for Ben Okafor"


def test_teams_answers_with_universal_actions_and_opens_the_ballot_as_a_dialog(chat):
    asked = render_card(request(chat), public_url=PUBLIC)
    answers = [o for o in teams_objects(asked) if o.get("type") == "Action.Execute"]
    assert [(a["title"], a["verb"], a["data"]) for a in answers] == [
        ("Accept", "deputy", {"action": "deputy:1:accept"}),
        ("Decline", "deputy", {"action": "deputy:1:decline"}),
    ]
    view, form = vote_for(chat)
    opening = [
        o for o in teams_objects(render_card(view)) if o.get("title") == "Vote for Ben Okafor"
    ]
    assert [o["data"] for o in opening] == [
        {"msteams": {"type": "task/fetch"}, "action": "form:proxy:1", "view": "poll:1"}
    ]
    dialog = render_form(form)
    assert any(o.get("data", {}).get("action") == "submit:proxy:1" for o in teams_objects(dialog))
