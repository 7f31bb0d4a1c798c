"""The dispatcher against platforms that fail, throttle and rate-limit, and against a crash.

Every test moves a fake clock and drains; nothing sleeps. Channels and queued
messages are written straight to the database, as the engine would write them.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise

from sqlmodel import select

from adapters.slack.port import SLACK_LIMITS
from bot.dispatcher import Dispatcher
from dialogs.core.cards import ActorModel, Card, Notify, PlaceModel, Post, Text, Update
from dialogs.core.effects import emit
from dialogs.core.events import Actor, Place
from dialogs.core.ports import NO_LIMITS, DeliveryError, DeliveryLimits
from storage.models import Channel, Collaborative, Outbox, PostedMessage


@dataclass
class Delivered:
    at: datetime
    kind: str
    channel_id: str
    text: str


@dataclass
class FakePlatform:
    """Slack-like by default: records what arrives when, and fails as scripted per message."""

    clock: object
    platform: str = "slack"
    limits: DeliveryLimits = SLACK_LIMITS
    failures: dict[str, list[DeliveryError]] = field(default_factory=dict)
    delivered: list[Delivered] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)

    async def post(self, place, delivery, card):
        return self._arrive("post", place, card)

    async def update(self, place, delivery, ref, card):
        self._arrive("update", place, card)

    async def notify(self, actor, place, delivery, card):
        self._arrive("notify", place, card)

    def _arrive(self, kind, place, card) -> str:
        self.calls[card.fallback] += 1
        if self.failures.get(card.fallback):
            raise self.failures[card.fallback].pop(0)
        self.delivered.append(Delivered(self.clock(), kind, place.channel_id, card.fallback))
        return f"ts-{len(self.delivered)}"

    def texts(self, channel_id: str) -> list[str]:
        return [d.text for d in self.delivered if d.channel_id == channel_id]


@dataclass
class HangingPlatform(FakePlatform):
    """Takes the post and never answers: the process dies mid-call."""

    entered: asyncio.Event = field(default_factory=asyncio.Event)

    async def post(self, place, delivery, card):
        self.entered.set()
        await asyncio.Event().wait()


class YieldingPlatform(FakePlatform):
    """Lets other tasks run before each post, as a network call would."""

    async def post(self, place, delivery, card):
        await asyncio.sleep(0)
        return self._arrive("post", place, card)


LATEST: dict[str, str] = {}


class LatestRendering:
    """Renders a message from the latest text queued for it, as the engine renders the
    latest state (and nothing for a key never queued)."""

    def render_message(self, key):
        return card(LATEST[key]) if key in LATEST else None


def card(text: str) -> Card:
    return Card(blocks=[Text(text=text)], fallback=text)


def slack(channel_id: str, workspace: str = "T1") -> Place:
    return Place("slack", workspace, channel_id)


def link_channels(database, clock, *places: Place) -> dict[str, int]:
    with database.session() as session:
        partnership = Collaborative(name="Northshire", timezone="UTC", created_at=clock())
        session.add(partnership)
        session.flush()
        channels = [
            Channel(
                collaborative_id=partnership.id,
                platform=p.platform,
                tenant_id=p.tenant_id,
                channel_id=p.channel_id,
                created_at=clock(),
            )
            for p in places
        ]
        session.add_all(channels)
        session.flush()
        return {c.channel_id: c.id for c in channels}


def queue(database, clock, *effects) -> None:
    with database.session() as session:
        for effect in effects:
            emit(session, clock(), None, effect)


def posted_copy(database, key: str, channel_row_id: int, rendered_at: datetime) -> None:
    """A message already posted in a channel, last rendered at `rendered_at`."""
    with database.session() as session:
        session.add(
            PostedMessage(
                key=key,
                channel_id=channel_row_id,
                platform_ref=f"ts-{key}",
                created_at=rendered_at,
                updated_at=rendered_at,
            )
        )


def update(place: Place, key: str, text: str) -> Update:
    LATEST[key] = text
    return Update(key=key, place=PlaceModel.of(place))


def post(place: Place, text: str) -> Post:
    return Post(place=PlaceModel.of(place), card=card(text))


def statuses(database) -> list[str]:
    with database.session() as session:
        return [row.status for row in session.exec(select(Outbox).order_by(Outbox.id)).all()]


def dispatcher(database, clock, port, **options) -> Dispatcher:
    return Dispatcher(
        database, LatestRendering(), {port.platform: port}, clock, rng=random.Random(7), **options
    )


def gaps(times: list[datetime]) -> list[timedelta]:
    return [later - earlier for earlier, later in pairwise(times)]


def run(coroutine):
    return asyncio.run(coroutine)


def drain_for(seconds: float, step: float, clock, *dispatchers: Dispatcher) -> None:
    """Let `seconds` of fake time pass in steps, draining after each (as the loop would)."""

    async def go() -> None:
        for _ in range(round(seconds / step) + 1):
            for each in dispatchers:
                await each.drain()
            clock.advance(seconds=step)

    run(go())


def test_a_post_that_fails_twice_then_is_throttled_goes_out_once_after_retry_after(database, clock):
    link_channels(database, clock, slack("C1"), slack("C2"))
    platform = FakePlatform(clock)
    server_error = DeliveryError("HTTP 500")
    throttled = DeliveryError("HTTP 429 ratelimited", retry_after=7)
    platform.failures["first"] = [server_error, server_error, throttled]
    queue(
        database,
        clock,
        post(slack("C1"), "first"),
        post(slack("C1"), "second"),
        post(slack("C2"), "elsewhere"),
    )
    started = clock()
    bot = dispatcher(database, clock, platform)

    drain_for(20, 0.25, clock, bot)

    assert platform.texts("C1") == ["first", "second"], "delivered once each, in order"
    assert platform.calls["first"] == 4
    assert platform.calls["second"] == 1
    when = {d.text: d.at for d in platform.delivered}
    assert when["elsewhere"] == started, "another channel is not held up"
    # Backoff after the two 500s is about 1 s then 2 s (±20 %); then Retry-After is honoured.
    assert when["first"] >= started + timedelta(seconds=0.8 + 1.6 + 7)
    assert when["first"] <= started + timedelta(seconds=1.2 + 2.4 + 7 + 0.25)
    assert when["second"] >= when["first"] + timedelta(seconds=1)
    assert statuses(database) == ["sent", "sent", "sent"]
    assert bot.counters.retried == 3 and bot.counters.sent == 3


def test_a_permanent_refusal_fails_at_once_and_the_channel_moves_on(database, clock):
    link_channels(database, clock, slack("C1"))
    platform = FakePlatform(clock)
    platform.failures["bad"] = [DeliveryError("channel_not_found", permanent=True)]
    queue(database, clock, post(slack("C1"), "bad"), post(slack("C1"), "good"))

    drain_for(2, 0.5, clock, dispatcher(database, clock, platform))

    assert statuses(database) == ["failed", "sent"]
    assert platform.texts("C1") == ["good"]


def test_a_post_whose_process_died_mid_call_is_reported_unknown_and_never_resent(
    database, clock, caplog
):
    link_channels(database, clock, slack("C1"))
    queue(database, clock, post(slack("C1"), "check-in"), post(slack("C1"), "next"))
    hanging = HangingPlatform(clock)
    survivor = FakePlatform(clock)

    async def crash_mid_call() -> None:
        dying = asyncio.create_task(dispatcher(database, clock, hanging, owner="dying").drain())
        await hanging.entered.wait()
        dying.cancel()  # the process is gone; its lease stays behind

    run(crash_mid_call())
    other = dispatcher(database, clock, survivor, owner="other")
    assert run(other.drain()) == 0, "a live lease is respected"
    clock.advance(seconds=31)

    drain_for(2, 0.5, clock, other)

    assert statuses(database) == ["unknown", "sent"]
    assert survivor.texts("C1") == ["next"], "the check-in is not posted a second time"
    assert other.counters.unknown == 1
    assert "delivery outcome unknown" in caplog.text


def test_a_post_whose_process_died_before_calling_the_platform_is_sent_once(database, clock):
    link_channels(database, clock, slack("C1"))
    queue(database, clock, post(slack("C1"), "check-in"))
    with database.session() as session:  # what a process leaves when it dies after its claim
        row = session.exec(select(Outbox)).one()
        row.lease_owner, row.lease_until = "dead", clock() + timedelta(seconds=30)
    platform = FakePlatform(clock)
    other = dispatcher(database, clock, platform, owner="other")

    assert run(other.drain()) == 0
    clock.advance(seconds=30)
    drain_for(2, 0.5, clock, other)

    assert statuses(database) == ["sent"]
    assert platform.texts("C1") == ["check-in"]


def test_a_re_render_whose_process_died_mid_call_is_simply_done_again(database, clock):
    channels = link_channels(database, clock, slack("C1"))
    posted_copy(database, "poll:1", channels["C1"], clock() - timedelta(hours=1))
    queue(database, clock, update(slack("C1"), "poll:1", "3 votes"))
    with database.session() as session:
        row = session.exec(select(Outbox)).one()
        row.lease_owner, row.lease_until = "dead", clock() + timedelta(seconds=30)
        row.attempted_at = clock()
    platform = FakePlatform(clock)
    clock.advance(seconds=30)

    drain_for(1, 0.5, clock, dispatcher(database, clock, platform))

    assert statuses(database) == ["sent"]
    assert [(d.kind, d.text) for d in platform.delivered] == [("update", "3 votes")]


def test_two_processes_deliver_300_posts_in_10_channels_exactly_once_in_order(database, clock):
    channels = [f"C{n}" for n in range(10)]
    link_channels(database, clock, *(slack(c) for c in channels))
    queue(database, clock, *(post(slack(f"C{n % 10}"), f"{n // 10:03}") for n in range(300)))
    platform = YieldingPlatform(clock, limits=NO_LIMITS)
    first = dispatcher(database, clock, platform, owner="first", batch=3)
    second = dispatcher(database, clock, platform, owner="second", batch=3)

    async def both() -> list[int]:
        settled = []
        while len(settled) < 50 and sum(settled) < 300:
            settled += await asyncio.gather(first.drain(), second.drain())
        return settled

    assert sum(run(both())) == 300
    assert len(platform.delivered) == 300
    for channel_id in channels:
        assert platform.texts(channel_id) == [f"{n:03}" for n in range(30)]
    assert first.counters.sent + second.counters.sent == 300
    assert first.counters.sent and second.counters.sent, "both processes took part"
    assert set(statuses(database)) == {"sent"}


def test_ten_posts_to_one_slack_channel_go_out_one_a_second(database, clock):
    link_channels(database, clock, slack("C1"), slack("C2"))
    queue(database, clock, *(post(slack("C1"), f"m{n}") for n in range(10)))
    queue(database, clock, post(slack("C2"), "other"))
    platform = FakePlatform(clock)
    started = clock()

    drain_for(12, 0.1, clock, dispatcher(database, clock, platform))

    times = [d.at for d in platform.delivered if d.channel_id == "C1"]
    assert platform.texts("C1") == [f"m{n}" for n in range(10)]
    assert times[0] == started
    assert min(gaps(times)) >= timedelta(seconds=1)
    assert times[-1] <= started + timedelta(seconds=9.1)
    assert platform.texts("C2") == ["other"]


def test_slack_edits_across_a_workspace_wait_once_50_a_minute_are_used(database, clock):
    channels = link_channels(database, clock, *(slack(f"C{n}") for n in range(5)))
    for channel_id, row_id in channels.items():
        for n in range(30):
            key = f"msg:{channel_id}:{n}"
            posted_copy(database, key, row_id, clock() - timedelta(hours=1))
            queue(database, clock, update(slack(channel_id), key, key))
    platform = FakePlatform(clock)
    started = clock()

    drain_for(130, 1, clock, dispatcher(database, clock, platform))

    def edits_within(start: float, end: float) -> int:
        low, high = started + timedelta(seconds=start), started + timedelta(seconds=end)
        return sum(1 for d in platform.delivered if low < d.at <= high)

    assert edits_within(-1, 0) == 50, "a burst of 50 at once"
    assert 45 <= edits_within(0, 60) <= 50, "then no more than 50 a minute"
    assert 45 <= edits_within(60, 120) <= 50
    assert len(platform.delivered) == 150, "and every edit gets there"


def test_a_slack_poll_copy_is_re_rendered_at_most_once_per_window(database, clock):
    window = SLACK_LIMITS.coalesce_seconds
    channels = link_channels(database, clock, slack("C1"))
    key = "poll:1"
    posted_copy(database, key, channels["C1"], clock())
    platform = FakePlatform(clock)
    bot = dispatcher(database, clock, platform)
    started = clock()

    async def votes() -> None:
        for n in range(60):  # a vote every 100 ms for 6 s
            queue(database, clock, update(slack("C1"), key, f"{n + 1} votes"))
            await bot.drain()
            clock.advance(seconds=0.1)
        clock.advance(seconds=window)
        await bot.drain()

    run(votes())

    times = [d.at for d in platform.delivered]
    assert times[0] == started + timedelta(seconds=window)
    assert min(gaps(times)) >= timedelta(seconds=window)
    assert platform.delivered[-1].text == "60 votes", "the last render shows the latest state"
    assert bot.counters.coalesced == 60 - len(times)


@dataclass
class NotedPlatform(FakePlatform):
    """Records the delivery each private note was handed."""

    notes: dict[str, dict] = field(default_factory=dict)

    async def notify(self, actor, place, delivery, card):
        self.notes[card.fallback] = delivery


def test_a_note_gets_its_channels_delivery_else_the_tenants_newest(database, clock):
    rows = link_channels(database, clock, slack("C1"), slack("C2"), slack("C3"))
    with database.session() as session:
        for channel_id, delivery in (("C1", {"to": "C1"}), ("C2", {"to": "C2"})):
            row = session.get(Channel, rows[channel_id])
            row.delivery = delivery
            session.add(row)
    actor = ActorModel.of(Actor("slack", "T1", "U1", "Ann"))
    elsewhere = ActorModel.of(Actor("slack", "T9", "U9", "Bo"))
    queue(
        database,
        clock,
        Notify(actor=actor, place=PlaceModel.of(slack("C1")), card=card("in C1")),
        Notify(actor=actor, place=PlaceModel.of(slack("C3")), card=card("in C3")),
        Notify(actor=actor, card=card("nowhere")),
        Notify(actor=elsewhere, card=card("unknown tenant")),
    )
    platform = NotedPlatform(clock)

    drain_for(5, 0.25, clock, dispatcher(database, clock, platform))  # one a second per lane

    assert platform.notes == {
        "in C1": {"to": "C1"},
        "in C3": {"to": "C2"},
        "nowhere": {"to": "C2"},
        "unknown tenant": {},
    }
