"""Replays: a signed Slack request sent again within Slack's five-minute window.

An attacker who captured one signed `/concord` request can send it again, byte for
byte, until its timestamp goes stale. Each slash command carries its own
`trigger_id`; the first delivery records it with the change, so a replay does nothing.
"""

from __future__ import annotations

import logging

import pytest
from sqlmodel import func, select

from storage.models import Poll
from tests.stand_ins import slack_payloads as slack
from tests.stand_ins.slack_api import running_slack_api
from tests.stand_ins.slack_app import SlackHarness
from tests.stand_ins.slack_signing import command_body, interaction_body, signed_headers


@pytest.fixture
async def slack_app(database, clock):
    with running_slack_api() as stub:
        async with SlackHarness(database, stub, clock) as harness:
            yield harness


async def test_a_replayed_slash_command_runs_once_and_the_replays_say_nothing(slack_app, caplog):
    await slack_app.command('setup "North"')
    body = command_body(slack.slash_command('poll "Lunch?" "Soup" "Salad"'))
    headers = signed_headers(body)

    with caplog.at_level(logging.INFO, logger="dialogs.engine"):
        sent = [await slack_app.client.post("/slack/events", data=body, headers=headers)]
        sent += [await slack_app.client.post("/slack/events", data=body, headers=headers)]
        sent += [await slack_app.client.post("/slack/events", data=body, headers=headers)]
    await slack_app.deliver()

    first, *replays = [(response.status, await response.text()) for response in sent]
    assert first[0] == 200 and "Poll #1 is open" in first[1]
    assert replays == [(200, ""), (200, "")]
    with slack_app.database.session() as session:
        assert session.exec(select(func.count()).select_from(Poll)).one() == 1
    assert len(slack_app.posts()) == 1
    ignored = [
        r for r in caplog.records if r.getMessage() == "a delivery already handled was ignored"
    ]
    assert len(ignored) == 2 and all(r.levelno == logging.INFO for r in ignored)


async def test_a_replayed_poll_form_submission_makes_one_poll(slack_app):
    await slack_app.command('setup "North"')
    await slack_app.command("poll")
    form = slack_app.stub.calls_to("views.open")[-1].args["view"]
    typed = {
        "question": slack.text_state("Lunch?"),
        "options": slack.text_state("Soup\nSalad"),
    }
    body = interaction_body(slack.view_submission(form["private_metadata"], typed))
    headers = signed_headers(body)

    for _ in range(3):
        response = await slack_app.client.post("/slack/events", data=body, headers=headers)
        assert response.status == 200
    await slack_app.deliver()

    with slack_app.database.session() as session:
        assert session.exec(select(func.count()).select_from(Poll)).one() == 1
    assert len(slack_app.posts()) == 1
