"""What Concord's botbuilder transport fixes in botbuilder itself (not a contract test: the
Agents SDK transport has no such bug to fix)."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from botbuilder.core import Bot, InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ActivityTypes

from adapters.teams.botbuilder.cloud_adapter import ConcordCloudAdapter
from adapters.teams.package import MESSAGING_PATH
from tests.adapters.teams.harness import TeamsHarness, words
from tests.stand_ins import teams_activities as teams


class _AnsweringBot(Bot):
    """A bot answering every invoke as `TeamsBot` does: a body that is already JSON."""

    async def on_turn(self, context: TurnContext) -> None:
        body = {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive"}
        response = InvokeResponse(status=200, body={**body, "value": {}})
        await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=response))


@pytest.mark.parametrize("fixed", [False, True], ids=["botbuilder", "concord"])
async def test_an_invoke_with_a_body_is_answered_once_serialised(database, stub, clock, fixed):
    """botbuilder 4.17.1's CloudAdapter.process serialises an invoke's body again; a body
    that is already JSON fails there, so every Action.Execute was a 500."""
    authentication = ConfigurationBotFrameworkAuthentication(object())
    activity = teams.execute(stub.service_url, {"action": "help-me"})
    async with TeamsHarness(database, stub, clock, sdk="botbuilder") as concord:

        async def messages(request: web.Request) -> web.Response:
            if not fixed:
                return await CloudAdapter(authentication).process(request, _AnsweringBot())
            adapter = ConcordCloudAdapter(authentication, local=True)
            return await adapter.serve(request, concord.transport.bot.on_activity)

        app = web.Application()
        app.router.add_post(MESSAGING_PATH, messages)
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            response = await client.post(MESSAGING_PATH, json=activity)
            if not fixed:
                assert response.status == 500
                return
            assert response.status == 200
            body = await response.json()
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "no action called “help-me”" in words(body["value"])
