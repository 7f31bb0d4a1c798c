"""Concord's Slack adapter against a third-party Slack Web API emulator (npm `emulate`).

In process: the engine runs a poll in a Slack channel the emulator knows and the
outbox delivers it through the real `SlackPort` and Block Kit renderer. End to
end: `concord serve` gets signed slash commands and a signed button click on
`/slack/events`, as Slack would send them, and posts to the emulator. Either way
the test reads the channel back from the emulator with `conversations.history`,
as a person would see it in Slack.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.port import SLACK_LIMITS, SlackPort
from adapters.slack.render import render_message
from dialogs.core.cards import Card
from dialogs.core.events import Actor, Place
from tests.stand_ins.slack_emulator import TEAM, TOKEN, USER, history, new_channel, running_emulator
from tests.stand_ins.slack_payloads import button_click, slash_command
from tests.support.conversation import Conversation, poll_buttons
from tests.support.processes import LOCAL, Server
from tests.support.slack_messages import vote_counts

ASHA = Actor("slack", TEAM, USER, "Asha")
SIGNING_SECRET = "emulated-signing-secret"
DEADLINE_SECONDS = 20
POLL_INTERVAL_SECONDS = 0.1


class RecordingSlackPort(SlackPort):
    """The real port, remembering the last card it delivered for each message ts."""

    def __init__(self, api_url: str) -> None:
        super().__init__(lambda team: TOKEN if team == TEAM else None, api_url=api_url)
        self.cards: dict[str, Card] = {}

    async def post(self, place: Place, delivery: dict[str, Any], card: Card) -> str:
        ts = await super().post(place, delivery, card)
        self.cards[ts] = card
        return ts

    async def update(self, place: Place, delivery: dict[str, Any], ref: str, card: Card) -> None:
        await super().update(place, delivery, ref, card)
        self.cards[ref] = card


@dataclass
class Workspace:
    """Concord's engine and outbox delivering to the emulator, in a channel of its own."""

    api_url: str
    chat: Conversation
    port: RecordingSlackPort
    place: Place

    def says(self, text: str) -> str:
        return self.chat.says(ASHA, self.place, text)

    def clicks(self, action: str) -> str:
        return self.chat.clicks(ASHA, self.place, action)

    def waits_for_the_poll_to_re_render(self) -> None:
        """Poll edits are coalesced: one re-render per window per channel."""
        self.chat.clock.advance(seconds=SLACK_LIMITS.coalesce_seconds)
        self.chat.deliver()

    def polls(self) -> list[dict[str, Any]]:
        """The channel's poll messages as Slack (the emulator) keeps them."""
        messages = history(self.api_url, self.place.channel_id)
        return [m for m in messages if any(b["type"] == "actions" for b in m.get("blocks", []))]


def vote_buttons(message: dict[str, Any]) -> dict[str, str]:
    """Label → value of the vote buttons on a poll message, as Slack stores them."""
    return {
        element["text"]["text"]: element["value"]
        for block in message.get("blocks", [])
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button" and element["value"].startswith("vote:")
    }


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_emulator(tmp_path_factory.mktemp("emulate")) as api_url:
        yield api_url


@pytest.fixture
def slack(emulator: str, sqlite_database, clock) -> Iterator[Workspace]:
    chat = Conversation(sqlite_database, clock)
    port = RecordingSlackPort(emulator)
    chat.dispatcher.platforms["slack"] = port
    yield Workspace(emulator, chat, port, Place("slack", TEAM, new_channel(emulator)))
    chat.close()


def test_a_poll_posted_to_slack_reads_back_as_it_was_rendered(slack):
    slack.says('setup "North"')
    slack.says('poll "Lunch?" "Soup" "Salad"')

    [message] = slack.polls()
    card = slack.port.cards[message["ts"]]
    sent = render_message(card, public_url="")
    assert message["text"] == sent["text"] == card.fallback
    assert message["blocks"] == sent["blocks"]
    assert [b["text"]["text"] for b in message["blocks"] if b["type"] == "header"] == ["Lunch?"]
    assert list(vote_buttons(message)) == ["Soup", "Salad"]
    assert vote_buttons(message) == poll_buttons(card)
    assert vote_counts(message) == {"Soup": 0, "Salad": 0}


