"""The question coach's preview and the form it brings back, as Slack, Teams and the
playground render them: valid on each, with the finding and the way to post as written."""

from __future__ import annotations

import json

from adapters.playground.render import render_card as playground_card
from adapters.playground.render import render_form as playground_form
from adapters.slack.render import render_message, render_modal
from adapters.teams.render import render_card, render_form
from dialogs.core.cards import Form, Notify, OpenForm
from dialogs.core.events import ActionInvoked, CommandIssued
from tests.adapters.teams.test_teams_render import assert_valid
from tests.adapters.test_agreement_across_platforms import (  # noqa: F401  (the fixtures)
    LEAD,
    PUBLIC,
    SLACK,
    TEAMS,
    chat,
    parser,
)
from tests.stand_ins.slack_blocks import assert_valid_message, assert_valid_modal

DOUBLE = 'poll "Should we pool the budget and hire a shared analyst?" "Yes" "No" "Not sure"'
LEADING = {"question": "Don't you agree the new rota is better?", "options": "Yes\nNo"}


def test_the_held_preview_renders_on_every_platform(chat, parser):  # noqa: F811
    for place in (SLACK, TEAMS):
        effects = chat.engine.handle(CommandIssued(LEAD, place, DOUBLE))
        card = next(e.card for e in effects if isinstance(e, Notify))
        slack = render_message(card, public_url=PUBLIC)
        assert_valid_message(slack)
        teams = render_card(card, public_url=PUBLIC)
        assert_valid(parser, teams)
        for shown in (json.dumps(slack), json.dumps(teams), playground_card(card, private=True)):
            assert "This asks two questions at once" in shown
            assert "Split into two polls" in shown and "Post anyway" in shown


def test_the_form_with_findings_renders_on_every_platform(chat, parser):  # noqa: F811
    chat.says(LEAD, SLACK, "poll")
    effects = chat.engine.handle(ActionInvoked(LEAD, SLACK, "submit:poll", LEADING))
    form = next(e.form for e in effects if isinstance(e, OpenForm))
    assert_shown_everywhere(parser, form, "Post the question as written")


def test_the_edit_form_with_findings_renders_on_every_platform(chat, parser):  # noqa: F811
    chat.says(LEAD, SLACK, 'poll "Which day suits the June away day?" "Tue" "Thu"')
    reworded = f'poll edit 1 --question "{LEADING["question"]}"'
    effects = chat.engine.handle(CommandIssued(LEAD, SLACK, reworded))
    form = next(e.form for e in effects if isinstance(e, OpenForm))
    assert_shown_everywhere(parser, form, "Save the question as written")


def assert_shown_everywhere(parser, form: Form, switch: str) -> None:  # noqa: F811
    """`form` is valid on Slack and Teams, and each platform shows the finding and `switch`."""
    modal = render_modal(form, private_metadata="{}")
    assert_valid_modal(modal)
    teams = render_form(form)
    assert_valid(parser, teams)
    for shown in (json.dumps(modal), json.dumps(teams), playground_form(form)):
        assert "suggests which answer is wanted" in shown
        assert switch in shown
