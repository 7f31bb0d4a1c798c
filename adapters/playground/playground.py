"""The playground: requests from the page become neutral events; the engine's answers
come back as HTML.

Replies only the actor may see go through the port's `notify`, so they stay on
the page after a refresh; channel posts reach the transcript when
`after_change` has drained the outbox. Every change bumps the port's feed,
which wakes the open pages. The transcript is kept in the database, so a restart
shows it again; `reset` starts the demo afresh.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from adapters.playground import render
from adapters.playground.demo import CHANNEL_IDS, CHANNELS, TENANT, TIMEZONE, seed_demo
from adapters.playground.inbound import ActionRequest, CommandRequest, Who, translate_mentions
from adapters.playground.outcome import Outcome
from adapters.playground.port import PLATFORM, Entry, PlaygroundPort, TranscriptStore
from adapters.playground.routes import add_routes
from dialogs.core.cards import Notify
from dialogs.core.clock import Clock, utc_now
from dialogs.core.effects import for_actor
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Place
from dialogs.core.ports import Concord, Person


class Playground:
    def __init__(
        self,
        concord: Concord,
        after_change: Callable[[], Awaitable[None]],
        store: TranscriptStore,
        *,
        clock: Clock = utc_now,
    ) -> None:
        self.port = PlaygroundPort(store, clock=clock)
        self._clock = clock
        self._concord = concord
        self._after_change = after_change

    async def start(self) -> None:
        """The transcript as it was before the restart, and the demo if it isn't there yet."""
        await self.port.load()
        await self.seed_demo()

    async def seed_demo(self) -> None:
        """The demo collaborative, the first time: what seeding it posted is delivered, then
        forgotten, so the page opens on quiet channels as if it had always been there."""
        if await seed_demo(self._concord):
            await self._after_change()
            await self.port.forget()

    async def reset(self) -> None:
        """Erase the playground's collaboratives, its transcript and its notes; seed the
        demo again."""
        await self.port.erase(TENANT)
        await self.seed_demo()

    def add_routes(self, app: web.Application) -> None:
        add_routes(app, self)

    async def command(self, request: CommandRequest) -> Outcome:
        people = await self._people()
        actor = _actor(request.who, people)
        text = translate_mentions(request.text, people)
        return await self._handle(CommandIssued(actor, _place(request.channel_id), text))

    async def action(self, request: ActionRequest) -> Outcome:
        actor = _actor(request.who, await self._people())
        event = ActionInvoked(actor, _place(request.channel_id), request.action, request.values)
        return await self._handle(event)

    async def state(self, user_id: str | None) -> dict[str, Any]:
        """Everything the page shows, with every card already rendered to HTML."""
        people = await self._people()
        links = await self._concord.channel_links(PLATFORM, TENANT, CHANNEL_IDS)
        now = self._clock()
        return {
            "version": self.port.feed.version,
            "people": [asdict(person) for person in people],
            "channels": [
                {"id": c.channel_id, "name": c.name, "collaborative": links.get(c.channel_id)}
                for c in CHANNELS
            ],
            "transcripts": {
                c.channel_id: [_entry_json(e, now) for e in self.port.transcript(c.channel_id)]
                for c in CHANNELS
            },
            "notes": [_entry_json(e, now, private=True) for e in self.port.notes(user_id or "")],
        }

    async def _handle(self, event: CommandIssued | ActionInvoked) -> Outcome:
        effects = await self._concord.handle(event)
        for effect in effects:
            if isinstance(effect, Notify):
                place = effect.place.place() if effect.place else None
                await self.port.notify(effect.actor.actor(), place, {}, effect.card)
        notes, forms = for_actor(effects, event.actor)
        await self._after_change()
        form = forms[-1].form if forms else None
        return Outcome(event.actor, [note.card for note in notes], form)

    async def _people(self) -> list[Person]:
        return await self._concord.people(PLATFORM, TENANT)


def _actor(who: Who, people: list[Person]) -> Actor:
    """Known people act under the name the database has; newcomers under the name they typed;
    either in the language chosen on the page."""
    known = next((person for person in people if person.user_id == who.user_id), None)
    name = known.name if known else (who.name or who.user_id)
    return Actor(PLATFORM, TENANT, who.user_id, name, locale=who.locale)


def _place(channel_id: str) -> Place:
    return Place(PLATFORM, TENANT, channel_id)


def shown_time(at: datetime, now: datetime) -> str:
    """When a message came, as the UK writes it: "14:05" today, "14:05, 3 Dec" before."""
    zone = ZoneInfo(TIMEZONE)
    local = at.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return f"{local:%H:%M}"
    return f"{local:%H:%M}, {local.day} {local:%b}"


def _entry_json(entry: Entry, now: datetime, *, private: bool = False) -> dict[str, Any]:
    return {
        "ref": entry.ref,
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "time": shown_time(entry.at, now),
        "channel": entry.channel_id,
        "html": render.render_card(entry.card, ref=entry.ref, private=private),
    }
