"""The ticker's clock: an APScheduler interval job in every bot process.

Jobs live in memory only. APScheduler's job stores are not shared between
processes (sharing one duplicates or loses runs); what makes several processes
safe is the database claim inside `Ticker.tick`, not the scheduler.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.dispatcher import Dispatcher
from dialogs.core.timers import TickReport
from dialogs.ticker import Ticker

log = logging.getLogger(__name__)

TICK_SECONDS = 1.0
# How often a process looks for work worth starting before anyone waits for it
# (`Engine.prepare`): a purpose round started on another process warms this one's
# grouping model within a minute, not inside the turn that first needs it.
PREPARE_SECONDS = 60.0


class TickWatcher(Protocol):
    """Told how every tick went (bot/metrics.py counts it)."""

    def ticked(self, report: TickReport) -> None: ...

    def tick_failed(self) -> None: ...


class Scheduler:
    def __init__(
        self,
        ticker: Ticker,
        dispatcher: Dispatcher,
        *,
        interval: float = TICK_SECONDS,
        watcher: TickWatcher | None = None,
        prepare: Callable[[], object] | None = None,
    ) -> None:
        self.ticker = ticker
        self.dispatcher = dispatcher
        self.interval = interval
        self.watcher = watcher
        self.prepare = prepare
        self._scheduler: AsyncIOScheduler | None = None
        self._ticking = asyncio.Lock()

    async def start(self) -> None:
        self._scheduler = AsyncIOScheduler()
        # One tick at a time per process; a late tick is merged into the next, not queued.
        self._scheduler.add_job(
            self._tick,
            IntervalTrigger(seconds=self.interval),
            id="tick",
            max_instances=1,
            coalesce=True,
        )
        if self.prepare is not None:
            self._scheduler.add_job(
                self._prepare,
                IntervalTrigger(seconds=PREPARE_SECONDS),
                id="prepare",
                max_instances=1,
                coalesce=True,
            )
        self._scheduler.start()

    async def stop(self) -> None:
        if self._scheduler is None:
            return
        # Let a tick in flight finish: shutting down cancels it mid-transaction (and logs it).
        async with self._ticking:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None

    async def _tick(self) -> None:
        if self._ticking.locked():
            return
        async with self._ticking:
            try:
                report = await asyncio.to_thread(self.ticker.tick)
            except Exception:
                log.exception("tick failed; the next one retries")
                if self.watcher is not None:
                    self.watcher.tick_failed()
                return
            if self.watcher is not None:
                self.watcher.ticked(report)
            if report.fired or report.missed:
                log.info("tick", extra={"fired": report.fired, "missed": report.missed})
                self.dispatcher.wake()

    async def _prepare(self) -> None:
        assert self.prepare is not None
        try:
            await asyncio.to_thread(self.prepare)
        except Exception:
            log.exception("preparing ahead failed; it is tried again in a minute")
