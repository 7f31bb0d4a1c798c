"""Slow and stalled clients, on real sockets, against the app served as `concord serve` serves
it (`bot.app.app_runner`), with deadlines of a fraction of a second so nothing waits long.

What a person sees: the 408 or 503 and its words, how soon the connection closes, and the one
log line each refusal leaves (never a traceback).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

import pytest
from aiohttp import web

from bot.app import app_runner, create_app
from bot.settings import ConfigError, load_settings
from tests.support.processes import SETTING_NAMES, Server, free_port

DEADLINE = 0.3  # seconds, for the head and for the body
PATIENCE = 5.0  # how long a test waits for an answer before it fails
STALLED_BODY = (
    b"POST /api/messages HTTP/1.1\r\nHost: concord\r\nContent-Type: application/json\r\n"
    b"Content-Length: 1000\r\n\r\n{"
)


@pytest.fixture
def serve(monkeypatch, tmp_path, sqlite_template, caplog):
    """Serve the app on `host` with these settings; yields its port."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    shutil.copy(sqlite_template, tmp_path / "concord.db")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'concord.db'}")
    caplog.set_level(logging.INFO)

    @asynccontextmanager
    async def serving(host: str = "127.0.0.1", **settings: object) -> AsyncIterator[int]:
        # Teams in local mode, so that /api/messages exists and reads the bodies sent to it.
        limits = {
            "concord_header_timeout": DEADLINE,
            "concord_body_timeout": DEADLINE,
            "concord_teams_local": True,
        }
        runner = app_runner(create_app(load_settings(**{**limits, **settings})))
        await runner.setup()
        port = free_port()
        try:
            await web.TCPSite(runner, host, port).start()
            caplog.clear()  # the start-up lines
            yield port
        finally:
            await runner.cleanup()

    return serving


async def connect(port: int, host: str = "127.0.0.1", source: str | None = None):
    local = (source, 0) if source else None
    return await asyncio.open_connection(host, port, local_addr=local)


