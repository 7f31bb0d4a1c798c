"""Check-ins: scheduled in local time, answered in chat, summarised without naming anyone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from dialogs.core.cards import Actions, Button, Image
from dialogs.core.events import ActionInvoked, Place
from dialogs.ticker import Ticker
from storage.models import CheckinRun
from tests.support.conversation import (
    ASHA,
    BEN,
    CARYS,
    DEE,
    NORTH,
    SOUTH,
    Conversation,
    person,
    text_of,
)
from tests.support.fakes import FakeClock

MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
def chat(database, clock):
    conversation = Conversation(database, clock)
    conversation.set_up_two_channels()
    yield conversation
    conversation.close()


@pytest.fixture
def ticker(database, clock):
    return Ticker(database, clock)


def buttons(card) -> dict[str, str]:
    found: dict[str, str] = {}
    for block in card.blocks:
        if isinstance(block, Actions):
            for element in block.elements:
                if isinstance(element, Button):
                    found.setdefault(element.label, element.action)
    return found


def scale_action(card, question: int, value: int) -> str:
    actions = [
        e.action
        for b in card.blocks
        if isinstance(b, Actions)
        for e in b.elements
        if e.action.startswith("answer:") and e.action.split(":")[2] == str(question)
    ]
    return actions[value - 1]


def runs(database) -> list[CheckinRun]:
    with database.session() as session:
        return list(session.exec(select(CheckinRun).order_by(CheckinRun.id)).all())


def test_a_window_under_an_hour_reads_in_minutes(chat):
    shown = chat.says(ASHA, NORTH, 'checkin add "every day 09:00" --window 30m')
    assert "answers open for 30 minutes." in shown
    assert "hours" not in shown


def test_a_weekly_check_in_posts_on_time_in_every_channel(chat, ticker, clock):
    shown = chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
    assert "Every Monday at 09:00, answers open for 24 hours." in shown
    assert "The first is Mon 30 Nov 2026 09:00 GMT" in shown
    clock.now = MONDAY_9 - timedelta(seconds=1)
    assert ticker.tick().fired == 0
    clock.now = MONDAY_9
    assert ticker.tick().fired == 1
    chat.deliver()
    for place in (NORTH, SOUTH):
        card = chat.last_message(place)
        assert "How confident are you that partners will deliver" in text_of(card)
        assert "Answers open until Tue 1 Dec 2026 09:00 GMT" in text_of(card)
    assert "next Mon 7 Dec 2026 09:00 GMT" in chat.says(BEN, NORTH, "checkin list")


def test_answers_update_the_count_and_the_summary_names_nobody(chat, ticker, clock):
    chat.says(ASHA, NORTH, 'org add "Riverside"')
    for who in (BEN, CARYS, DEE):
        chat.says(who, NORTH, 'org join "Riverside"')
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
    clock.now = MONDAY_9
    ticker.tick()
    chat.deliver()
    card = chat.last_message(NORTH)
    assert "Turnout: Riverside fewer than 3 of 3" in text_of(card)  # not "none": no one dated
    assert "Thanks — you answered 4" in chat.clicks(BEN, NORTH, scale_action(card, 0, 4))
    chat.clicks(CARYS, SOUTH, scale_action(card, 0, 2))
    chat.clicks(CARYS, SOUTH, scale_action(card, 0, 3))  # a change of mind replaces the answer
    form = chat.engine.handle(ActionInvoked(DEE, NORTH, buttons(card)["Answer privately"]))[0].form
    chat.submits(DEE, NORTH, form.action, {"q0": "5", "q2": "Share the <b>waiting list</b> data"})
    assert "3 answered" in text_of(chat.last_message(SOUTH))
    assert "Turnout: Riverside 3 of 3" in text_of(chat.last_message(SOUTH))
    clock.advance(hours=24)
    ticker.tick()
    chat.deliver()
    summary = chat.last_message(SOUTH)
    shown = text_of(summary)
    assert "Average 4.0 of 5" in shown
    assert "“Share the <b>waiting list</b> data”" in shown
    for name in ("Ben", "Carys", "Dee"):
        assert name not in shown
    assert "Turnout: Riverside 3 of 3" in shown
    assert any(isinstance(b, Image) and b.url.startswith("/charts/") for b in summary.blocks)
    assert "Check-in #1 has closed" in chat.clicks(BEN, NORTH, scale_action(card, 0, 1))


def test_groups_under_three_are_not_counted_in_the_summary(chat, ticker, clock):
    chat.says(ASHA, NORTH, 'org add "Hillview"')
    chat.says(CARYS, NORTH, 'org join "Hillview"')
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
    clock.now = MONDAY_9
    ticker.tick()
    chat.deliver()
    chat.clicks(CARYS, SOUTH, scale_action(chat.last_message(SOUTH), 0, 4))
    clock.advance(days=1)
    ticker.tick()
    chat.deliver()
    shown = text_of(chat.last_message(NORTH))
    assert "Hillview not shown (fewer than 3 members)" in shown


def test_the_summary_shows_the_change_since_the_last_check_in(chat, ticker, clock):
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
    for week, value in enumerate((2, 4)):
        clock.now = MONDAY_9 + timedelta(weeks=week)
        ticker.tick()
        chat.deliver()
        chat.clicks(BEN, NORTH, scale_action(chat.last_message(NORTH), 0, value))
        clock.advance(days=1)
        ticker.tick()
        chat.deliver()
    assert "Average 4.0 of 5 — up 2.0 since the last check-in (2.0)." in text_of(
        chat.last_message(NORTH)
    )


def test_observers_do_not_answer_and_forged_answers_are_refused(chat, ticker, clock, database):
    chat.says(DEE, NORTH, "help")
    chat.says(ASHA, NORTH, "role observer @Dee Sharma")
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
    clock.now = MONDAY_9
    ticker.tick()
    chat.deliver()
    card = chat.last_message(NORTH)
    assert "Observers see check-ins" in chat.clicks(DEE, NORTH, scale_action(card, 0, 3))
    run_id = runs(database)[0].id
    assert "Answers go from 1 to 5" in chat.clicks(BEN, NORTH, f"answer:{run_id}:0:9")
    assert "isn't part of this check-in" in chat.clicks(BEN, NORTH, f"answer:{run_id}:2:3")
    assert "isn't part of this channel" in chat.clicks(BEN, NORTH, "answer:999:0:3")


def test_coordinators_replace_the_questions(chat):
    assert "isn't part of this channel" in chat.clicks(ASHA, NORTH, "form:checkin:1")
    chat.says(ASHA, NORTH, 'checkin add "every weekday 16:30"')
    refused = chat.submits(ASHA, NORTH, "submit:checkin:1", {"questions": "\n".join(["Q"] * 6)})
    assert "the most is 5" in refused[0].form.error
    chat.submits(
        ASHA,
        NORTH,
        "submit:checkin:1",
        {"questions": "How many shared cases did we close? \nWhat got in the way? (text)"},
    )
    assert "Only a coordinator" in chat.clicks(BEN, NORTH, "submit:checkin:1", {"questions": "x"})
    shown = chat.says(ASHA, NORTH, "checkin now 1")
    assert "Check-in #1 is open now" in shown
    card = chat.last_message(NORTH)
    assert "How many shared cases did we close?" in text_of(card)
    assert "What got in the way?" in text_of(card)


def test_stop_skip_and_bad_schedules(chat, ticker, clock, database):
    assert "needs a time of day" in chat.says(ASHA, NORTH, 'checkin add "every monday"')
    assert "isn't a day of the week" in chat.says(ASHA, NORTH, 'checkin add "every funday 09:00"')
    assert "still be open" in chat.says(ASHA, NORTH, 'checkin add "every day 09:00" --window 2d')
    assert "Only a coordinator" in chat.says(BEN, NORTH, 'checkin add "every monday 09:00"')
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
    assert "No check-ins on Monday 30 November 2026" in chat.says(
        ASHA, NORTH, "checkin skip monday"
    )
    clock.now = MONDAY_9
    assert ticker.tick().fired == 0
    assert [r.status for r in runs(database)] == ["skipped"]
    assert "is stopped" in chat.says(ASHA, NORTH, "checkin stop 1")
    clock.now = MONDAY_9 + timedelta(weeks=1)
    assert ticker.tick().fired == 0
    assert "already stopped" in chat.says(ASHA, NORTH, "checkin stop 1")
    assert "no check-in #7" in chat.says(ASHA, NORTH, "checkin now 7")


@pytest.mark.parametrize(
    ("zone", "wall", "spring_day", "autumn_day"),
    [
        ("Europe/London", "01:30", datetime(2026, 3, 29), datetime(2026, 10, 25)),
        ("Europe/Berlin", "02:30", datetime(2026, 3, 29), datetime(2026, 10, 25)),
    ],
)
def test_a_check_in_inside_the_changeover_hour_posts_once_on_both_dst_days(
    database, zone, wall, spring_day, autumn_day
):
    for day in (spring_day, autumn_day):
        start = day.replace(tzinfo=UTC) - timedelta(days=1)
        clock = FakeClock(start)
        chat = Conversation(database, clock)
        place = person("owner", "Owner")
        channel_id = f"dst-{zone}-{day:%m}"
        where = Place("playground", "demo", channel_id)
        chat.says(place, where, f'setup "DST" --timezone {zone}')
        chat.says(place, where, f'checkin add "every day {wall}" --window 1h')
        ticker = Ticker(database, clock)
        while clock.now < start + timedelta(days=3):
            ticker.tick()
            clock.advance(minutes=5)
        chat.says(place, where, "checkin stop 1")
        chat.close()
    with database.session() as session:
        all_runs = session.exec(select(CheckinRun)).all()
    for schedule_id, day in enumerate((spring_day, autumn_day), start=1):
        keys = [r.occurrence_key for r in all_runs if r.schedule_id == schedule_id]
        key = f"{day:%Y-%m-%d}T{wall}"
        assert keys.count(key) == 1, f"{zone} {key}: {keys}"
        assert len(keys) == len(set(keys)) == 3, keys


def test_after_a_restart_within_the_grace_window_the_check_in_posts_once(chat, clock, database):
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
    clock.now = MONDAY_9 + timedelta(minutes=9)  # Concord was down at 09:00
    assert Ticker(database, clock).tick().fired == 1
    assert Ticker(database, clock).tick().fired == 0, "a second process finds nothing to do"
    assert [r.status for r in runs(database)] == ["open"]


def test_after_a_restart_past_the_grace_window_the_check_in_is_recorded_missed(
    chat, clock, database
):
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
    clock.now = MONDAY_9 + timedelta(minutes=11)
    report = Ticker(database, clock).tick()
    assert (report.fired, report.missed) == (0, 1)
    assert [r.status for r in runs(database)] == ["missed"]
    chat.deliver()
    told = [text_of(card) for actor, card in chat.platform.private if actor.user_id == "asha"]
    assert "was missed" in told[0] and "checkin now 1" in told[0]
    assert "next Mon 7 Dec 2026 09:00 GMT" in chat.says(ASHA, NORTH, "checkin list")


def test_a_long_outage_records_each_missed_occurrence_and_resumes(chat, clock, database):
    chat.says(ASHA, NORTH, 'checkin add "every day 09:00" --window 1h')
    clock.now = datetime(2026, 12, 3, 9, 5, tzinfo=UTC)  # down from Thursday to next Thursday
    report = Ticker(database, clock).tick()
    assert report.fired == 1 and report.missed == 6
    assert [r.status for r in runs(database)].count("missed") == 6
