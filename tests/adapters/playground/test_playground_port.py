"""The playground's channels: messages appear, update in place, stay bounded, wake pages, and
are there again after a restart (kept in a real SQLite database)."""

from __future__ import annotations

import asyncio

import pytest

from adapters.playground.inbound import guest_id, translate_mentions
from adapters.playground.port import MESSAGES_PER_CHANNEL, PlaygroundPort
from dialogs.core.cards import Card, Text
from dialogs.core.events import Actor, Place
from dialogs.core.ports import Person
from storage.playground import PlaygroundStore

RIVERSIDE = Place("playground", "demo", "riverside-partnership")
HILLVIEW = Place("playground", "demo", "hillview-partnership")
BEN = Actor("playground", "demo", "ben", "Ben Okafor")


@pytest.fixture
def new_port(sqlite_database, clock):
    """A port as a process starts it, on the one database every process shares."""
    return lambda: PlaygroundPort(PlaygroundStore(sqlite_database), clock=clock)


def card(text: str) -> Card:
    return Card(blocks=[Text(text=text)], fallback=text)


def texts(port: PlaygroundPort, channel: str) -> list[str]:
    return [entry.card.fallback for entry in port.transcript(channel)]


async def test_an_updated_message_changes_where_it_stands(new_port):
    port = new_port()
    poll = await port.post(RIVERSIDE, {}, card("0 votes"))
    await port.post(RIVERSIDE, {}, card("Later message"))

    await port.update(RIVERSIDE, {}, poll, card("1 vote"))

    assert texts(port, RIVERSIDE.channel_id) == ["1 vote", "Later message"]
    assert texts(port, HILLVIEW.channel_id) == []


async def test_an_update_for_a_message_from_before_a_restart_shows_the_latest_state(new_port):
    port = new_port()

    await port.update(HILLVIEW, {}, "old-ref", card("2 votes"))
    await port.update(HILLVIEW, {}, "old-ref", card("3 votes"))

    assert texts(port, HILLVIEW.channel_id) == ["3 votes"]


async def test_message_references_from_an_earlier_run_never_match_new_messages(new_port):
    before, after = new_port(), new_port()

    assert await before.post(RIVERSIDE, {}, card("a")) != await after.post(RIVERSIDE, {}, card("a"))


async def test_a_channel_keeps_only_its_latest_messages(new_port):
    port = new_port()

    for number in range(MESSAGES_PER_CHANNEL + 5):
        await port.post(RIVERSIDE, {}, card(str(number)))

    shown = texts(port, RIVERSIDE.channel_id)
    assert len(shown) == MESSAGES_PER_CHANNEL
    assert shown[-1] == str(MESSAGES_PER_CHANNEL + 4)


async def test_private_notes_reach_only_their_person_in_the_order_things_happened(new_port):
    port = new_port()
    await port.post(RIVERSIDE, {}, card("poll"))

    await port.notify(BEN, RIVERSIDE, {}, card("You voted"))

    [note] = port.notes("ben")
    assert note.channel_id == RIVERSIDE.channel_id
    assert note.seq > port.transcript(RIVERSIDE.channel_id)[0].seq
    assert port.notes("asha") == []


async def test_after_a_restart_channels_and_notes_show_what_they_showed(new_port, clock):
    before = new_port()
    poll = await before.post(RIVERSIDE, {}, card("0 votes"))
    await before.post(HILLVIEW, {}, card("Welcome"))
    await before.notify(BEN, RIVERSIDE, {}, card("You voted"))
    await before.update(RIVERSIDE, {}, poll, card("1 vote"))
    clock.advance(hours=1)

    after = new_port()
    await after.load()

    assert texts(after, RIVERSIDE.channel_id) == ["1 vote"]
    assert texts(after, HILLVIEW.channel_id) == ["Welcome"]
    assert [note.card.fallback for note in after.notes("ben")] == ["You voted"]
    assert (
        after.transcript(RIVERSIDE.channel_id)[0].at
        == before.transcript(RIVERSIDE.channel_id)[0].at
    )
    await after.update(RIVERSIDE, {}, poll, card("2 votes"))  # the poll still updates in place
    assert texts(after, RIVERSIDE.channel_id) == ["2 votes"]


async def test_a_waiting_page_is_woken_by_a_change(new_port):
    port = new_port()
    seen = port.feed.version
    waiting = asyncio.create_task(port.feed.wait(seen, timeout=5))
    await asyncio.sleep(0)

    await port.post(RIVERSIDE, {}, card("news"))

    assert await waiting is True
    assert await port.feed.wait(port.feed.version, timeout=0.01) is False


PEOPLE = [
    Person("asha", "Asha Patel", "coordinator", "Riverside", "Northshire"),
    Person("elin", "Elin Hughes", "observer", "Hillview", "Northshire"),
    Person("eli", "Eli", "member", "", "Northshire"),
]


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("role observer @Elin Hughes", "role observer <@elin>"),
        ("role observer @elin hughes", "role observer <@elin>"),
        ("role observer @Eli", "role observer <@eli>"),
        ('role observer "@Asha Patel"', 'role observer "<@asha>"'),
        ("role observer @Elinor", "role observer @Elinor"),
        ("role observer @Zoe Ball", "role observer @Zoe Ball"),
        ("role observer <@elin>", "role observer <@elin>"),
        ("mail asha@Eli.example", "mail asha@Eli.example"),
    ],
)
def test_typed_mentions_of_known_people_become_platform_mentions(typed, sent):
    assert translate_mentions(typed, PEOPLE) == sent


@pytest.mark.parametrize(
    ("name", "user_id"),
    [
        ("Sam O'Neill", "guest-sam-o-neill"),
        ("Siân Évans", "guest-sian-evans"),
        ("Asha", "guest-asha"),
    ],
)
def test_a_newcomer_gets_a_user_id_from_their_name(name, user_id):
    assert guest_id(name) == user_id


def test_a_newcomer_with_a_non_latin_name_still_gets_a_stable_id():
    assert guest_id("张伟") == guest_id("张伟") != guest_id("李娜")
    assert guest_id("张伟").startswith("guest-")
