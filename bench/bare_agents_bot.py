"""The second baseline for bench/teams_votes.py: a bare Microsoft 365 Agents SDK bot that only
answers, the Agents SDK's counterpart of bench/bare_teams_bot.py.

The Agents SDK's aiohttp hosting as its own samples serve it: an aiohttp app with its
`jwt_authorization_middleware`, an `AgentAuthConfiguration` in `app["agent_configuration"]`,
its `CloudAdapter` (over an `MsalConnectionManager` with that configuration as its service
connection), and POST /api/messages answered by
`start_agent_process`. With no Microsoft app id the configuration allows anonymous
requests (`anonymous_allowed`), so the middleware checks no token — what Concord's local
mode does. An agent whose `on_turn` answers an invoke (the `adaptiveCard/action` of an
`Action.Execute` click) with an empty HTTP 200 invoke response and does nothing else, so
every activity goes through the SDK's parsing, middleware and turn pipeline and is answered
(200 for an invoke, 202 otherwise) without a single call to the Bot Connector.
GET /healthz says when it listens.

    .venv/bin/python -m bench.bare_agents_bot PORT

It listens on 127.0.0.1 only.
"""

from __future__ import annotations

from aiohttp import web
from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import (
    CloudAdapter,
    jwt_authorization_middleware,
    start_agent_process,
)
from microsoft_agents.hosting.core import AgentAuthConfiguration, TurnContext

from bench.bare_serving import serve

ADAPTER = web.AppKey("adapter", CloudAdapter)


class SilentAgent:
    async def on_turn(self, context: TurnContext) -> None:
        if context.activity.type == ActivityTypes.invoke:
            answer = InvokeResponse(status=200)
            await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=answer))


AGENT = SilentAgent()


async def messages(request: web.Request) -> web.Response | None:
    return await start_agent_process(request, AGENT, request.app[ADAPTER])  # type: ignore[arg-type]


def web_app() -> web.Application:
    no_app_id = AgentAuthConfiguration(anonymous_allowed=True)
    app = web.Application(middlewares=[jwt_authorization_middleware])
    # The SDK's middleware reads its configuration under this plain string key.
    app["agent_configuration"] = no_app_id
    connections = MsalConnectionManager({"SERVICE_CONNECTION": no_app_id})
    app[ADAPTER] = CloudAdapter(connection_manager=connections)
    app.router.add_post("/api/messages", messages)
    return app


def main() -> None:
    serve(web_app())


if __name__ == "__main__":
    main()
