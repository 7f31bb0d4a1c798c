"""Recurring polls: `poll … --every` posts a fresh poll at each occurrence, once, in local time."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from dialogs.commands.recurrence import next_occurrence, parse_recurrence
from dialogs.core.events import CommandIssued
from dialogs.polls import series
from dialogs.ticker import Ticker
from storage.models import AuditEntry, Poll, PollSeries, PollSeriesRun, Review, Timer
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    NORTH,
    SOUTH,
    Conversation,
    buttons,
    counts,
    person,
    poll_buttons,
    text_of,
)
from tests.support.fakes import FakeClock

# The default clock is Thursday 26 November 2026; the first Monday of December is the 7th.
FIRST_MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
MONTHLY = 'poll "Which priority next?" "Waiting lists" "Discharge" --every "first monday of the month 09:00" --closes-after 3d'  # noqa: E501


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


def series_runs(database) -> list[PollSeriesRun]:
    with database.session() as session:
        return list(session.exec(select(PollSeriesRun).order_by(PollSeriesRun.id)).all())


def test_a_monthly_poll_posts_a_fresh_poll_each_time_with_its_own_tally_and_export(
    chat, clock, database
):
    shown = chat.says(ASHA, NORTH, MONTHLY)
    assert "Series S1 is set up" in shown
    assert (
        "“Which priority next?” will be posted as a fresh poll the 1st Monday of each month "
        "at 09:00, each open for 3 days." in shown
    )
    assert "The first is Mon 7 Dec 2026 09:00 GMT" in shown
    posted = " ".join(text_of(card) for card in chat.messages(NORTH))
    assert "Which priority next?" not in posted, "nothing is posted before the first occurrence"
    ticker = Ticker(database, clock)
    clock.now = FIRST_MONDAY - timedelta(seconds=1)
    assert ticker.tick().fired == 0
    clock.now = FIRST_MONDAY
    assert ticker.tick().fired == 1
    chat.deliver()
    for place in (NORTH, SOUTH):
        card = text_of(chat.last_message(place))
        assert "Poll #1 · one choice · open" in card
        assert "votes can be changed until Thu 10 Dec 2026 09:00 GMT" in card
        assert "Series S1 · repeats the 1st Monday of each month at 09:00" in card
    chat.clicks(BEN, NORTH, poll_buttons(chat.last_message(NORTH))["Waiting lists"])
    clock.now = FIRST_MONDAY + timedelta(days=3)
    ticker.tick()  # the first poll closes at its own deadline
    clock.now = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    assert ticker.tick().fired == 1
    chat.deliver()
    second = chat.last_message(NORTH)
    assert "Poll #2 · one choice · open" in text_of(second)
    assert counts(second) == {"Waiting lists": 0, "Discharge": 0}, "a fresh tally"
    chat.clicks(CARYS, SOUTH, poll_buttons(second)["Discharge"])
    for number, ballot_ends in ((1, ",1,"), (2, ",,1")):  # Waiting lists, then Discharge
        said, file = chat.exports(ASHA, NORTH, f"poll export {number}")
        assert f"Ballots of poll #{number}: 1 ballot" in said
        assert file.content.decode().splitlines()[-1].endswith(ballot_ends)
    with database.session() as session:
        polls = session.exec(select(Poll).order_by(Poll.number)).all()  # type: ignore[arg-type]
        assert [(p.number, p.status) for p in polls] == [(1, "closed"), (2, "open")]
    assert "next Mon 1 Feb 2027 09:00 GMT" in chat.says(BEN, NORTH, "poll series")


@pytest.mark.parametrize(
    ("day", "local_nine_in_utc"),
    [(datetime(2026, 3, 29, tzinfo=UTC), 8), (datetime(2026, 10, 25, tzinfo=UTC), 9)],
    ids=["spring", "autumn"],
)
def test_across_the_london_clock_changes_each_poll_posts_once_at_nine_local(
    database, day, local_nine_in_utc
):
    clock = FakeClock(day - timedelta(days=1))
    chat = Conversation(database, clock)
    owner, where = person("owner", "Owner"), NORTH
    chat.says(owner, where, 'setup "DST" --timezone Europe/London')
    chat.says(owner, where, 'poll "Ready?" "Yes" "No" --every "every day 09:00" --closes-after 1h')
    ticker = Ticker(database, clock)
    while clock.now < day + timedelta(days=2):
        ticker.tick()
        clock.advance(minutes=10)
    chat.close()
    runs = series_runs(database)
    assert [r.occurrence_key for r in runs] == [
        f"{(day + timedelta(days=n)):%Y-%m-%d}T09:00" for n in (-1, 0, 1)
    ]
    assert [r.status for r in runs] == ["posted"] * 3
    changeover = runs[1].due_at.astimezone(UTC)
    assert (changeover.date(), changeover.hour) == (day.date(), local_nine_in_utc)
    with database.session() as session:
        assert len(session.exec(select(Poll)).all()) == 3


def test_after_a_restart_within_the_grace_window_the_poll_posts_once(chat, clock, database):
    chat.says(ASHA, NORTH, MONTHLY)
    clock.now = FIRST_MONDAY + timedelta(minutes=9)  # Concord was down at 09:00
    assert Ticker(database, clock).tick().fired == 1
    assert Ticker(database, clock).tick().fired == 0, "a restarted process finds nothing to do"
    assert [r.status for r in series_runs(database)] == ["posted"]


def test_an_occurrence_missed_while_down_is_reported_not_posted_late(chat, clock, database):
    chat.says(ASHA, NORTH, MONTHLY)
    clock.now = FIRST_MONDAY + timedelta(hours=2)
    report = Ticker(database, clock).tick()
    assert (report.fired, report.missed) == (0, 1)
    chat.deliver()
    assert "Poll #" not in " ".join(text_of(c) for c in chat.messages(NORTH))
    told = [text_of(card) for actor, card in chat.platform.private if actor.user_id == "asha"]
    assert (
        "The poll of series S1 due Mon 7 Dec 2026 09:00 GMT was missed: Concord was not running"
        in told[-1]
    )
    assert "the next is Mon 4 Jan 2027 09:00 GMT" in told[-1]
    assert [r.status for r in series_runs(database)] == ["missed"]
    assert "next Mon 4 Jan 2027 09:00 GMT" in chat.says(ASHA, NORTH, "poll series")


def test_two_tickers_at_once_post_each_occurrence_once(chat, clock, database):
    for n in range(12):
        chat.says(ASHA, NORTH, f'poll "Q{n}?" "A" "B" --every "every monday 09:00"')
    clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    tickers = [Ticker(database, clock, batch=5) for _ in range(2)]
    start = threading.Barrier(2)
    fired: list[int] = []

    def tick(ticker: Ticker) -> None:
        start.wait(timeout=10)
        fired.append(ticker.tick().fired)

    threads = [threading.Thread(target=tick, args=(t,)) for t in tickers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(fired) == 12
    with database.session() as session:
        polls = session.exec(select(Poll)).all()
        assert sorted(p.number for p in polls) == list(range(1, 13))
        assert sorted(p.question for p in polls) == sorted(f"Q{n}?" for n in range(12))
    assert len({(r.series_id, r.occurrence_key) for r in series_runs(database)}) == 12


def test_stopping_a_series_is_for_coordinators_audited_and_final(chat, clock, database):
    chat.says(ASHA, NORTH, MONTHLY)
    refused = chat.says(BEN, NORTH, "poll series stop 1")
    assert "Only a coordinator can stop a recurring poll" in refused
    assert "Series S1 is stopped." in chat.says(ASHA, NORTH, "poll series stop S1")
    assert "already stopped" in chat.says(ASHA, NORTH, "poll series stop 1")
    assert "There is no series S7 here." in chat.says(ASHA, NORTH, "poll series stop 7")
    listed = chat.says(BEN, NORTH, "poll series")
    assert "S1 · “Which priority next?” · the 1st Monday of each month at 09:00 · stopped" in listed
    clock.now = FIRST_MONDAY
    assert Ticker(database, clock).tick().fired == 0
    with database.session() as session:
        actions = [e.action for e in session.exec(select(AuditEntry)).all()]
    assert "poll.series" in actions and "poll.series.stop" in actions


def test_a_series_typed_without_quotes_is_read_back_first_and_posted_as_a_series(chat, database):
    effects = chat.engine.handle(
        CommandIssued(ASHA, NORTH, 'poll "Lunch?" Pizza Pasta --every "every friday 12:00"')
    )
    card = next(e.card for e in effects if getattr(e, "card", None))
    assert "Check this poll before it goes to every channel" in text_of(card)
    refused = chat.clicks(ASHA, NORTH, buttons(card)["Edit"])
    assert "a recurring poll can't be edited there" in refused
    assert "Series S1 is set up" in chat.clicks(ASHA, NORTH, buttons(card)["Post it"])
    with database.session() as session:
        assert session.exec(select(Poll)).all() == []
        assert [s.recurrence for s in session.exec(select(PollSeries)).all()] == [
            "every friday 12:00"
        ]


def test_each_poll_gets_the_series_settings_reminder_and_review(chat, clock, database):
    chat.says(
        ASHA,
        NORTH,
        'poll "Adopt the plan?" --type consent --anonymous --every "every monday 09:00" '
        "--closes-after 2d --remind 1d --review 6 months",
    )
    clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    Ticker(database, clock).tick()
    with database.session() as session:
        poll = session.exec(select(Poll)).one()
        assert (poll.type, poll.settings["anonymous"]) == ("consent", True)
        assert poll.closes_at == clock.now + timedelta(days=2)
        due = {t.kind: t.due_at for t in session.exec(select(Timer)).all()}
        assert due["poll.close"] == clock.now + timedelta(days=2)
        assert due["poll.remind"] == clock.now + timedelta(days=1)
        review = session.exec(select(Review)).one()
        assert review.poll_id == poll.id and review.due_at.date() == date(2027, 5, 30)


def test_a_review_is_as_far_from_each_poll_as_typed_from_now(chat, database):
    """The first poll is 11 days away: a week's review is a week after each poll, so after
    its 3-day close, not before it."""
    shown = chat.says(ASHA, NORTH, MONTHLY + " --review 1 week")
    assert "Series S1 is set up" in shown
    with database.session() as session:
        kept = session.exec(select(PollSeries)).one().definition
    assert kept["review_after"] == 7 * 86400


def test_no_series_yet_says_how_to_start_one(chat):
    shown = chat.says(BEN, NORTH, "poll series")
    assert "No recurring polls yet." in shown and "--every" in shown


@pytest.mark.parametrize(
    ("typed", "problem", "hint"),
    [
        (
            '--every "every monday 09:00" --closes-after 7d',
            "Each poll would still be open when the next one is posted.",
            "shorter than 7 days, the shortest gap between postings (every Monday at 09:00)",
        ),
        (
            '--every "every monday and tuesday 09:00" --closes-after 2d',
            "Each poll would still be open when the next one is posted.",
            "shorter than 1 day",
        ),
        (
            '--every "every monday 09:00" --closes friday',
            "`--closes` names one moment, and a recurring poll happens again and again.",
            "Use `--closes-after 3d`",
        ),
        (
            '--every "every monday 09:00" --opens friday',
            "`--opens` names one moment, and a recurring poll happens again and again.",
            "",
        ),
        (
            "--closes-after 3d",
            "`--closes-after` is for a recurring poll, which needs `--every`.",
            "`--closes`",
        ),
        (
            '--every "every full moon 09:00"',
            "“full” in “every full moon 09:00” isn't a day of the week.",
            'Write it like "every monday 09:00"',
        ),
        ('--every "every monday"', "“every monday” needs a time of day.", "every weekday 16:30"),
        (
            '--every "every monday 09:00" --remind 2d --closes-after 1d',
            "The reminder would come after the poll closes.",
            "",
        ),
    ],
)
def test_refusals_say_why_and_change_nothing(chat, database, typed, problem, hint):
    shown = chat.says(ASHA, NORTH, f'poll "Q?" "A" "B" {typed}')
    assert problem in shown and hint in shown
    with database.session() as session:
        assert session.exec(select(PollSeries)).all() == []
        assert session.exec(select(Poll)).all() == []


@pytest.mark.parametrize(
    "typed",
    ["every day 09:00 and 17:00", "every hour", "every 30 minutes", "twice a day 09:00"],
)
def test_a_poll_more_than_once_a_day_cannot_be_said(chat, database, typed):
    shown = chat.says(ASHA, NORTH, f'poll "Q?" "A" "B" --every "{typed}"')
    assert "Series S1" not in shown and "You typed:" in shown
    with database.session() as session:
        assert session.exec(select(PollSeries)).all() == []


@pytest.mark.parametrize(
    "typed",
    [
        "every day 01:30",
        "daily 00:00",
        "every weekday 23:59",
        "every monday and tuesday 09:00",
        "every mon tue wed thu fri sat sun 02:30",
        "every 1 week on sunday 01:00",
        "last friday of the month 23:30",
    ],
)
def test_every_rule_the_grammar_reads_posts_at_most_once_a_day(typed):
    """Each rule has one time of day, so through a year of London's clock changes no local
    day has two occurrences and no two are closer than 23 hours (the spring-forward day)."""
    rule = parse_recurrence(typed, date(2026, 1, 1))
    occurrence = next_occurrence(rule, "Europe/London", datetime(2026, 1, 1, tzinfo=UTC))
    days, gaps = [occurrence.local_date], []
    while occurrence.due_at.year == 2026:
        later = next_occurrence(rule, "Europe/London", occurrence.due_at)
        days.append(later.local_date)
        gaps.append(later.due_at - occurrence.due_at)
        occurrence = later
    assert len(days) == len(set(days))
    assert min(gaps) >= timedelta(hours=23)
    assert series.shortest_gap(rule, "Europe/London", occurrence) >= 23 * 3600
