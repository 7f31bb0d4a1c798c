"""Check-ins at each member's own time: a private prompt at 09:00 where each person is, once
per person per occurrence, and one summary in the channels when the last zone has closed."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from dialogs.checkins.own_time import instant
from dialogs.collaborative.people import setting_for
from dialogs.ticker import Ticker
from storage.database import Database
from storage.models import CheckinPrompt, CheckinRun, Outbox
from tests.conftest import POSTGRES_URL, _empty_postgres
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    channel,
    person,
    text_of,
)

# Monday 30 November 2026, 09:00 in Kolkata (IST, +05:30), London (GMT) and New York (EST).
KOLKATA_9 = datetime(2026, 11, 30, 3, 30, tzinfo=UTC)
LONDON_9 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
NEW_YORK_9 = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
ERIN = person("erin", "Erin Walsh")
BEN_DM = channel("dm-ben")


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


def set_zone(database: Database, who, *, chosen: str | None = None, platform: str | None = None):
    def write(session) -> None:
        setting = setting_for(session, who.platform, who.tenant_id, who.user_id, LONDON_9)
        setting.timezone, setting.platform_timezone = chosen, platform

    database.run(write)


def three_zones(chat: Conversation, database: Database) -> None:
    """Ben chose London, Carys's platform says New York, Dee chose Kolkata; Asha has no zone."""
    for who in (BEN, CARYS, DEE):
        chat.says(who, NORTH, "checkin list")  # each becomes a member
    set_zone(database, BEN, chosen="Europe/London")
    set_zone(database, CARYS, platform="America/New_York")
    set_zone(database, DEE, chosen="Asia/Kolkata", platform="Europe/London")


def each_nine(database: Database, clock) -> None:
    """Tick at 09:00 in Kolkata, London and New York, as the ticker would."""
    for moment in (KOLKATA_9, LONDON_9, NEW_YORK_9):
        clock.now = moment
        Ticker(database, clock).tick()


def prompted(chat: Conversation) -> list[str]:
    """Who has been sent a private prompt so far, in order (delivering what is queued)."""
    chat.deliver()
    return [
        actor.user_id
        for actor, card in chat.platform.private
        if "just for you" in (card.fallback or "")
    ]


def prompt_of(chat: Conversation, user_id: str):
    chat.deliver()
    return next(
        card
        for actor, card in chat.platform.private
        if actor.user_id == user_id and "just for you" in (card.fallback or "")
    )


def scale_action(card, question: int, value: int) -> str:
    return [
        e.action
        for b in card.blocks
        for e in getattr(b, "elements", [])
        if e.action.startswith("answer:") and e.action.split(":")[2] == str(question)
    ][value - 1]


def test_each_member_is_prompted_at_nine_in_their_own_zone_once(chat, database, clock):
    three_zones(chat, database)
    shown = chat.says(ASHA, NORTH, 'checkin add "every monday 09:00" --each-in-own-timezone')
    assert "Each member gets it privately at 09:00 in their own time zone" in shown
    assert "(at 09:00 Europe/London if Concord doesn't know theirs)" in shown
    ticker = Ticker(database, clock)
    for moment, expected in (
        (KOLKATA_9 - timedelta(seconds=1), []),
        (KOLKATA_9, ["dee"]),
        (LONDON_9 - timedelta(seconds=1), ["dee"]),
        (LONDON_9, ["asha", "ben", "dee"]),
        (LONDON_9 + timedelta(minutes=5), ["asha", "ben", "dee"]),
        (NEW_YORK_9, ["asha", "ben", "carys", "dee"]),
        (NEW_YORK_9 + timedelta(hours=3), ["asha", "ben", "carys", "dee"]),
    ):
        clock.now = moment
        ticker.tick()
        assert sorted(prompted(chat)) == expected, moment
    # Nothing was posted in the channels: the check-in went to each person privately.
    assert not any("Check-in #1" in text_of(card) for card in chat.messages(NORTH))


def test_the_words_of_the_prompt(chat, database, clock):
    three_zones(chat, database)
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00" --each-in-own-timezone')
    each_nine(database, clock)
    ben = text_of(prompt_of(chat, "ben"))
    assert "Check-in #1, just for you" in ben
    assert "Sent at 09:00 where you are (Europe/London)." in ben
    # The run closes a day after the last zone's 09:00 (New York's), read in Ben's zone.
    assert "Answers open until Tue 1 Dec 2026 14:00 GMT · summaries show no names" in ben
    assert "How confident are you that partners will deliver" in ben
    carys = text_of(prompt_of(chat, "carys"))
    assert "Sent at 09:00 where you are (America/New_York)." in carys
    assert "Answers open until Tue 1 Dec 2026 09:00 EST" in carys
    asha = text_of(prompt_of(chat, "asha"))
    assert (
        "Sent at 09:00 in the collaborative's time zone (Europe/London): Concord doesn't know "
        "yours. Type `me timezone Area/City`" in asha
    )
    assert "answered" not in ben, "a private note can't keep a count up to date"