async def until_closed(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sends until it closes the connection."""
    return await asyncio.wait_for(reader.read(), PATIENCE)


async def timed(answer: Awaitable[bytes]) -> tuple[bytes, float]:
    start = time.monotonic()
    return await answer, time.monotonic() - start


def lines(caplog: pytest.LogCaptureFixture, level: int = logging.INFO) -> list[str]:
    """What the server said about requests and connections (not the scheduler stopping)."""
    about_http = ("aiohttp", "bot.")
    records = caplog.records
    return [r.getMessage() for r in records if r.levelno >= level and r.name.startswith(about_http)]


def no_traceback(caplog: pytest.LogCaptureFixture) -> bool:
    return not any(r.exc_info or r.levelno >= logging.ERROR for r in caplog.records)


async def test_a_body_that_never_arrives_gets_408_and_the_connection_closes(serve, caplog):
    async with serve() as port:
        reader, writer = await connect(port)
        writer.write(STALLED_BODY)

        answer, waited = await timed(until_closed(reader))

    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert b'{"error": "The request\'s body did not arrive within 0.3 s."}' in answer
    assert b"Connection: close" in answer
    assert DEADLINE <= waited < DEADLINE + 1
    assert lines(caplog)[-1] == "POST /api/messages 408: the body did not arrive in time"
    assert no_traceback(caplog)


async def test_a_body_read_as_a_stream_has_the_same_deadline(serve, caplog):
    """The playground reads its bodies chunk by chunk, not with request.read()."""
    async with serve() as port:
        reader, writer = await connect(port)
        writer.write(STALLED_BODY.replace(b"/api/messages", b"/playground/api/command"))

        answer = await until_closed(reader)

    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert no_traceback(caplog)


async def test_a_slow_body_within_the_deadline_is_served(serve):
    async with serve() as port:
        reader, writer = await connect(port)
        body = b'{"confirm": false}'
        writer.write(
            b"POST /playground/api/reset HTTP/1.1\r\nHost: concord\r\nConnection: close\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
        )
        writer.write(body[:5])
        await asyncio.sleep(DEADLINE / 2)
        writer.write(body[5:])

        answer = await until_closed(reader)

    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"send confirm: true" in answer


async def test_headers_that_never_finish_get_408_and_one_line(serve, caplog):
    async with serve() as port:
        reader, writer = await connect(port)
        writer.write(b"POST /api/messages HTTP/1.1\r\nHost: concord\r\n")

        answer, waited = await timed(until_closed(reader))

    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert b"The request's headers did not arrive within 0.3 s." in answer
    assert DEADLINE <= waited < DEADLINE + 1
    assert lines(caplog)[-1] == "closed a connection whose request head did not arrive within 0.3 s"
    assert no_traceback(caplog)


async def test_the_next_request_on_a_kept_alive_connection_has_a_head_deadline_too(serve):
    async with serve() as port:
        reader, writer = await connect(port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: concord\r\n\r\n")
        first = await asyncio.wait_for(reader.readuntil(b'{"status": "ok"}'), PATIENCE)
        await asyncio.sleep(DEADLINE * 1.5)  # idle between requests: no deadline runs
        writer.write(b"GET /healthz HTTP/1.1\r\n")

        answer = await until_closed(reader)

    assert first.startswith(b"HTTP/1.1 200 OK\r\n")
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")


async def test_the_rest_of_a_body_left_unread_is_not_taken_for_a_stalled_head(serve, caplog):
    async with serve() as port:
        reader, writer = await connect(port)
        writer.write(b"POST /healthz HTTP/1.1\r\nHost: concord\r\nContent-Length: 10\r\n\r\n")
        refused = await asyncio.wait_for(reader.readuntil(b"}"), PATIENCE)  # 405, body unread
        writer.write(b"0123456789")  # the body, after the answer
        await asyncio.sleep(DEADLINE * 2)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: concord\r\nConnection: close\r\n\r\n")

        answer = await until_closed(reader)

    assert refused.startswith(b"HTTP/1.1 405 Method Not Allowed\r\n")
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert not [line for line in lines(caplog) if "head" in line]


async def test_a_connection_that_sends_nothing_is_closed_without_a_word(serve, caplog):
    async with serve() as port:
        reader, _writer = await connect(port)

        answer, waited = await timed(until_closed(reader))

    assert answer == b""
    assert waited < DEADLINE + 1
    assert not [line for line in lines(caplog) if "connection" in line]


async def test_a_client_that_hangs_up_mid_body_leaves_one_line_and_no_traceback(serve, caplog):
    async with serve() as port:
        hang_ups = 20
        for _ in range(hang_ups):
            _reader, writer = await connect(port)
            writer.write(STALLED_BODY)
            await writer.drain()
            await asyncio.sleep(0.02)  # the server has the head and waits for the body
            writer.close()
        await asyncio.sleep(0.3)

    said = "POST /api/messages 499: the client closed the connection mid-request"
    assert lines(caplog).count(said) == hang_ups
    assert len(lines(caplog)) == hang_ups
    assert no_traceback(caplog)


async def test_connections_beyond_the_total_cap_get_503_and_one_line_each(serve, caplog):
    async with serve(concord_max_connections=3, concord_max_connections_per_peer=2) as port:
        held = [await connect(port) for _ in range(3)]  # loopback: the per-peer cap is not theirs
        await asyncio.sleep(0.1)

        refused, _ = await connect(port)
        answer = await until_closed(refused)

        held[0][1].close()
        await asyncio.sleep(0.1)
        reader, writer = await connect(port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: concord\r\nConnection: close\r\n\r\n")
        served = await until_closed(reader)

    assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    assert b"Concord is busy: try again in a moment." in answer
    assert lines(caplog, logging.WARNING) == [
        "refused a connection: 3 connections are open (CONCORD_MAX_CONNECTIONS)"
    ]
    assert served.startswith(b"HTTP/1.1 200 OK\r\n")


def _address_beyond_loopback() -> str | None:
    """This machine's address on its way out (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


async def test_one_peer_cannot_take_more_than_its_share(serve, caplog):
    address = _address_beyond_loopback()
    if address is None:
        pytest.skip("this machine has no address beyond loopback to be a remote peer from")
    async with serve("0.0.0.0", concord_max_connections_per_peer=2) as port:
        held = [await connect(port, address, source=address) for _ in range(2)]
        await asyncio.sleep(0.1)

        refused, _ = await connect(port, address, source=address)
        answer = await until_closed(refused)
        reader, writer = await connect(port)  # another peer (this machine) still gets in
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: concord\r\nConnection: close\r\n\r\n")
        served = await until_closed(reader)

    assert len(held) == 2
    assert answer.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
    assert lines(caplog, logging.WARNING) == [
        "refused a connection: 2 connections from this peer are open "
        "(CONCORD_MAX_CONNECTIONS_PER_PEER)"
    ]
    assert served.startswith(b"HTTP/1.1 200 OK\r\n")


def test_concord_serve_itself_cuts_off_a_stalled_body_and_logs_one_line(tmp_path):
    server = Server(
        tmp_path,
        CONCORD_BODY_TIMEOUT=str(DEADLINE),
        CONCORD_HEADER_TIMEOUT="2",
        CONCORD_TEAMS_LOCAL="true",
    )
    try:
        server.wait_until_healthy()
        with socket.create_connection(("127.0.0.1", server.port), timeout=PATIENCE) as client:
            client.sendall(STALLED_BODY)
            answer = client.recv(4096)
            closed = client.recv(1) == b""
    finally:
        server.stop()

    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert closed
    log = server.log()
    assert [e["msg"] for e in log if e["logger"] == "aiohttp.access"] == [
        "POST /api/messages 408: the body did not arrive in time"
    ]
    assert not [e for e in log if "exc" in e or e["level"] == "ERROR"]


@pytest.mark.parametrize(
    ("setting", "value", "said"),
    [
        ("CONCORD_BODY_TIMEOUT", "0", "CONCORD_BODY_TIMEOUT: '0': input should be greater than 0"),
        ("CONCORD_MAX_CONNECTIONS", "0", "CONCORD_MAX_CONNECTIONS: '0': input should be greater"),
        ("CONCORD_MAX_CONNECTIONS_PER_PEER", "-1", "CONCORD_MAX_CONNECTIONS_PER_PEER: '-1': "),
    ],
)
def test_a_deadline_or_cap_that_cannot_work_stops_start_up(
    monkeypatch, tmp_path, setting, value, said
):
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv(setting, value)

    with pytest.raises(ConfigError) as refused:
        load_settings()

    assert str(refused.value).startswith(said)


@pytest.mark.parametrize(
    "request_head",
    [
        b"GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n",
        b"POST /api/messages HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nX: " + b"a" * 70_000 + b"\r\n\r\n",
        b"GET /\x00 HTTP/1.1\r\n\r\n",
    ],
    ids=["header-without-colon", "length-not-a-number", "header-too-long", "nul-in-path"],
)
async def test_a_request_aiohttp_cannot_parse_gets_400_and_one_line(serve, caplog, request_head):
    async with serve() as port:
        reader, writer = await connect(port)
        writer.write(request_head)

        answer = await until_closed(reader)

    assert answer.startswith((b"HTTP/1.0 400 Bad Request\r\n", b"HTTP/1.1 400 Bad Request\r\n"))
    assert len([line for line in lines(caplog) if "malformed HTTP request" in line]) == 1
    assert no_traceback(caplog)
