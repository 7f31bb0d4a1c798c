"""`GET /metrics` as an operator's Prometheus scrapes it: valid text, figures that move, no
user data, and one set of counters per process when several share one PostgreSQL.

The app runs in process as tests/test_serve.py runs it, with a fake clock so that
lateness and ages are exact; the scale-out tests start real processes.
"""

from __future__ import annotations

import asyncio
import logging
import re
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from adapters.playground.demo import TENANT
from bot.app import DATABASE, DISPATCHER, create_app
from bot.logging import AccessLogger
from bot.settings import load_settings
from dialogs.core.events import ActionInvoked
from dialogs.runner import EngineRunner
from tests.adapters.playground.test_playground_http import (
    HILLVIEW,
    RIVERSIDE,
    action,
    command,
    state,
)
from tests.bot.test_outbox import FlakyPlatform
from tests.bot.test_serve import clean_env  # noqa: F401  (the fixture: no developer settings)
from tests.conftest import POSTGRES_URL
from tests.support.conversation import ASHA, BEN, CARYS, NORTH, Conversation, person
from tests.support.fakes import FakeClock
from tests.support.processes import Server, concord_env, free_port, get

START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
TICK_WAIT_SECONDS = 10
QUESTION = "Which shared priority first?"
POLL = f'poll "{QUESTION}" "Discharge delays" "Mental health beds"'
ALLOWED_LABELS = {"route", "status", "platform", "outcome", "le"}
PLATFORMS = {"playground", "teams", "slack"}


@pytest.fixture
async def bot(clean_env, tmp_path):  # noqa: F811  (the fixture imported above)
    """The whole app on SQLite, its clock held at START, with the playground and Teams in
    local mode; (client, app, clock)."""
    clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'concord.db'}")
    clean_env.setenv("CONCORD_TEAMS_LOCAL", "true")
    clock = FakeClock(START)
    app = create_app(load_settings(), clock=clock)

    async def boom(request: web.Request) -> web.Response:
        raise RuntimeError("a bug of ours")

    app.router.add_get("/boom", boom)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client, app, clock


async def scrape(client) -> dict[str, float]:
    """Every sample as `name{label="value",…}` -> value, parsed by Prometheus' own parser."""
    response = await client.get("/metrics")
    assert response.status == 200
    return samples(await response.text())


def samples(exposition: str) -> dict[str, float]:
    found = {}
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return found


def assert_every_sample_has_help_and_type(exposition: str) -> None:
    helped, typed = set(), set()
    for line in exposition.splitlines():
        if line.startswith("# HELP "):
            helped.add(line.split()[2])
        elif line.startswith("# TYPE "):
            typed.add(line.split()[2])
        else:
            name = re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group(0)
            family = re.sub(r"_(bucket|count|sum|created)$", "", name)
            assert {name, family} & helped & typed, f"{name}: no HELP and TYPE before it"


def vote_action(html: str) -> str:
    return re.search(r'data-action="(vote:\d+:\d+)"', html).group(1)


async def start_poll(client, text: str = POLL) -> str:
    """Asha starts a poll in Riverside; the action of its first option's button."""
    assert (await command(client, "asha", RIVERSIDE, text))["refused"] is False
    transcripts = (await state(client))["transcripts"]
    return vote_action(transcripts[RIVERSIDE][-1]["html"])


async def test_a_scrape_is_valid_prometheus_text_with_help_and_type_for_every_metric(bot):
    client, _, _ = bot
    before = time.time()

    response = await client.get("/metrics")

    assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    body = await response.text()
    families = list(text_string_to_metric_families(body))
    names = {family.name for family in families}
    assert all(name.startswith("concord_") for name in names), names
    assert all(family.documentation for family in families)
    assert_every_sample_has_help_and_type(body)
    assert {
        "concord_up",
        "concord_process_start_time_seconds",
        "concord_http_requests",
        "concord_http_request_duration_seconds",
        "concord_votes_recorded",
        "concord_deliveries",
        "concord_delivery_errors",
        "concord_outbox_rows",
        "concord_outbox_pending",
        "concord_outbox_oldest_pending_age_seconds",
        "concord_scheduler_ticks",
        "concord_scheduler_lag_seconds",
        "concord_scheduler_last_lag_seconds",
    } <= names
    shown = samples(body)
    assert shown["concord_up"] == 1
    assert before - 60 < shown["concord_process_start_time_seconds"] <= time.time()
    assert shown['concord_delivery_errors_total{platform="playground"}'] == 0, "zero, not absent"


