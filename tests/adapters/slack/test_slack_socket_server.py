"""The local Socket Mode server (tests/slack_socket.py) speaks Slack's protocol to slack_sdk.

slack_sdk's own `SocketModeClient` (aiohttp) opens a URL with `apps.connections.open`,
connects, takes envelopes and acks them, and reconnects when asked to refresh, all
through one Web API base URL that also reaches the Web API stub.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from tests.stand_ins.slack_payloads import API_APP, CHANNEL, slash_command
from tests.stand_ins.slack_socket import NoAck, NotConnected, SocketModeServer, running_socket_mode

APP_TOKEN = "xapp-1-A0KRD7HC3-1-test"
SECONDS = 5.0


@pytest.fixture(scope="module")
def running() -> Iterator[SocketModeServer]:
    with running_socket_mode() as server:
        yield server


@pytest.fixture
def server(running: SocketModeServer, monkeypatch: pytest.MonkeyPatch) -> SocketModeServer:
    # slack_sdk reads a proxy from the environment and ignores NO_PROXY: stay on loopback.
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    running.stub.reset()
    return running


class Listener:
    """Acks every request as Bolt does, with `{"text": …}` for slash commands."""

    def __init__(self) -> None:
        self.requests: list[SocketModeRequest] = []
        self.messages: list[dict] = []

    async def on_message(
        self, client: AsyncBaseSocketModeClient, message: dict, raw: str | None
    ) -> None:
        self.messages.append(message)

    async def on_request(
        self, client: AsyncBaseSocketModeClient, request: SocketModeRequest
    ) -> None:
        self.requests.append(request)
        payload = {"text": f"got {request.payload.get('text')}"}
        await client.send_socket_mode_response(SocketModeResponse(request.envelope_id, payload))


@pytest.fixture
async def listener(server: SocketModeServer) -> AsyncIterator[Listener]:
    listening = Listener()
    client = socket_client(server)
    client.message_listeners.append(listening.on_message)
    client.socket_mode_request_listeners.append(listening.on_request)
    await client.connect()
    try:
        yield listening
    finally:
        await client.close()
        await asyncio.to_thread(server.wait, lambda: not server.open_connections(), SECONDS)


def socket_client(server: SocketModeServer) -> SocketModeClient:
    web = AsyncWebClient(base_url=server.api_url)
    return SocketModeClient(app_token=APP_TOKEN, web_client=web, ping_interval=1)


def web_client(server: SocketModeServer, token: str) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=server.api_url)


async def test_connections_open_wants_the_app_level_token(server):
    answer = await web_client(server, "").apps_connections_open(app_token=APP_TOKEN)
    assert answer["url"].startswith(f"ws://127.0.0.1:{server.url.rsplit(':', 1)[1]}/link/?ticket=")
    refusals = {}
    for token in ("xoxb-test", "not-a-token"):
        with pytest.raises(SlackApiError) as refused:
            await web_client(server, "").apps_connections_open(app_token=token)
        refusals[token] = refused.value.response["error"]
    assert refusals == {"xoxb-test": "not_allowed_token_type", "not-a-token": "invalid_auth"}
    assert [(c.token, c.ok) for c in server.opens[-3:]] == [
        (APP_TOKEN, True),
        ("xoxb-test", False),
        ("not-a-token", False),
    ]


async def test_a_ticket_opens_one_connection(server):
    url = (await web_client(server, "").apps_connections_open(app_token=APP_TOKEN))["url"]
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url) as socket:
            hello = await socket.receive_json(timeout=SECONDS)
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(url)
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await session.ws_connect(f"{server.url}/link/?ticket=made-up")
    assert refused.value.status == 401
    assert hello["type"] == "hello"
    assert hello["connection_info"] == {"app_id": API_APP}
    assert hello["num_connections"] >= 1 and hello["debug_info"]["host"]


async def test_slash_command_envelope_is_acked_with_a_payload(server, listener):
    assert await asyncio.to_thread(server.connected, SECONDS)
    command = slash_command("help")
    ack = await asyncio.to_thread(server.send, "slash_commands", command)
    assert set(ack) == {"envelope_id", "payload"}
    assert ack["payload"] == {"text": "got help"}
    [request] = listener.requests
    assert (request.type, request.envelope_id) == ("slash_commands", ack["envelope_id"])
    assert request.payload == command and request.accepts_response_payload is True
    assert listener.messages[0]["type"] == "hello"
    assert server.connections[-1].received == [ack]


async def test_events_api_envelopes_carry_retry_fields(server, listener):
    assert await asyncio.to_thread(server.connected, SECONDS)
    event = {"type": "event_callback", "event": {"type": "app_mention", "text": "hi"}}
    ack = await asyncio.to_thread(server.send, "events_api", event, False)
    envelope = listener.messages[-1]
    assert envelope["envelope_id"] == ack["envelope_id"]
    assert (envelope["retry_attempt"], envelope["retry_reason"]) == (0, "")
    assert envelope["accepts_response_payload"] is False


async def test_refresh_leads_to_a_new_connection(server, listener):
    assert await asyncio.to_thread(server.connected, SECONDS)
    before = len(server.connections)
    opens = len(server.opens)
    [asked] = await asyncio.to_thread(server.request_refresh)
    assert await asyncio.to_thread(server.connected, SECONDS, before + 1)
    assert await asyncio.to_thread(server.wait, lambda: asked.closed, SECONDS)
    assert len(server.opens) == opens + 1 and server.opens[-1].ok
    assert [c.number for c in server.open_connections()] == [before + 1]
    ack = await asyncio.to_thread(server.send, "slash_commands", slash_command("after"))
    assert ack["payload"] == {"text": "got after"}
    assert server.connections[-1].received == [ack]


async def test_the_same_base_url_reaches_the_web_api_stub(server):
    posted = await web_client(server, "xoxb-test").chat_postMessage(channel=CHANNEL, text="hi")
    assert posted["ok"] and [c.method for c in server.stub.calls] == ["chat.postMessage"]
    assert server.stub.messages[(CHANNEL, posted["ts"])]["text"] == "hi"


async def test_send_fails_fast_without_a_connection_or_an_ack(server):
    assert await asyncio.to_thread(server.wait, lambda: not server.open_connections(), SECONDS)
    with pytest.raises(NotConnected):
        server.send("slash_commands", slash_command("help"))
    client = socket_client(server)  # no listeners: it never acks
    await client.connect()
    try:
        assert await asyncio.to_thread(server.connected, SECONDS)
        with pytest.raises(NoAck):
            await asyncio.to_thread(
                server.send, "interactive", {"type": "block_actions"}, True, 0.3
            )
    finally:
        await client.close()
    with pytest.raises(ValueError):
        server.send("message", {})
