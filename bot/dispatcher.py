"""The outbox dispatcher: delivers committed effects to the platforms.

The engine writes effects to the outbox in the transaction of the change that
caused them; this delivers them afterwards. Each round claims the head of
every lane that may go now (`bot.claim`: order per lane, rate limits, leases,
coalescing), calls the platforms concurrently, then settles every row in one
transaction: sent; tried again after the platform's `Retry-After` or after a
backoff with jitter (the lane waits meanwhile); or failed once the platform
refuses for good or `MAX_ATTEMPTS` failures are reached. A new message's row
records `attempted_at` before the call, so a process that dies mid-call leaves
it to be reported as unknown rather than posted twice. Re-renders of a poll are
drawn from the latest state at delivery time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import secrets
import socket
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Protocol

from sqlmodel import Session

from bot.claim import Claim, Claimer, Job
from bot.ratelimit import backoff
from dialogs.core.cards import Card, Notify, Post, Update
from dialogs.core.clock import Clock, utc_now
from dialogs.core.events import Place
from dialogs.core.ports import NO_LIMITS, DeliveryError, DeliveryLimits, PinningPort, PlatformPort
from storage import outbox as store
from storage.database import Database
from storage.models import Outbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
MIN_RETRY_AFTER_SECONDS = 1.0
LEASE_SECONDS = 30.0
CONCURRENCY = 16  # platform calls in flight at once
BATCH = 200  # lanes one claim may take
SHORTEST_PAUSE_SECONDS = 0.01
DRAIN_BREATHER_SECONDS = 0.05


class Renderer(Protocol):
    def render_message(self, key: str) -> Card | None:
        """The current rendering of a keyed message, from the latest state."""
        ...


@dataclass
class Counters:
    """What this process has done since it started (for `/metrics`)."""

    sent: int = 0
    failed: int = 0
    unknown: int = 0
    coalesced: int = 0
    retried: int = 0
    calls: Counter[str] = field(default_factory=Counter)  # platform calls that worked, by platform
    errors: Counter[str] = field(default_factory=Counter)  # ... and that failed, by platform


@dataclass(frozen=True)
class Outcome:
    job: Job
    ref: str | None = None
    error: Exception | None = None


def process_owner() -> str:
    """A lease owner name unique to this process: host, pid and a random tag."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


