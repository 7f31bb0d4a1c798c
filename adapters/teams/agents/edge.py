"""`/api/messages` on the Microsoft 365 Agents SDK: its `CloudAdapter` runs each turn, its
`JwtTokenValidator` checks each request's token against the SDK's connection
configuration (`config.connection_manager`: the same settings as botbuilder's, or the
SDK's own CONNECTIONS__ variables), and the shared `TeamsBot` handles the activity as the
request's own JSON, with the turn's connector client as a `Connector`.

The SDK's aiohttp hosting (`start_agent_process` behind `jwt_authorization_middleware`)
would do the same with other edges: a 500 for a token that fails in a way it doesn't
expect, a 401 before a malformed activity's 400, a 202 for a message, an activity checked
only for a type and a conversation, and the SDK's `on_turn_error` sending the exception's
text into the conversation. Here the request gets what botbuilder's edge gives
(`adapters.teams.requests`): 415/400 with the reason, any authentication failure a 401,
the `serviceUrl` checked before anything is sent, 201 for a message and the invoke's
answer for an invoke. Local mode (no app id) checks no token, as botbuilder's does.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from aiohttp import hdrs, web
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import ClaimsIdentity, JwtTokenValidator, TurnContext
from pydantic import ValidationError

from adapters.teams.agents.clients import BEARER, ReusedClients
from adapters.teams.agents.config import connection_manager
from adapters.teams.agents.port import AgentsPort, connector_of
from adapters.teams.config import TeamsConfig
from adapters.teams.connector import Invoked, Json, OnActivity
from adapters.teams.requests import check_service_url, read_wire, turn_response, unauthorized
from dialogs.core.clock import Clock

log = logging.getLogger(__name__)


class _ReadHere(logging.Filter):
    """The SDK logs every activity it can't read as an error, with a traceback; this edge
    answers one with a 400 saying why and logs it once, as one line (`_validated`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        sdk_says = "Validation error for Activity"  # i18n: not for readers
        return not record.getMessage().startswith(sdk_says)


_READ_HERE = _ReadHere()


class AgentsEdge:
    def __init__(
        self, config: TeamsConfig, clock: Clock, environ: Mapping[str, str] = os.environ
    ) -> None:
        self._local = config.local
        logging.getLogger("microsoft_agents.activity.activity").addFilter(_READ_HERE)
        connections = connection_manager(config, environ)
        self._validator = JwtTokenValidator(connections.get_default_connection_configuration())
        self.clients = ReusedClients(connections, app_id=config.app_id, local=config.local)
        self.adapter = CloudAdapter(channel_service_client_factory=self.clients)
        self.adapter.on_turn_error = None  # a failed turn is logged by aiohttp, never sent
        self.port = AgentsPort(self.adapter, config, clock)

    async def close(self) -> None:
        await self.clients.close()

    async def process(self, request: web.Request, on_activity: OnActivity) -> web.Response:
        """Check, authenticate and run one request; its HTTP answer."""
        wire = await read_wire(request)
        activity = _validated(wire)
        header = request.headers.get(hdrs.AUTHORIZATION, "")
        claims = await self._authenticated(header)
        check_service_url(wire, local=self._local)
        answers: list[Invoked] = []

        async def turn(context: TurnContext) -> None:
            answer = await on_activity(wire, connector_of(context))
            if answer is not None:
                answers.append(answer)

        await self.adapter.process_activity(claims, activity, turn)
        return turn_response(answers[0] if answers else None)

    async def _authenticated(self, header: str) -> ClaimsIdentity:
        """The token's claims; a 401 for any failure. In local mode: anonymous."""
        if self._local:
            return self._validator.get_anonymous_claims()
        token = header[len(BEARER) :].strip() if header.startswith(BEARER) else ""
        if not token:
            unauthorized("no bearer token")  # i18n: not for readers
        try:
            return await self._validator.validate_token(token)
        except Exception as error:  # any reason at all is a refusal, never a 500
            unauthorized(type(error).__name__)


def _validated(wire: Json) -> Activity:
    """The activity as the SDK's model, or a 400 saying why it can't be one."""
    try:
        return Activity.model_validate(wire)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        why = f"{where}: {first['msg']}"
    except Exception as error:  # the SDK's own checks raise a bare Exception: still a 400
        why = f"{type(error).__name__}: {error}"
    log.info("Teams request refused: the activity is malformed", extra={"why": why[:300]})
    malformed = f"the activity is malformed: {why}"  # i18n: not for readers
    raise web.HTTPBadRequest(text=malformed[:300])
