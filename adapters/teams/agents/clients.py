"""The Agents SDK's connector clients, made once per Bot Connector and token and reused.

The SDK's `RestChannelServiceClientFactory` makes, for every turn and every proactive
call, a new connector client and a new user-token client, each with its own aiohttp
session and the access token written into its headers, and closes both when the turn
ends. `ReusedClients` keeps them instead: connector clients by (service URL, token), and
one user-token client (Concord signs nobody in, so it is never called). Every turn and
every proactive call to a Bot Connector shares one client and one session.

The SDK's clients carry the access token they were made with, so making one means asking
Entra ID (through msal) first, at the start of every turn, even a vote whose answer rides
in the invoke response and calls no connector at all. Here a client asks for the token only
when it sends (`_signed`, an aiohttp client middleware), as botbuilder's clients do: msal
answers from its cache for about an hour, then renews it, and the same client carries the
new one. Closing a kept client at the end of a turn does nothing (`_KeptConnector`);
`close` closes them all. In local mode (no app id) every call is anonymous: no token at
all, and a `serviceUrl` on this machine (`service_url.problem`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable

from aiohttp import (
    ClientHandlerType,
    ClientMiddlewareType,
    ClientRequest,
    ClientResponse,
    ClientSession,
    hdrs,
)
from microsoft_agents.hosting.core import (
    ChannelServiceClientFactoryBase,
    ClaimsIdentity,
    TurnContext,
)
from microsoft_agents.hosting.core.authorization import AuthenticationConstants, Connections
from microsoft_agents.hosting.core.connector import ConnectorClientBase, UserTokenClientBase
from microsoft_agents.hosting.core.connector.client import UserTokenClient
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

CLIENTS_KEPT = 64
BEARER = "Bearer "  # i18n: not for readers


class _KeptConnector(TeamsConnectorClient):
    """A connector client that outlives the turn: the SDK's `close` leaves it open."""

    async def close(self) -> None:
        """Kept for the next turn (`ReusedClients.close` closes it for good)."""

    async def dispose(self) -> None:
        await super().close()


class _KeptUserTokens(UserTokenClient):
    """The user-token client every turn is handed, never used by Concord: left open."""

    async def close(self) -> None:
        """Kept for the next turn (`ReusedClients.close` closes it for good)."""

    async def dispose(self) -> None:
        await super().close()


class ReusedClients(ChannelServiceClientFactoryBase):
    def __init__(
        self,
        connections: Connections,
        *,
        app_id: str | None,
        local: bool,
        kept: int = CLIENTS_KEPT,
    ) -> None:
        self._connections = connections
        self._app_id = app_id or "local"  # i18n: not for readers
        self._local = local
        self._kept = kept
        self._connectors: OrderedDict[tuple[str, str], _KeptConnector] = OrderedDict()
        self._user_tokens: _KeptUserTokens | None = None

    @property
    def clients_kept(self) -> int:
        return len(self._connectors)

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        key = (service_url, audience)
        client = self._connectors.get(key)
        if client is None:
            token = self._token(claims_identity, service_url, audience, scopes)
            middlewares = () if self._local else (_signed(token),)
            base = service_url if service_url.endswith("/") else f"{service_url}/"
            session = ClientSession(base_url=base, middlewares=middlewares)
            client = _KeptConnector(endpoint=service_url, token="", session=session)
            self._connectors[key] = client
            if len(self._connectors) > self._kept:
                await self._connectors.popitem(last=False)[1].dispose()
        self._connectors.move_to_end(key)
        return client

    async def create_user_token_client(
        self, context: TurnContext, claims_identity: ClaimsIdentity, use_anonymous: bool = False
    ) -> UserTokenClientBase:
        # Concord signs nobody in, so never calls it: the SDK asks for one every turn all
        # the same, and the same idle one serves them all.
        if self._user_tokens is None:
            self._user_tokens = _KeptUserTokens(
                AuthenticationConstants.AGENTS_SDK_OAUTH_URL, "", app_id=self._app_id
            )
        return self._user_tokens

    async def close(self) -> None:
        while self._connectors:
            await self._connectors.popitem()[1].dispose()
        if self._user_tokens is not None:
            await self._user_tokens.dispose()
            self._user_tokens = None

    def _token(
        self, claims: ClaimsIdentity, service_url: str, audience: str, scopes: list[str] | None
    ) -> Callable[[], Awaitable[str]]:
        """How a client for `service_url` gets Concord's access token when it sends."""
        provider = self._connections.get_token_provider(claims, service_url)
        wanted = scopes or claims.get_token_scope()
        return lambda: provider.get_access_token(audience, wanted)


def _signed(token: Callable[[], Awaitable[str]]) -> ClientMiddlewareType:
    """A client middleware that puts Concord's access token on each request it sends."""

    async def sign(request: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        request.headers[hdrs.AUTHORIZATION] = BEARER + await token()
        return await handler(request)

    return sign
