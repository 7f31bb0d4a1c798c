"""Each process's scheduler: the ticker every second, and a look-ahead every minute that
prepares work (a purpose round's grouping model) before anyone's turn waits for it."""

from __future__ import annotations

import logging

from bot.scheduler import PREPARE_SECONDS, TICK_SECONDS, Scheduler
from dialogs.ticker import Ticker


class Asleep:
    """A dispatcher nobody wakes in these tests."""

    def wake(self) -> None:
        raise AssertionError("nothing was due")


async def test_every_process_prepares_ahead_every_minute_as_well_as_at_start(sqlite_database):
    prepared = []
    scheduler = Scheduler(Ticker(sqlite_database), Asleep(), prepare=lambda: prepared.append(1))
    await scheduler.start()
    try:
        jobs = {
            job.id: job.trigger.interval.total_seconds() for job in scheduler._scheduler.get_jobs()
        }
        assert jobs == {"tick": TICK_SECONDS, "prepare": PREPARE_SECONDS}
        await scheduler._prepare()  # what the job runs, off the event loop
        assert prepared == [1]
    finally:
        await scheduler.stop()


async def test_a_failed_look_ahead_is_logged_and_tried_again_later(sqlite_database, caplog):
    def broken() -> None:
        raise RuntimeError("the model's files are unreadable")

    scheduler = Scheduler(Ticker(sqlite_database), Asleep(), prepare=broken)
    with caplog.at_level(logging.ERROR, logger="bot.scheduler"):
        await scheduler._prepare()
    assert "preparing ahead failed" in caplog.text


async def test_without_a_look_ahead_only_the_ticker_runs(sqlite_database):
    scheduler = Scheduler(Ticker(sqlite_database), Asleep())
    await scheduler.start()
    try:
        assert [job.id for job in scheduler._scheduler.get_jobs()] == ["tick"]
    finally:
        await scheduler.stop()
