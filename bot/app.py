"""The one aiohttp application: composition of database, engine, adapters and outbox.

`create_app` opens and migrates the database before it returns, so a bad or
unreachable database stops the process before it listens. The outbox
dispatcher runs while the app runs; on shutdown it stops and the database
connections close. `gunicorn_app` is the same app for gunicorn's aiohttp worker.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web
from aiohttp.typedefs import Handler
from pydantic import SecretStr

from adapters.playground.playground import Playground
from adapters.slack.transport import SlackConfig, SlackTransport
from adapters.teams.transport import TeamsConfig, TeamsTransport
from bot import charts, connections, exports
from bot.dispatcher import Dispatcher
from bot.logging import AccessLogger, configure_logging
from bot.metrics import METRICS, Metrics, count_requests, metrics_page
from bot.scheduler import Scheduler
from bot.settings import ConfigError, Settings, load_settings
from dialogs.core.clock import Clock, utc_now
from dialogs.core.ports import Limits, PlatformPort
from dialogs.engine import Engine
from dialogs.runner import EngineRunner
from dialogs.ticker import Ticker
from storage import migrate
from storage.database import Database
from storage.playground import PlaygroundStore

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024
SHUTDOWN_GRACE_SECONDS = 3.0
# How long an idle keep-alive connection stays open (aiohttp's run_app default).
KEEPALIVE_SECONDS = 75.0
_BODY_HEADERS = {"content-type", "content-length"}
DATABASE = web.AppKey("database", Database)
ENGINE = web.AppKey("engine", Engine)
DISPATCHER = web.AppKey("dispatcher", Dispatcher)
SCHEDULER = web.AppKey("scheduler", Scheduler)
SLACK = web.AppKey("slack", SlackTransport)
TEAMS = web.AppKey("teams", TeamsTransport)
GUARD = web.AppKey("guard", connections.ConnectionGuard)
TEAMS_OFF = (
    "Teams is off: /api/messages is not served. Set MICROSOFT_APP_ID and "
    "MICROSOFT_APP_PASSWORD for Teams, or CONCORD_TEAMS_LOCAL=true to test with a client "
    "on this machine."
)


def create_app(settings: Settings, *, clock: Clock = utc_now) -> web.Application:
    database = Database(settings.database_url)
    migrate.upgrade(database)
    limits = Limits(
        codes_outstanding=settings.concord_codes_outstanding,
        polls_per_coordinator_hour=settings.concord_polls_per_coordinator_hour,
        polls_per_collaborative_hour=settings.concord_polls_per_collaborative_hour,
    )
    engine = Engine(
        database, clock=clock, default_timezone=settings.concord_timezone, limits=limits
    )
    platforms: dict[str, PlatformPort] = {}
    # One runner for every platform: clicks from Slack and Teams at once share batches.
    runner = EngineRunner(engine)
    limits = connection_limits(settings)
    app = web.Application(
        client_max_size=MAX_BODY_BYTES,
        middlewares=[count_requests, json_errors, connections.deadlines(limits)],
    )
    app[GUARD] = connections.ConnectionGuard(limits)

    async def deliver_now() -> None:
        await app[DISPATCHER].drain()

    if settings.slack_configured:
        slack = SlackTransport(
            runner, slack_config(settings), after_change=lambda: app[DISPATCHER].wake()
        )
        slack.add_routes(app)
        platforms[slack.port.platform] = slack.port
        app[SLACK] = slack

    if settings.teams_served:  # with MICROSOFT_APP_ID, or CONCORD_TEAMS_LOCAL for testing
        teams = TeamsTransport(
            runner, teams_config(settings), after_change=lambda: app[DISPATCHER].wake()
        )
        teams.add_routes(app)
        platforms[teams.port.platform] = teams.port
        app[TEAMS] = teams

    if settings.playground_enabled:
        store = PlaygroundStore(database)
        playground = Playground(runner, after_change=deliver_now, store=store, clock=clock)
        app.on_startup.append(_seeding(playground))
        playground.add_routes(app)
        platforms[playground.port.platform] = playground.port

    app[DATABASE] = database
    app[ENGINE] = engine
    app[DISPATCHER] = Dispatcher(database, engine, platforms, clock=clock)
    app[METRICS] = Metrics(database, runner, app[DISPATCHER], clock)
    app[SCHEDULER] = Scheduler(
        Ticker(database, clock), app[DISPATCHER], watcher=app[METRICS], prepare=engine.prepare
    )
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_page)
    charts.add_routes(app, runner)
    exports.add_routes(app, runner)
    app.cleanup_ctx.append(_running)
    return app


async def gunicorn_app() -> web.AppRunner:
    """The app for `gunicorn bot.app:gunicorn_app --worker-class aiohttp.GunicornUVLoopWebWorker`.

    Each worker loads the settings and logs as `concord serve` does; gunicorn's
    `--bind` decides where it listens, not CONCORD_HOST and CONCORD_PORT.
    """
    try:
        settings = load_settings()
    except ConfigError as error:
        raise SystemExit(f"concord: configuration error: {error}") from None
    configure_logging(
        settings.concord_log_level, settings.concord_log_format, settings.secret_values()
    )
    return app_runner(create_app(settings))


def app_runner(app: web.Application, *, handle_signals: bool = False) -> web.AppRunner:
    """The runner `concord serve`, gunicorn and the tests serve `app` with: its connections
    guarded (bot/connections.py), its access log ours."""
    return connections.GuardedRunner(
        app,
        app[GUARD],
        handle_signals=handle_signals,
        access_log_class=AccessLogger,
        shutdown_timeout=SHUTDOWN_GRACE_SECONDS,
        keepalive_timeout=KEEPALIVE_SECONDS,
    )


def connection_limits(settings: Settings) -> connections.ConnectionLimits:
    return connections.ConnectionLimits(
        head_timeout=settings.concord_header_timeout,
        body_timeout=settings.concord_body_timeout,
        max_connections=settings.concord_max_connections,
        max_per_peer=settings.concord_max_connections_per_peer,
    )


def slack_config(settings: Settings) -> SlackConfig:
    def secret(value: SecretStr | None) -> str | None:
        return value.get_secret_value() if value else None

    return SlackConfig(
        api_url=settings.slack_api_url,
        database_url=settings.database_url,
        signing_secret=secret(settings.slack_signing_secret),
        bot_token=secret(settings.slack_bot_token),
        app_token=secret(settings.slack_app_token),
        client_id=settings.slack_client_id,
        client_secret=secret(settings.slack_client_secret),
        public_url=settings.concord_public_url or "",
    )


def teams_config(settings: Settings) -> TeamsConfig:
    password = settings.microsoft_app_password
    return TeamsConfig(
        app_id=settings.teams_app_id,
        app_password=password.get_secret_value() if password else None,
        app_type=settings.microsoft_app_type,
        tenant_id=settings.microsoft_app_tenant_id,
        public_url=settings.concord_public_url or "",
        local=settings.concord_teams_local,
        sdk=settings.concord_teams_sdk,
    )


def _seeding(playground: Playground) -> Callable[[web.Application], Awaitable[None]]:
    async def seed(_: web.Application) -> None:
        await playground.start()

    return seed


async def _running(app: web.Application) -> AsyncIterator[None]:
    await app[DISPATCHER].start()
    await app[SCHEDULER].start()
    transports = [t for t in (app.get(SLACK), app.get(TEAMS)) if t is not None]
    if TEAMS not in app:
        log.info(TEAMS_OFF)
    for transport in transports:
        await transport.start()
    await asyncio.to_thread(app[ENGINE].prepare)
    yield
    for transport in reversed(transports):
        await transport.stop()
    await app[SCHEDULER].stop()
    await app[DISPATCHER].stop()
    app[DATABASE].dispose()


async def healthz(request: web.Request) -> web.Response:
    if await asyncio.to_thread(request.app[DATABASE].is_healthy):
        return web.json_response({"status": "ok"})
    return web.json_response({"status": "database unavailable"}, status=503)


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """No client ever sees a traceback: HTTP errors become JSON, surprises a 500 with an id."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status < 400 or error.content_type != "text/plain":
            raise
        return _json_http_error(error)
    except Exception as error:
        if (cut_short := connections.interrupted(request, error)) is not None:
            return cut_short
        error_id = str(uuid.uuid4())
        where = {"error_id": error_id, "method": request.method, "path": request.path}
        log.exception("unhandled error", extra=where)
        return web.json_response({"error": "internal error", "id": error_id}, status=500)


def _json_http_error(error: web.HTTPException) -> web.Response:
    default_text = f"{error.status}: {error.reason}"
    message = error.reason if error.text in (None, default_text) else error.text
    headers = {k: v for k, v in error.headers.items() if k.lower() not in _BODY_HEADERS}
    return web.json_response({"error": message}, status=error.status, headers=headers)