def test_a_vote_updates_the_poll_message_in_slack_in_place(slack):
    slack.says('setup "North"')
    slack.says('poll "Lunch?" "Soup" "Salad"')
    [posted] = slack.polls()

    slack.clicks(vote_buttons(posted)["Soup"])
    slack.waits_for_the_poll_to_re_render()

    [updated] = slack.polls()
    assert updated["ts"] == posted["ts"] and "edited" in updated
    assert updated["blocks"] != posted["blocks"]
    card = slack.port.cards[posted["ts"]]
    assert updated["blocks"] == render_message(card, public_url="")["blocks"]
    assert vote_counts(updated) == {"Soup": 1, "Salad": 0}
    assert "Soup (leading)" in json.dumps(updated["blocks"], ensure_ascii=False)


# End to end: `concord serve` behind /slack/events, posting to the emulator.


@pytest.fixture
def concord(emulator: str, tmp_path: Path) -> Iterator[Server]:
    server = Server(
        tmp_path,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_API_URL=emulator,
    )
    try:
        server.wait_until_healthy()
        yield server
    finally:
        server.stop()


def signed_post(server: Server, body: str) -> tuple[int, bytes]:
    """POST a form body to /slack/events signed as Slack signs it (v0, HMAC-SHA256)."""
    timestamp = str(int(time.time()))
    base = f"v0:{timestamp}:{body}".encode()
    signature = "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    request = urllib.request.Request(
        server.url + "/slack/events",
        data=body.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature,
        },
        method="POST",
    )
    try:
        with LOCAL.open(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def slash(server: Server, channel: str, text: str) -> dict[str, Any]:
    """`/concord text` typed in `channel`; the acknowledgement's JSON (the private reply)."""
    form = slash_command(text, team_id=TEAM, channel_id=channel, user_id=USER, user_name="admin")
    status, answer = signed_post(server, urllib.parse.urlencode(form))
    assert status == 200, (status, answer, server.errors())
    return json.loads(answer) if answer else {}


def click(server: Server, channel: str, message: dict[str, Any], label: str) -> None:
    """A click on the button `label` of `message`, with what the emulator stored for it."""
    [button] = [
        element
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button" and element["text"]["text"] == label
    ]
    payload = button_click(
        button["value"],
        action_id=button["action_id"],
        team_id=TEAM,
        user={"id": USER, "username": "admin", "name": "admin", "team_id": TEAM},
        container={"type": "message", "message_ts": message["ts"], "channel_id": channel},
        channel={"id": channel, "name": "test"},
        message=message,
    )
    body = urllib.parse.urlencode({"payload": json.dumps(payload)})
    status, answer = signed_post(server, body)
    assert status == 200, (status, answer, server.errors())


def wait_for(what: str, found: Callable[[], Any], server: Server) -> Any:
    """`found()` once it is truthy, polling until DEADLINE_SECONDS have passed."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if result := found():
            return result
        time.sleep(POLL_INTERVAL_SECONDS)
    raise AssertionError(f"{what} did not happen in {DEADLINE_SECONDS}s:\n{server.errors()}")


def test_a_vote_clicked_in_slack_shows_on_the_poll_message(emulator, concord):
    channel = new_channel(emulator)

    assert "North" in json.dumps(slash(concord, channel, 'setup "North"'))
    slash(concord, channel, 'poll "Lunch?" "Soup" "Salad"')

    def lunch_poll() -> dict[str, Any] | None:
        polls = [m for m in history(emulator, channel) if "Lunch?" in json.dumps(m)]
        return polls[0] if polls and vote_buttons(polls[0]) else None

    posted = wait_for("the poll's post", lunch_poll, concord)
    assert vote_counts(posted) == {"Soup": 0, "Salad": 0}

    click(concord, channel, posted, "Soup")

    def voted() -> dict[str, Any] | None:
        message = lunch_poll()
        return message if message and vote_counts(message) == {"Soup": 1, "Salad": 0} else None

    updated = wait_for("the poll's update to 1 vote", voted, concord)
    assert updated["ts"] == posted["ts"] and "edited" in updated
    polls = [m["ts"] for m in history(emulator, channel) if "Lunch?" in json.dumps(m)]
    assert polls == [posted["ts"]], "the vote edited the poll; it posted nothing new"
