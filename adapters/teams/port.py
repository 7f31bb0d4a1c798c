"""The Teams delivery port: the outbox's posts, updates and private notes, through the
Bot Connector with `CloudAdapter.continue_conversation`.

Every call starts from a stored conversation reference (`Channel.delivery`, saved
by the transport when Concord sees the conversation, and handed to every call by the
dispatcher; for a private note, the channel's or else the tenant's newest): it carries
the service URL
and the bot's account. Posts and updates are sent with the turn's connector client
directly, not `TurnContext.send_activity`, which would address each post as a reply
to the synthetic continuation activity.

Teams has no ephemeral messages, so a private note goes to the person's 1:1 chat
with Concord: in a personal chat, right there; otherwise the chat is created (or
found again — Teams answers with the same one) with `create_conversation`, for the
person's id and tenant. Proactively the person is known by their Entra object id,
which the connector accepts as a member id; within a turn their Bot Framework id
is used (`send_private`).

A keyed card (a poll, a check-in) is posted and updated with its `refresh` listing the
conversation's members (`adapters.teams.members`, asked here, never in a vote's
request), so Teams shows each of them their own view.

Failures become `DeliveryError`: a 429 carries `Retry-After`; other 4xx are
permanent (the bot was removed, the conversation is gone, the card is refused);
5xx, network errors and timeouts may be tried again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import aiohttp
from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationParameters,
    ConversationReference,
)
from botframework.connector.aio import ConnectorClient
from msrest.exceptions import ClientException, HttpOperationError

from adapters.teams import service_url
from adapters.teams.inbound import PLATFORM, THREAD_MARK
from adapters.teams.members import ConversationMembers
from adapters.teams.render import render_card, summary
from dialogs.core.cards import Card
from dialogs.core.clock import Clock, utc_now
from dialogs.core.events import Actor, Place
from dialogs.core.language import current, speaking
from dialogs.core.ports import DeliveryError, DeliveryLimits, Limit

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
TEAMS_LIMITS = DeliveryLimits(
    limits=(Limit(7, 1.0), Limit(1800, 3600.0)),  # per conversation, sends and edits alike
    coalesce_seconds=2.0,
)

T = TypeVar("T")
Work = Callable[[ConnectorClient], Awaitable[T]]


class TeamsPort:
    """`PlatformPort` for Teams."""

    platform: str = PLATFORM
    limits: DeliveryLimits = TEAMS_LIMITS

    def __init__(
        self,
        adapter: BotAdapter,
        *,
        app_id: str | None = None,
        public_url: str = "",
        local: bool = False,
        clock: Clock = utc_now,
    ) -> None:
        """`local`: no Microsoft credentials, so only a `serviceUrl` on this machine is called."""
        self._adapter = adapter
        self._app_id = app_id or None
        self._public_url = public_url
        self._local = local
        self._chats: dict[tuple[str, str], str] = {}
        self.members = ConversationMembers(clock)

    async def post(self, place: Place, delivery: dict[str, Any], card: Card) -> str:
        reference = self._callable_reference(delivery, place)
        conversation_id = _conversation_id(reference, place)

        async def send(connector: ConnectorClient) -> Any:
            activity = await self._shared_activity(connector, reference, card)
            return await connector.conversations.send_to_conversation(conversation_id, activity)

        sent = await self._call(reference, send)
        if sent is None or not sent.id:
            raise DeliveryError("Teams answered a post without an activity id")
        return str(sent.id)

    async def update(self, place: Place, delivery: dict[str, Any], ref: str, card: Card) -> None:
        reference = self._callable_reference(delivery, place)
        conversation_id = _conversation_id(reference, place)

        async def replace(connector: ConnectorClient) -> Any:
            activity = await self._shared_activity(connector, reference, card)
            activity.id = ref
            return await connector.conversations.update_activity(conversation_id, ref, activity)

        await self._call(reference, replace)

    async def notify(
        self, actor: Actor, place: Place | None, delivery: dict[str, Any], card: Card
    ) -> None:
        if not delivery:
            raise DeliveryError(
                f"no Teams conversation known in tenant {actor.tenant_id}", permanent=True
            )
        reference = self._callable_reference(delivery, place)
        activity = self.card_activity(card)
        conversation = reference.conversation
        if (
            place is not None
            and conversation is not None
            and conversation.conversation_type == "personal"
        ):
            await self._call(
                reference,
                lambda connector: connector.conversations.send_to_conversation(
                    conversation.id, activity
                ),
            )
            return
        await self._call(
            reference,
            lambda connector: self.send_private(
                connector, reference.bot, actor.user_id, actor.tenant_id, activity
            ),
        )

    async def send_private(
        self,
        connector: ConnectorClient,
        bot: ChannelAccount | None,
        member_id: str,
        tenant_id: str,
        activity: Activity,
    ) -> None:
        """Send `activity` to the person's 1:1 chat with Concord, opening it if need be."""
        key = (tenant_id, member_id)
        chat = self._chats.get(key)
        if chat is None:
            parameters = ConversationParameters(
                is_group=False,
                bot=bot,
                members=[ChannelAccount(id=member_id)],
                tenant_id=tenant_id,
                channel_data={"tenant": {"id": tenant_id}},
            )
            created = await connector.conversations.create_conversation(parameters)
            if created is None or not created.id:
                raise DeliveryError("Teams answered create_conversation without an id")
            chat = self._chats[key] = str(created.id)
        await connector.conversations.send_to_conversation(chat, activity)

    def card_activity(self, card: Card, user_ids: list[str] | None = None) -> Activity:
        """`card` as a message: the Adaptive Card, and its summary as text; `user_ids`, the
        people whose view of a keyed card Teams refreshes by itself."""
        return card_message(self.render(card, user_ids), summary(card))

    def render(self, card: Card, user_ids: list[str] | None = None) -> dict[str, Any]:
        """`card` as an Adaptive Card with Concord's address for its charts and downloads,
        the renderer's own words in the card's language."""
        with speaking(card.language or current()):
            return render_card(card, public_url=self._public_url, user_ids=user_ids)

    async def _shared_activity(
        self, connector: ConnectorClient, reference: ConversationReference, card: Card
    ) -> Activity:
        """A card everyone in the conversation sees: a keyed one lists its members for
        `refresh` (asked of the connector at most once per conversation per TTL)."""
        if card.key is None:
            return self.card_activity(card)
        conversation = str(reference.conversation.id).partition(THREAD_MARK)[0]
        return self.card_activity(card, await self.members.user_ids(connector, conversation))

    def _callable_reference(
        self, delivery: dict[str, Any], place: Place | None
    ) -> ConversationReference:
        """The stored reference, once its `serviceUrl` is one Concord will call."""
        reference = _reference(delivery, place)
        if refused := service_url.problem(reference.service_url, local=self._local):
            raise DeliveryError(f"a stored Teams serviceUrl is refused: {refused}", permanent=True)
        return reference

    async def _call(self, reference: ConversationReference, work: Work[T]) -> T:
        """Run `work` with a connector client for the reference's service, as the bot."""
        results: list[T] = []

        async def callback(context: TurnContext) -> None:
            connector = context.turn_state[self._adapter.BOT_CONNECTOR_CLIENT_KEY]
            results.append(await work(connector))

        try:
            await self._adapter.continue_conversation(reference, callback, bot_app_id=self._app_id)
        except HttpOperationError as error:
            raise delivery_error(error) from None
        except (aiohttp.ClientError, ClientException, TimeoutError, OSError) as error:
            raise DeliveryError(f"Teams connector failed: {type(error).__name__}") from None
        return results[0]


