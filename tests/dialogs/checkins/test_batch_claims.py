"""Many check-ins due at once: opened in batches, each exactly once, whatever fails or races."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from dialogs import ticker as ticker_module
from dialogs.checkins import batch
from dialogs.core.cards import Card
from dialogs.ticker import Ticker
from storage.database import Database
from storage.models import CheckinRun, CheckinSchedule, Outbox, Poll, Timer
from tests.conftest import _empty_postgres
from tests.support.conversation import text_of
from tests.support.due_work import plant
from tests.support.fakes import FakeClock

MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
SCHEDULES = 250
BATCH = 100  # three batches


class Crash(BaseException):
    """The process dies: nothing inside the tick catches this."""


@pytest.fixture
def due(database: Database) -> Database:
    plant(database, MONDAY_9, SCHEDULES, polls=0)
    return database


def opened(database: Database) -> Counter[tuple[int, str]]:
    with database.session() as session:
        rows = session.exec(select(CheckinRun.schedule_id, CheckinRun.occurrence_key)).all()
    return Counter((schedule_id, key) for schedule_id, key in rows)


def count(database: Database, table: type) -> int:
    with database.session() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def windows(database: Database) -> int:
    """Check-in windows set to close (the nightly retention job has timers too)."""
    with database.session() as session:
        closing = select(func.count()).where(Timer.kind == "checkin.close")
        return session.exec(closing).one()


def test_every_check_in_due_at_once_opens_once_with_its_message_and_window(due):
    report = Ticker(due, FakeClock(MONDAY_9 + timedelta(seconds=1)), schedule_batch=BATCH).tick()

    assert report.fired == SCHEDULES and len(report.lags) == SCHEDULES
    assert set(opened(due).values()) == {1} and len(opened(due)) == SCHEDULES
    with due.session() as session:
        closing = session.exec(select(Timer).where(Timer.kind == "checkin.close")).all()
        posts = session.exec(select(Outbox).order_by(Outbox.id)).all()
        next_runs = set(session.exec(select(CheckinSchedule.next_run_at)).all())
    assert len(closing) == SCHEDULES
    assert {t.due_at.replace(tzinfo=UTC) for t in closing} == {
        MONDAY_9 + timedelta(hours=1, seconds=1)
    }
    assert len(posts) == SCHEDULES and {p.lane for p in posts} == {"playground:race:#race"}
    first = text_of(Card.model_validate(posts[0].effect["card"]))
    assert "Check-in #1" in first
    assert "Answers open until Mon 30 Nov 2026 10:00 UTC · 0 answered" in first
    assert {n.replace(tzinfo=UTC) for n in next_runs} == {MONDAY_9 + timedelta(days=1)}


def test_a_crash_mid_batch_loses_nothing_and_the_next_tick_opens_the_rest_once(due, monkeypatch):
    post_many = batch.effects.post_many
    calls = 0

    def crash_in_the_second_batch(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 2:
            raise Crash
        return post_many(*args, **kwargs)

    monkeypatch.setattr(batch.effects, "post_many", crash_in_the_second_batch)
    ticker = Ticker(due, FakeClock(MONDAY_9 + timedelta(seconds=1)), schedule_batch=BATCH)
    with pytest.raises(Crash):
        ticker.tick()
    # The first batch committed; the second rolled back whole: no run without its message.
    assert len(opened(due)) == count(due, Outbox) == windows(due) == 100

    monkeypatch.setattr(batch.effects, "post_many", post_many)
    assert ticker.tick().fired == SCHEDULES - 100
    assert len(opened(due)) == SCHEDULES and set(opened(due).values()) == {1}
    assert count(due, Outbox) == windows(due) == SCHEDULES


def test_one_broken_schedule_fails_alone_and_the_rest_of_its_batch_opens(due, caplog):
    with due.session() as session:
        broken = session.exec(select(CheckinSchedule).where(CheckinSchedule.number == 7)).one()
        broken.questions = [{"kind": "scale"}]  # no text: its card cannot be drawn
        broken_id = broken.id

    report = Ticker(due, FakeClock(MONDAY_9 + timedelta(seconds=1)), schedule_batch=BATCH).tick()

    assert report.fired == SCHEDULES - 1
    assert broken_id not in {schedule_id for schedule_id, _ in opened(due)}
    assert count(due, Outbox) == windows(due) == SCHEDULES - 1
    assert "a batch of check-ins failed; doing each alone" in caplog.text
    with due.session() as session:
        # It tries again at its next occurrence rather than every tick.
        assert session.get(CheckinSchedule, broken_id).next_run_at.replace(
            tzinfo=UTC
        ) == MONDAY_9 + timedelta(days=1)


@pytest.fixture
def postgres(migrated_postgres: Database) -> Iterator[Database]:
    yield _empty_postgres(migrated_postgres)


@pytest.mark.postgres
def test_two_tickers_racing_on_postgresql_open_each_check_in_once(postgres):
    plant(postgres, MONDAY_9, 1000, polls=0)
    clock = FakeClock(MONDAY_9 + timedelta(seconds=1))
    start = threading.Barrier(2)
    fired: list[int] = []

    def tick() -> None:
        ticker = Ticker(postgres, clock, schedule_batch=BATCH)
        start.wait()
        fired.append(ticker.tick().fired)

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(fired) == 1000 and len(fired) == 2
    assert len(opened(postgres)) == 1000 and set(opened(postgres).values()) == {1}
    assert count(postgres, Outbox) == windows(postgres) == 1000


def test_a_crash_mid_batch_of_poll_deadlines_loses_none_and_closes_each_once(database, monkeypatch):
    plant(database, MONDAY_9, 0, polls=25)
    handlers = dict(ticker_module._HANDLERS)
    closed = 0

    def crash_at_the_fifteenth(session, now, timer):
        nonlocal closed
        closed += 1
        if closed == 15:
            raise Crash
        handlers["poll.close"](session, now, timer)

    monkeypatch.setitem(ticker_module._HANDLERS, "poll.close", crash_at_the_fifteenth)
    ticker = Ticker(database, FakeClock(MONDAY_9 + timedelta(seconds=1)), batch=10)
    with pytest.raises(Crash):
        ticker.tick()
    assert statuses(database) == Counter({"closed": 10, "open": 15})
    per_poll, rest = divmod(count(database, Outbox), 10)
    assert per_poll > 0 and rest == 0, "the crashed batch left no message behind"

    monkeypatch.setitem(ticker_module._HANDLERS, "poll.close", handlers["poll.close"])
    assert ticker.tick().fired == 15
    assert statuses(database) == Counter({"closed": 25})
    assert count(database, Outbox) == 25 * per_poll


def statuses(database: Database) -> Counter[str]:
    with database.session() as session:
        return Counter(session.exec(select(Poll.status)).all())
