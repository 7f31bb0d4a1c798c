"""Concord's Teams transport in an aiohttp test app, on either SDK, and what tests read back.

Every Teams test runs once per transport (the `teams_sdk` fixture in tests/conftest.py,
over tests/support/teams_sdks.py): the same activities in, the same connector calls out,
whichever SDK serves `/api/messages`. The Bot Connector is the local stub
(tests/stand_ins/teams_connector.py), named by each activity's `serviceUrl`.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import func, select

from adapters.teams.config import TeamsConfig
from adapters.teams.package import MESSAGING_PATH
from adapters.teams.port import TEAMS_LIMITS
from adapters.teams.transport import TeamsTransport
from bot.app import json_errors
from bot.dispatcher import Dispatcher
from dialogs.engine import Engine
from dialogs.runner import EngineRunner
from storage.database import Database
from tests.stand_ins import teams_activities as teams
from tests.stand_ins.teams_connector import TeamsConnectorStub
from tests.support.fakes import FakeClock


class TeamsHarness:
    """Concord's Teams transport in an aiohttp app, the outbox delivering to the stub."""

    def __init__(
        self,
        database: Database,
        stub: TeamsConnectorStub,
        clock: FakeClock,
        runner: EngineRunner | None = None,
        *,
        sdk: str = "botbuilder",
        **config: Any,
    ) -> None:
        """`runner`: share one engine with another transport, as `bot.app` does. Local mode
        (CONCORD_TEAMS_LOCAL) unless `config` has an `app_id`."""
        self.database = database
        self.stub = stub
        self.clock = clock
        self.sdk = sdk
        self.runner = runner or EngineRunner(Engine(database, clock=clock))
        self.engine = self.runner.engine
        self.transport = TeamsTransport(
            self.runner,
            TeamsConfig(**{"local": not config.get("app_id"), "sdk": sdk, **config}),
            after_change=lambda: None,
            clock=clock,
        )
        self.dispatcher = Dispatcher(
            database, self.engine, {"teams": self.transport.port}, clock=clock
        )
        app = web.Application(middlewares=[json_errors])
        self.transport.add_routes(app)
        self.client = TestClient(TestServer(app, host="127.0.0.1"))

    async def __aenter__(self) -> TeamsHarness:
        await self.client.start_server()
        await self.transport.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.transport.stop()
        await self.client.close()

    async def send(self, activity: dict[str, Any], **headers: str) -> ClientResponse:
        return await self.client.post(MESSAGING_PATH, json=activity, headers=headers)

    async def say(self, text: str, kind: str = "channel") -> ClientResponse:
        response = await self.send(teams.message(self.stub.service_url, text, kind))
        assert response.status == 201, await response.text()
        return response

    async def deliver(self) -> None:
        """Deliver the outbox as it would be once Teams' update window has passed."""
        self.clock.advance(seconds=TEAMS_LIMITS.coalesce_seconds + 0.1)
        await self.dispatcher.drain()

    def posts(self, conversation: str = teams.TEAM_CHANNEL) -> list[Any]:
        return [c for c in self.stub.calls_to("send") if c.conversation_id == conversation]

    def private(self) -> list[Any]:
        """Messages to the person's 1:1 chat with Concord."""
        chat = f"a:chat-{teams.USER_ID}"
        return [c for c in self.stub.calls_to("send") if c.conversation_id.startswith(chat)]


def count(database: Database, model: Any, *where: Any) -> int:
    with database.session() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


def submit_actions(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{button title: data} of every Action.Submit in a card, however nested."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if node.get("type") == "Action.Submit" and isinstance(node.get("data"), dict):
                found[node.get("title", "")] = node["data"]
            for value in node.values():
                walk(value)

    walk(card)
    return found


def words(node: Any) -> str:
    return json.dumps(node, ensure_ascii=False)


async def a_poll(teams_app: TeamsHarness) -> Any:
    await teams_app.say('setup "North"')
    await teams_app.say('poll "Lunch?" "Soup" "Salad"')
    await teams_app.deliver()
    return teams_app.posts()[-1]