def card_message(card: dict[str, Any], text: str) -> Activity:
    """A message holding one Adaptive Card. `text` becomes only the notification `summary`:
    as the message's `text` Teams would show it above the card too, read as markdown."""
    return Activity(
        type=ActivityTypes.message,
        summary=text,
        attachments=[Attachment(content_type=ADAPTIVE_CARD, content=card)],
    )


def delivery_error(error: HttpOperationError) -> DeliveryError:
    """The `DeliveryError` for the connector's HTTP refusal: rate limited, permanent or not."""
    response = error.response
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    status = int(status) if isinstance(status, int) else 0
    if status == 429:
        retry_after = retry_after_seconds(getattr(response, "headers", None))
        return DeliveryError("Teams: rate limited (HTTP 429)", retry_after=retry_after)
    message = f"Teams: HTTP {status or '?'} {str(error)[:120]}"  # i18n: not for readers
    return DeliveryError(message, permanent=400 <= status < 500)


def retry_after_seconds(headers: Any) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP date from now."""
    if headers is None:
        return None
    value = headers.get("Retry-After") if hasattr(headers, "get") else None
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _reference(delivery: dict[str, Any], place: Place | None) -> ConversationReference:
    if not delivery:
        # Not permanent: the transport stores a newly linked channel's reference just
        # after the turn that linked it commits, so a dispatcher that claimed the
        # channel's first post in between finds it on a later try.
        where = place.channel_id if place is not None else "this person"  # i18n: not for readers
        raise DeliveryError(f"no Teams conversation reference (yet) for {where}")
    reference = ConversationReference().deserialize(delivery)
    if not reference.service_url or reference.conversation is None:
        raise DeliveryError("a stored Teams conversation reference is incomplete", permanent=True)
    return reference


def _conversation_id(reference: ConversationReference, place: Place) -> str:
    base = str(reference.conversation.id).partition(THREAD_MARK)[0]
    return f"{base}{THREAD_MARK}{place.thread_id}" if place.thread_id else base
