"""Scheduled polls opening when time passes: exactly once in every channel linked then,
across the London clock changes, a restart and two tickers racing, late but never lost, and
the coordinators told when a channel it was meant for is gone."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import delete, select

from dialogs.ticker import Ticker
from storage.models import Channel, Outbox, Poll, PostedMessage, Timer
from tests.dialogs.polls.test_scheduled_polls import SCHEDULED, northshire
from tests.support.conversation import (
    ASHA,
    BEN,
    NORTH,
    SOUTH,
    Conversation,
    counts,
    poll_buttons,
    text_of,
)
from tests.support.fakes import FakeClock

TOMORROW_9 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # Fri 27 Nov 2026 09:00 GMT


@pytest.fixture
def chat(database, clock):
    yield (conversation := northshire(database, clock))
    conversation.close()


def told(chat, person) -> list[str]:
    return [
        text_of(card) for actor, card in chat.platform.private if actor.user_id == person.user_id
    ]


def posts_of(database, poll_number: int = 1) -> int:
    """How many times the poll's message was queued to be posted (one per channel)."""
    with database.session() as session:
        poll = session.exec(select(Poll).where(Poll.number == poll_number)).one()
        rows = session.exec(select(Outbox).where(Outbox.message_key == f"poll:{poll.id}")).all()
    return sum(1 for row in rows if row.effect["kind"] == "post")


def unlink(database, place) -> None:
    """The channel is no longer linked (its row and what was posted in it are gone)."""
    with database.session() as session:
        row = session.exec(select(Channel).where(Channel.channel_id == place.channel_id)).one()
        session.exec(delete(PostedMessage).where(PostedMessage.channel_id == row.id))  # type: ignore[call-overload]
        session.delete(row)
        session.commit()


def opened_at_nine(chat, database, clock) -> str:
    """The poll opens at 09:00 tomorrow: what Asha, coordinating, is told of it."""
    clock.now = TOMORROW_9
    assert Ticker(database, clock).tick().fired == 1
    chat.deliver()
    [note] = told(chat, ASHA)
    return note


def test_the_poll_opens_at_its_time_in_every_channel_with_its_clocks_from_then(
    chat, database, clock
):
    chat.says(ASHA, NORTH, SCHEDULED + " --closes friday 17:00 --remind 2h")
    ticker = Ticker(database, clock)
    clock.now = TOMORROW_9 - timedelta(seconds=1)
    assert ticker.tick().fired == 0
    clock.now = TOMORROW_9
    assert ticker.tick().fired == 1
    chat.deliver()
    for place in (NORTH, SOUTH):
        shown = text_of(chat.last_message(place))
        assert "Which ward first?" in shown
        assert "votes can be changed until Fri 27 Nov 2026 17:00 GMT" in shown
        assert "late" not in shown
        assert set(poll_buttons(chat.last_message(place))) == {"Beds", "Discharge"}
    assert told(chat, ASHA) == [], "nothing unusual to tell"
    with database.session() as session:
        due = {t.kind: t.due_at for t in session.exec(select(Timer)).all()}
    assert due["poll.remind"] == TOMORROW_9 + timedelta(hours=2)
    assert due["poll.close"] == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Beds"])
    assert counts(chat.last_message(SOUTH))["Beds"] == 1
    assert ticker.tick().fired == 0, "it opens once"
    assert posts_of(database) == 2


@pytest.mark.parametrize(
    ("start", "when", "opens_utc", "echoed"),
    [
        # Spring: clocks go forward at 01:00 GMT on Sun 29 Mar 2026.
        (
            datetime(2026, 3, 28, 9, 0),
            "sunday 09:00",
            datetime(2026, 3, 29, 8, 0),
            "Sun 29 Mar 2026 09:00 BST",
        ),
        (
            datetime(2026, 3, 28, 9, 0),
            "sunday 01:30",  # a wall time that doesn't exist that day: the minute after
            datetime(2026, 3, 29, 1, 30),
            "Sun 29 Mar 2026 02:30 BST",
        ),
        # Autumn: clocks go back at 02:00 BST on Sun 25 Oct 2026.
        (
            datetime(2026, 10, 24, 9, 0),
            "sunday 09:00",
            datetime(2026, 10, 25, 9, 0),
            "Sun 25 Oct 2026 09:00 GMT",
        ),
        (
            datetime(2026, 10, 24, 9, 0),
            "sunday 01:30",  # a wall time that happens twice: the first
            datetime(2026, 10, 25, 0, 30),
            "Sun 25 Oct 2026 01:30 BST",
        ),
    ],
)
def test_a_poll_opens_once_at_its_london_time_across_the_clock_changes(
    database, start, when, opens_utc, echoed
):
    clock = FakeClock(start.replace(tzinfo=UTC))
    chat = Conversation(database, clock)
    chat.says(ASHA, NORTH, 'setup "Northshire" --timezone Europe/London')
    shown = chat.says(ASHA, NORTH, f'poll "Q?" "A" "B" --opens {when}')
    assert f"It opens {echoed}" in shown
    ticker = Ticker(database, clock)
    opened_at = []
    while clock.now < start.replace(tzinfo=UTC) + timedelta(days=2):
        if ticker.tick().fired:
            opened_at.append(clock.now)
        clock.advance(minutes=5)
    assert opened_at == [opens_utc.replace(tzinfo=UTC)]
    assert posts_of(database) == 1
    chat.close()