async def test_requests_are_counted_and_timed_by_route_template_and_status(bot):
    client, _, _ = bot
    before = await scrape(client)

    await client.get("/healthz")
    await client.get("/healthz")
    await client.get("/charts/not-a-real-token.png")
    await client.get("/no/such/page")
    await client.get("/boom")

    after = await scrape(client)
    counted = {
        key: after.get(key, 0) - before.get(key, 0)
        for key in after
        if key.startswith("concord_http_requests_total")
    }
    assert counted['concord_http_requests_total{route="/healthz",status="200"}'] == 2
    assert counted['concord_http_requests_total{route="/charts/{token}.png",status="404"}'] == 1
    assert counted['concord_http_requests_total{route="unmatched",status="404"}'] == 1
    assert counted['concord_http_requests_total{route="/boom",status="500"}'] == 1
    timed = after['concord_http_request_duration_seconds_count{route="/healthz"}']
    assert timed - before.get('concord_http_request_duration_seconds_count{route="/healthz"}', 0)
    assert not any("not-a-real-token" in key or "no/such" in key for key in after)


async def test_a_stored_vote_moves_the_votes_counter_and_a_refused_one_does_not(bot):
    client, _, clock = bot
    vote = await start_poll(client)

    await action(client, "ben", RIVERSIDE, vote)
    assert (await scrape(client))["concord_votes_recorded_total"] == 1

    clock.advance(seconds=1)
    await action(client, "carys", HILLVIEW, vote)
    refused = await action(client, "elin", RIVERSIDE, vote)  # an observer: sees, doesn't vote
    assert refused["refused"] is True

    assert (await scrape(client))["concord_votes_recorded_total"] == 2


async def test_a_failed_delivery_is_counted_for_its_platform_and_leaves_a_backlog(bot):
    client, app, clock = bot
    dispatcher = app[DISPATCHER]
    dispatcher.platforms["playground"] = FlakyPlatform(dispatcher.platforms["playground"], 2)

    await command(client, "asha", RIVERSIDE, 'poll "Lunch?" "Soup" "Salad"')  # two posts: both fail
    clock.advance(seconds=0.5)

    shown = await scrape(client)
    assert shown['concord_delivery_errors_total{platform="playground"}'] == 2
    assert shown['concord_delivery_errors_total{platform="teams"}'] == 0
    assert shown['concord_outbox_rows_total{outcome="retried"}'] == 2
    assert shown["concord_outbox_pending"] == 2
    assert shown["concord_outbox_oldest_pending_age_seconds"] == 0.5

    clock.advance(seconds=30)  # past the backoff: the next drain delivers both
    await dispatcher.drain()

    shown = await scrape(client)
    assert shown['concord_deliveries_total{platform="playground"}'] >= 2
    assert shown['concord_outbox_rows_total{outcome="sent"}'] >= 2
    assert shown["concord_outbox_pending"] == 0
    assert shown["concord_outbox_oldest_pending_age_seconds"] == 0


async def test_a_tick_reports_how_late_due_work_was_claimed(bot):
    client, _, clock = bot
    await start_poll(client, 'poll "Lunch?" "Soup" "Salad" --closes "in 90m"')

    clock.advance(minutes=91)  # the deadline passed a minute ago; the next tick closes it
    deadline = time.monotonic() + TICK_WAIT_SECONDS
    while (shown := await scrape(client))["concord_scheduler_fired_total"] < 1:
        assert time.monotonic() < deadline, "no tick closed the poll"
        await asyncio.sleep(0.2)

    assert shown["concord_scheduler_ticks_total"] >= 1
    assert shown["concord_scheduler_last_lag_seconds"] == 60
    assert shown["concord_scheduler_lag_seconds_count"] == 1
    assert shown['concord_scheduler_lag_seconds_bucket{le="30.0"}'] == 0
    assert shown['concord_scheduler_lag_seconds_bucket{le="60.0"}'] == 1
    assert shown["concord_scheduler_last_tick_timestamp_seconds"] > time.time() - 60


async def test_metrics_carry_no_names_poll_text_tenants_or_tokens(bot):
    client, _, clock = bot
    vote = await start_poll(client)
    await action(client, "ben", RIVERSIDE, vote)
    await client.get("/charts/0123456789abcdef.png")

    body = await (await client.get("/metrics")).text()

    for secret in (QUESTION, "Discharge", "Asha", "asha", "Ben", RIVERSIDE, TENANT, "0123456789"):
        assert secret not in body, f"{secret!r} is in /metrics"
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            assert set(sample.labels) <= ALLOWED_LABELS, sample
            if "platform" in sample.labels:
                assert sample.labels["platform"] in PLATFORMS


async def test_when_the_database_does_not_answer_the_backlog_is_left_out_not_stale(bot):
    client, app, _ = bot
    assert "concord_outbox_pending" in await scrape(client)

    def down(*_args, **_kwargs):
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    app[DATABASE].run = down
    shown = await scrape(client)

    assert shown["concord_up"] == 1
    assert "concord_outbox_pending" not in shown
    assert "concord_outbox_oldest_pending_age_seconds" not in shown


