"""The Slack delivery port: the outbox's posts, updates and private notes, via the Web API.

One `AsyncWebClient` per bot token (a Slack team's install), cached, each with
slack_sdk's rate-limit retry handler allowing a single retry after `Retry-After`.
Whatever still fails becomes a `DeliveryError`: a 429 carries Slack's
`Retry-After`; refusals that no retry can fix (a missing channel, a revoked
token, invalid blocks…) are permanent; anything else (5xx, network errors,
timeouts) may be tried again. Tokens never appear in an error message or a log.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import orjson
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.inbound import PLATFORM
from adapters.slack.profiles import Profile
from adapters.slack.render import render_message
from dialogs.core.cards import Card
from dialogs.core.events import Actor, Place
from dialogs.core.language import current, speaking
from dialogs.core.ports import NEW_MESSAGES, DeliveryError, DeliveryLimits, ExportFile, Limit

SLACK_LIMITS = DeliveryLimits(
    limits=(
        Limit(1, 1.0, kinds=NEW_MESSAGES),  # chat.postMessage: about one a second per channel
        Limit(50, 60.0, kinds=frozenset({"update"}), scope="tenant"),  # chat.update: Tier 3
    ),
    coalesce_seconds=3.0,
)
DEFAULT_API_URL = AsyncWebClient.BASE_URL
RESPONSE_URL_HOST = "hooks.slack.com"
RESPONSE_URL_TIMEOUT_SECONDS = 10
JSON = {"Content-Type": "application/json"}
MAX_LOCALE = 35  # longer than any language tag Slack gives ("cy-GB")
RATE_LIMIT_RETRIES = 1

# Refusals that the same call made again cannot overcome.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "missing_scope",
        "message_not_found",
        "cant_update_message",
        "invalid_blocks",
        "msg_too_long",
        "user_not_in_channel",
        "not_authed",
    }
)

TokenLookup = Callable[[str], Awaitable[str | None]] | Callable[[str], str | None]


class SlackPort:
    """`PlatformPort` for Slack: `tokens` maps a team id (a place's tenant) to its bot token."""

    platform: str = PLATFORM
    limits: DeliveryLimits = SLACK_LIMITS

    def __init__(
        self, tokens: TokenLookup, *, public_url: str = "", api_url: str | None = None
    ) -> None:
        self._tokens = tokens
        self._public_url = public_url
        base = api_url or DEFAULT_API_URL
        self._api_url = base if base.endswith("/") else base + "/"
        # A local stand-in's scheme and host, where its response URLs may point too.
        api = urlsplit(self._api_url)
        self._stand_in = None if self._api_url == DEFAULT_API_URL else (api.scheme, api.netloc)
        self._clients: dict[str, AsyncWebClient] = {}
        self._session: aiohttp.ClientSession | None = None

    async def post(self, place: Place, delivery: dict[str, Any], card: Card) -> str:
        answer = await self._call(
            place.tenant_id,
            "chat.postMessage",
            channel=place.channel_id,
            thread_ts=place.thread_id,
            unfurl_links=False,
            unfurl_media=False,
            **self.render(card),
        )
        ts = answer.get("ts")
        if not isinstance(ts, str) or not ts:
            raise DeliveryError("Slack chat.postMessage answered without a message ts")
        return ts

    async def update(self, place: Place, delivery: dict[str, Any], ref: str, card: Card) -> None:
        await self._call(
            place.tenant_id, "chat.update", channel=place.channel_id, ts=ref, **self.render(card)
        )

    async def pin(self, place: Place, delivery: dict[str, Any], ref: str) -> None:
        """Pin a posted message (the adopted purpose) in its channel; needs `pins:write`."""
        await self._call(place.tenant_id, "pins.add", channel=place.channel_id, timestamp=ref)

    async def notify(
        self, actor: Actor, place: Place | None, delivery: dict[str, Any], card: Card
    ) -> None:
        if place is not None:
            await self._call(
                place.tenant_id,
                "chat.postEphemeral",
                channel=place.channel_id,
                user=actor.user_id,
                thread_ts=place.thread_id,
                **self.render(card),
            )
            return
        await self._call(
            actor.tenant_id,
            "chat.postMessage",
            channel=await self._direct_messages(actor),
            unfurl_links=False,
            unfurl_media=False,
            **self.render(card),
        )

    async def user_profile(self, team_id: str, user_id: str) -> Profile:
        """The time zone and language of the person's Slack profile (`users.info` `tz` and,
        asked for, `locale`), each "" if missing; a `DeliveryError` (with Slack's
        `Retry-After` when rate limited) if Slack refuses."""
        answer = await self._call(
            team_id, "users.info", form=True, user=user_id, include_locale="true"
        )
        user = answer.get("user")
        found = user if isinstance(user, Mapping) else {}
        zone, locale = found.get("tz"), found.get("locale")
        return Profile(
            zone if isinstance(zone, str) else "",
            locale if isinstance(locale, str) and len(locale) <= MAX_LOCALE else "",
        )

    async def send_file(self, actor: Actor, file: ExportFile, comment: str) -> None:
        """Upload `file` into the person's direct messages with Concord, as Slack asks:
        an upload URL, the bytes POSTed there, then the upload completed in that channel."""
        given = await self._call(
            actor.tenant_id,
            "files.getUploadURLExternal",
            form=True,
            filename=file.filename,
            length=len(file.content),
        )
        upload_url, file_id = given.get("upload_url"), given.get("file_id")
        if not isinstance(upload_url, str) or not isinstance(file_id, str):
            raise DeliveryError("Slack files.getUploadURLExternal answered without a URL")
        try:
            async with self._http().post(upload_url, data=file.content) as answer:
                await answer.read()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryError(f"Slack file upload failed: {type(error).__name__}") from None
        if answer.status != 200:
            raise DeliveryError(f"Slack file upload: HTTP {answer.status}")
        await self._call(
            actor.tenant_id,
            "files.completeUploadExternal",
            form=True,
            files=orjson.dumps([{"id": file_id, "title": file.filename}]).decode(),
            channel_id=await self._direct_messages(actor),
            initial_comment=comment,
        )

    async def _direct_messages(self, actor: Actor) -> str:
        opened = await self._call(actor.tenant_id, "conversations.open", users=actor.user_id)
        channel = opened.get("channel")
        channel_id = channel.get("id") if isinstance(channel, Mapping) else None
        if not isinstance(channel_id, str) or not channel_id:
            raise DeliveryError("Slack conversations.open answered without a channel id")
        return channel_id

    async def respond(self, response_url: str, card: Card) -> None:
        """A private reply through a click's `response_url`.

        Each click brings its own URL, outside the Web API's rate tiers, so a thousand
        votes in a minute still get a thousand confirmations (`chat.postEphemeral`
        allows about a hundred). Only Slack's own response host is called, or the host
        of a local stand-in set as `SLACK_API_URL`: the URL arrives in a payload.
        """
        if not self._is_response_url(response_url):
            raise DeliveryError("a response_url not on Slack's host", permanent=True)
        reply = {"response_type": "ephemeral", "replace_original": False, **self.render(card)}
        # A plain POST on one kept-alive session: slack_sdk's webhook client costs a vote's
        # confirmation more CPU than the rest of its HTTP round trip.
        try:
            encoded = orjson.dumps(reply)
            async with self._http().post(response_url, data=encoded, headers=JSON) as answer:
                body = await answer.read()  # decoded only to report a refusal
        except (aiohttp.ClientError, TimeoutError) as error:
            raise DeliveryError(f"Slack response_url failed: {type(error).__name__}") from None
        if answer.status != 200:
            shown = body[:100].decode("utf-8", "replace")
            raise DeliveryError(f"Slack response_url: HTTP {answer.status} {shown}")

    def _http(self) -> aiohttp.ClientSession:
        """One kept-alive session for response URLs and upload URLs."""
        if self._session is None:
            timeout = aiohttp.ClientTimeout(total=RESPONSE_URL_TIMEOUT_SECONDS)
            # Neither sets cookies worth keeping: none are parsed or stored.
            jar = aiohttp.DummyCookieJar()
            self._session = aiohttp.ClientSession(timeout=timeout, cookie_jar=jar)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _is_response_url(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.hostname == RESPONSE_URL_HOST:
            return True
        return self._stand_in is not None and (parts.scheme, parts.netloc) == self._stand_in

    def render(self, card: Card) -> dict[str, Any]:
        """`card` as Slack message arguments (`text` and `blocks`), charts linked publicly,
        the renderer's own words in the card's language."""
        with speaking(card.language or current()):
            return render_message(card, public_url=self._public_url)

    async def _call(
        self, team_id: str, method: str, *, form: bool = False, **arguments: Any
    ) -> dict[str, Any]:
        """Call `method` as `team_id`'s bot (a JSON body, or a form where Slack takes only
        that); its answer's data, or a `DeliveryError`."""
        token = await self._token(team_id)
        client = self._client(token)
        given = {key: value for key, value in arguments.items() if value is not None}
        try:
            if form:
                answer = await client.api_call(method, data=given)
            else:
                answer = await client.api_call(method, json=given)
        except SlackApiError as error:
            raise delivery_error(method, error) from None
        except (aiohttp.ClientError, TimeoutError, SlackClientError) as error:
            why = f"{type(error).__name__}: {error}"
            failed = f"Slack {method} failed: {why}"  # i18n: not for readers
            message = _scrubbed(failed, token)
            raise DeliveryError(message) from None
        data = answer.data
        return data if isinstance(data, dict) else {}

    async def _token(self, team_id: str) -> str:
        found = self._tokens(team_id)
        token = await found if inspect.isawaitable(found) else found
        if not token:
            raise DeliveryError(f"no Slack bot token for team {team_id}", permanent=True)
        return token

    def _client(self, token: str) -> AsyncWebClient:
        client = self._clients.get(token)
        if client is None:
            client = AsyncWebClient(
                token=token,
                base_url=self._api_url,
                retry_handlers=[
                    AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)
                ],
            )
            self._clients[token] = client
        return client


def delivery_error(method: str, error: SlackApiError) -> DeliveryError:
    """The `DeliveryError` for Slack's refusal of `method`: rate limited, permanent or retryable."""
    response = error.response
    status = getattr(response, "status_code", None)
    data = getattr(response, "data", None)
    code = data.get("error") if isinstance(data, Mapping) else None
    code = code if isinstance(code, str) and code else f"HTTP {status}"
    if status == 429 or code == "ratelimited":
        retry_after = _retry_after(getattr(response, "headers", None))
        return DeliveryError(f"Slack {method}: rate limited", retry_after=retry_after)
    return DeliveryError(f"Slack {method}: {code}", permanent=code in PERMANENT_ERRORS)


def _retry_after(headers: Any) -> float | None:
    """Slack's `Retry-After` in seconds, from headers as slack_sdk keeps them."""
    if not isinstance(headers, Mapping):
        return None
    for name, value in headers.items():
        if isinstance(name, str) and name.lower() == "retry-after":
            first = value[0] if isinstance(value, list | tuple) and value else value
            try:
                return max(0.0, float(first))
            except (TypeError, ValueError):
                return None
    return None


def _scrubbed(message: str, token: str) -> str:
    return message.replace(token, "[token]") if token else message
