"""Who is in a Teams conversation, for a keyed card's `refresh.userIds`.

Teams refreshes a card by itself (each person's own view) only for the people its
`refresh` lists, at most 60 (`buttons.MAX_REFRESH_USERS`). The port asks the Bot
Connector for the conversation's members where it posts or updates a card (the
outbox, never a vote's request), one page of them: a page holding everyone, and at
most 60, gives their Bot Framework ids (`29:…`); a larger conversation gives None,
and Teams offers "Refresh card" instead.

Answers are kept per conversation for `MEMBERS_TTL` (10 minutes): membership changes
rarely, while a busy poll's card is updated every few seconds, so this costs one
call per conversation every ten minutes, not one per update; someone who joins meanwhile
waits at most that long for automatic refreshes (a click or "Refresh card" shows
them their own view at once). A failure is kept as long, so it is logged once, as
one line, and the card goes out without `userIds`.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from adapters.teams.buttons import MAX_REFRESH_USERS
from adapters.teams.connector import Connector
from dialogs.core.clock import Clock, utc_now
from dialogs.core.ports import DeliveryError

log = logging.getLogger(__name__)

MEMBERS_TTL = timedelta(minutes=10)
# One page is enough to know: more than this many members is too many to list.
PAGE_SIZE = 100


class ConversationMembers:
    """The Bot Framework ids of each conversation's members, kept for `MEMBERS_TTL`."""

    def __init__(self, clock: Clock = utc_now, ttl: timedelta = MEMBERS_TTL) -> None:
        self._clock = clock
        self._ttl = ttl
        self._known: dict[str, tuple[datetime, list[str] | None]] = {}

    def cached(self, conversation_id: str) -> list[str] | None:
        """What is known without asking: the ids while they are fresh, else None."""
        found = self._fresh(conversation_id)
        return found[1] if found is not None else None

    async def user_ids(self, connector: Connector, conversation_id: str) -> list[str] | None:
        """The members' ids when there are at most `MAX_REFRESH_USERS`; else (or when Teams
        can't say) None. Asks the connector at most once per conversation per TTL."""
        found = self._fresh(conversation_id)
        if found is not None:
            return found[1]
        ids = await _ask(connector, conversation_id)
        self._known[conversation_id] = (self._clock() + self._ttl, ids)
        return ids

    def _fresh(self, conversation_id: str) -> tuple[datetime, list[str] | None] | None:
        found = self._known.get(conversation_id)
        return found if found is not None and found[0] > self._clock() else None


async def _ask(connector: Connector, conversation_id: str) -> list[str] | None:
    try:
        members, more = await connector.members(conversation_id, PAGE_SIZE)
    except DeliveryError as error:
        log.warning(
            "the conversation's members could not be read: cards there refresh on request",
            extra={"why": f"{type(error).__name__}: {error}"[:300]},
        )
        return None
    if more or len(members) > MAX_REFRESH_USERS:
        return None
    return members
