"""The Bot Connector as Concord uses it, whichever Teams SDK serves: four calls, with
activities as the wire's JSON.

Each SDK's port wraps its own connector client as a `Connector`
(`adapters.teams.botbuilder.port`, `adapters.teams.agents.port`), so the shared code —
the port's posts and notes (`adapters.teams.port`), the members for a card's refresh
(`adapters.teams.members`), a turn's private answers (`adapters.teams.transport`) — never
sees an SDK class, and reads every failure as a `DeliveryError`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from dialogs.core.ports import DeliveryError

Json = dict[str, Any]
# An invoke's answer: the HTTP status and the JSON body.
Invoked = tuple[int, Json]


class Connector(Protocol):
    """The Bot Connector calls Concord makes, activities as wire JSON. Each SDK's client
    is wrapped as one; every failure is a `DeliveryError`."""

    async def send(self, conversation_id: str, activity: Json) -> str | None:
        """Send `activity` to the conversation as a new message: its id, if Teams says."""

    async def update(self, conversation_id: str, activity_id: str, activity: Json) -> None:
        """Replace the message `activity_id` with `activity`."""

    async def create_chat(self, bot: Json | None, member_id: str, tenant_id: str) -> str:
        """The id of the person's 1:1 chat with the bot (made, or found again)."""

    async def members(self, conversation_id: str, page_size: int) -> tuple[list[str], bool]:
        """One page of the members' Bot Framework ids, and whether more are left."""


# What a transport hands each authenticated activity (as JSON) with its turn's connector:
# the invoke's answer, or None for an activity that needs none.
OnActivity = Callable[[Json, Connector], Awaitable[Invoked | None]]


def created_chat_id(created: Any) -> str:
    """The chat id in either SDK's answer to `create_conversation` (a model with `id`)."""
    if created is None or not created.id:
        raise DeliveryError("Teams answered create_conversation without an id")
    return str(created.id)


def member_page(page: Any) -> tuple[list[str], bool]:
    """The ids in either SDK's page of members (`members`, `continuation_token`), and
    whether more are left."""
    ids = [str(m.id) for m in (page.members or []) if m is not None and m.id]
    return ids, bool(page.continuation_token)
