"""`concord serve` over Slack Socket Mode, end to end against a local Slack.

Concord runs as a real subprocess with an app-level token (`SLACK_APP_TOKEN=xapp-…`)
and `SLACK_API_URL` pointing at tests/slack_socket.py, which is both Slack's Web API
stub and its Socket Mode service: Concord opens a WebSocket there, and the test
plays Slack, sending slash commands and button clicks as Socket Mode envelopes and
checking that each is acknowledged within Slack's 3 s and that the poll message is
posted with `chat.postMessage` and updated with `chat.update`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.stand_ins.slack_payloads import CHANNEL, block_actions, slash_command
from tests.stand_ins.slack_socket import SocketModeServer, running_socket_mode
from tests.support.processes import START_DEADLINE_SECONDS, Server
from tests.support.slack_messages import vote_counts

SLACK_ACK_SECONDS = 3.0  # Slack's deadline for an acknowledgement
DELIVERY_SECONDS = 15.0  # outbox delivery, poll updates coalesced (3 s a channel on Slack)
T = TypeVar("T")


@pytest.fixture(scope="module")
def slack() -> Iterator[SocketModeServer]:
    with running_socket_mode() as server:
        yield server


@pytest.fixture
def concord(slack: SocketModeServer, tmp_path: Path) -> Iterator[Server]:
    """Concord in Socket Mode, connected to `slack`; stopped before `slack` closes."""
    slack.stub.reset()
    before = len(slack.connections)
    server = Server(
        tmp_path,
        SLACK_APP_TOKEN="xapp-test",
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="whatever",
        SLACK_API_URL=slack.api_url,
        CONCORD_PLAYGROUND="false",
        # slack_sdk takes a proxy from these and ignores NO_PROXY; empty means none.
        HTTPS_PROXY="",
        HTTP_PROXY="",
        https_proxy="",
        http_proxy="",
    )
    try:
        server.wait_until_healthy()
        if not slack.connected(START_DEADLINE_SECONDS, count=before + 1):
            pytest.fail(f"concord serve never opened a Socket Mode connection:\n{server.errors()}")
        yield server
    finally:
        server.stop()


def eventually(read: Callable[[], T | None], seconds: float, what: str, server: Server) -> T:
    """`read()`'s first truthy value, polled for at most `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = read()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"{what} did not happen in {seconds}s:\n{server.errors()}")


def command(slack: SocketModeServer, text: str) -> dict[str, Any]:
    """A `/concord` command over Socket Mode; the payload of its acknowledgement."""
    ack = slack.send("slash_commands", slash_command(text), timeout=SLACK_ACK_SECONDS)
    return ack.get("payload") or {}


def vote_buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Label → the vote button (with its `block_id`) on a poll message."""
    return {
        element["text"]["text"]: {**element, "block_id": block.get("block_id", "")}
        for block in message.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button" and element["value"].startswith("vote:")
    }


def click(button: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    """The `block_actions` payload Slack sends when Asha clicks `button` on `message`."""
    action = {
        "action_id": button["action_id"],
        "block_id": button["block_id"],
        "text": button["text"],
        "value": button["value"],
        "type": "button",
        "action_ts": "1700000200.000001",
    }
    container = {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": CHANNEL,
        "is_ephemeral": False,
    }
    return block_actions(action, container=container, message=message)


def test_a_poll_runs_over_socket_mode(slack, concord):
    setup = command(slack, 'setup "North"')
    assert setup.get("response_type") == "ephemeral"
    assert "North is set up" in setup.get("text", ""), setup

    command(slack, 'poll "Lunch?" "Soup" "Salad"')

    def poll_posted() -> dict[str, Any] | None:
        for call in slack.stub.calls_to("chat.postMessage"):
            if call.args.get("channel") == CHANNEL and vote_buttons(call.args):
                return call.response["message"]
        return None

    posted = eventually(poll_posted, DELIVERY_SECONDS, "the poll's chat.postMessage", concord)
    headers = [b["text"]["text"] for b in posted["blocks"] if b["type"] == "header"]
    assert headers == ["Lunch?"]
    assert list(vote_buttons(posted)) == ["Soup", "Salad"]
    assert vote_counts(posted) == {"Soup": 0, "Salad": 0}

    soup = vote_buttons(posted)["Soup"]
    ack = slack.send("interactive", click(soup, posted), timeout=SLACK_ACK_SECONDS)
    assert ack["envelope_id"] and not ack.get("payload")

    def poll_updated() -> dict[str, Any] | None:
        for call in slack.stub.calls_to("chat.update"):
            if call.args.get("ts") == posted["ts"] and vote_counts(call.args).get("Soup") == 1:
                return call.args
        return None

    updated = eventually(poll_updated, DELIVERY_SECONDS, "the poll's chat.update", concord)
    assert vote_counts(updated) == {"Soup": 1, "Salad": 0}
    assert slack.stub.messages[(CHANNEL, posted["ts"])]["blocks"] == updated["blocks"]
    assert not [c for c in slack.stub.calls if not c.ok], "every Web API call was accepted"


def test_concord_reconnects_when_slack_asks_for_a_refresh(slack, concord):
    before = len(slack.connections)
    [asked] = slack.request_refresh()
    assert slack.connected(SLACK_ACK_SECONDS * 3, count=before + 1), concord.errors()
    assert slack.wait(lambda: asked.closed, SLACK_ACK_SECONDS * 3), "the old socket was closed"
    assert [c.number for c in slack.open_connections()] == [before + 1]

    reply = command(slack, 'setup "North"')
    assert "North is set up" in reply.get("text", ""), reply
