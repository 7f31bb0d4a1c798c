"""How Slack reaches Concord: a slack-bolt `AsyncApp` served by our own aiohttp app, or
a Socket Mode connection; and the delivery port the outbox uses to answer.

Three ways to run, chosen by which credentials are set (see `SlackConfig`):
- one workspace: a bot token (`xoxb-…`);
- many workspaces: an OAuth client id and secret, installations kept in our database
  (`/slack/install` starts the flow, `/slack/oauth_redirect` finishes it);
- either of those over Socket Mode, with an app-level token (`xapp-…`): Concord dials
  out to Slack, so no public URL is needed on networks that block inbound traffic.

Over HTTP every request's signature is checked by bolt (a bad or stale one is a 401)
before a listener sees it. Listeners run before the response is sent
(`process_before_response`), so Slack's acknowledgement always follows the commit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from adapters.request_json import MalformedJson
from adapters.slack import inbound, well_formed
from adapters.slack.installations import SlackInstallations
from adapters.slack.listeners import SlackListeners
from adapters.slack.manifest import BOT_SCOPES, EVENTS_PATH, OAUTH_REDIRECT_PATH
from adapters.slack.port import SlackPort
from adapters.slack.profiles import SlackProfiles
from dialogs.core.ports import Concord

log = logging.getLogger(__name__)
_WHOLE_SECONDS = re.compile(r"[0-9]{1,12}")  # a Unix time, as Slack signs it
# A refused request's HTTP body, for whatever program sent it (Slack's servers, a script).
NOT_A_NUMBER = "The request's timestamp is not a number."  # i18n: not for readers
NOT_TEXT = "The request body is not UTF-8 text."  # i18n: not for readers
UNSIGNED = "The request's signature is missing, stale or wrong."  # i18n: not for readers

INSTALL_PATH = "/slack/install"


@dataclass(frozen=True)
class SlackConfig:
    api_url: str
    database_url: str
    signing_secret: str | None = None
    bot_token: str | None = None
    app_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    public_url: str = ""

    @property
    def uses_oauth(self) -> bool:
        return bool(self.client_id and self.client_secret)


class SlackTransport:
    """The Slack adapter as the composition root sees it: routes, a port, start and stop."""

    def __init__(
        self, concord: Concord, config: SlackConfig, *, after_change: Callable[[], None]
    ) -> None:
        self._config = config
        self.installations = (
            SlackInstallations(config.database_url, config.client_id or "")
            if config.uses_oauth
            else None
        )
        self.port = SlackPort(self._bot_token, public_url=config.public_url, api_url=config.api_url)
        self.bolt = self._bolt_app()
        profiles = SlackProfiles(self.port.user_profile)
        self._listeners = SlackListeners(
            concord, self.port, after_change, self.installations, profiles
        )
        secret = config.signing_secret
        self._verifier = SignatureVerifier(secret) if secret else None
        self._listeners.register(self.bolt)
        self._socket: AsyncSocketModeHandler | None = None

    def add_routes(self, app: web.Application) -> None:
        """HTTP endpoints; none when there is no signing secret (Socket Mode only)."""
        if not self._config.signing_secret:
            return
        app.router.add_post(EVENTS_PATH, self._dispatch)
        if self.bolt.oauth_flow is not None:
            app.router.add_get(INSTALL_PATH, self._install)
            app.router.add_get(OAUTH_REDIRECT_PATH, self._oauth_redirect)

    async def start(self) -> None:
        if self.installations is not None:
            await self.installations.prepare()
        if self._config.app_token:
            self._socket = AsyncSocketModeHandler(self.bolt, self._config.app_token)
            await self._socket.connect_async()
            log.info("connected to Slack over Socket Mode")

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        await self.settle()
        await self.port.close()
        if self.installations is not None:
            await self.installations.close()

    async def settle(self) -> None:
        """Wait for private replies still on their way (at shutdown, and in tests)."""
        await self._listeners.settle()

    async def _dispatch(self, request: web.Request) -> web.Response:
        stamp = request.headers.get("X-Slack-Request-Timestamp")
        if stamp is not None and not _WHOLE_SECONDS.fullmatch(stamp):
            # slack_sdk's verifier would raise on it (a 500): no signature can be good.
            log.warning("refused a Slack request whose timestamp is not a number")
            return web.Response(status=401, text=NOT_A_NUMBER)
        try:
            body, payload = await self._read(request)
        except _Refused as refusal:
            log.warning("refused a Slack request: %s", refusal.reason)
            return web.Response(status=refusal.status, text=refusal.reason)
        if (click := await self._vote_click(payload)) is not None:
            await self._listeners.clicked(click)
            return web.Response()
        bolt_request = AsyncBoltRequest(
            body=body, query=request.query_string, headers=request.headers
        )  # type: ignore[arg-type]
        return await to_aiohttp_response(await self.bolt.async_dispatch(bolt_request))

    async def _read(self, request: web.Request) -> tuple[str, dict[str, Any] | None]:
        """The body and its JSON payload (None for a plain form), once its signature is good
        and bolt can read it; else `_Refused` saying why.

        bolt parses a body before checking its signature, and reads it trusting Slack's
        shapes, so an unsigned or malformed body could make it raise (a 500): the signature
        (slack_sdk's verifier, with its five-minute window, as bolt uses) is checked first,
        then the shape (`well_formed`).
        """
        try:
            body = (await request.read()).decode("utf-8")
        except UnicodeDecodeError:
            raise _Refused(400, NOT_TEXT) from None
        stamp = request.headers.get("X-Slack-Request-Timestamp")
        signature = request.headers.get("X-Slack-Signature")
        if self._verifier is None or not self._verifier.is_valid(body, stamp, signature):
            raise _Refused(401, UNSIGNED)
        try:
            return body, well_formed.read(body, request.content_type)
        except MalformedJson as error:
            raise _Refused(400, str(error)) from None

    async def _vote_click(self, payload: dict[str, Any] | None) -> dict[str, Any] | None:
        """A click on a vote button, from an installed workspace, taken past bolt.

        A thousand people voting at once make vote clicks the hot path, and bolt's general
        dispatch (middleware chain, listener matching, argument building) costs a click
        more than storing its vote. The same checks are made: the signature (`_read`), then
        the workspace's installation. Anything else, or any doubt, goes to bolt, which
        answers as usual.
        """
        payload = inbound.vote_click(payload)
        if payload is None:
            return None
        team = payload.get("team")
        team_id = team.get("id") if isinstance(team, dict) else None
        if self.installations is not None and not (
            # Only an id is looked up: PostgreSQL refuses a NUL in a query (a 500).
            isinstance(team_id, str)
            and inbound.SLACK_ID.fullmatch(team_id)
            and await self.installations.bot_token(team_id)
        ):
            return None
        return payload

    async def _install(self, request: web.Request) -> web.Response:
        assert self.bolt.oauth_flow is not None
        bolt_response = await self.bolt.oauth_flow.handle_installation(_browser_visit(request))
        return await to_aiohttp_response(bolt_response)

    async def _oauth_redirect(self, request: web.Request) -> web.Response:
        assert self.bolt.oauth_flow is not None
        bolt_response = await self.bolt.oauth_flow.handle_callback(_browser_visit(request))
        return await to_aiohttp_response(bolt_response)

    async def _bot_token(self, team_id: str) -> str | None:
        if self.installations is not None:
            return await self.installations.bot_token(team_id)
        return self._config.bot_token

    def _bolt_app(self) -> AsyncApp:
        config = self._config
        token = config.bot_token if self.installations is None else None
        client = AsyncWebClient(token=token, base_url=_with_slash(config.api_url))
        common = {
            "logger": logging.getLogger("concord.slack.bolt"),
            "process_before_response": True,
            "signing_secret": config.signing_secret,
            # Socket Mode requests are not signed; over HTTP a secret is always set.
            "request_verification_enabled": bool(config.signing_secret),
            "client": client,
        }
        if self.installations is None:
            return AsyncApp(**common)  # the client carries the bot token
        public = config.public_url.rstrip("/")
        redirect = public + OAUTH_REDIRECT_PATH if public else None
        settings = AsyncOAuthSettings(
            client_id=config.client_id,
            client_secret=config.client_secret,
            scopes=list(BOT_SCOPES),
            redirect_uri=redirect,
            install_path=INSTALL_PATH,
            redirect_uri_path=OAUTH_REDIRECT_PATH,
            installation_store=self.installations.installation_store,
            installation_store_bot_only=True,
            state_store=self.installations.state_store,
        )
        return AsyncApp(
            oauth_settings=settings,
            installation_store=self.installations.installation_store,
            installation_store_bot_only=True,
            **common,
        )


class _Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _browser_visit(request: web.Request) -> AsyncBoltRequest:
    """An OAuth page visit as bolt reads it: the query and headers. A GET's body means
    nothing here, so it is never decoded (a body in a charset it isn't in was a 500)."""
    return AsyncBoltRequest(body="", query=request.query_string, headers=dict(request.headers))


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"
