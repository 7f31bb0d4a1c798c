"""The Teams delivery port on the Agents SDK: `CloudAdapter.continue_conversation` for a
connector client (kept and reused, `clients.ReusedClients`), and that client as a
`Connector`, its failures as `DeliveryError`s (`port.http_error`).

The SDK's client raises `aiohttp.ClientResponseError` for an HTTP refusal, with the
status and headers (a 429's `Retry-After`), and pydantic's `ValidationError` for an
answer it can't read.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

import aiohttp
from microsoft_agents.activity import (
    Activity,
    ConversationParameters,
    ConversationReference,
)
from microsoft_agents.hosting.core import ChannelServiceAdapter, TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from pydantic import ValidationError

from adapters.teams.connector import Json
from adapters.teams.port import TeamsPort, Work, http_error
from dialogs.core.clock import Clock, utc_now
from dialogs.core.ports import DeliveryError

T = TypeVar("T")
_UNREACHED = (aiohttp.ClientError, TimeoutError, OSError, ValidationError)


class AgentsPort(TeamsPort):
    """`TeamsPort` whose connector comes from the Agents SDK's `continue_conversation`."""

    def __init__(
        self,
        adapter: ChannelServiceAdapter,
        *,
        app_id: str | None = None,
        public_url: str = "",
        local: bool = False,
        clock: Clock = utc_now,
    ) -> None:
        super().__init__(app_id=app_id, public_url=public_url, local=local, clock=clock)
        self._adapter = adapter

    async def _call(self, reference: Json, work: Work[T]) -> T:
        results: list[T] = []

        async def callback(context: TurnContext) -> None:
            results.append(await work(connector_of(context)))

        continuation = ConversationReference.model_validate(reference).get_continuation_activity()
        await mapped(
            self._adapter.continue_conversation(self._app_id or "", continuation, callback)
        )
        return results[0]


def connector_of(context: TurnContext) -> AgentsConnector:
    client = context.services.get(ConnectorClientBase)
    if client is None:
        raise DeliveryError("the Agents SDK made no connector client for this turn")
    return AgentsConnector(client)


class AgentsConnector:
    """The Agents SDK's connector client as a `Connector`."""

    def __init__(self, client: ConnectorClientBase) -> None:
        self._conversations = client.conversations

    async def send(self, conversation_id: str, activity: Json) -> str | None:
        message = Activity.model_validate(activity)
        sent = await mapped(self._conversations.send_to_conversation(conversation_id, message))
        return str(sent.id) if sent is not None and sent.id else None

    async def update(self, conversation_id: str, activity_id: str, activity: Json) -> None:
        message = Activity.model_validate(activity)
        await mapped(self._conversations.update_activity(conversation_id, activity_id, message))

    async def create_chat(self, bot: Json | None, member_id: str, tenant_id: str) -> str:
        parameters = ConversationParameters.model_validate(
            {
                "isGroup": False,
                "bot": bot,
                "members": [{"id": member_id}],
                "tenantId": tenant_id,
                "channelData": {"tenant": {"id": tenant_id}},
            }
        )
        created = await mapped(self._conversations.create_conversation(parameters))
        if created is None or not created.id:
            raise DeliveryError("Teams answered create_conversation without an id")
        return str(created.id)

    async def members(self, conversation_id: str, page_size: int) -> tuple[list[str], bool]:
        page = await mapped(
            self._conversations.get_conversation_paged_members(conversation_id, page_size)
        )
        ids = [str(m.id) for m in (page.members or []) if m is not None and m.id]
        return ids, bool(page.continuation_token)


async def mapped(call: Awaitable[T]) -> T:
    """`call`'s result; the connector's refusal or absence as a `DeliveryError`."""
    try:
        return await call
    except aiohttp.ClientResponseError as error:
        raise http_error(error.status, error.message, error.headers) from None
    except _UNREACHED as error:
        raise DeliveryError(f"Teams connector failed: {type(error).__name__}") from None
