"""Signed but malformed Slack requests, as a crafted client could send them: each is answered
with a 2xx (nothing, or a private message) or a 4xx saying why, logged without a traceback,
and changes nothing; never a 500 (issue 16, item 3)."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlmodel import func, select

from storage.models import Ballot, Channel, Outbox, Poll
from tests.stand_ins import slack_payloads as slack
from tests.stand_ins.slack_signing import command_body, interaction_body, signed_headers

DEEP = "[" * 1000 + "]" * 1000


def stored(database) -> int:
    with database.session() as session:
        return sum(
            session.exec(select(func.count()).select_from(model)).one()
            for model in (Channel, Poll, Ballot, Outbox)
        )


def without(mapping: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if key not in keys}


def click(**overrides: Any) -> str:
    return interaction_body(slack.button_click("vote:1:1", **overrides))


def event(event: Any = None, **overrides: Any) -> str:
    envelope = slack.event_callback(slack.app_mention("<@U0LAN0Z89> help"))
    if event is not None:
        envelope["event"] = event
    return json.dumps({**envelope, **overrides})


def submission(**view: Any) -> str:
    payload = slack.view_submission("{}", {})
    payload["view"] = {**payload["view"], **view}
    return interaction_body(payload)


def command(**overrides: Any) -> str:
    return command_body(slack.slash_command('setup "North"', **overrides))


def submission_with(**overrides: Any) -> str:
    """A view submission with top-level keys changed (a modal's `response_urls`, say)."""
    return interaction_body({**slack.view_submission("{}", {}), **overrides})


def form(**fields: str) -> str:
    return urlencode(fields)


# (body, form-encoded?) for each kind of malformed request.
KINDS: list[Any] = [
    pytest.param('"hello"', False, id="body a JSON string"),
    pytest.param("[1, 2]", False, id="body a JSON list"),
    pytest.param(DEEP, False, id="body nested 1000 deep"),
    pytest.param(b"payload=\xff\xfe", True, id="body not UTF-8"),
    pytest.param("\x00", False, id="body a NUL"),
    pytest.param("payload=%00", True, id="payload a NUL"),
    pytest.param(form(payload="{not json"), True, id="payload not JSON"),
    pytest.param(form(payload="[1, 2]"), True, id="payload a list"),
    pytest.param(form(payload='"block_actions"'), True, id="payload a string"),
    pytest.param(form(payload=DEEP), True, id="payload nested 1000 deep"),
    pytest.param(form(payload='{"type": "block_actions", "x": "\\ud800"}'), True, id="surrogate"),
    pytest.param(form(payload='{"type": "wat"}'), True, id="payload type unknown"),
    pytest.param(form(payload='{"type": 7}'), True, id="payload type a number"),
    pytest.param(click(user=None), True, id="click without user"),
    pytest.param(click(user="U1"), True, id="click user a string"),
    pytest.param(click(team="T1"), True, id="click team a string"),
    pytest.param(click(team=None), True, id="click without team"),
    pytest.param(click(channel="C1", container="x"), True, id="click channel a string"),
    pytest.param(click(actions=["vote:1:1"]), True, id="actions not dicts"),
    pytest.param(click(actions=[]), True, id="actions empty"),
    pytest.param(click(actions="x"), True, id="actions a string"),
    pytest.param(click(actions=[{"action_id": 7, "value": "vote:1:1"}]), True, id="action_id int"),
    pytest.param(click(actions=[{"action_id": "concord-1", "value": {}}]), True, id="value dict"),
    pytest.param(submission(state=None), True, id="view without state"),
    pytest.param(submission(state="x", private_metadata=7), True, id="view state a string"),
    pytest.param(interaction_body({**slack.view_submission("{}", {}), "view": "v"}), True, id="v"),
    pytest.param(interaction_body({"type": "shortcut"}), True, id="shortcut without anything"),
    pytest.param(interaction_body({"type": "message_action", "user": 1}), True, id="message act"),
    pytest.param(event("app_mention"), False, id="event a string"),
    pytest.param(json.dumps({"type": "shortcut", "view": None}), False, id="view null"),
    pytest.param(json.dumps({"type": "view_closed", "user": None}), False, id="view missing"),
    pytest.param(json.dumps({"type": "message_action", "event": None}), False, id="event null"),
    pytest.param(json.dumps(without(json.loads(event()), "event")), False, id="event missing"),
    pytest.param(event({"type": "app_mention", "text": ["x"]}), False, id="event text a list"),
    pytest.param(event({"text": "hi"}), False, id="event without type"),
    pytest.param(event().replace("help", "poll \\ud800"), False, id="event text a lone surrogate"),
    pytest.param(event(authorizations="x"), False, id="authorizations a string"),
    pytest.param(event(authorizations=["x"]), False, id="authorizations not dicts"),
    pytest.param(event(authorizations=[{"user_id": 7, "team_id": []}]), False, id="auth types"),
    pytest.param(event(team_id=["T1"]), False, id="team_id a list"),
    pytest.param(json.dumps({"type": "wat"}), False, id="unknown type"),
    pytest.param(json.dumps({"type": "url_verification", "challenge": []}), False, id="challenge"),
    pytest.param(command_body(without(slack.slash_command("help"), "command")), True, id="no cmd"),
    pytest.param(command_body(without(slack.slash_command("help"), "text")), True, id="no text"),
    pytest.param(command_body(without(slack.slash_command("x"), "user_id")), True, id="no user"),
    pytest.param(command_body(slack.slash_command("poll " + "x" * 100_000)), True, id="huge text"),
]


@pytest.mark.parametrize(("body", "is_form"), KINDS)
async def test_a_signed_malformed_request_is_answered_without_a_500(
    slack_app, caplog, body, is_form
):
    response = await slack_app.client.post(
        "/slack/events", data=body, headers=signed_headers(body, form=is_form)
    )
    await slack_app.deliver()

    assert response.status < 500, await response.text()
    assert_one_quiet_line(caplog, refused=response.status >= 400)
    assert stored(slack_app.database) == 0


@pytest.mark.parametrize(("body", "is_form"), KINDS)
async def test_an_unsigned_malformed_request_with_a_timestamp_is_a_401(
    slack_app, caplog, body, is_form
):
    headers = signed_headers(body, form=is_form)
    del headers["X-Slack-Signature"]
    response = await slack_app.client.post("/slack/events", data=body, headers=headers)

    assert response.status in (400, 401), await response.text()
    assert_one_quiet_line(caplog, refused=True)
    assert stored(slack_app.database) == 0


def assert_one_quiet_line(caplog, *, refused: bool) -> None:
    """No traceback, no error; one line for a refusal (ours, or bolt's "unhandled")."""
    assert [record.getMessage() for record in caplog.records if record.exc_info] == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == (1 if refused else 0), warnings


@pytest.mark.parametrize(
    ("body", "is_form", "words"),
    [
        (DEEP, False, "The JSON is nested more than 64 levels deep."),
        (form(payload=DEEP), True, "The JSON is nested more than 64 levels deep."),
        (event().replace("help", "poll \\ud800"), False, "lone surrogate"),
        ('"hello"', False, "The JSON is a string, not an object."),
        (click(actions=[]), True, "A block_actions payload has no actions."),
        (
            event(authorizations="x"),
            False,
            "`authorizations` in the body is not a list of objects.",
        ),
        (event("app_mention"), False, "`event` in the body is not an object."),
        (submission_with(response_urls=None), True, "`response_urls` is not a list of objects."),
    ],
)
async def test_a_refusal_says_why_in_the_answer_and_in_one_log_line(
    slack_app, caplog, body, is_form, words
):
    response = await slack_app.client.post(
        "/slack/events", data=body, headers=signed_headers(body, form=is_form)
    )

    assert response.status == 400
    assert words in await response.text()
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 1 and messages[0].startswith("refused a Slack request: ")
    assert words in messages[0]
