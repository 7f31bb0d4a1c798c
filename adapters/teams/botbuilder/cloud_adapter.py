"""botbuilder's aiohttp `CloudAdapter`, with the HTTP edge Concord needs.

`ConcordCloudAdapter.serve` replaces `CloudAdapter.process` (botbuilder 4.17.1)
and keeps everything behind it — authentication, the turn pipeline, the connector —
as botbuilder has it. What it changes:

- The turn is handed to the shared `TeamsBot` as the request's own JSON (what the Agents
  SDK's edge hands it too), with the turn's connector client as a `Connector`.

- Invoke responses are serialised once. botbuilder's `ActivityHandler` already turns
  an invoke's body into a dict (`serializer_helper`), and `CloudAdapter.process`
  runs `serializer_helper` on it again, which fails on a dict; so every invoke with
  a body (`adaptiveCard/action`, say) was an HTTP 500. Here a body that is still a
  msrest model is serialised, and a body that is already JSON is sent as it is.
- A malformed request is a 400 with the reason (botbuilder: a 500 for bad JSON or a
  missing Content-Type, a bare 400 for a missing type): `adapters.teams.requests`, as
  on the Agents SDK's edge.
- Any failure to authenticate is a 401 (botbuilder: a 500 for a token that is not
  a JWT). A token is only checked against Microsoft's signing keys once its issuer
  is one Bot Framework uses; garbage and foreign tokens are refused before that.
- The activity's `serviceUrl`, where the answer goes, must pass
  `service_url.problem` before anything is sent (a 400 otherwise): a host every URL
  parser reads alike; with credentials https, in local mode (no Microsoft app id,
  CONCORD_TEAMS_LOCAL) this machine. Local mode checks no token: the setting, never
  the peer's address, is what allows it.
- Connector clients are made once per Bot Connector and reused by every turn and
  every proactive call (`connectors.ReusedConnectors`): botbuilder makes two per turn.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import BotFrameworkAuthentication
from msrest.exceptions import DeserializationError
from msrest.serialization import Model

from adapters.teams.botbuilder.connectors import ReusedConnectors
from adapters.teams.botbuilder.port import BotbuilderConnector
from adapters.teams.connector import Json, OnActivity
from adapters.teams.requests import check_service_url, read_wire, unauthorized


class ConcordCloudAdapter(CloudAdapter):
    def __init__(
        self, bot_framework_authentication: BotFrameworkAuthentication, *, local: bool
    ) -> None:
        super().__init__(ReusedConnectors(bot_framework_authentication))
        self.local = local

    async def serve(self, request: web.Request, on_activity: OnActivity) -> web.Response:
        """Check, authenticate and run one request; its HTTP answer."""
        if request.method != "POST":
            raise web.HTTPMethodNotAllowed(request.method, ["POST"])
        wire = await read_wire(request)
        activity = _deserialized(wire)
        auth_header = request.headers.get("Authorization", "")  # i18n: not for readers
        try:
            authenticated = await self.bot_framework_authentication.authenticate_request(
                activity, auth_header
            )
        except Exception as error:  # any reason at all is a refusal, never a 500
            unauthorized(type(error).__name__)
        check_service_url(wire, local=self.local)

        async def turn(context: TurnContext) -> None:
            await _run_turn(context, wire, on_activity)

        invoke_response = await self.process_activity(authenticated, activity, turn)
        return invoke_http_response(invoke_response)


async def _run_turn(context: TurnContext, wire: Json, on_activity: OnActivity) -> None:
    """The turn handed on as JSON; an invoke's answer sent back as its response."""
    client = context.turn_state[context.adapter.BOT_CONNECTOR_CLIENT_KEY]
    answer = await on_activity(wire, BotbuilderConnector(client))
    if answer is not None:
        status, body = answer
        response = InvokeResponse(status=status, body=body)
        await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=response))


def invoke_http_response(invoke_response: InvokeResponse | None) -> web.Response:
    """The HTTP answer to a turn: an invoke's status and body (serialised once), else 201."""
    if invoke_response is None:
        return web.Response(status=201)
    body: Any = invoke_response.body
    if isinstance(body, Model):
        body = serializer_helper(body)
    status = int(invoke_response.status or 200)
    if body is None:
        return web.Response(status=status)
    return web.json_response(body, status=status)


def _deserialized(wire: Json) -> Activity:
    """The activity as botbuilder's model, or a 400 saying why it can't be one."""
    try:
        return Activity().deserialize(wire)
    except (DeserializationError, TypeError, ValueError, AttributeError) as error:
        malformed = f"the activity is malformed: {_first_line(error)}"  # i18n: not for readers
        raise web.HTTPBadRequest(text=malformed) from None


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0][:200]