class Dispatcher:
    def __init__(
        self,
        database: Database,
        engine: Renderer,
        platforms: dict[str, PlatformPort],
        clock: Clock = utc_now,
        *,
        interval: float = 2.0,
        owner: str | None = None,
        lease: float = LEASE_SECONDS,
        concurrency: int = CONCURRENCY,
        batch: int = BATCH,
        rng: random.Random | None = None,
    ) -> None:
        self.database = database
        self.engine = engine
        self.platforms = platforms
        self.clock = clock
        self.interval = interval
        self.owner = owner or process_owner()
        self.counters = Counters()
        self._claimer = Claimer(self.owner, timedelta(seconds=lease), self._limits, batch)
        self._rng = rng or random.Random()
        self._slots = asyncio.Semaphore(concurrency)
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._due: datetime | None = None
        self._wake_at: datetime | None = None

    async def drain(self) -> int:
        """Deliver everything deliverable now; return how many rows reached a final status."""
        async with self._lock:
            settled = 0
            while True:
                claim = await asyncio.to_thread(self.database.run, self._claim)
                self._count(coalesced=claim.coalesced, unknown=claim.unknown, failed=claim.failed)
                settled += claim.coalesced + claim.unknown + claim.failed
                if not (claim.jobs or claim.unknown or claim.failed):
                    break
                outcomes = await self._deliver_all(claim.jobs)
                tally = await asyncio.to_thread(self.database.run, partial(self._settle, outcomes))
                self._count(**tally)
                settled += tally["sent"] + tally["failed"]
            await self._plan_next_wake()
            return settled

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            pause = self._pause()
            self._wake_at = self.clock() + timedelta(seconds=pause)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), pause)
            self._wake_at = None
            self._wake.clear()
            try:
                await self.drain()
            except Exception:
                log.exception("outbox drain failed; retrying on the next tick")
            # In a burst every change wakes the loop; a short breather between drains
            # delivers as promptly and leaves the database to the changes themselves.
            await asyncio.sleep(DRAIN_BREATHER_SECONDS)

    def _pause(self) -> float:
        if self._due is None:
            return self.interval
        until_due = (self._due - self.clock()).total_seconds()
        return min(self.interval, max(SHORTEST_PAUSE_SECONDS, until_due))

    async def _plan_next_wake(self) -> None:
        """Remember when the next row falls due; wake the loop if it would sleep past that."""
        self._due = await asyncio.to_thread(
            self.database.run, lambda session: store.next_due(session, self.clock())
        )
        if self._due is not None and self._wake_at is not None and self._due < self._wake_at:
            self._wake.set()

    def _claim(self, session: Session) -> Claim:
        return self._claimer(session, self.clock())

    def _limits(self, platform: str) -> DeliveryLimits:
        # A port that declares no limits has none (test doubles, say).
        return getattr(self.platforms.get(platform), "limits", NO_LIMITS)

    async def _deliver_all(self, jobs: list[Job]) -> list[Outcome]:
        new_messages = [job.row_id for job in jobs if not isinstance(job.effect, Update)]
        started = await asyncio.to_thread(
            self.database.run,
            lambda session: store.mark_attempted(session, new_messages, self.owner, self.clock()),
        )
        runnable = [job for job in jobs if isinstance(job.effect, Update) or job.row_id in started]
        return list(await asyncio.gather(*(self._deliver(job) for job in runnable)))

    async def _deliver(self, job: Job) -> Outcome:
        platform = _platform(job)
        async with self._slots:
            try:
                outcome = Outcome(job, ref=await self._call(job))
            except DeliveryError as error:
                log.warning("delivery failed", extra={"outbox_id": job.row_id, "error": str(error)})
                outcome = Outcome(job, error=error)
            except Exception as error:
                log.exception("delivery raised", extra={"outbox_id": job.row_id})
                outcome = Outcome(job, error=error)
        tally = self.counters.calls if outcome.error is None else self.counters.errors
        tally[platform] += 1
        return outcome

    async def _call(self, job: Job) -> str | None:
        effect = job.effect
        if isinstance(effect, Notify):
            place = effect.place.place() if effect.place else None
            port = self._port(effect.actor.platform)
            await port.notify(effect.actor.actor(), place, job.delivery, effect.card)
            return None
        assert effect.place is not None
        place = effect.place.place()
        port = self._port(place.platform)
        if isinstance(effect, Post):
            ref = await port.post(place, job.delivery, effect.card)
            if effect.pin and isinstance(port, PinningPort):
                await self._pin(port, place, job, ref)
            return ref
        assert job.ref is not None
        card = await asyncio.to_thread(self.engine.render_message, effect.key)
        if card is None:
            raise DeliveryError(f"nothing renders the message {effect.key}", permanent=True)
        await port.update(place, job.delivery, job.ref, card)
        return None

    async def _pin(self, port: PinningPort, place: Place, job: Job, ref: str) -> None:
        # The message is out: a failed pin must not make the outbox post it again.
        try:
            await port.pin(place, job.delivery, ref)
        except Exception:
            log.warning("a message could not be pinned", extra={"outbox_id": job.row_id})

    def _port(self, platform: str) -> PlatformPort:
        port = self.platforms.get(platform)
        if port is None:
            raise DeliveryError(f"no {platform} adapter runs in this process", permanent=True)
        return port

    def _settle(self, outcomes: list[Outcome], session: Session) -> Counter[str]:
        now, tally = self.clock(), Counter[str](sent=0, failed=0)
        by_row = {outcome.job.row_id: outcome for outcome in outcomes}
        rows = store.leased(session, by_row, self.owner)
        for lost in by_row.keys() - {row.id for row in rows}:
            log.warning("lease lost before settling", extra={"outbox_id": lost})
        posts: dict[store.CopyKey, str] = {}
        rendered: list[int] = []
        for row in rows:
            outcome = by_row[row.id or 0]
            job = outcome.job
            if outcome.error is None:
                store.mark_sent(row, now)
                tally["sent"] += 1
                if isinstance(job.effect, Post) and job.effect.key and job.channel_id:
                    posts[job.effect.key, job.channel_id] = outcome.ref or ""
                elif job.copy_id is not None:
                    rendered.append(job.copy_id)
            elif row.status == store.PENDING:
                tally[self._failed(row, outcome.error, now)] += 1
        store.remember_posts(session, posts, now)
        store.touch_copies(session, rendered, now)
        return tally

    def _failed(self, row: Outbox, error: Exception, now: datetime) -> str:
        """Give up or schedule another try; return which ("failed" or "retried").

        `attempts` counts failed calls; a platform asking us to slow down is not one.
        """
        message = str(error) or type(error).__name__
        permanent = isinstance(error, DeliveryError) and error.permanent
        retry_after = error.retry_after if isinstance(error, DeliveryError) else None
        if retry_after is not None and not permanent:
            wait = max(retry_after, MIN_RETRY_AFTER_SECONDS)
            store.retry_at(row, now + timedelta(seconds=wait), message)
            return "retried"
        row.attempts += 1
        if permanent or row.attempts >= MAX_ATTEMPTS:
            store.give_up(row, message)
            return "failed"
        store.retry_at(row, now + timedelta(seconds=backoff(row.attempts, self._rng)), message)
        return "retried"

    def _count(self, **deltas: int) -> None:
        for name, delta in deltas.items():
            setattr(self.counters, name, getattr(self.counters, name) + delta)


def _platform(job: Job) -> str:
    effect = job.effect
    target = effect.actor if isinstance(effect, Notify) else effect.place
    return target.platform if target is not None else "unknown"