def test_after_a_restart_a_fresh_engine_and_ticker_open_it_once(chat, database, clock):
    chat.says(ASHA, NORTH, SCHEDULED)
    chat.close()  # the process stops; another starts on the same database
    clock.now = TOMORROW_9 + timedelta(minutes=3)
    restarted = Conversation(database, clock)
    assert Ticker(database, clock).tick().fired == 1
    assert Ticker(database, clock).tick().fired == 0, "a second process finds nothing to do"
    restarted.deliver()
    assert posts_of(database) == 2
    assert "Which ward first?" in text_of(restarted.last_message(SOUTH))
    assert "#1 · single · open · 0 voted" in restarted.says(ASHA, NORTH, "poll list")
    restarted.close()


def test_two_tickers_racing_open_each_poll_exactly_once(chat, database, clock):
    polls = 12  # within the limit of new polls a coordinator may start in an hour
    for n in range(polls):
        chat.says(ASHA, NORTH, f'poll "Q{n}?" "A" "B" --opens tomorrow 09:00')
    clock.now = TOMORROW_9
    tickers = [Ticker(database, clock, batch=4) for _ in range(2)]
    start = threading.Barrier(len(tickers))
    fired: list[int] = []

    def tick(ticker: Ticker) -> None:
        start.wait()
        fired.append(ticker.tick().fired)

    threads = [threading.Thread(target=tick, args=(t,)) for t in tickers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(fired) == polls
    assert [posts_of(database, n) for n in range(1, polls + 1)] == [2] * polls
    with database.session() as session:
        statuses = {p.status for p in session.exec(select(Poll)).all()}
    assert statuses == {"open"}


def test_a_poll_opened_late_says_so_to_channels_and_coordinators(chat, database, clock):
    chat.says(ASHA, NORTH, SCHEDULED + " --closes friday 17:00 --remind 2h")
    clock.now = TOMORROW_9 + timedelta(hours=1, minutes=30)  # Concord was down at 09:00
    report = Ticker(database, clock).tick()
    assert (report.fired, report.missed) == (1, 0), "an opening always runs, however late"
    chat.deliver()
    assert "Opened late, Fri 27 Nov 2026 10:30 GMT: it was due Fri 27 Nov 2026 09:00 GMT." in (
        text_of(chat.last_message(SOUTH))
    )
    [note] = told(chat, ASHA)
    assert "Poll #1 (Which ward first?) opened late: it was due Fri 27 Nov 2026 09:00 GMT" in note
    with database.session() as session:
        remind = session.exec(select(Timer).where(Timer.kind == "poll.remind")).one()
    assert remind.due_at == clock.now + timedelta(hours=2), "the reminder counts from the opening"


def test_a_channel_unlinked_before_the_opening_leaves_it_to_the_others_and_says_so(
    chat, database, clock
):
    chat.says(ASHA, NORTH, SCHEDULED)
    unlink(database, NORTH)
    note = opened_at_nine(chat, database, clock)
    assert "Which ward first?" in text_of(chat.last_message(SOUTH))
    assert posts_of(database) == 1
    assert (
        "Poll #1 (Which ward first?) opened. The channel it was scheduled from is no longer "
        "linked, so it was posted in the 1 channel linked now."
    ) in note


def test_with_no_channel_linked_it_is_posted_nowhere_and_coordinators_are_told(
    chat, database, clock
):
    chat.says(ASHA, SOUTH, SCHEDULED)
    chat.says(ASHA, NORTH, "poll list")  # Asha's identity stays; both channels go
    for place in (NORTH, SOUTH):
        unlink(database, place)
    note = opened_at_nine(chat, database, clock)
    assert posts_of(database) == 0
    assert (
        "Poll #1 (Which ward first?) opened, but no channel is linked to Northshire Provider "
        "Collaborative, so it was not posted anywhere."
    ) in note
