"""The local Slack Web API answers slack_sdk like Slack: posts, updates, views, refusals, 429s."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import render_message, render_modal
from dialogs.core.cards import Actions, Button, Card, Form, Heading, Text, TextInput
from tests.stand_ins.slack_api import SlackApiStub, running_slack_api

CHANNEL = "C2147483705"
POLL = Card(
    blocks=[
        Heading(text="Lunch?"),
        Text(text="Pick one <!channel>"),
        Actions(
            elements=[
                Button(label="Soup", action="vote:1:1"),
                Button(label="Salad", action="vote:1:2"),
            ]
        ),
    ],
    fallback="Poll: Lunch?",
)


@pytest.fixture(scope="module")
def stub() -> Iterator[SlackApiStub]:
    with running_slack_api() as running:
        yield running


@pytest.fixture
def api(stub: SlackApiStub) -> SlackApiStub:
    stub.reset()
    return stub


def client(api: SlackApiStub, token: str = "xoxb-test", **kwargs) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=api.url + "/api/", **kwargs)


async def test_post_then_update_a_message(api):
    slack = client(api)
    posted = await slack.chat_postMessage(channel=CHANNEL, **render_message(POLL, public_url=""))
    assert posted["ok"] and posted["channel"] == CHANNEL and posted["ts"]
    updated = await slack.chat_update(
        channel=CHANNEL, ts=posted["ts"], text="Lunch? (closed)", blocks=[]
    )
    assert updated["ts"] == posted["ts"]
    assert api.messages[(CHANNEL, posted["ts"])]["text"] == "Lunch? (closed)"
    assert [c.method for c in api.calls] == ["chat.postMessage", "chat.update"]
    assert api.calls[0].args["blocks"] == render_message(POLL, public_url="")["blocks"]
    assert api.calls[0].token == "xoxb-test"


async def test_update_of_an_unknown_message_is_refused(api):
    with pytest.raises(SlackApiError) as refused:
        await client(api).chat_update(channel=CHANNEL, ts="1.000001", text="x")
    assert refused.value.response["error"] == "message_not_found"


async def test_ephemeral_message(api):
    answer = await client(api).chat_postEphemeral(
        channel=CHANNEL, user="U2147483697", text="You voted Salad"
    )
    assert answer["ok"] and answer["message_ts"]
    assert api.calls_to("chat.postEphemeral")[0].args["user"] == "U2147483697"


async def test_views_open_update_and_publish(api):
    slack = client(api)
    form = Form(
        title="New poll",
        action="poll:create",
        submit_label="Create",
        inputs=[TextInput(name="question", label="Question")],
    )
    view = render_modal(form, private_metadata='{"action":"poll:create","channel":"C1"}')
    opened = await slack.views_open(trigger_id="123.456", view=view)
    assert opened["view"]["id"] and opened["view"]["private_metadata"] == view["private_metadata"]
    updated = await slack.views_update(view_id=opened["view"]["id"], view=view)
    assert updated["view"]["id"] == opened["view"]["id"]
    home = {"type": "home", "blocks": render_message(POLL, public_url="")["blocks"]}
    assert (await slack.views_publish(user_id="U2147483697", view=home))["ok"]


async def test_auth_test_and_conversations_open(api):
    slack = client(api)
    me = await slack.auth_test()
    assert me["team_id"] == "T0001" and me["user_id"] and me["bot_id"]
    dm = await slack.conversations_open(users="U2147483697")
    assert dm["channel"]["id"].startswith("D")


async def test_invalid_blocks_are_refused_with_the_problems(api):
    too_long = {"type": "button", "text": {"type": "plain_text", "text": "x" * 80}, "value": "v"}
    with pytest.raises(SlackApiError) as refused:
        await client(api).chat_postMessage(
            channel=CHANNEL, text="t", blocks=[{"type": "actions", "elements": [too_long]}]
        )
    answer = refused.value.response
    assert answer["error"] == "invalid_blocks"
    assert any("over 75" in problem for problem in answer["response_metadata"]["messages"])
    assert api.messages == {}


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
async def test_a_message_without_a_text_fallback_is_refused(api):
    blocks = render_message(POLL, public_url="")["blocks"]
    with pytest.raises(SlackApiError) as refused:
        await client(api).chat_postMessage(channel=CHANNEL, blocks=blocks)
    assert "no plain `text` fallback" in refused.value.response["response_metadata"]["messages"]


async def test_malformed_blocks_are_refused_not_crashed_on(api):
    with pytest.raises(SlackApiError) as refused:
        await client(api).chat_postMessage(
            channel=CHANNEL,
            text="t",
            blocks=[{"type": "actions", "elements": [{"type": "button"}]}],
        )
    assert refused.value.response["error"] == "invalid_blocks"


async def test_an_invalid_modal_is_refused(api):
    view = {"type": "modal", "title": {"type": "mrkdwn", "text": "x"}, "blocks": []}
    with pytest.raises(SlackApiError) as refused:
        await client(api).views_open(trigger_id="1.2", view=view)
    assert refused.value.response["error"] == "invalid_blocks"


@pytest.mark.parametrize(
    ("headers", "error"),
    [({}, "not_authed"), ({"Authorization": "Bearer xoxp-user"}, "invalid_auth")],
)
def test_calls_without_a_bot_token_are_refused_from_sync_code(api, headers, error):
    body = json.dumps({"channel": CHANNEL, "text": "hi"}).encode()
    request = urllib.request.Request(
        api.url + "/api/chat.postMessage",
        data=body,
        headers={"Content-Type": "application/json; charset=utf-8", **headers},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.load(response) == {"ok": False, "error": error}
    assert api.calls[-1].method == "chat.postMessage" and not api.calls[-1].ok


def test_form_bodies_with_json_blocks_are_accepted(api):
    rendered = render_message(POLL, public_url="")
    body = urllib.parse.urlencode(
        {"channel": CHANNEL, "text": rendered["text"], "blocks": json.dumps(rendered["blocks"])}
    ).encode()
    request = urllib.request.Request(
        api.url + "/api/chat.postMessage",
        data=body,
        headers={"Authorization": "Bearer xoxb-test"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        answer = json.load(response)
    assert answer["ok"], answer
    assert api.calls[-1].args["blocks"] == rendered["blocks"]


async def test_rate_limited_calls_are_retried_by_slack_sdk_and_succeed(api):
    api.rate_limit(2, retry_after=0)
    handler = AsyncRateLimitErrorRetryHandler(max_retry_count=3)
    slack = client(api, retry_handlers=[handler])
    answer = await slack.chat_postMessage(channel=CHANNEL, text="hello")
    assert answer["ok"]
    statuses = [c.status for c in api.calls]
    assert statuses == [429, 429, 200]


async def test_without_a_retry_handler_a_429_reaches_the_caller(api):
    api.rate_limit(1, retry_after=7)
    with pytest.raises(SlackApiError) as refused:
        await client(api).chat_postMessage(channel=CHANNEL, text="hello")
    assert refused.value.response.status_code == 429
    assert refused.value.response.headers["Retry-After"] == "7"
