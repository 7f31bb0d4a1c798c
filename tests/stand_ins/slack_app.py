"""Concord's Slack transport under test: signed requests in, a local Slack Web API out.

`SlackHarness` wires the real pieces together — the engine on a real database, the
bolt app in an aiohttp app, the outbox dispatcher delivering to the local Web API
stub (tests/slack_api.py) — and speaks for Slack: every request it sends is signed,
and `deliver()` runs the outbox as the background dispatcher would.
"""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer

from adapters.slack.port import SLACK_LIMITS
from adapters.slack.transport import SlackConfig, SlackTransport
from bot.dispatcher import Dispatcher
from dialogs.engine import Engine
from dialogs.runner import EngineRunner
from storage.database import Database
from tests.stand_ins import slack_payloads as slack
from tests.stand_ins.slack_api import SlackApiStub
from tests.stand_ins.slack_signing import (
    SECRET,
    command_body,
    event_body,
    interaction_body,
    signed_headers,
)
from tests.support.fakes import FakeClock

BOT_TOKEN = "xoxb-test-token"


class SlackHarness:
    def __init__(
        self,
        database: Database,
        stub: SlackApiStub,
        clock: FakeClock,
        runner: EngineRunner | None = None,
        **config: Any,
    ) -> None:
        """`runner`: share one engine with another transport, as `bot.app` does."""
        self.database = database
        self.stub = stub
        self.clock = clock
        self.runner = runner or EngineRunner(Engine(database, clock=clock))
        self.engine = self.runner.engine
        settings = {"bot_token": BOT_TOKEN, "database_url": database.url, **config}
        self.transport = SlackTransport(
            self.runner,
            SlackConfig(api_url=stub.url + "/api/", signing_secret=SECRET, **settings),
            after_change=lambda: None,
        )
        self.dispatcher = Dispatcher(
            database, self.engine, {"slack": self.transport.port}, clock=clock
        )
        app = web.Application()
        self.transport.add_routes(app)
        self.client = TestClient(TestServer(app))

    async def __aenter__(self) -> SlackHarness:
        await self.client.start_server()
        await self.transport.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.transport.stop()
        await self.client.close()

    # Speaking for Slack.

    async def post(self, body: str, *, form: bool = True, **headers: str) -> ClientResponse:
        signed = {**signed_headers(body, form=form), **headers}
        return await self.client.post("/slack/events", data=body, headers=signed)

    async def command(self, text: str, **overrides: Any) -> dict[str, Any]:
        """Type `/concord text`; return the acknowledgement's JSON (the private reply)."""
        response = await self.post(command_body(slack.slash_command(text, **overrides)))
        assert response.status == 200, await response.text()
        body = await response.text()
        return json.loads(body) if body else {}

    async def interact(self, payload: dict[str, Any]) -> ClientResponse:
        """Send an interaction; its `response_url`, if it has one, leads to the stub."""
        if "response_url" in payload:
            payload = {**payload, "response_url": self.stub.response_url()}
        return await self.post(interaction_body(payload))

    async def click(self, value: str, **overrides: Any) -> ClientResponse:
        response = await self.interact(slack.button_click(value, **overrides))
        assert response.status == 200, await response.text()
        return response

    async def event(self, event: dict[str, Any], **headers: str) -> ClientResponse:
        envelope = slack.event_callback(event)
        return await self.post(event_body(envelope), form=False, **headers)

    async def deliver(self) -> None:
        """Deliver the outbox as it would be once Slack's update window has passed, and
        wait for private replies still on their way."""
        self.clock.advance(seconds=SLACK_LIMITS.coalesce_seconds)
        await self.dispatcher.drain()
        await self.transport.settle()

    # Reading what Slack was asked to show.

    def posts(self, channel: str = slack.CHANNEL) -> list[dict[str, Any]]:
        return [
            c.args for c in self.stub.calls_to("chat.postMessage") if c.args["channel"] == channel
        ]

    def updates(self) -> list[dict[str, Any]]:
        return [c.args for c in self.stub.calls_to("chat.update")]

    def ephemerals(self, user: str = slack.USER) -> list[str]:
        """Private replies to `user`, in order: ephemeral messages, and replies through a
        response URL (the stub's response URLs all belong to that one person here)."""
        private = {"chat.postEphemeral", "response_url"}
        return [
            c.args["text"]
            for c in list(self.stub.calls)
            if c.ok and c.method in private and c.args.get("user", user) == user
        ]


def button_values(message: dict[str, Any]) -> dict[str, str]:
    """{button label: action value} of every button in a posted message."""
    return {
        element["text"]["text"]: element["value"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button"
    }


def all_text(message: dict[str, Any]) -> str:
    """Everything a person reads in a message or view: its text and every block's words."""
    return json.dumps(message, ensure_ascii=False)


_DATE_TOKEN = re.compile(r"<!date\^\d{1,12}\^[^|>]*\|([^<>|]*)>")


def as_read(text: str) -> str:
    """`text` with each `<!date^…|fallback>` token as its fallback: the moment in the
    collaborative's zone, as Teams' shared messages show it (to compare the two)."""
    return _DATE_TOKEN.sub(r"\1", text)


def mrkdwn_texts(node: Any) -> list[str]:
    """Every mrkdwn text object's text in a message, view or block, however nested."""
    if isinstance(node, list):
        return [text for item in node for text in mrkdwn_texts(item)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if node.get("type") == "mrkdwn" else []
    return own + [text for value in node.values() for text in mrkdwn_texts(value)]
