"""The Slack port against the local Slack Web API: posts, updates, private notes, errors."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_async_handlers
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.port import SLACK_LIMITS, SlackPort, delivery_error
from adapters.slack.render import render_message
from dialogs.core.cards import Actions, Button, Card, Heading, Text
from dialogs.core.events import Actor, CommandIssued, Place
from dialogs.core.ports import DeliveryError
from tests.stand_ins.slack_api import SlackApiStub, running_slack_api
from tests.support.conversation import Conversation

TOKEN = "xoxb-1111-secret-token"
TEAM = "T1"
PLACE = Place("slack", TEAM, "C1")
ANN = Actor("slack", TEAM, "U1", "Ann")
CARD = Card(
    blocks=[
        Heading(text="Lunch?"),
        Text(text="Pick one"),
        Actions(
            elements=[
                Button(label="Soup", action="vote:1:1"),
                Button(label="Salad", action="vote:1:2"),
            ]
        ),
    ],
    fallback="Poll: Lunch?",
)
CLOSED = Card(blocks=[Heading(text="Lunch? (closed)")], fallback="Lunch? (closed)")


@pytest.fixture(scope="module")
def stub() -> Iterator[SlackApiStub]:
    with running_slack_api() as running:
        yield running


@pytest.fixture
def api(stub: SlackApiStub) -> SlackApiStub:
    stub.reset()
    return stub


@pytest.fixture
def sleeps(monkeypatch) -> list[float]:
    """slack_sdk's rate-limit handler waits `Retry-After` (+ jitter); record instead of waiting."""
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    monkeypatch.setattr(builtin_async_handlers, "asyncio", SimpleNamespace(sleep=sleep))
    return waited


def port_for(api: SlackApiStub, token: str | None = TOKEN) -> SlackPort:
    return SlackPort(
        lambda team: token if team == TEAM else None, public_url="", api_url=api.url + "/api"
    )


def test_declares_slack_and_its_limits(api):
    port = port_for(api)
    assert port.platform == "slack" and port.limits is SLACK_LIMITS


async def test_post_returns_the_ts_and_sends_valid_blocks(api):
    ref = await port_for(api).post(PLACE, {}, CARD)
    [call] = api.calls
    assert call.method == "chat.postMessage" and call.ok and call.token == TOKEN
    assert call.response["ts"] == ref
    assert call.args["channel"] == "C1" and "thread_ts" not in call.args
    assert call.args["unfurl_links"] is False and call.args["unfurl_media"] is False
    assert call.args["blocks"] == render_message(CARD, public_url="")["blocks"]
    assert api.messages[("C1", ref)]["text"]


async def test_post_into_a_thread(api):
    await port_for(api).post(Place("slack", TEAM, "C1", "1700000000.000001"), {}, CARD)
    assert api.calls[0].args["thread_ts"] == "1700000000.000001"


async def test_update_edits_that_message(api):
    port = port_for(api)
    ref = await port.post(PLACE, {}, CARD)
    await port.update(PLACE, {}, ref, CLOSED)
    assert [c.method for c in api.calls] == ["chat.postMessage", "chat.update"]
    assert api.calls[1].ok and api.calls[1].args["ts"] == ref
    assert api.messages[("C1", ref)]["blocks"] == render_message(CLOSED, public_url="")["blocks"]


async def test_async_token_lookup_is_awaited(api):
    async def tokens(team: str) -> str | None:
        return TOKEN if team == TEAM else None

    port = SlackPort(tokens, api_url=api.url + "/api/")
    assert await port.post(PLACE, {}, CARD)
    assert api.calls[0].token == TOKEN


async def test_notify_in_a_place_is_ephemeral(api):
    await port_for(api).notify(ANN, PLACE, {}, CLOSED)
    [call] = api.calls
    assert call.method == "chat.postEphemeral" and call.ok
    assert call.args["channel"] == "C1" and call.args["user"] == "U1"
    assert api.messages == {}


async def test_notify_without_a_place_opens_a_direct_message(api):
    await port_for(api).notify(ANN, None, {}, CLOSED)
    assert [c.method for c in api.calls] == ["conversations.open", "chat.postMessage"]
    assert all(c.ok for c in api.calls)
    assert api.calls[0].args["users"] == "U1"
    dm = api.calls[0].response["channel"]["id"]
    assert api.calls[1].args["channel"] == dm
    assert [channel for channel, _ in api.messages] == [dm]


async def test_one_429_is_retried_by_slack_sdk_and_succeeds(api, sleeps):
    api.rate_limit(1, retry_after=3)
    ref = await port_for(api).post(PLACE, {}, CARD)
    assert [c.status for c in api.calls] == [429, 200] and ref
    assert len(sleeps) == 1 and 3 <= sleeps[0] < 4


