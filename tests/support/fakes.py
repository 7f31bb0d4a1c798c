"""Honest fakes for the platform edge: a settable clock and a platform that records."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dialogs.core.cards import Card
from dialogs.core.events import Actor, Place


class FakeClock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class RecordingPlatform:
    """Keeps every message it is asked to post, update or send privately."""

    platform: str = "playground"
    messages: dict[str, tuple[Place, Card]] = field(default_factory=dict)
    updates: list[str] = field(default_factory=list)
    private: list[tuple[Actor, Card]] = field(default_factory=list)
    pinned: list[str] = field(default_factory=list)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    async def post(self, place: Place, delivery: dict[str, Any], card: Card) -> str:
        ref = f"m{next(self._ids)}"
        self.messages[ref] = (place, card)
        return ref

    async def update(self, place: Place, delivery: dict[str, Any], ref: str, card: Card) -> None:
        self.messages[ref] = (place, card)
        self.updates.append(ref)

    async def notify(
        self, actor: Actor, place: Place | None, delivery: dict[str, Any], card: Card
    ) -> None:
        self.private.append((actor, card))

    async def pin(self, place: Place, delivery: dict[str, Any], ref: str) -> None:
        self.pinned.append(ref)

    def in_channel(self, channel_id: str) -> list[Card]:
        return [card for place, card in self.messages.values() if place.channel_id == channel_id]
