"""Slow and stalled clients: deadlines for a request's head and body, caps on connections.

aiohttp waits as long as a client likes for a request's headers and for a body its
Content-Length announced, and accepts every connection the kernel hands it. Here:

- `GuardedHandler` (aiohttp's per-connection protocol) refuses a connection beyond the
  total cap or its peer's cap (a 503 and one log line) and closes a connection whose request
  head does not arrive within `head_timeout` seconds (a 408 if part of it came, one line);
- `deadlines` (the innermost middleware) gives the body `body_timeout` seconds from the head:
  whoever reads it then gets `BodyTimeout`, which `interrupted` turns into a 408 that closes
  the connection, as it turns a client that hung up mid-request into one quiet line.

Connections from this machine (loopback) count toward the total cap only: behind a reverse
proxy on the same host every client shares the proxy's address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

from aiohttp import StreamReader, web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.typedefs import Handler, Middleware
from aiohttp.web_protocol import RequestHandler

log = logging.getLogger(__name__)

CLIENT_CLOSED = 499  # nginx's number for a request whose client went away before the answer
# What the access log adds to the line of a request cut short: the one line it gets.
CUT_SHORT = {
    408: "the body did not arrive in time",
    CLIENT_CLOSED: "the client closed the connection mid-request",
}


@dataclass(frozen=True)
class ConnectionLimits:
    head_timeout: float
    body_timeout: float
    max_connections: int
    max_per_peer: int  # 0: no cap per peer


class BodyTimeout(TimeoutError):
    """The body did not arrive in time (a TimeoutError, which aiohttp's lingering close expects
    of a body it drains)."""


class ConnectionGuard:
    """The open connections, by peer: who may open another."""

    def __init__(self, limits: ConnectionLimits) -> None:
        self.limits = limits
        self._open: Counter[str] = Counter()

    def admit(self, peer: str) -> str | None:
        """Count a new connection from `peer` in, or say why it is refused."""
        limits = self.limits
        if self._open.total() >= limits.max_connections:
            return f"{limits.max_connections} connections are open (CONCORD_MAX_CONNECTIONS)"
        if (
            limits.max_per_peer
            and not _is_loopback(peer)
            and self._open[peer] >= limits.max_per_peer
        ):
            return (
                f"{limits.max_per_peer} connections from this peer are open "
                "(CONCORD_MAX_CONNECTIONS_PER_PEER)"
            )
        self._open[peer] += 1
        return None

    def release(self, peer: str) -> None:
        self._open[peer] -= 1
        if self._open[peer] <= 0:
            del self._open[peer]


class GuardedHandler(RequestHandler):
    """aiohttp's connection, admitted by the guard and closed when a request head stalls.

    The head deadline runs from the connection's start for its first request, and from the
    first byte of each later one; an idle keep-alive connection is aiohttp's to close
    (`keepalive_timeout`)."""

    def __init__(self, manager: web.Server, guard: ConnectionGuard, **kwargs: Any) -> None:
        super().__init__(manager, **kwargs)
        self._guard = guard
        self._peer: str | None = None  # set once admitted
        self._between_requests = True
        self._bytes_since_request = 0  # of the next request's head
        self._last_body: StreamReader | None = None  # the body of the request last handled
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = _peer_of(transport)
        refusal = self._guard.admit(peer)
        if refusal is not None:
            log.warning("refused a connection: %s", refusal, extra={"peer": peer})
            _answer_and_close(transport, 503, "Concord is busy: try again in a moment.")
            return
        self._peer = peer
        super().connection_made(transport)
        self._arm_head_timer()

    def data_received(self, data: bytes) -> None:
        if self._peer is None:
            return
        if data and self._between_requests and self._last_body_done():
            self._bytes_since_request += len(data)
            if self._head_timer is None:
                self._arm_head_timer()
        super().data_received(data)  # (aiohttp calls it with b"" itself, to parse what waits)

    def connection_lost(self, exc: BaseException | None) -> None:
        if self._peer is None:
            return
        self._disarm_head_timer()
        self._guard.release(self._peer)
        super().connection_lost(exc)

    def request_started(self) -> None:
        self._between_requests = False
        self._disarm_head_timer()

    def request_finished(self, body: StreamReader) -> None:
        """The handler is done; the rest of a body it left unread is not the next head."""
        self._between_requests = True
        self._bytes_since_request = 0
        self._last_body = body

    def log_exception(self, *args: Any, **kw: Any) -> None:
        """A request aiohttp can't parse gets aiohttp's 400 and one line, not a traceback."""
        error = kw.get("exc_info")
        if isinstance(error, HttpProcessingError) and error.code < 500:
            log.info(
                "refused a malformed HTTP request: %s", error.message, extra={"peer": self._peer}
            )
            return
        super().log_exception(*args, **kw)

    def _last_body_done(self) -> bool:
        return self._last_body is None or self._last_body.is_eof()

    def _arm_head_timer(self) -> None:
        loop = asyncio.get_running_loop()
        self._head_timer = loop.call_later(self._guard.limits.head_timeout, self._head_overdue)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_overdue(self) -> None:
        self._head_timer = None
        transport = self.transport
        if not self._between_requests or transport is None:
            return
        seconds = _seconds(self._guard.limits.head_timeout)
        if self._bytes_since_request:
            log.info(
                "closed a connection whose request head did not arrive within %s s",
                seconds,
                extra={"peer": self._peer},
            )
            if not transport.get_write_buffer_size():  # nothing of an answer is on its way
                _write(transport, 408, f"The request's headers did not arrive within {seconds} s.")
        else:
            log.debug("closed a connection that sent nothing for %s s", seconds)
        self.force_close()


class GuardedServer(web.Server):
    """aiohttp's server, whose connections are `GuardedHandler`s."""

    def __init__(self, handler: Any, *, guard: ConnectionGuard, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.guard = guard

    def __call__(self) -> RequestHandler:
        return GuardedHandler(self, self.guard, loop=self._loop, **self._kwargs)


class GuardedRunner(web.AppRunner):
    """An AppRunner whose server is a `GuardedServer` (for `concord serve` and gunicorn)."""

    def __init__(self, app: web.Application, guard: ConnectionGuard, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.guard = guard

    async def _make_server(self) -> web.Server:
        plain = await super()._make_server()  # the app started, its handler made
        return GuardedServer(
            plain.request_handler,
            guard=self.guard,
            request_factory=plain.request_factory,
            handler_cancellation=plain.handler_cancellation,
            loop=plain._loop,
            **plain._kwargs,  # the app's debug flag and handler_args, the runner's settings
        )


def deadlines(limits: ConnectionLimits) -> Middleware:
    """The middleware that starts each request's body deadline and tells its connection when a
    request is being handled (no head deadline runs meanwhile)."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        connection = request.protocol if isinstance(request.protocol, GuardedHandler) else None
        if connection is not None:
            connection.request_started()
        timer = _body_deadline(request.content, limits.body_timeout)
        try:
            return await handler(request)
        finally:
            if timer is not None:
                timer.cancel()
            if connection is not None:
                connection.request_finished(request.content)

    return middleware


def interrupted(request: web.Request, error: Exception) -> web.Response | None:
    """The answer to a request cut short by its client (a body too slow, a hang-up), else None.

    Each is one access-log line, saying why (`CUT_SHORT`); no traceback."""
    if isinstance(error, BodyTimeout):
        response = _json_response(408, str(error))
        response.force_close()
        return response
    if isinstance(error, ConnectionError) and _hung_up(request):
        return web.Response(status=CLIENT_CLOSED, reason="Client Closed Request")
    return None


def _body_deadline(payload: StreamReader, seconds: float) -> asyncio.TimerHandle | None:
    if payload.is_eof():
        return None

    def expire() -> None:
        if not payload.is_eof():
            payload.set_exception(
                BodyTimeout(f"The request's body did not arrive within {_seconds(seconds)} s.")
            )

    return asyncio.get_running_loop().call_later(seconds, expire)


def _hung_up(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


def _json_response(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _answer_and_close(transport: asyncio.BaseTransport, status: int, message: str) -> None:
    _write(transport, status, message)
    transport.close()


def _write(transport: asyncio.BaseTransport, status: int, message: str) -> None:
    """A whole HTTP/1.1 answer, written straight to a connection no request handler owns."""
    response = _json_response(status, message)
    body = response.body
    assert isinstance(body, bytes)
    head = (
        f"HTTP/1.1 {status} {response.reason}\r\n"
        f"Content-Type: application/json; charset=utf-8\r\nContent-Length: {len(body)}\r\n"
        "Connection: close\r\n\r\n"
    )
    # uvloop's transports are not asyncio.Transport subclasses; both write.
    cast(asyncio.Transport, transport).write(head.encode("ascii") + body)


def _peer_of(transport: asyncio.BaseTransport) -> str:
    peername = transport.get_extra_info("peername")
    return str(peername[0]) if isinstance(peername, tuple) and peername else "local"


def _is_loopback(peer: str) -> bool:
    try:
        address = ipaddress.ip_address(peer.split("%")[0])
    except ValueError:
        return peer == "local"  # a Unix socket
    # Listening on "::", an IPv4 client's address is IPv4-mapped (::ffff:127.0.0.1).
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return (mapped or address).is_loopback


def _seconds(value: float) -> str:
    return f"{value:g}"
