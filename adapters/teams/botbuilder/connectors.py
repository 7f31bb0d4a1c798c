"""Bot Connector clients made once and reused, instead of twice per turn.

botbuilder 4.17.1 builds, for every turn (`CloudAdapter.process_activity`) and every
proactive call (`continue_conversation`, the outbox's posts and updates), a new
`ConnectorClient` and a new user-token client. Each is an msrest client whose
configuration builds a `ClientRetryPolicy` (999 status codes, each looked up in a
500-item list): most of the CPU botbuilder spends on a turn. With credentials, each new
client also has new `MicrosoftAppCredentials`, whose empty msal token cache means a
token fetched from Entra ID for the turn's first connector call.

`ReusedConnectors` wraps botbuilder's `BotFrameworkAuthentication` and keeps the
clients it hands out, by (app id, service URL, audience) and by app id: the same client
serves every turn and every proactive call to that Bot Connector. Tokens are not kept
with them: msrest asks the client's credentials for one on every request, and msal
answers from its cache until the token is about to expire, then fetches a new one.
Service URLs come from activities the transport has authenticated and checked
(`service_url.problem`) before their turn asks for a client; still, at most
`CLIENTS_KEPT` are kept, the least recently used dropped first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from botbuilder.schema import Activity
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.skills import BotFrameworkClient

CLIENTS_KEPT = 64

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _Kept(Generic[K, V]):
    """At most `size` values by key, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._values: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._values)

    async def get(self, key: K, make: Callable[[], Awaitable[V]]) -> V:
        value = self._values.get(key)
        if value is None:
            # Two turns may both miss and both make one: harmless, the later one is kept.
            value = self._values[key] = await make()
            if len(self._values) > self._size:
                self._values.popitem(last=False)
        self._values.move_to_end(key)
        return value


class _ReusingFactory(ConnectorFactory):
    """botbuilder's connector factory for one app id, handing out kept clients."""

    def __init__(
        self,
        made: ConnectorFactory,
        app_id: str,
        default_audience: str,
        clients: _Kept[tuple[str, str, str], ConnectorClient],
    ) -> None:
        self._made = made
        self._app_id = app_id
        self._default_audience = default_audience
        self._clients = clients

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        # botbuilder's factory reads no audience as the default one: one client for both.
        audience = audience or self._default_audience
        return await self._clients.get(
            (self._app_id, service_url, audience),
            lambda: self._made.create(service_url, audience),
        )


class ReusedConnectors(BotFrameworkAuthentication):
    """`BotFrameworkAuthentication` that authenticates as `inner` does and reuses the
    connector and user-token clients `inner` makes."""

    def __init__(self, inner: BotFrameworkAuthentication, *, kept: int = CLIENTS_KEPT) -> None:
        self._inner = inner
        self._clients: _Kept[tuple[str, str, str], ConnectorClient] = _Kept(kept)
        self._token_clients: _Kept[str, UserTokenClient] = _Kept(kept)

    @property
    def clients_kept(self) -> int:
        return len(self._clients)

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        result = await self._inner.authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = self._reusing(
                result.connector_factory, result.claims_identity
            )
        return result

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        return await self._inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return self._reusing(self._inner.create_connector_factory(claims_identity), claims_identity)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        return await self._token_clients.get(
            _app_id(claims_identity),
            lambda: self._inner.create_user_token_client(claims_identity),
        )

    def create_bot_framework_client(self) -> BotFrameworkClient:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self._inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)

    def _reusing(self, made: ConnectorFactory, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _ReusingFactory(
            made, _app_id(claims_identity), self.get_originating_audience(), self._clients
        )


def _app_id(claims_identity: ClaimsIdentity) -> str:
    """The app id botbuilder makes a turn's clients for: the token's audience, else its
    app id (botbuilder's `_BuiltinBotFrameworkAuthentication.get_app_id`)."""
    claims = claims_identity.claims if claims_identity is not None else {}
    return str(
        claims.get(AuthenticationConstants.AUDIENCE_CLAIM)
        or claims.get(AuthenticationConstants.APP_ID_CLAIM)
        or ""
    )