async def test_a_second_429_is_a_delivery_error_with_retry_after(api, sleeps):
    api.rate_limit(2, retry_after=7)
    with pytest.raises(DeliveryError) as failed:
        await port_for(api).post(PLACE, {}, CARD)
    assert failed.value.retry_after == 7.0 and not failed.value.permanent
    assert [c.status for c in api.calls] == [429, 429]
    assert api.messages == {}


async def test_updating_a_message_slack_never_had_is_permanent(api):
    with pytest.raises(DeliveryError) as failed:
        await port_for(api).update(PLACE, {}, "1.000001", CLOSED)
    assert failed.value.permanent and "message_not_found" in str(failed.value)


async def test_a_refused_token_is_permanent_and_not_shown(api):
    bad = "xoxp-user-secret"
    with pytest.raises(DeliveryError) as failed:
        await port_for(api, token=bad).post(PLACE, {}, CARD)
    assert failed.value.permanent and "invalid_auth" in str(failed.value)
    assert bad not in str(failed.value)


async def test_an_unknown_team_is_permanent_and_names_the_team(api):
    with pytest.raises(DeliveryError) as failed:
        await port_for(api).post(Place("slack", "T404", "C1"), {}, CARD)
    assert failed.value.permanent and "T404" in str(failed.value)
    assert api.calls == []


async def test_an_unreachable_api_is_retryable_and_hides_the_token():
    port = SlackPort(lambda team: TOKEN, api_url="http://127.0.0.1:9/api/")
    with pytest.raises(DeliveryError) as failed:
        await port.post(PLACE, {}, CARD)
    assert not failed.value.permanent and failed.value.retry_after is None
    assert TOKEN not in str(failed.value)


def refusal(error: str | None, status: int = 200, headers: dict | None = None) -> SlackApiError:
    data = {"ok": False, "error": error} if error else {}
    response = AsyncSlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/chat.postMessage",
        req_args={"headers": {"Authorization": f"Bearer {TOKEN}"}},
        data=data,
        headers=headers or {},
        status_code=status,
    )
    return SlackApiError(f"The request to the Slack API failed. (token {TOKEN})", response)


@pytest.mark.parametrize(
    "error",
    [
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_auth",
        "account_inactive",
        "token_revoked",
        "missing_scope",
        "message_not_found",
        "cant_update_message",
        "invalid_blocks",
        "msg_too_long",
        "user_not_in_channel",
        "not_authed",
    ],
)
def test_refusals_no_retry_can_fix_are_permanent(error):
    mapped = delivery_error("chat.postMessage", refusal(error))
    assert mapped.permanent and mapped.retry_after is None
    assert error in str(mapped) and TOKEN not in str(mapped)


@pytest.mark.parametrize(
    ("error", "status"), [("internal_error", 200), ("fatal_error", 200), (None, 500), (None, 503)]
)
def test_other_failures_are_retryable(error, status):
    mapped = delivery_error("chat.update", refusal(error, status))
    assert not mapped.permanent and mapped.retry_after is None
    assert TOKEN not in str(mapped)


@pytest.mark.parametrize(
    ("status", "headers", "retry_after"),
    [
        (429, {"Retry-After": "12"}, 12.0),
        (429, {"retry-after": ["5"]}, 5.0),
        (200, {"Retry-After": "2"}, 2.0),
        (429, {}, None),
    ],
)
def test_rate_limits_carry_retry_after(status, headers, retry_after):
    mapped = delivery_error("chat.postMessage", refusal("ratelimited", status, headers))
    assert not mapped.permanent and mapped.retry_after == retry_after


def test_the_dispatcher_delivers_an_engine_poll_to_slack(sqlite_database, clock, stub):
    stub.reset()
    chat = Conversation(sqlite_database, clock)
    try:
        chat.engine.handle(CommandIssued(ANN, PLACE, 'setup "X"'))
        chat.engine.handle(CommandIssued(ANN, PLACE, 'poll "Q?" "A" "B"'))
        chat.dispatcher.platforms["slack"] = port_for(stub)
        chat.deliver()
    finally:
        chat.close()
    failed = [c for c in stub.calls if not c.ok]
    assert failed == [], [(c.method, c.response) for c in failed]
    polls = [
        message
        for (channel, _), message in stub.messages.items()
        if channel == "C1" and "Q?" in str(message["blocks"])
    ]
    assert len(polls) == 1, stub.messages
    buttons = [
        element["text"]["text"]
        for block in polls[0]["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["type"] == "button" and element["value"].startswith("vote:")
    ]
    assert buttons == ["A", "B"]
