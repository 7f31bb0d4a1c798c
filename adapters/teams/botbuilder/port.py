"""The Teams delivery port on botbuilder: `CloudAdapter.continue_conversation` for a
connector client (kept and reused, `connectors.ReusedConnectors`), and that client as a
`Connector`, its failures as `DeliveryError`s.

Posts and updates are sent with the connector client directly, not
`TurnContext.send_activity`, which would address each post as a reply to the synthetic
continuation activity.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

import aiohttp
from azure.core.exceptions import DeserializationError
from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
)
from botframework.connector.aio import ConnectorClient
from msrest.exceptions import ClientException, HttpOperationError

from adapters.teams.connector import Json, created_chat_id, member_page
from adapters.teams.port import Run, TeamsPort, http_error
from dialogs.core.ports import DeliveryError

T = TypeVar("T")
# How a call fails when the Bot Connector can't be reached or answers what msrest can't
# read (azure.core's DeserializationError: a bare 404 that isn't JSON, say).
_UNREACHED = (aiohttp.ClientError, ClientException, TimeoutError, OSError, DeserializationError)


class BotbuilderPort(TeamsPort[BotAdapter]):
    """`TeamsPort` whose connector comes from botbuilder's `continue_conversation`."""

    async def _continue(self, reference: Json, run: Run) -> None:
        async def callback(context: TurnContext) -> None:
            await run(
                BotbuilderConnector(context.turn_state[self._adapter.BOT_CONNECTOR_CLIENT_KEY])
            )

        proactive = ConversationReference().deserialize(reference)
        await mapped(
            self._adapter.continue_conversation(proactive, callback, bot_app_id=self._app_id)
        )


class BotbuilderConnector:
    """botbuilder's `ConnectorClient` as a `Connector`."""

    def __init__(self, client: ConnectorClient) -> None:
        self._conversations = client.conversations

    async def send(self, conversation_id: str, activity: Json) -> str | None:
        message = Activity().deserialize(activity)
        sent = await mapped(self._conversations.send_to_conversation(conversation_id, message))
        return str(sent.id) if sent is not None and sent.id else None

    async def update(self, conversation_id: str, activity_id: str, activity: Json) -> None:
        message = Activity().deserialize(activity)
        await mapped(self._conversations.update_activity(conversation_id, activity_id, message))

    async def create_chat(self, bot: Json | None, member_id: str, tenant_id: str) -> str:
        parameters = ConversationParameters(
            is_group=False,
            bot=ChannelAccount().deserialize(bot) if bot else None,
            members=[ChannelAccount(id=member_id)],
            tenant_id=tenant_id,
            channel_data={"tenant": {"id": tenant_id}},
        )
        return created_chat_id(await mapped(self._conversations.create_conversation(parameters)))

    async def members(self, conversation_id: str, page_size: int) -> tuple[list[str], bool]:
        page = await mapped(
            self._conversations.get_conversation_paged_members(conversation_id, page_size=page_size)
        )
        return member_page(page)


async def mapped(call: Awaitable[T]) -> T:
    """`call`'s result; the connector's refusal or absence as a `DeliveryError`."""
    try:
        return await call
    except HttpOperationError as error:
        raise delivery_error(error) from None
    except _UNREACHED as error:
        raise DeliveryError(f"Teams connector failed: {type(error).__name__}") from None


def delivery_error(error: HttpOperationError) -> DeliveryError:
    """The `DeliveryError` for an msrest HTTP refusal."""
    response: Any = error.response
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    status = int(status) if isinstance(status, int) else 0
    return http_error(status, str(error), getattr(response, "headers", None))
