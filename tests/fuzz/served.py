"""The real aiohttp app (`bot.app.create_app`) on a loopback test server, driven from sync
code: Slack over HTTP (a signing secret, OAuth installs), Teams without credentials (local
testing) on either transport, the playground on.

The scheduler and the outbox dispatcher are stopped once the app has started, so what
changes stored data is the request under test and nothing else.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from aiohttp import ClientResponse, ClientResponseError, ClientTimeout, web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import DATABASE, DISPATCHER, SCHEDULER, app_runner, create_app
from bot.settings import Settings
from storage.database import Database
from tests.fuzz.requests import Request
from tests.stand_ins.slack_signing import SECRET
from tests.support.fakes import FakeClock

NOWHERE = "http://127.0.0.1:9"  # a closed port: nothing the app calls out to leaves the machine
ANSWER_SECONDS = 10.0
SETTINGS = {
    "slack_signing_secret": SECRET,
    "slack_client_id": "1111.2222",
    "slack_client_secret": "not-a-real-secret",
    "slack_api_url": f"{NOWHERE}/api/",
    "concord_public_url": NOWHERE,
    "concord_playground": True,
    "concord_teams_local": True,  # Teams without credentials, for local testing (item 1)
}


class ServedAsConcord(TestServer):
    """aiohttp's test server with `concord serve`'s runner: its guarded connections (what
    an unreadable request head gets is part of what is under test) and its access log."""

    async def _make_runner(self, **kwargs: object) -> web.BaseRunner:
        return app_runner(self.app)


class Served:
    """The app serving on its own event loop; `send` runs one request to its end."""

    def __init__(self, database_url: str, teams_sdk: str = "botbuilder") -> None:
        settings = Settings(
            database_url=database_url,
            concord_teams_sdk=teams_sdk,  # type: ignore[arg-type]
            **SETTINGS,  # type: ignore[arg-type]
        )
        self.loop = asyncio.new_event_loop()
        self.app: web.Application = create_app(
            settings, clock=FakeClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
        )
        self.client = self.loop.run_until_complete(self._start())

    @property
    def database(self) -> Database:
        return self.app[DATABASE]

    def send(self, request: Request) -> tuple[int, bytes]:
        return self.loop.run_until_complete(self._send(request))

    def close(self) -> None:
        self.loop.run_until_complete(self.client.close())
        self.loop.close()

    async def _start(self) -> TestClient:
        client = TestClient(ServedAsConcord(self.app, host="127.0.0.1"))
        await client.start_server()
        await self.app[SCHEDULER].stop()
        await self.app[DISPATCHER].stop()
        return client

    async def _send(self, request: Request) -> tuple[int, bytes]:
        try:
            return await self._exchange(request)
        except ClientResponseError as error:  # what came back was not HTTP
            raise AssertionError(f"{request.method} {request.path}: {error.message}") from None

    async def _exchange(self, request: Request) -> tuple[int, bytes]:
        response = await self.client.request(
            request.method,
            request.path,
            headers=request.headers,
            data=request.body,
            timeout=ClientTimeout(total=ANSWER_SECONDS),
            allow_redirects=False,
        )
        async with response:
            return response.status, await _body(response)


async def _body(response: ClientResponse) -> bytes:
    if response.content_type == "text/event-stream":  # a stream that never ends: its start
        return await response.content.readline()
    return await response.read()
