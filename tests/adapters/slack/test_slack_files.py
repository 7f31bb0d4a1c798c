"""Exports reach a Slack user as a file in their direct messages with Concord, uploaded
the way Slack asks now (an upload URL, the bytes, then completing the upload), and the
reply in the channel says where the file went."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from adapters.slack.port import SlackPort
from adapters.slack.render import render_message
from dialogs.core.cards import Card, Download, Heading
from dialogs.core.events import Actor, Place
from dialogs.core.ports import ExportFile
from dialogs.polls import ballot_csv
from tests.stand_ins.slack_api import SlackApiStub, running_slack_api
from tests.stand_ins.slack_app import SlackHarness, all_text, button_values

TOKEN = "xoxb-1111-secret-token"
TEAM = "T1"
ANN = Actor("slack", TEAM, "U1", "Ann")
BALLOTS = ExportFile("ballots-poll-4.csv", "text/csv", b"# poll: Lunch?\n" + b"x,1\n" * 80_000)
OFFER = Card(
    blocks=[
        Heading(text="Ballots of poll #4: 80,000 ballots, CSV, 320 KB"),
        Download(
            filename="ballots-poll-4.csv",
            media_type="text/csv",
            url="/exports/abcdefghijklmnopqrstuvwxyz012345",
            size=len(BALLOTS.content),
        ),
    ],
    fallback="Ballots of poll #4: 80,000 ballots, CSV, 320 KB",
)


@pytest.fixture(scope="module")
def stub() -> Iterator[SlackApiStub]:
    with running_slack_api() as running:
        yield running


@pytest.fixture
def api(stub: SlackApiStub) -> SlackApiStub:
    stub.reset()
    return stub


def port_for(api: SlackApiStub, public_url: str = "") -> SlackPort:
    return SlackPort(lambda team: TOKEN, public_url=public_url, api_url=api.url + "/api/")


async def test_a_file_is_uploaded_whole_into_the_persons_direct_messages(api):
    await port_for(api).send_file(ANN, BALLOTS, OFFER.fallback)
    methods = [call.method for call in api.calls]
    assert methods == [
        "files.getUploadURLExternal",
        "upload",
        "conversations.open",
        "files.completeUploadExternal",
    ]
    assert all(call.ok or call.method == "upload" for call in api.calls)
    dm = api.calls[2].response["channel"]["id"]
    [shared] = api.files.values()
    assert shared.content == BALLOTS.content, "not a byte cut"
    assert (shared.filename, shared.channel_id) == ("ballots-poll-4.csv", dm)
    assert shared.initial_comment == "Ballots of poll #4: 80,000 ballots, CSV, 320 KB"


def test_the_reply_says_where_the_file_went_and_links_it_when_concord_is_public():
    private = render_message(OFFER, public_url="")
    public = render_message(OFFER, public_url="https://concord.example.org")
    said = private["blocks"][1]["text"]["text"]
    assert said == (
        ":page_facing_up: *ballots-poll-4.csv* is on its way to your direct messages with Concord."
    )
    linked = public["blocks"][1]["text"]["text"]
    assert linked.endswith(
        " Or <https://concord.example.org/exports/abcdefghijklmnopqrstuvwxyz012345"
        "|download it here>."
    )


async def test_the_reply_is_blocks_slack_accepts(api):
    await port_for(api, "https://concord.example.org").notify(
        ANN, Place("slack", TEAM, "C1"), {}, OFFER
    )
    [call] = api.calls
    assert call.method == "chat.postEphemeral" and call.ok, call.response


async def test_poll_export_in_slack_arrives_as_a_whole_file_that_recounts(database, stub, clock):
    stub.reset()
    async with SlackHarness(database, stub, clock) as slack_app:
        await slack_app.command('setup "North"')
        await slack_app.command('poll "Lunch?" "Soup" "Salad, with croutons"')
        await slack_app.deliver()
        await slack_app.click(button_values(slack_app.posts()[-1])["Soup"])
        await slack_app.command("poll close 1")
        reply = await slack_app.command("poll export 1")
        await slack_app.deliver()
    said = all_text(reply)
    assert "Ballots of poll #1: 1 ballot, CSV, " in said
    assert "*ballots-poll-1.csv* is on its way to your direct messages with Concord" in said
    assert "`concord recount ballots-poll-1.csv`" in said
    [shared] = stub.files.values()
    dm = stub.calls_to("conversations.open")[-1].response["channel"]["id"]
    assert (shared.filename, shared.channel_id) == ("ballots-poll-1.csv", dm)
    export = ballot_csv.read(shared.content.decode())
    assert (export.options, export.ballots) == (["Soup", "Salad, with croutons"], [[0]])