@pytest.mark.parametrize(("path", "level"), [("/metrics", "DEBUG"), ("/healthz", "DEBUG")])
def test_scrapes_and_health_checks_stay_out_of_the_info_log(caplog, path, level):
    logger = logging.getLogger("test.access")
    access = AccessLogger(logger, "")
    caplog.set_level(logging.DEBUG, logger="test.access")

    access.log(make_mocked_request("GET", path), web.Response(), 0.001)
    access.log(make_mocked_request("GET", "/playground"), web.Response(), 0.001)

    assert [(r.path, r.levelname) for r in caplog.records] == [
        (path, level),
        ("/playground", "INFO"),
    ]


def test_platform_requests_answered_stay_out_of_the_info_log_but_refusals_do_not(caplog):
    logger = logging.getLogger("test.access")
    access = AccessLogger(logger, "")
    caplog.set_level(logging.DEBUG, logger="test.access")

    for path in ("/slack/events", "/api/messages"):
        access.log(make_mocked_request("POST", path), web.Response(), 0.001)
        access.log(make_mocked_request("POST", path), web.Response(status=401), 0.001)

    assert [(r.path, r.status, r.levelname) for r in caplog.records] == [
        ("/slack/events", 200, "DEBUG"),
        ("/slack/events", 401, "INFO"),
        ("/api/messages", 200, "DEBUG"),
        ("/api/messages", 401, "INFO"),
    ]


def test_votes_stored_together_are_counted_once_each(sqlite_database):
    chat = Conversation(sqlite_database, FakeClock(START))
    try:
        chat.says(ASHA, NORTH, 'setup "Northshire"')
        chat.says(ASHA, NORTH, 'poll "Lunch?" "Soup" "Salad"')
        runner = EngineRunner(chat.engine, max_batch=4)
        people = [BEN, CARYS, *(person(f"p{n}", f"Person {n}") for n in range(8))]
        clicks = [ActionInvoked(who, NORTH, "vote:1:1") for who in people]
        clicks.append(ActionInvoked(BEN, NORTH, "vote:1:1"))  # already chosen: nothing stored
        clicks.append(ActionInvoked(CARYS, NORTH, "vote:1:2"))  # a change: stored again

        async def all_at_once():
            return await asyncio.gather(*(runner.handle(click) for click in clicks))

        asyncio.run(all_at_once())

        assert chat.engine.votes_recorded == len(people) + 1
    finally:
        chat.close()


# Scale-out: real processes on one PostgreSQL -----------------------------------------------


@pytest.fixture
def fresh_postgres(postgres_schema):
    """An empty schema of its own, not migrated: the processes under test do that."""
    schema = f"{postgres_schema}_metrics"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def scraped(url: str) -> dict[str, float]:
    status, body = get(f"{url}/metrics")
    assert status == 200
    return samples(body.decode())


HEALTHZ_OK = 'concord_http_requests_total{route="/healthz",status="200"}'


@pytest.mark.postgres
def test_processes_started_together_on_one_postgres_count_apart_and_share_the_backlog(
    fresh_postgres, tmp_path
):
    servers = [
        Server(tmp_path / f"p{n}", fresh_postgres, CONCORD_PLAYGROUND="false") for n in (1, 2)
    ]
    try:
        for server in servers:
            server.wait_until_healthy()  # both started on the fresh database at once
        first, second = (server.url for server in servers)
        before = scraped(first), scraped(second)
        for _ in range(3):
            get(f"{first}/healthz")
        after = scraped(first), scraped(second)
    finally:
        for server in servers:
            server.stop()
    assert [a[HEALTHZ_OK] - b[HEALTHZ_OK] for a, b in zip(after, before, strict=True)] == [3, 0]
    assert after[0]["concord_outbox_pending"] == after[1]["concord_outbox_pending"] == 0
    for server in servers:
        assert not [e for e in server.log() if e["level"] == "ERROR"], server.errors()[-2000:]


@pytest.mark.postgres
def test_gunicorn_serves_concord_with_several_aiohttp_workers(fresh_postgres, tmp_path):
    pytest.importorskip("gunicorn")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "gunicorn.log"
    env = concord_env(DATABASE_URL=fresh_postgres, CONCORD_PLAYGROUND="false")
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bot.app:gunicorn_app",
                "--worker-class",
                "aiohttp.GunicornUVLoopWebWorker",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--no-control-socket",
            ],
            cwd=tmp_path,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    workers = set()  # each worker is a process of its own, with its own start time
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2:
            assert process.poll() is None, f"gunicorn exited:\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"not two workers:\n{log.read_text()[-3000:]}"
            try:
                workers.add(scraped(url)["concord_process_start_time_seconds"])
            except OSError:
                time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "Traceback" not in log.read_text()
