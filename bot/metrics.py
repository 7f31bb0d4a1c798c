"""`GET /metrics` in Prometheus' text format: what this process did, and the outbox backlog.

Each app has a `CollectorRegistry` of its own, never prometheus_client's global
one, so two apps in one process (as in tests) count apart. Counters are per
process: in a scale-out, scrape every process. The outbox backlog is read from
the shared database at scrape time, so every process reports the same figure.
Label values are route templates, HTTP statuses, platform names and outcomes
only: never a person, a poll's text, a tenant, a channel or a chart token.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Iterator
from datetime import datetime

from aiohttp import web
from aiohttp.typedefs import Handler
from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from sqlalchemy.exc import SQLAlchemyError

from bot.dispatcher import Dispatcher
from dialogs.core.clock import Clock, utc_now
from dialogs.core.ports import Concord
from dialogs.core.timers import TickReport
from storage import outbox as store
from storage.database import Database

log = logging.getLogger(__name__)

# Slack wants an answer within 3 s and Teams within 15 s: both are bucket bounds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 3.0, 5.0, 10.0, 15.0)
LAG_BUCKETS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 3600.0)
UNMATCHED = "unmatched"  # the route label of a path no route serves (any 404 path)
OUTCOMES = ("sent", "retried", "failed", "unknown", "coalesced")


class Metrics:
    """This process's metrics; scheduler ticks are reported to it (`bot.scheduler.TickWatcher`)."""

    def __init__(
        self, database: Database, engine: Concord, dispatcher: Dispatcher, clock: Clock = utc_now
    ) -> None:
        self.registry = registry = CollectorRegistry()
        self.requests = Counter(
            "concord_http_requests",
            "HTTP requests this process answered, by route template and status.",
            ["route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "concord_http_request_duration_seconds",
            "Time this process took to answer an HTTP request, by route template.",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.ticks = Counter(
            "concord_scheduler_ticks", "Scheduler ticks this process completed.", registry=registry
        )
        self.tick_failures = Counter(
            "concord_scheduler_tick_failures",
            "Scheduler ticks in this process that failed (logged; the next tick retries).",
            registry=registry,
        )
        self.fired = Counter(
            "concord_scheduler_fired",
            "Deadlines, reminders, check-ins and stage changes this process claimed and ran.",
            registry=registry,
        )
        self.missed = Counter(
            "concord_scheduler_missed",
            "Scheduled work this process recorded as missed (later than the grace window).",
            registry=registry,
        )
        self.lag = Histogram(
            "concord_scheduler_lag_seconds",
            "Seconds from due to claimed, for each item of scheduled work this process claimed.",
            buckets=LAG_BUCKETS,
            registry=registry,
        )
        self.last_lag = Gauge(
            "concord_scheduler_last_lag_seconds",
            "The largest lag (due to claimed) in this process's last tick that claimed work.",
            registry=registry,
        )
        self.last_tick = Gauge(
            "concord_scheduler_last_tick_timestamp_seconds",
            "When this process last completed a scheduler tick (Unix time).",
            registry=registry,
        )
        Gauge("concord_up", "1 while this process serves.", registry=registry).set(1)
        Gauge(
            "concord_process_start_time_seconds",
            "When this process started (Unix time).",
            registry=registry,
        ).set_to_current_time()
        self._scraped = _ReadAtScrape(database, engine, dispatcher, clock)
        self.registry.register(self._scraped)

    def ticked(self, report: TickReport) -> None:
        self.ticks.inc()
        self.fired.inc(report.fired)
        self.missed.inc(report.missed)
        for lag in report.lags:
            self.lag.observe(lag)
        if report.lags:
            self.last_lag.set(max(report.lags))
        self.last_tick.set_to_current_time()

    def tick_failed(self) -> None:
        self.tick_failures.inc()

    def observe(self, route: str, status: int, seconds: float) -> None:
        self.requests.labels(route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    async def exposition(self) -> bytes:
        """The text a scrape gets; the outbox backlog is read afresh, off the event loop."""
        await asyncio.to_thread(self._scraped.read_backlog)
        return generate_latest(self.registry)


METRICS = web.AppKey("metrics", Metrics)


async def metrics_page(request: web.Request) -> web.Response:
    body = await request.app[METRICS].exposition()
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_PLAIN_0_0_4})


@web.middleware
async def count_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Count and time every request under its route template (outermost middleware)."""
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as error:
        status = error.status
        raise
    finally:
        request.app[METRICS].observe(_route(request), status, time.perf_counter() - started)


def _route(request: web.Request) -> str:
    # The template ("/charts/{token}.png"), never the path: no tokens or ids in labels.
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else UNMATCHED


class _ReadAtScrape:
    """Figures kept elsewhere, read when scraped: deliveries, votes and the outbox backlog."""

    def __init__(
        self, database: Database, engine: Concord, dispatcher: Dispatcher, clock: Clock
    ) -> None:
        self.database = database
        self.engine = engine
        self.dispatcher = dispatcher
        self.clock = clock
        self.backlog: tuple[int, datetime | None] | None = None
        self.read_at: datetime | None = None

    def read_backlog(self) -> None:
        try:
            self.backlog = self.database.run(store.backlog)
        except SQLAlchemyError:
            log.warning("metrics: the outbox backlog could not be read", exc_info=True)
            self.backlog = None
        self.read_at = self.clock()

    def describe(self) -> Iterable[Metric]:
        return []  # names are fixed: nothing for the registry to check

    def collect(self) -> Iterator[Metric]:
        counters = self.dispatcher.counters
        platforms = sorted({*self.dispatcher.platforms, *counters.calls, *counters.errors})
        yield _by(
            "concord_deliveries",
            "Platform calls (posts, updates, private messages) this process made that worked.",
            "platform",
            {platform: counters.calls[platform] for platform in platforms},
        )
        yield _by(
            "concord_delivery_errors",
            "Platform calls this process made that failed; the message is tried again later "
            "or given up (see concord_outbox_rows_total).",
            "platform",
            {platform: counters.errors[platform] for platform in platforms},
        )
        yield _by(
            "concord_outbox_rows",
            "Outbox messages this process handled, by outcome: sent; retried (to be tried "
            "again); failed (given up); unknown (a lease ran out after the platform was "
            "called: not resent); coalesced (a re-render folded into a later one).",
            "outcome",
            {outcome: getattr(counters, outcome) for outcome in OUTCOMES},
        )
        yield CounterMetricFamily(
            "concord_votes_recorded",
            "Votes this process stored (buttons, ballot forms, consent stances); "
            "a changed vote counts again.",
            value=self.engine.votes_recorded,
        )
        yield from self._backlog()

    def _backlog(self) -> Iterator[Metric]:
        if self.backlog is None or self.read_at is None:
            return  # the database did not answer: no figure rather than a stale one
        pending, oldest = self.backlog
        age = max(0.0, (self.read_at - oldest).total_seconds()) if oldest else 0.0
        yield GaugeMetricFamily(
            "concord_outbox_pending",
            "Messages waiting in the outbox, across all processes (shared database).",
            value=pending,
        )
        yield GaugeMetricFamily(
            "concord_outbox_oldest_pending_age_seconds",
            "Age of the oldest message waiting in the outbox, across all processes "
            "(shared database); 0 when none waits.",
            value=age,
        )


def _by(name: str, documentation: str, label: str, values: dict[str, int]) -> Metric:
    family = CounterMetricFamily(name, documentation, labels=[label])
    for value_of_label, value in values.items():
        family.add_metric([value_of_label], value)
    return family
