"""Engine scenarios read as conversations: someone types or clicks, the channels show things."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from bot.dispatcher import Dispatcher
from dialogs.core.cards import (
    Actions,
    Button,
    Card,
    Download,
    Effect,
    Form,
    Notify,
    OpenForm,
    ResultBars,
)
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Event, Place
from dialogs.core.moments import plain
from dialogs.core.ports import DEFAULT_LIMITS, ExportFile, Limits
from dialogs.engine import Engine
from storage.database import Database
from tests.support.fakes import FakeClock, RecordingPlatform


def person(user_id: str, name: str, platform: str = "playground") -> Actor:
    return Actor(platform, "demo", user_id, name)


def channel(channel_id: str, platform: str = "playground") -> Place:
    return Place(platform, "demo", channel_id)


ASHA = person("asha", "Asha Patel")
BEN = person("ben", "Ben Okafor")
CARYS = person("carys", "Carys Jones")
DEE = person("dee", "Dee Sharma")
NORTH = channel("north")
SOUTH = channel("south")


def text_of(card: Card) -> str:
    """The card's words as a person reads them, each moment in the collaborative's zone."""
    return plain("\n".join(getattr(block, "text", "") or "" for block in card.blocks))


class Conversation:
    def __init__(self, database: Database, clock: FakeClock, limits: Limits = DEFAULT_LIMITS):
        self.database = database
        self.clock = clock
        self.engine = Engine(database, clock, limits=limits)
        self.platform = RecordingPlatform()
        self.dispatcher = Dispatcher(database, self.engine, {"playground": self.platform}, clock)
        self._loop = asyncio.new_event_loop()

    def close(self) -> None:
        self._loop.close()

    def says(self, actor: Actor, place: Place, text: str) -> str:
        """What the person sees privately after typing `text` (the channels are updated too)."""
        return self._shown(self.engine.handle(CommandIssued(actor, place, text)))

    def clicks(self, actor: Actor, place: Place, action: str, values: dict | None = None) -> str:
        return self._shown(self.engine.handle(ActionInvoked(actor, place, action, values or {})))

    def exports(self, actor: Actor, place: Place, text: str) -> tuple[str, ExportFile]:
        """What the person reads after typing `text`, and the file its download link gives."""
        effects = self.engine.handle(CommandIssued(actor, place, text))
        cards = [e.card for e in effects if isinstance(e, Notify)]
        links = [b for card in cards for b in card.blocks if isinstance(b, Download)]
        assert len(links) == 1, f"expected one download, got {[text_of(c) for c in cards]}"
        found = self.engine.export_file(links[0].token)
        assert isinstance(found, ExportFile), f"the link {links[0].url} gives {found!r}"
        return self._shown(effects), found

    def form(self, actor: Actor, place: Place, text: str = "poll") -> Form:
        effects = self.engine.handle(CommandIssued(actor, place, text))
        forms = [e.form for e in effects if isinstance(e, OpenForm)]
        assert forms, f"expected a form, got {effects}"
        return forms[0]

    def submits(self, actor: Actor, place: Place, action: str, values: dict) -> list[Effect]:
        effects = self.engine.handle(ActionInvoked(actor, place, action, values))
        self.deliver()
        return effects

    def deliver(self) -> int:
        return self._loop.run_until_complete(self.dispatcher.drain())

    def messages(self, place: Place) -> list[Card]:
        return self.platform.in_channel(place.channel_id)

    def last_message(self, place: Place) -> Card:
        messages = self.messages(place)
        assert messages, f"nothing posted in {place.channel_id}"
        return messages[-1]

    def set_up_two_channels(self) -> None:
        """Asha sets up a collaborative in NORTH and links SOUTH to it."""
        self.says(ASHA, NORTH, 'setup "Northshire Provider Collaborative"')
        shown = self.says(ASHA, NORTH, "link")
        code = shown.split("Link code: ")[1].split()[0]
        self.says(ASHA, SOUTH, f"link {code}")

    def _shown(self, effects: list[Effect]) -> str:
        self.deliver()
        return "\n".join(text_of(e.card) for e in effects if isinstance(e, Notify))


class TwoPlatforms(Conversation):
    """A conversation whose channels are on Slack and Teams (recorded, not delivered)."""

    def __init__(self, database: Database, clock: FakeClock) -> None:
        super().__init__(database, clock)
        self.slack = RecordingPlatform(platform="slack")
        self.teams = RecordingPlatform(platform="teams")
        self.dispatcher = Dispatcher(
            database, self.engine, {"slack": self.slack, "teams": self.teams}, clock
        )

    def seen_in(self, place: Place) -> list[Card]:
        platform = self.slack if place.platform == "slack" else self.teams
        return platform.in_channel(place.channel_id)


def button_elements(card: Card) -> Iterator[Button]:
    """Every button on a card, in order."""
    for block in card.blocks:
        if isinstance(block, Actions):
            yield from (element for element in block.elements if isinstance(element, Button))


def buttons(card: Card) -> dict[str, str]:
    """Label → action of every button on a card."""
    return {button.label: button.action for button in button_elements(card)}


def returned_form(effects: list[Effect]) -> Form:
    """The one form a turn opened (or opened again, with a problem or the coach's findings)."""
    forms = [e.form for e in effects if isinstance(e, OpenForm)]
    assert len(forms) == 1, f"expected one form, got {effects}"
    return forms[0]


def poll_buttons(card: Card) -> dict[str, str]:
    """Label → action of the vote buttons on a poll message."""
    return {b.label: b.action for b in button_elements(card) if b.action.startswith("vote:")}


def counts(card: Card) -> dict[str, int]:
    bars = next(block for block in card.blocks if isinstance(block, ResultBars))
    return {bar.label: bar.count for bar in bars.bars}


def all_at_once(clicks: list[Event], engine: Engine) -> list[list[Effect]]:
    """Release every event together from its own thread; return what each person was told."""
    start = threading.Barrier(min(len(clicks), 25))

    def click(event: Event) -> list[Effect]:
        with contextlib.suppress(threading.BrokenBarrierError):
            start.wait(timeout=10)
        return engine.handle(event)

    with ThreadPoolExecutor(max_workers=25) as pool:
        return list(pool.map(click, clicks))