def test_answers_count_once_and_one_summary_names_nobody(chat, database, clock):
    three_zones(chat, database)
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00" --each-in-own-timezone')
    each_nine(database, clock)
    ben = prompt_of(chat, "ben")
    assert "you answered 4" in chat.clicks(BEN, BEN_DM, scale_action(ben, 0, 4))
    chat.clicks(BEN, BEN_DM, scale_action(ben, 0, 5))  # a change of mind replaces it
    chat.clicks(CARYS, channel("dm-carys"), scale_action(prompt_of(chat, "carys"), 0, 2))
    clock.now = NEW_YORK_9 + timedelta(hours=24) - timedelta(seconds=1)
    Ticker(database, clock).tick()
    chat.deliver()
    assert not any("the summary" in text_of(card) for card in chat.messages(NORTH))
    clock.now = NEW_YORK_9 + timedelta(hours=24)
    Ticker(database, clock).tick()
    chat.deliver()
    for place in (NORTH, SOUTH):
        summaries = [text_of(c) for c in chat.messages(place) if "the summary" in text_of(c)]
        assert len(summaries) == 1
        assert "2 answered · Mon 30 Nov 2026 09:00 GMT" in summaries[0]
        assert "Average 3.5 of 5" in summaries[0]
        for name in ("Ben", "Carys", "Dee", "Asha"):
            assert name not in summaries[0]
    with database.session() as session:
        failed = session.exec(select(Outbox).where(Outbox.status == "failed")).all()
    assert failed == []


def test_a_zone_concord_cant_read_gets_the_collaboratives_time_and_says_so(chat, database, clock):
    three_zones(chat, database)
    set_zone(database, CARYS, platform="Mars/Olympus_Mons")
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00" --each-in-own-timezone')
    each_nine(database, clock)
    assert sorted(prompted(chat)) == ["asha", "ben", "carys", "dee"]
    carys = text_of(prompt_of(chat, "carys"))
    assert "in the collaborative's time zone (Europe/London): Concord doesn't know yours" in carys


def test_checkin_list_shows_the_mode_and_the_collaboratives_time(chat, database, clock):
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00" --each-in-own-timezone')
    chat.says(ASHA, NORTH, 'checkin add "every friday 16:00"')
    shown = chat.says(BEN, NORTH, "checkin list")
    assert (
        "#1 · every Monday at 09:00 · privately, each member in their own time zone · "
        "next Mon 30 Nov 2026 09:00 GMT" in shown
    )
    assert "#2 · every Friday at 16:00 · next Fri 27 Nov 2026 16:00 GMT" in shown


def test_a_member_who_joins_later_is_prompted_from_the_next_occurrence(chat, database, clock):
    three_zones(chat, database)
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00" --each-in-own-timezone')
    ticker = Ticker(database, clock)
    clock.now = KOLKATA_9
    ticker.tick()  # the occurrence has opened: its members are known
    chat.says(ERIN, SOUTH, "checkin list")
    clock.now = NEW_YORK_9
    ticker.tick()
    assert "erin" not in prompted(chat)
    clock.now = LONDON_9 + timedelta(days=7)
    ticker.tick()
    assert prompted(chat).count("erin") == 1


def test_across_a_restart_each_person_is_prompted_once(chat, database, clock):
    three_zones(chat, database)
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00" --each-in-own-timezone')
    clock.now = KOLKATA_9 + timedelta(minutes=11)  # down at 09:00 in Kolkata, past the grace
    Ticker(database, clock).tick()
    clock.now = LONDON_9 + timedelta(minutes=9)  # down at 09:00 in London, within the grace
    Ticker(database, clock).tick()
    assert Ticker(database, clock).tick().fired == 0, "a restarted process finds nothing to do"
    clock.now = NEW_YORK_9
    Ticker(database, clock).tick()
    assert sorted(prompted(chat)) == ["asha", "ben", "carys"]
    with database.session() as session:
        statuses = Counter(p.status for p in session.exec(select(CheckinPrompt)).all())
    assert statuses == {"sent": 3, "missed": 1}


