"""Slack's Socket Mode for tests: `apps.connections.open`, the WebSocket, envelopes and acks.

`running_socket_mode()` serves, on 127.0.0.1 (a free port) from a background thread
with its own event loop, ONE aiohttp app: tests/slack_api.py's Web API stub with
Socket Mode mounted on it, so a client given one base URL (`server.api_url`, i.e.
`SLACK_API_URL` or `AsyncWebClient(base_url=...)`) reaches both, as with Slack:

- `POST /api/apps.connections.open` wants the app-level token
  (`Authorization: Bearer xapp-…`; no token is `not_authed`, a bot or user token
  `not_allowed_token_type`, anything else `invalid_auth`) and answers
  `{"ok": true, "url": "ws://127.0.0.1:<port>/link/?ticket=<random>"}`;
- `GET /link/?ticket=…` is the WebSocket; each ticket opens one connection (an unknown
  or used ticket is HTTP 401) and the server first sends
  `{"type": "hello", "num_connections", "debug_info", "connection_info": {"app_id"}}`;
- every other `POST /api/<method>` is answered by the `SlackApiStub` (`server.stub`),
  which records and validates `chat.postMessage`, `chat.update` and the rest.

Tests drive it from any thread: `connected()` waits for a connection, `send()` sends
an envelope `{"envelope_id", "type", "payload", "accepts_response_payload"}` (plus
`retry_attempt` / `retry_reason` for `events_api`, as Slack does) on the newest open
connection and returns the client's ack `{"envelope_id", "payload"?}`;
`request_refresh()` sends `{"type": "disconnect", "reason": "refresh_requested"}`.
`connections` and `opens` (every `apps.connections.open` call) are kept in order.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from tests.stand_ins.slack_api import Call, SlackApiStub, serving_in_thread
from tests.stand_ins.slack_payloads import API_APP

Json = dict[str, Any]
ENVELOPE_TYPES = ("events_api", "slash_commands", "interactive")
HOST = "applink-test-0"
ACK_SECONDS = 5.0


class NotConnected(RuntimeError):
    """There is no open Socket Mode connection to send on."""


class NoAck(TimeoutError):
    """The client did not ack an envelope in time."""


@dataclass
class Connection:
    """One WebSocket a client opened with a ticket, and every message it sent on it."""

    number: int
    ticket: str
    token: str
    hello: Json
    received: list[Json] = field(default_factory=list)
    closed: bool = False
    _socket: web.WebSocketResponse | None = field(default=None, repr=False)


class SocketModeServer:
    """The server's state; its methods are safe to call from the test's thread."""

    def __init__(self, stub: SlackApiStub, app_id: str = API_APP) -> None:
        self.stub = stub
        self.app_id = app_id
        self.url = ""
        self.opens: list[Call] = []
        self._connections: list[Connection] = []
        self._tickets: dict[str, str] = {}
        self._acks: dict[str, Json] = {}
        self._changed = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def api_url(self) -> str:
        """The Web API base URL: `SLACK_API_URL`, or `AsyncWebClient(base_url=...)`."""
        return f"{self.url}/api/"

    @property
    def connections(self) -> list[Connection]:
        with self._changed:
            return list(self._connections)

    def open_connections(self) -> list[Connection]:
        with self._changed:
            return [c for c in self._connections if not c.closed]

    # Waiting, without fixed sleeps

    def wait(self, condition: Callable[[], bool], timeout: float = ACK_SECONDS) -> bool:
        """Whether `condition()` (checked on every change of connections or acks) came true."""
        with self._changed:
            return self._changed.wait_for(condition, timeout)

    def connected(self, timeout: float = ACK_SECONDS, count: int = 1) -> bool:
        """Whether, within `timeout`, `count` connections were made and one is open (hello sent)."""

        def ready() -> bool:
            made = self._connections
            return len(made) >= count and any(not c.closed for c in made)

        return self.wait(ready, timeout)

    # Sending

    def send(
        self,
        type: str,
        payload: Json,
        accepts_response_payload: bool = True,
        timeout: float = ACK_SECONDS,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> Json:
        """Send an envelope on the newest open connection; the client's ack to it."""
        if type not in ENVELOPE_TYPES:
            raise ValueError(f"Slack sends envelopes of type {ENVELOPE_TYPES}, not {type!r}")
        envelope_id = str(uuid.uuid4())
        envelope: Json = {
            "envelope_id": envelope_id,
            "type": type,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if type == "events_api":
            envelope.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        connection = self._newest_open()
        self._send_on(connection, envelope)
        if not self.wait(lambda: envelope_id in self._acks, timeout):
            raise NoAck(
                f"no ack for {type} envelope {envelope_id} in {timeout}s; "
                f"connection {connection.number} received {connection.received}"
            )
        with self._changed:
            return self._acks[envelope_id]

    def request_refresh(self) -> list[Connection]:
        """Ask every open connection to reconnect, as Slack does; the connections asked."""
        asked = self.open_connections()
        for connection in asked:
            disconnect = {"type": "disconnect", "reason": "refresh_requested"}
            self._send_on(connection, {**disconnect, "debug_info": {"host": HOST}})
        return asked

    def _newest_open(self) -> Connection:
        open_now = self.open_connections()
        if not open_now:
            raise NotConnected(f"no open Socket Mode connection (made: {len(self.connections)})")
        return open_now[-1]

    def _send_on(self, connection: Connection, message: Json) -> None:
        socket, loop = connection._socket, self._loop
        if socket is None or loop is None:
            raise NotConnected(f"connection {connection.number} is not open")
        text = json.dumps(message)
        asyncio.run_coroutine_threadsafe(socket.send_str(text), loop).result(ACK_SECONDS)

    # HTTP and WebSocket (on the server's loop)

    def app(self) -> web.Application:
        """The stub's app with `apps.connections.open` in front of it and `/link/` added."""
        app = self.stub.app()
        app.middlewares.append(self._connections_open)
        app.router.add_get("/link/", self._link)
        app.on_shutdown.append(self._close_all)
        return app

    @web.middleware
    async def _connections_open(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if request.method != "POST" or request.path != "/api/apps.connections.open":
            return await handler(request)
        token = _bearer(request.headers.get("Authorization", ""))
        call = Call("apps.connections.open", dict(request.query), token)
        ticket = secrets.token_urlsafe(16)
        url = f"ws://127.0.0.1:{request.url.port}/link/?ticket={ticket}"
        call.response = {"ok": True, "url": url}
        if token is None:
            call.response = {"ok": False, "error": "not_authed"}
        elif token.startswith("xox"):
            call.response = {"ok": False, "error": "not_allowed_token_type"}
        elif not token.startswith("xapp-"):
            call.response = {"ok": False, "error": "invalid_auth"}
        with self._changed:
            if token is not None and call.ok:
                self._tickets[ticket] = token
            self.opens.append(call)
            self._changed.notify_all()
        return web.json_response(call.response)

    async def _link(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        with self._changed:
            token = self._tickets.pop(ticket, None)
        if token is None:
            raise web.HTTPUnauthorized(text="unknown or used ticket")
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        with self._changed:
            live = 1 + sum(not c.closed for c in self._connections)
        hello = {
            "type": "hello",
            "num_connections": live,
            "debug_info": {"host": HOST, "build_number": 1, "approximate_connection_time": 3600},
            "connection_info": {"app_id": self.app_id},
        }
        await socket.send_json(hello)
        with self._changed:
            connection = Connection(len(self._connections) + 1, ticket, token, hello)
            connection._socket = socket
            self._connections.append(connection)
            self._changed.notify_all()
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    self._received(connection, message.data)
        finally:
            with self._changed:
                connection.closed = True
                connection._socket = None
                self._changed.notify_all()
        return socket

    def _received(self, connection: Connection, text: str) -> None:
        try:
            message = json.loads(text)
        except ValueError:
            message = {"unparsed": text}
        if not isinstance(message, dict):
            message = {"unparsed": text}
        with self._changed:
            connection.received.append(message)
            envelope_id = message.get("envelope_id")
            if isinstance(envelope_id, str):
                self._acks.setdefault(envelope_id, message)
            self._changed.notify_all()

    async def _close_all(self, app: web.Application) -> None:
        for connection in self.open_connections():
            if connection._socket is not None:
                await connection._socket.close(code=WSCloseCode.GOING_AWAY)


def _bearer(header: str) -> str | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


@contextmanager
def running_socket_mode(app_id: str = API_APP) -> Iterator[SocketModeServer]:
    """Socket Mode and the Web API stub on 127.0.0.1, from their own thread and loop."""
    server = SocketModeServer(SlackApiStub(), app_id)
    with serving_in_thread(server.app(), "slack-socket-mode", shutdown_timeout=5) as (
        port,
        loop,
    ):
        server.url = server.stub.url = f"http://127.0.0.1:{port}"
        server._loop = loop
        yield server
