"""The engine for asynchronous adapters: each event handled in a worker thread, and vote
clicks that arrive together stored together.

A click that finds no batch in progress is stored at once, on its own. Clicks that
arrive while a batch is being stored wait for it, then go in the next batch, in one
transaction (`Engine.handle_all`). So a quiet poll answers as fast as before, and a
poll that a thousand people click at once pays for a few dozen transactions instead
of a thousand. Each click's answer still waits for the commit that stored it. A click
with an event id is batched too: the batch recognises a replay as a single turn does.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from dialogs.collaborative import languages
from dialogs.core.cards import Card, Effect
from dialogs.core.charts import Chart
from dialogs.core.events import Actor, Event, Place
from dialogs.core.ports import Found, Person
from dialogs.engine import Engine
from dialogs.polls import vote_batch

log = logging.getLogger(__name__)

MAX_BATCH = 200

Waiting = tuple[Event, str | None, asyncio.Future[list[Effect]]]


class EngineRunner:
    """`dialogs.core.ports.Concord` over an `Engine`: each call in a worker thread."""

    def __init__(self, engine: Engine, *, max_batch: int = MAX_BATCH) -> None:
        self.engine = engine
        self._max_batch = max_batch
        self._waiting: list[Waiting] = []
        self._storing: asyncio.Task[None] | None = None

    async def handle(self, event: Event, *, event_id: str | None = None) -> list[Effect]:
        """What `Engine.handle` answers, without blocking the event loop."""
        if not vote_batch.is_click(event):
            return await asyncio.to_thread(self.engine.handle, event, event_id=event_id)
        answer: asyncio.Future[list[Effect]] = asyncio.get_running_loop().create_future()
        self._waiting.append((event, event_id, answer))
        if self._storing is None:
            self._storing = asyncio.create_task(self._store_waiting())
        return await answer

    @property
    def votes_recorded(self) -> int:
        return self.engine.votes_recorded

    async def home(self, actor: Actor) -> Card:
        return await asyncio.to_thread(self.engine.home, actor)

    async def render_view(self, key: str, viewer: Actor) -> Card | None:
        return await asyncio.to_thread(self.engine.render_view, key, viewer)

    async def reader_language(self, actor: Actor, place: Place | None = None) -> str:
        return await asyncio.to_thread(languages.language_at, self.engine.database, actor, place)

    async def channel_seen(self, place: Place, delivery: dict[str, Any]) -> None:
        await asyncio.to_thread(self.engine.channel_seen, place, delivery)

    async def tenant_removed(self, platform: str, tenant_id: str) -> int:
        return await asyncio.to_thread(self.engine.tenant_removed, platform, tenant_id)

    async def chart(self, token: str) -> Chart | None:
        return await asyncio.to_thread(self.engine.chart, token)

    async def export_file(self, token: str) -> Found:
        return await asyncio.to_thread(self.engine.export_file, token)

    async def prepare(self) -> None:
        await asyncio.to_thread(self.engine.prepare)

    async def people(self, platform: str, tenant_id: str) -> list[Person]:
        return await asyncio.to_thread(self.engine.people, platform, tenant_id)

    async def channel_links(
        self, platform: str, tenant_id: str, channel_ids: Iterable[str]
    ) -> dict[str, str]:
        return await asyncio.to_thread(self.engine.channel_links, platform, tenant_id, channel_ids)

    async def _store_waiting(self) -> None:
        try:
            while self._waiting:
                batch = self._waiting[: self._max_batch]
                del self._waiting[: self._max_batch]
                await self._store(batch)
        finally:
            self._storing = None

    async def _store(self, batch: list[Waiting]) -> None:
        try:
            events, ids = [e for e, _, _ in batch], [i for _, i, _ in batch]
            results = await asyncio.to_thread(self.engine.handle_all, events, ids)
        except Exception as error:  # handle_all answers every event; this is a bug of ours
            log.exception("storing a batch of clicks failed")
            for _, _, answer in batch:
                if not answer.done():
                    answer.set_exception(error)
            return
        for (_, _, answer), effects in zip(batch, results, strict=True):
            if not answer.done():
                answer.set_result(effects)