def test_an_occurrence_missed_in_every_zone_is_recorded_missed(chat, database, clock):
    three_zones(chat, database)
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00" --each-in-own-timezone')
    clock.now = NEW_YORK_9 + timedelta(minutes=11)
    report = Ticker(database, clock).tick()
    assert report.missed == 1 and prompted(chat) == []
    with database.session() as session:
        assert [r.status for r in session.exec(select(CheckinRun)).all()] == ["missed"]


@pytest.mark.parametrize(
    ("before", "change", "after"),
    [
        # Spring: Saturday 09:00 GMT, then Sunday 09:00 BST (an hour earlier in UTC).
        ("2027-03-27T09:00", "2027-03-28T08:00", "2027-03-29T08:00"),
        # Autumn: Saturday 09:00 BST, then Sunday 09:00 GMT (an hour later in UTC).
        ("2027-10-30T08:00", "2027-10-31T09:00", "2027-11-01T09:00"),
    ],
)
def test_london_members_get_nine_local_across_the_clock_changes(
    chat, database, clock, before, change, after
):
    chat.says(BEN, NORTH, "checkin list")
    set_zone(database, BEN, chosen="Europe/London")
    set_zone(database, ASHA, platform="Asia/Kolkata")
    clock.now = datetime.fromisoformat(before).replace(tzinfo=UTC) - timedelta(days=1)
    chat.says(ASHA, NORTH, 'checkin add "every day 09:00" --window 1h --each-in-own-timezone')
    ticker = Ticker(database, clock)
    for sent, moment in enumerate((before, change, after)):
        due = datetime.fromisoformat(moment).replace(tzinfo=UTC)
        clock.now = due - timedelta(seconds=1)
        ticker.tick()
        assert prompted(chat).count("ben") == sent
        clock.now = due
        ticker.tick()
        assert prompted(chat).count("ben") == sent + 1


def test_the_repeated_autumn_hour_prompts_once(chat, database, clock):
    set_zone(database, ASHA, chosen="Europe/London")
    clock.now = datetime(2027, 10, 25, 12, 0, tzinfo=UTC)
    chat.says(ASHA, NORTH, 'checkin add "every sunday 01:30" --each-in-own-timezone')
    ticker = Ticker(database, clock)
    for moment in ("2027-10-31T00:30", "2027-10-31T01:30", "2027-10-31T02:30"):
        clock.now = datetime.fromisoformat(moment).replace(tzinfo=UTC)
        ticker.tick()
        assert prompted(chat) == ["asha"], moment  # 01:30 BST; not again at 01:30 GMT


def test_the_instant_of_a_wall_time_skipped_in_spring_is_just_after_the_gap():
    rule = {"kind": "cron", "day_of_week": "sun", "hour": 1, "minute": 30}
    day = datetime(2027, 3, 28).date()
    assert instant(rule, day, "Europe/London") == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


@pytest.mark.postgres
def test_two_tickers_on_postgresql_prompt_each_person_once(
    migrated_postgres, postgres_schema, clock
):
    database = _empty_postgres(migrated_postgres)
    second = Database(POSTGRES_URL, connect_args={"options": f"-csearch_path={postgres_schema}"})
    chat = Conversation(database, clock)
    try:
        chat.set_up_two_channels()
        zones = ["Asia/Kolkata", "Europe/London", "America/New_York", None]
        people = [person(f"p{i}", f"Person {i}") for i in range(24)]
        for i, who in enumerate(people):
            chat.says(who, NORTH if i % 2 else SOUTH, "checkin list")
            set_zone(database, who, platform=zones[i % 4])
        chat.says(ASHA, NORTH, 'checkin add "every monday 09:00" --each-in-own-timezone')
        tickers = [Ticker(database, clock, batch=3), Ticker(second, clock, batch=3)]
        for moment in (KOLKATA_9, LONDON_9, NEW_YORK_9):
            clock.now = moment
            start = threading.Barrier(2)

            def tick(ticker: Ticker, start: threading.Barrier) -> None:
                start.wait()
                ticker.tick()

            racers = [threading.Thread(target=tick, args=(t, start)) for t in tickers]
            for racer in racers:
                racer.start()
            for racer in racers:
                racer.join()
        assert Counter(prompted(chat)) == {who.user_id: 1 for who in (*people, ASHA)}
        with database.session() as session:
            assert len(session.exec(select(CheckinRun)).all()) == 1
    finally:
        chat.close()
        second.dispose()
