"""The playground's platform: a transcript per channel, private notes per person, and a
change feed that wakes the open pages.

Every message shown is also kept in the database (`TranscriptStore`), so after a restart
the channels show what they showed before, and an open poll's buttons still vote. Pages
read the copy in memory: the newest messages of each channel and each person.
"""

from __future__ import annotations

import asyncio
import secrets
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from dialogs.core.cards import Card
from dialogs.core.clock import Clock, utc_now
from dialogs.core.events import Actor, Place
from dialogs.core.ports import DeliveryLimits

PLATFORM = "playground"
MESSAGES_PER_CHANNEL = 200
NOTES_PER_PERSON = 50


@dataclass
class Entry:
    """One message in a channel, or one private note; `seq` orders them on the page."""

    ref: str
    seq: int
    card: Card
    at: datetime
    channel_id: str | None


class StoredMessage(Protocol):
    id: int | None
    ref: str
    channel_id: str | None
    user_id: str | None
    card: dict[str, Any]
    at: datetime


class TranscriptStore(Protocol):
    """Where the transcript is kept (storage/playground.py); cards as JSON."""

    def messages(self) -> Sequence[StoredMessage]: ...

    def save(
        self,
        ref: str,
        channel_id: str | None,
        user_id: str | None,
        card: dict[str, Any],
        at: datetime,
    ) -> int: ...

    def clear(self) -> None: ...

    def erase(self, platform: str, tenant_id: str) -> None: ...


class ChangeFeed:
    """A version number that open pages wait on; every change bumps it and wakes them."""

    def __init__(self) -> None:
        self.version = 0
        self.closed = False
        self._event = asyncio.Event()

    def changed(self) -> None:
        self.version += 1
        self._wake()

    def close(self) -> None:
        self.closed = True
        self._wake()

    async def wait(self, seen: int, timeout: float) -> bool:
        """Wait until the version moves past `seen`; False when `timeout` ran out first."""
        while self.version <= seen and not self.closed:
            try:
                await asyncio.wait_for(self._event.wait(), timeout)
            except TimeoutError:
                return False
        return True

    def _wake(self) -> None:
        self._event.set()
        self._event = asyncio.Event()


class PlaygroundPort:
    """The `PlatformPort` of the playground. Posting and updating never fail."""

    platform = PLATFORM
    limits = DeliveryLimits(coalesce_seconds=1.0)  # no rate limits; a poll re-renders once a second

    def __init__(self, store: TranscriptStore, *, clock: Clock = utc_now) -> None:
        self.feed = ChangeFeed()
        self._store = store
        self._clock = clock
        self._transcripts: dict[str, deque[Entry]] = defaultdict(
            lambda: deque(maxlen=MESSAGES_PER_CHANNEL)
        )
        self._notes: dict[str, deque[Entry]] = defaultdict(lambda: deque(maxlen=NOTES_PER_PERSON))

    async def load(self) -> None:
        """Show again what was shown before the restart."""
        for row in await asyncio.to_thread(self._store.messages):
            assert row.id is not None
            entry = Entry(row.ref, row.id, Card.model_validate(row.card), row.at, row.channel_id)
            self._remember(entry, row.user_id)
        self.feed.changed()

    async def post(self, place: Place, delivery: dict[str, Any], card: Card) -> str:
        entry = await self._save(secrets.token_hex(8), card, place.channel_id, None)
        return entry.ref

    async def update(self, place: Place, delivery: dict[str, Any], ref: str, card: Card) -> None:
        shown = next((e for e in self._transcripts[place.channel_id] if e.ref == ref), None)
        if shown is None:
            # Scrolled out of memory, or posted before the transcript was kept: show the
            # latest state as a new message.
            await self._save(ref, card, place.channel_id, None)
            return
        await asyncio.to_thread(
            self._store.save, ref, shown.channel_id, None, _json(card), shown.at
        )
        shown.card = card
        self.feed.changed()

    async def notify(
        self, actor: Actor, place: Place | None, delivery: dict[str, Any], card: Card
    ) -> None:
        channel_id = place.channel_id if place else None
        await self._save(secrets.token_hex(8), card, channel_id, actor.user_id)

    async def forget(self) -> None:
        """Drop every message and note shown so far (the demo's seeding chatter)."""
        await asyncio.to_thread(self._store.clear)
        self._forget()

    async def erase(self, tenant_id: str) -> None:
        """Drop the transcript and every collaborative that lives only in the playground."""
        await asyncio.to_thread(self._store.erase, PLATFORM, tenant_id)
        self._forget()

    def transcript(self, channel_id: str) -> list[Entry]:
        return list(self._transcripts.get(channel_id, ()))

    def notes(self, user_id: str) -> list[Entry]:
        return list(self._notes.get(user_id, ()))

    async def _save(
        self, ref: str, card: Card, channel_id: str | None, user_id: str | None
    ) -> Entry:
        at = self._clock()
        seq = await asyncio.to_thread(self._store.save, ref, channel_id, user_id, _json(card), at)
        entry = Entry(ref, seq, card, at, channel_id)
        self._remember(entry, user_id)
        self.feed.changed()
        return entry

    def _remember(self, entry: Entry, user_id: str | None) -> None:
        if user_id is not None:
            self._notes[user_id].append(entry)
        elif entry.channel_id is not None:
            self._transcripts[entry.channel_id].append(entry)

    def _forget(self) -> None:
        self._transcripts.clear()
        self._notes.clear()
        self.feed.changed()


def _json(card: Card) -> dict[str, Any]:
    return card.model_dump(mode="json")
