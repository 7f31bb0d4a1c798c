"""The outbox: what a committed change promised reaches the platforms, failures included."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlmodel import select

from adapters.playground.port import PlaygroundPort
from bot.dispatcher import MAX_ATTEMPTS, Dispatcher
from bot.ratelimit import BACKOFF_CAP_SECONDS, JITTER
from dialogs.core.events import CommandIssued
from dialogs.core.ports import DeliveryError
from storage.models import Outbox, PostedMessage
from tests.support.conversation import (
    ASHA,
    NORTH,
    SOUTH,
    Conversation,
    channel,
    counts,
    person,
    poll_buttons,
    text_of,
)

LONGEST_BACKOFF = BACKOFF_CAP_SECONDS * (1 + JITTER)


class FlakyPlatform:
    """Fails the first `failures` calls, then behaves like the recording platform."""

    def __init__(self, inner, failures: int, permanent: bool = False):
        self.platform = inner.platform
        self.inner = inner
        self.failures = failures
        self.permanent = permanent

    async def post(self, place, delivery, card):
        if self.failures:
            self.failures -= 1
            raise DeliveryError("platform said no", permanent=self.permanent)
        return await self.inner.post(place, delivery, card)

    async def update(self, place, delivery, ref, card):
        return await self.inner.update(place, delivery, ref, card)

    async def notify(self, actor, place, delivery, card):
        return await self.inner.notify(actor, place, delivery, card)


@pytest.fixture
def chat(sqlite_database, clock):
    conversation = Conversation(sqlite_database, clock)
    conversation.says(ASHA, NORTH, 'setup "Northshire"')
    yield conversation
    conversation.close()


def statuses(database) -> list[str]:
    with database.session() as session:
        return [row.status for row in session.exec(select(Outbox).order_by(Outbox.id)).all()]


def test_a_failed_post_is_retried_after_a_short_backoff(chat, sqlite_database, clock):
    flaky = FlakyPlatform(chat.platform, failures=1)
    chat.dispatcher.platforms["playground"] = flaky
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B"')
    assert statuses(sqlite_database) == ["pending"]
    chat.deliver()
    assert statuses(sqlite_database) == ["pending"], "not hammered again at once"
    clock.advance(seconds=1 + JITTER)
    chat.deliver()
    assert statuses(sqlite_database) == ["sent"]
    assert poll_buttons(chat.last_message(NORTH))
    assert chat.dispatcher.counters.retried == 1


def test_a_post_that_keeps_failing_is_given_up_after_several_attempts(chat, sqlite_database, clock):
    chat.dispatcher.platforms["playground"] = FlakyPlatform(chat.platform, failures=99)
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B"')  # the first attempt
    for _ in range(MAX_ATTEMPTS - 2):
        clock.advance(seconds=LONGEST_BACKOFF)
        chat.deliver()
    assert statuses(sqlite_database) == ["pending"]
    clock.advance(seconds=LONGEST_BACKOFF)
    chat.deliver()
    assert statuses(sqlite_database) == ["failed"]
    assert chat.dispatcher.counters.failed == 1


def test_a_permanent_refusal_is_not_retried(chat, sqlite_database):
    chat.dispatcher.platforms["playground"] = FlakyPlatform(chat.platform, 1, permanent=True)
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B"')
    assert statuses(sqlite_database) == ["failed"]


def test_messages_for_a_platform_this_process_does_not_serve_are_marked_failed(
    chat, sqlite_database
):
    code = chat.says(ASHA, NORTH, "link").split("Link code: ")[1].split()[0]
    chat.says(ASHA, channel("C1", platform="slack"), f"link {code}")
    chat.says(ASHA, NORTH, 'poll "Q?" "A" "B"')
    assert "failed" in statuses(sqlite_database)
    with sqlite_database.session() as session:
        posted = session.exec(select(PostedMessage)).all()
    assert len(posted) == 1, "the playground copy was still posted and remembered"


def test_the_background_loop_delivers_when_woken(chat, sqlite_database, clock):
    async def scenario() -> None:
        dispatcher = Dispatcher(
            sqlite_database, chat.engine, {"playground": chat.platform}, clock, interval=60
        )
        await dispatcher.start()
        await asyncio.to_thread(chat.engine.handle, CommandIssued(ASHA, NORTH, 'poll "Q?" "A" "B"'))
        dispatcher.wake()
        for _ in range(200):
            if statuses(sqlite_database) == ["sent"]:
                break
            await asyncio.sleep(0.01)
        await dispatcher.stop()

    asyncio.run(scenario())
    assert statuses(sqlite_database) == ["sent"]


def test_200_votes_in_2_seconds_re_render_each_copy_at_most_twice_then_once_at_close(chat, clock):
    """The playground re-renders a poll at most once a second, always with the latest count."""
    chat.platform.limits = PlaygroundPort.limits
    code = chat.says(ASHA, NORTH, "link").split("Link code: ")[1].split()[0]
    chat.says(ASHA, SOUTH, f"link {code}")
    chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
    buttons = poll_buttons(chat.last_message(NORTH))

    for number in range(200):  # a vote every 10 ms, from both channels, 100 for each option
        clock.advance(seconds=0.01)
        voter = person(f"voter{number}", f"Voter {number}")
        option = "Soup" if number % 2 else "Salad"
        chat.clicks(voter, (NORTH, SOUTH)[number % 2], buttons[option])
    renders_while_open = Counter(chat.platform.updates)
    chat.says(ASHA, NORTH, "poll close 1")
    clock.advance(seconds=1)
    chat.deliver()

    renders = Counter(chat.platform.updates)
    assert len(renders) == 2, "each channel's copy of the poll was re-rendered"
    for ref, count in renders.items():
        assert 1 <= renders_while_open[ref] <= 2, "live, but at most once a second"
        assert count == renders_while_open[ref] + 1, "and rendered once more at close"
        _, final = chat.platform.messages[ref]
        assert counts(final) == {"Soup": 100, "Salad": 100}
        assert "closed" in text_of(final)
