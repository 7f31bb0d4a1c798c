"""Generated signed Slack payloads sent to the real transport: real payloads with a few fields
replaced by generated values of any JSON type, at the top and one level in. None may answer
5xx or log a traceback (issue 16, item 3)."""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.slack.manifest import CREATE_POLL_CALLBACK_ID
from adapters.slack.render import FORM_CALLBACK_ID
from tests.fuzz.json_changes import changes
from tests.stand_ins import slack_payloads as slack
from tests.stand_ins.slack_app import SlackHarness
from tests.stand_ins.slack_signing import interaction_body, signed_headers

METADATA = json.dumps({"action": "vote:1:1", "channel": slack.CHANNEL})
REAL = [
    slack.button_click("vote:1:1"),
    slack.button_click("delete:1"),
    slack.select_choice("vote:1:2"),
    slack.view_submission(METADATA, {"choice": slack.select_state("1")}, FORM_CALLBACK_ID),
    slack.event_callback(slack.app_mention("<@U0LAN0Z89> help")),
    slack.event_callback(slack.direct_message("help")),
    {**slack.button_click("x"), "type": "shortcut", "callback_id": CREATE_POLL_CALLBACK_ID},
]
KEYS = [
    "type", "user", "team", "channel", "enterprise", "container", "view", "message", "event",
    "authorizations", "actions", "response_urls", "callback_id", "trigger_id", "command",
    "text", "is_enterprise_install", "is_ext_shared_channel", "workflow_step", "state",
    "private_metadata", "action_id", "value", "id", "team_id", "user_id", "channel_id",
    "enterprise_id", "selected_option", "values", "channel_type", "subtype", "user_team",
    "block_id", "message_ts", "ts", "thread_ts", "bot_id", "name", "username",
]  # fmt: skip
WORDS = ["", "T0001", "U2147483697", "C2147483705", "concord-1", "vote:1:1", "block_actions"]
WORDS += ["view_submission", "event_callback", "app_mention"]
CHANGES = changes(KEYS, WORDS)
INNER = ["user", "team", "channel", "view", "event", "message", "container", "state"]


def changed(real: dict[str, Any], top: dict, where: str, inner: dict) -> dict[str, Any]:
    """`real` with `inner` merged into its object `where` (or its action), then `top`."""
    payload = copy.deepcopy(real)
    if isinstance(payload.get(where), dict):
        payload[where].update(inner)
    if isinstance(payload.get("actions"), list) and where == "state":  # the clicked action
        payload["actions"][0].update(inner)
    return {**payload, **top}


PAYLOADS = st.builds(changed, st.sampled_from(REAL), CHANGES, st.sampled_from(INNER), CHANGES)


def test_changed_signed_payloads_never_answer_5xx(database, clock, stub, caplog):
    loop = asyncio.new_event_loop()

    async def started() -> SlackHarness:
        return await SlackHarness(database, stub, clock).__aenter__()

    harness = loop.run_until_complete(started())

    async def send(body: str, form: bool) -> int:
        headers = signed_headers(body, form=form)
        response = await harness.client.post("/slack/events", data=body, headers=headers)
        await harness.transport.settle()
        return response.status

    @settings(
        max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(PAYLOADS)
    def check(payload: dict[str, Any]) -> None:
        caplog.clear()
        form = payload.get("type") != "event_callback"
        if "response_url" in payload:
            payload["response_url"] = stub.response_url()
        body = interaction_body(payload) if form else json.dumps(payload)
        status = loop.run_until_complete(send(body, form))

        assert status < 500, body
        assert [r.getMessage() for r in caplog.records if r.exc_info] == [], body

    try:
        check()
    finally:
        loop.run_until_complete(harness.__aexit__())
        loop.close()
