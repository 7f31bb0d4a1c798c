"""The Teams delivery port: the outbox's posts, updates and private notes, through the
Bot Connector with the SDK's `continue_conversation`.

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

What differs between the two Teams SDKs is only how a connector client is had and how
its failures read: `TeamsPort` holds what Concord sends, on the wire's JSON, and each
SDK's port (`adapters.teams.botbuilder.port`, `adapters.teams.agents.port`) implements
`_continue` and hands `Connector`s over its own client. Their failures become
`DeliveryError` (`http_error`): a 429 carries `Retry-After`; other 4xx are permanent
(the bot was removed, the conversation is gone, the card is refused); 5xx, network
errors and timeouts may be tried again.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Generic, TypeVar

from adapters.teams import service_url
from adapters.teams.config import TeamsConfig
from adapters.teams.connector import Connector, Json
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


Work = Callable[[Connector], Awaitable[T]]
Run = Work[None]
A = TypeVar("A")


class TeamsPort(ABC, Generic[A]):
    """`PlatformPort` for Teams, on the SDK's adapter `A`; `_continue` is the SDK's."""

    platform: str = PLATFORM
    limits: DeliveryLimits = TEAMS_LIMITS

    def __init__(self, adapter: A, config: TeamsConfig, clock: Clock = utc_now) -> None:
        """In local mode (no Microsoft credentials) only a `serviceUrl` on this machine is
        called."""
        self._adapter = adapter
        self._app_id = config.app_id or None
        self._public_url = config.public_url
        self._local = config.local
        self._chats: dict[tuple[str, str], str] = {}
        self.members = ConversationMembers(clock)

    @abstractmethod
    async def _continue(self, reference: Json, run: Run) -> None:
        """`run` a connector for the reference's service, as the bot (the SDK's
        `continue_conversation`); the SDK's failures as `DeliveryError`."""

    async def _call(self, reference: Json, work: Work[T]) -> T:
        results: list[T] = []

        async def run(connector: Connector) -> None:
            results.append(await work(connector))

        await self._continue(reference, run)
        return results[0]

    async def post(self, place: Place, delivery: dict[str, Any], card: Card) -> str:
        reference = self._callable_reference(delivery, place)
        conversation_id = _conversation_id(reference, place)

        async def send(connector: Connector) -> str | None:
            activity = await self._shared_activity(connector, reference, card)
            return await connector.send(conversation_id, activity)

        sent = await self._call(reference, send)
        if not sent:
            raise DeliveryError("Teams answered a post without an activity id")
        return sent

    async def update(self, place: Place, delivery: dict[str, Any], ref: str, card: Card) -> None:
        reference = self._callable_reference(delivery, place)
        conversation_id = _conversation_id(reference, place)

        async def replace(connector: Connector) -> None:
            activity = await self._shared_activity(connector, reference, card)
            await connector.update(conversation_id, ref, {**activity, "id": ref})

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
        conversation = reference["conversation"]
        if place is not None and conversation.get("conversationType") == "personal":
            await self._call(
                reference, lambda connector: connector.send(conversation["id"], activity)
            )
            return
        bot = reference.get("bot")
        await self._call(
            reference,
            lambda connector: self.send_private(
                connector, bot, actor.user_id, actor.tenant_id, activity
            ),
        )

    async def send_private(
        self,
        connector: Connector,
        bot: Json | None,
        member_id: str,
        tenant_id: str,
        activity: Json,
    ) -> None:
        """Send `activity` to the person's 1:1 chat with Concord, opening it if need be."""
        key = (tenant_id, member_id)
        chat = self._chats.get(key)
        if chat is None:
            chat = self._chats[key] = await connector.create_chat(bot, member_id, tenant_id)
        await connector.send(chat, activity)

    def card_activity(self, card: Card, user_ids: list[str] | None = None) -> Json:
        """`card` as a message: the Adaptive Card, and its summary as text; `user_ids`, the
        people whose view of a keyed card Teams refreshes by itself."""
        return card_message(self.render(card, user_ids), summary(card))

    def render(self, card: Card, user_ids: list[str] | None = None) -> dict[str, Any]:
        """`card` as an Adaptive Card with Concord's address for its charts and downloads,
        the renderer's own words in the card's language."""
        with speaking(card.language or current()):
            return render_card(card, public_url=self._public_url, user_ids=user_ids)

    async def _shared_activity(self, connector: Connector, reference: Json, card: Card) -> Json:
        """A card everyone in the conversation sees: a keyed one lists its members for
        `refresh` (asked of the connector at most once per conversation per TTL)."""
        if card.key is None:
            return self.card_activity(card)
        conversation = str(reference["conversation"]["id"]).partition(THREAD_MARK)[0]
        return self.card_activity(card, await self.members.user_ids(connector, conversation))

    def _callable_reference(self, delivery: dict[str, Any], place: Place | None) -> Json:
        """The stored reference, once its `serviceUrl` is one Concord will call."""
        reference = _reference(delivery, place)
        if refused := service_url.problem(reference["serviceUrl"], local=self._local):
            raise DeliveryError(f"a stored Teams serviceUrl is refused: {refused}", permanent=True)
        return reference


def card_message(card: dict[str, Any], text: str) -> Json:
    """A message holding one Adaptive Card. `text` becomes only the notification `summary`:
    as the message's `text` Teams would show it above the card too, read as markdown."""
    return {
        "type": "message",
        "summary": text,
        "attachments": [{"contentType": ADAPTIVE_CARD, "content": card}],
    }


def http_error(status: int, text: str, headers: Any) -> DeliveryError:
    """The `DeliveryError` for the connector's HTTP refusal: rate limited, permanent or not."""
    if status == 429:
        retry_after = retry_after_seconds(headers)
        return DeliveryError("Teams: rate limited (HTTP 429)", retry_after=retry_after)
    message = f"Teams: HTTP {status or '?'} {text[:120]}"  # i18n: not for readers
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


def _reference(delivery: dict[str, Any], place: Place | None) -> Json:
    if not delivery:
        # Not permanent: the transport stores a newly linked channel's reference just
        # after the turn that linked it commits, so a dispatcher that claimed the
        # channel's first post in between finds it on a later try.
        where = place.channel_id if place is not None else "this person"  # i18n: not for readers
        raise DeliveryError(f"no Teams conversation reference (yet) for {where}")
    conversation = delivery.get("conversation")
    url = delivery.get("serviceUrl")
    if not isinstance(url, str) or not url or not isinstance(conversation, Mapping):
        raise DeliveryError("a stored Teams conversation reference is incomplete", permanent=True)
    if not isinstance(conversation.get("id"), str):
        raise DeliveryError("a stored Teams conversation reference is incomplete", permanent=True)
    return dict(delivery)


def _conversation_id(reference: Json, place: Place) -> str:
    base = str(reference["conversation"]["id"]).partition(THREAD_MARK)[0]
    return f"{base}{THREAD_MARK}{place.thread_id}" if place.thread_id else base
