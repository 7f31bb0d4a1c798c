"""The playground's platform: an in-memory transcript per channel, private notes per person,
and a change feed that wakes the open pages.

The transcript lives only in this process: it is a demo, and a restart starts
the channels afresh (the collaborative and its polls stay in the database).
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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

    def __init__(self, *, clock: Clock = utc_now) -> None:
        self.feed = ChangeFeed()
        self._clock = clock
        self._transcripts: dict[str, deque[Entry]] = defaultdict(
            lambda: deque(maxlen=MESSAGES_PER_CHANNEL)
        )
        self._notes: dict[str, deque[Entry]] = defaultdict(lambda: deque(maxlen=NOTES_PER_PERSON))
        self._seq = itertools.count(1)
        # Refs outlive this process in the database; a fresh prefix keeps old ones from matching.
        self._ref_prefix = secrets.token_hex(4)

    async def post(self, place: Place, delivery: dict[str, Any], card: Card) -> str:
        entry = self._entry(card, place.channel_id)
        self._transcripts[place.channel_id].append(entry)
        self.feed.changed()
        return entry.ref

    async def update(self, place: Place, delivery: dict[str, Any], ref: str, card: Card) -> None:
        transcript = self._transcripts[place.channel_id]
        for entry in transcript:
            if entry.ref == ref:
                entry.card = card
                break
        else:
            # Posted before a restart (or scrolled out): show the latest state as a new message.
            transcript.append(Entry(ref, next(self._seq), card, self._clock(), place.channel_id))
        self.feed.changed()

    async def notify(
        self, actor: Actor, place: Place | None, delivery: dict[str, Any], card: Card
    ) -> None:
        channel_id = place.channel_id if place else None
        self._notes[actor.user_id].append(self._entry(card, channel_id))
        self.feed.changed()

    def forget(self) -> None:
        """Drop every message and note shown so far (the demo's seeding chatter)."""
        self._transcripts.clear()
        self._notes.clear()
        self.feed.changed()

    def transcript(self, channel_id: str) -> list[Entry]:
        return list(self._transcripts.get(channel_id, ()))

    def notes(self, user_id: str) -> list[Entry]:
        return list(self._notes.get(user_id, ()))

    def _entry(self, card: Card, channel_id: str | None) -> Entry:
        seq = next(self._seq)
        return Entry(f"{self._ref_prefix}-{seq}", seq, card, self._clock(), channel_id)
