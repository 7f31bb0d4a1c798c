"""The baseline for bench/teams_votes.py: a bare botbuilder bot that only answers.

One botbuilder `CloudAdapter` with the authentication Concord builds when it has no
Microsoft app id: `ConfigurationBotFrameworkAuthentication` over settings whose
`APP_ID` and `APP_PASSWORD` are empty and `APP_TYPE` is `MultiTenant` (botbuilder then
checks no token). A bot whose `on_turn` answers an invoke (the `adaptiveCard/action` of an
`Action.Execute` click) with an empty HTTP 200 invoke response and does nothing else, so
every activity goes through botbuilder's parsing, authentication and turn pipeline and is
answered (200 for an invoke, 201 otherwise) without a single call to the Bot Connector.
The response has no body: botbuilder's `CloudAdapter.process` can't send a body that is
already JSON (adapters/teams/botbuilder/cloud_adapter.py says why). It is served the way
Concord serves Teams: a plain aiohttp app, POST /api/messages, `await
adapter.process(request, bot)`. GET /healthz says when it listens.

    .venv/bin/python -m bench.bare_teams_bot PORT

It listens on 127.0.0.1 only.
"""

from __future__ import annotations

from aiohttp import web
from botbuilder.core import Bot, InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ActivityTypes

from bench.bare_serving import serve

ADAPTER = web.AppKey("adapter", CloudAdapter)
BOT = web.AppKey("bot", Bot)


class NoAppId:
    """What `adapters.teams.botbuilder.edge.BotSettings` holds without MICROSOFT_APP_ID."""

    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


class SilentBot(Bot):
    async def on_turn(self, context: TurnContext) -> None:
        if context.activity.type == ActivityTypes.invoke:
            answer = InvokeResponse(status=200)
            await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=answer))


async def messages(request: web.Request) -> web.Response:
    return await request.app[ADAPTER].process(request, request.app[BOT])


def web_app() -> web.Application:
    app = web.Application()
    app[ADAPTER] = CloudAdapter(ConfigurationBotFrameworkAuthentication(NoAppId()))
    app[BOT] = SilentBot()
    app.router.add_post("/api/messages", messages)
    return app


def main() -> None:
    serve(web_app())


if __name__ == "__main__":
    main()
