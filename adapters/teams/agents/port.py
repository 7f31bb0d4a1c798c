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

from adapters.teams.connector import Json, created_chat_id, member_page
from adapters.teams.port import Run, TeamsPort, http_error
from dialogs.core.ports import DeliveryError

T = TypeVar("T")
_UNREACHED = (aiohttp.ClientError, TimeoutError, OSError, ValidationError)


class AgentsPort(TeamsPort[ChannelServiceAdapter]):
    """`TeamsPort` whose connector comes from the Agents SDK's `continue_conversation`."""

    async def _continue(self, reference: Json, run: Run) -> None:
        async def callback(context: TurnContext) -> None:
            await run(connector_of(context))

        continuation = ConversationReference.model_validate(reference).get_continuation_activity()
        await mapped(
            self._adapter.continue_conversation(self._app_id or "", continuation, callback)
        )


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
        return created_chat_id(await mapped(self._conversations.create_conversation(parameters)))

    async def members(self, conversation_id: str, page_size: int) -> tuple[list[str], bool]:
        page = await mapped(
            self._conversations.get_conversation_paged_members(conversation_id, page_size)
        )
        return member_page(page)


async def mapped(call: Awaitable[T]) -> T:
    """`call`'s result; the connector's refusal or absence as a `DeliveryError`."""
    try:
        return await call
    except aiohttp.ClientResponseError as error:
        raise http_error(error.status, error.message, error.headers) from None
    except _UNREACHED as error:
        raise DeliveryError(f"Teams connector failed: {type(error).__name__}") from None
