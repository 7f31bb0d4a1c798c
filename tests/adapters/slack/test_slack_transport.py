"""Slack end to end through bolt: signed requests in, Web API calls out, the database between.

Each test is a short conversation in one Slack channel: a coordinator types
`/concord …`, members click, and we read what Slack was asked to show.
"""

from __future__ import annotations

import json
import logging
import time

import pytest
from sqlmodel import col, func, select

from dialogs.core.ports import DeliveryError
from storage.models import Ballot, Outbox, Poll, ProcessedEvent
from tests.stand_ins import slack_payloads as slack
from tests.stand_ins.slack_api import INSTALLED_TOKEN, OAUTH_CODE
from tests.stand_ins.slack_app import SlackHarness, all_text, button_values, mrkdwn_texts
from tests.stand_ins.slack_signing import command_body, interaction_body, signature, signed_headers

OTHER_TEAM = "T0002"


async def a_poll(slack_app, question='"Lunch?" "Soup" "Salad"'):
    await slack_app.command('setup "North"')
    await slack_app.command(f"poll {question}")
    await slack_app.deliver()
    return slack_app.posts()[-1]


def count(database, model, *where):
    with database.session() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


# Signatures


def test_our_signing_matches_slacks_worked_example():
    body = (
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
        "channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
        "command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
        "commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id="
        "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    assert signature("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", body) == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    )


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda body: signed_headers(body, secret="not-our-secret"), id="wrong secret"),
        pytest.param(
            lambda body: signed_headers(body, timestamp=int(time.time()) - 6 * 60), id="stale"
        ),
        pytest.param(
            lambda body: {"Content-Type": "application/x-www-form-urlencoded"}, id="unsigned"
        ),
        pytest.param(lambda body: signed_headers(body, timestamp="soon"), id="timestamp a word"),
        pytest.param(lambda body: signed_headers(body, timestamp="١٧"), id="timestamp not ASCII"),
    ],
)
async def test_a_request_without_a_good_signature_is_refused_and_changes_nothing(
    slack_app, headers
):
    body = command_body(slack.slash_command('setup "North"'))
    response = await slack_app.client.post("/slack/events", data=body, headers=headers(body))

    assert response.status == 401
    assert slack_app.stub.calls == []
    assert count(slack_app.database, Poll) == 0


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda body: signed_headers(body, secret="not-our-secret"), id="wrong secret"),
        pytest.param(
            lambda body: signed_headers(body, timestamp=int(time.time()) - 6 * 60), id="stale"
        ),
        pytest.param(lambda body: {}, id="unsigned"),
        pytest.param(lambda body: signed_headers(body, timestamp="soon"), id="timestamp a word"),
    ],
)
async def test_a_vote_click_without_a_good_signature_is_refused_and_counts_nothing(
    slack_app, headers
):
    """Vote clicks take a shorter path than bolt's (see SlackTransport._vote_click): the
    same signature checks hold on it."""
    await slack_app.command('setup "North"')
    await slack_app.command('poll "Lunch?" "Soup" "Salad"')
    await slack_app.deliver()
    value = button_values(slack_app.posts()[-1])["Soup"]
    body = interaction_body(slack.button_click(value))
    response = await slack_app.client.post("/slack/events", data=body, headers=headers(body))

    assert response.status == 401
    assert count(slack_app.database, Ballot) == 0
    tampered = body.replace("collab-north", "collab-south")
    response = await slack_app.client.post(
        "/slack/events", data=tampered, headers=signed_headers(body)
    )
    assert response.status == 401
    assert count(slack_app.database, Ballot) == 0


async def test_a_body_changed_after_signing_is_refused(slack_app):
    body = command_body(slack.slash_command('setup "North"'))
    headers = signed_headers(body)
    tampered = body.replace("North", "South")

    response = await slack_app.client.post("/slack/events", data=tampered, headers=headers)
    assert response.status == 401


# Commands, votes and live results


async def test_a_coordinator_starts_a_poll_and_members_vote_and_see_it_live(slack_app):
    reply = await slack_app.command('setup "North"')
    assert reply["response_type"] == "ephemeral"
    assert "North" in all_text(reply)

    poll = await a_poll(slack_app)
    buttons = button_values(poll)
    assert set(buttons) >= {"Soup", "Salad"}

    response = await slack_app.click(buttons["Soup"])
    # The vote is committed before Slack hears back.
    assert count(slack_app.database, Ballot, Ballot.latest) == 1
    assert await response.text() == ""

    await slack_app.deliver()
    # The confirmation goes back through the click's own response URL.
    confirmation = slack_app.stub.calls_to("response_url")[-1].args
    assert confirmation["response_type"] == "ephemeral"
    assert confirmation["replace_original"] is False
    assert "You voted “Soup”" in confirmation["text"]
    updated = slack_app.updates()[-1]
    posted = [c for c in slack_app.stub.calls_to("chat.postMessage") if c.args is poll][0]
    assert (updated["channel"], updated["ts"]) == (slack.CHANNEL, posted.response["ts"])
    assert "1 person voted" in all_text(updated)


async def test_a_vote_whose_note_cannot_be_delivered_counts_and_logs_one_line(
    slack_app, monkeypatch, caplog
):
    await slack_app.command('setup "North"')
    buttons = button_values(await a_poll(slack_app))

    async def refused(*_: object) -> None:
        raise DeliveryError("Slack chat.postEphemeral: channel_not_found")

    monkeypatch.setattr(slack_app.transport.port, "respond", refused)
    monkeypatch.setattr(slack_app.transport.port, "notify", refused)
    caplog.set_level(logging.INFO)
    await slack_app.click(buttons["Soup"])
    await slack_app.deliver()

    assert count(slack_app.database, Ballot, Ballot.latest) == 1
    lost = [r for r in caplog.records if r.getMessage() == "a private reply could not be delivered"]
    assert [r.levelname for r in lost] == ["WARNING"]
    assert [r for r in caplog.records if r.exc_info] == []


async def test_a_command_over_the_limit_is_refused_whole_not_cut(slack_app):
    await slack_app.command('setup "North"')
    padded = 'poll "Lunch?" "Soup" "Salad"' + " " * 4_000 + "--anonymous"

    reply = await slack_app.command(padded)

    long = f"{len(padded):,}"
    assert f"That command is {long} characters long; the most Concord reads is 4,000." in all_text(
        reply
    )
    assert count(slack_app.database, Poll) == 0


async def test_user_text_that_looks_like_a_mention_or_a_link_pings_nobody(slack_app):
    poll = await a_poll(slack_app, '"<!channel> hi" "<https://evil.example|click>" "Fine"')

    # Slack parses mrkdwn and a message's `text`; plain-text labels are shown as typed.
    parsed = [poll["text"], *mrkdwn_texts(poll)]
    assert not any("<!channel>" in text or "<https://evil" in text for text in parsed)
    assert any("&lt;!channel&gt; hi" in text for text in parsed)


async def test_every_message_has_a_plain_text_fallback(slack_app):
    poll = await a_poll(slack_app)
    assert poll["text"].strip()
    assert all(args["text"].strip() for args in slack_app.updates())


async def test_a_mention_runs_a_command_and_a_retried_event_is_absorbed(slack_app):
    await slack_app.command('setup "North"')
    mention = slack.app_mention(f'<@{slack.BOT_USER}> poll "Tea?" "Yes" "No"')

    first = await slack_app.event(mention)
    retry = await slack_app.event(mention, **{"X-Slack-Retry-Num": "1"})
    again = await slack_app.event(mention, **{"X-Slack-Retry-Num": "2"})

    assert (first.status, retry.status, again.status) == (200, 200, 200)
    assert count(slack_app.database, Poll) == 1
    mentions = col(ProcessedEvent.event_id).not_like("trigger:%")  # not the slash commands
    assert count(slack_app.database, ProcessedEvent, mentions) == 1


async def test_a_direct_message_gets_a_direct_answer(slack_app):
    response = await slack_app.event(slack.direct_message("help"))
    assert response.status == 200
    await slack_app.deliver()

    opened = slack_app.stub.calls_to("conversations.open")
    assert [call.args["users"] for call in opened] == [slack.USER]
    assert "What you can do here" in all_text(slack_app.stub.calls_to("chat.postMessage")[-1].args)


async def test_a_vote_from_another_workspace_is_refused(slack_app):
    poll = await a_poll(slack_app)
    value = button_values(poll)["Soup"]

    await slack_app.click(value, team={"id": OTHER_TEAM, "domain": "elsewhere"})
    await slack_app.deliver()

    assert count(slack_app.database, Ballot) == 0
    refusal = slack_app.ephemerals()[-1]
    assert "You voted" not in refusal
    assert "isn't part of a collaborative" in refusal


async def test_a_response_url_off_slacks_host_is_never_called(slack_app):
    poll = await a_poll(slack_app)
    click = slack.button_click(button_values(poll)["Soup"], response_url="https://evil.example/x")

    response = await slack_app.post(interaction_body(click))  # as sent, not redirected
    await slack_app.deliver()

    assert response.status == 200
    assert slack_app.stub.calls_to("response_url") == []
    assert "You voted" in slack_app.stub.calls_to("chat.postEphemeral")[-1].args["text"]


async def test_a_forged_button_value_for_a_poll_elsewhere_counts_nothing(slack_app):
    await a_poll(slack_app)
    await slack_app.click("vote:999:1")
    await slack_app.click("vote:1:999")
    assert count(slack_app.database, Ballot) == 0


# Forms


async def test_bare_poll_opens_a_form_that_keeps_what_was_typed_on_a_mistake(slack_app):
    await slack_app.command('setup "North"')
    await slack_app.command("poll", trigger_id="13345224609.738474920.f00d")

    opened = slack_app.stub.calls_to("views.open")[-1].args
    assert opened["trigger_id"] == "13345224609.738474920.f00d"
    view = opened["view"]
    names = [block["block_id"] for block in view["blocks"] if block["type"] == "input"]
    assert "question" in names

    typed = {"question": slack.text_state("Where shall we meet?")}
    response = await slack_app.interact(slack.view_submission(view["private_metadata"], typed))
    answer = await response.json()
    assert answer["response_action"] == "update"
    assert "Where shall we meet?" in all_text(answer["view"])
    assert count(slack_app.database, Poll) == 0


async def test_object_opens_a_modal_asking_two_questions_that_keeps_both_on_a_mistake(slack_app):
    await a_poll(slack_app, '"Adopt the plan?" --type consent')
    await slack_app.click("form:consent:1:object")

    view = slack_app.stub.calls_to("views.open")[-1].args["view"]
    labels = {b["block_id"]: b["label"]["text"] for b in view["blocks"] if b["type"] == "input"}
    assert labels["resolve"] == "What would resolve it?"
    assert labels["harm"].startswith("What harm would this do to our aim?")

    typed = {"harm": slack.text_state("Winter is <too> close"), "resolve": slack.text_state(" ")}
    response = await slack_app.interact(slack.view_submission(view["private_metadata"], typed))
    answer = await response.json()
    assert answer["response_action"] == "update"
    kept = {b["block_id"]: b["element"].get("initial_value") for b in answer["view"]["blocks"]
            if b["type"] == "input"}  # fmt: skip
    assert kept == {"harm": "Winter is <too> close", "resolve": None}
    assert "Say what would resolve it" in all_text(answer["view"])
    assert count(slack_app.database, Ballot) == 0

    typed["resolve"] = slack.text_state("Start in spring")
    await slack_app.interact(slack.view_submission(view["private_metadata"], typed))
    await slack_app.deliver()
    updated = slack_app.stub.calls_to("chat.update")[-1].args
    assert (
        "Object — harm: “Winter is &lt;too&gt; close”; would resolve it: “Start in spring”"
        in mrkdwn_texts(updated["blocks"])
    )


async def test_the_create_a_poll_shortcut_asks_for_the_channel_then_shows_the_poll_form(slack_app):
    await slack_app.command('setup "North"')
    response = await slack_app.interact(slack.global_shortcut())
    assert response.status == 200
    picker = slack_app.stub.calls_to("views.open")[-1].args["view"]

    def choose(channel):
        submission = slack.view_submission("", {}, callback_id=picker["callback_id"])
        submission["view"]["state"]["values"] = {
            "channel": {
                "channel": {"type": "conversations_select", "selected_conversation": channel}
            }
        }
        return submission

    answer = await (await slack_app.interact(choose(slack.CHANNEL))).json()
    assert answer["response_action"] == "update"
    assert answer["view"]["callback_id"] == "concord-form"

    refused = await (await slack_app.interact(choose("C0UNLINKED"))).json()
    assert refused["response_action"] == "errors"
    assert refused["errors"]["channel"]


# App Home and the app's life cycle


async def test_opening_app_home_publishes_the_persons_home(slack_app):
    await a_poll(slack_app)
    opened = {"type": "app_home_opened", "user": slack.USER, "channel": "D0HOME", "tab": "home"}

    response = await slack_app.event(opened)

    assert response.status == 200
    published = slack_app.stub.calls_to("views.publish")[-1].args
    assert published["user_id"] == slack.USER
    assert published["view"]["type"] == "home"
    assert "Lunch?" in all_text(published["view"])


async def test_uninstalling_drops_what_could_no_longer_be_delivered(slack_app):
    await slack_app.command('setup "North"')
    await slack_app.command('poll "Lunch?" "Soup" "Salad"')
    pending = Outbox.status == "pending"
    assert count(slack_app.database, Outbox, pending) > 0

    response = await slack_app.event({"type": "app_uninstalled"})

    assert response.status == 200
    assert count(slack_app.database, Outbox, pending) == 0


async def test_events_we_subscribe_to_but_ignore_are_acknowledged(slack_app):
    joined = {"type": "member_joined_channel", "user": "U0NEW", "channel": slack.CHANNEL}
    assert (await slack_app.event(joined)).status == 200


# Installing into many workspaces (OAuth)


@pytest.fixture
async def oauth_app(request, database, stub, clock):
    config = {
        "bot_token": None,
        "client_id": "1111.2222",
        "client_secret": "client-secret",
        "public_url": "https://concord.example.org",
    }
    if not database.is_sqlite:
        # The OAuth stores connect on their own: point them at this run's schema too.
        schema = request.getfixturevalue("postgres_schema")
        config["database_url"] = f"{database.url}?options=-csearch_path%3D{schema}"
    async with SlackHarness(database, stub, clock, **config) as harness:
        await harness.transport.installations.forget(slack.TEAM)  # the schema outlives a test
        yield harness


async def install(oauth_app):
    page = await oauth_app.client.get("/slack/install", allow_redirects=False)
    assert page.status == 200, await page.text()
    state = page.cookies["slack-app-oauth-state"].value
    assert f"state={state}" in await page.text()
    return await oauth_app.client.get(
        "/slack/oauth_redirect",
        params={"code": OAUTH_CODE, "state": state},
        headers={"Cookie": f"slack-app-oauth-state={state}"},
    )


async def test_a_workspace_installs_concord_and_its_own_token_is_used(oauth_app):
    finished = await install(oauth_app)
    assert finished.status == 200, await finished.text()

    assert await oauth_app.transport.installations.bot_token(slack.TEAM) == INSTALLED_TOKEN
    await oauth_app.command('setup "North"')
    await oauth_app.command('poll "Lunch?" "Soup" "Salad"')
    await oauth_app.deliver()
    assert [call.token for call in oauth_app.stub.calls_to("chat.postMessage")] == [INSTALLED_TOKEN]


async def test_a_vote_click_from_a_workspace_that_never_installed_concord_counts_nothing(
    oauth_app,
):
    await install(oauth_app)
    await oauth_app.command('setup "North"')
    await oauth_app.command('poll "Lunch?" "Soup" "Salad"')
    await oauth_app.deliver()
    value = button_values(oauth_app.posts()[-1])["Soup"]
    await oauth_app.interact(slack.button_click(value, team_id="T0STRANGER"))
    assert count(oauth_app.database, Ballot) == 0
    await oauth_app.click(value)
    assert count(oauth_app.database, Ballot) == 1


async def test_a_vote_click_whose_workspace_id_is_not_an_id_counts_nothing(oauth_app, caplog):
    """On PostgreSQL a NUL in the id, looked up as it came, was a 500 (issue 16, item 3)."""
    await install(oauth_app)
    await oauth_app.command('setup "North"')
    await oauth_app.command('poll "Lunch?" "Soup" "Salad"')
    await oauth_app.deliver()
    value = button_values(oauth_app.posts()[-1])["Soup"]
    for team in ("T0001\x00", "T0001'--", "x" * 300):
        response = await oauth_app.interact(slack.button_click(value, team={"id": team}))

        assert response.status < 500, team
    assert count(oauth_app.database, Ballot) == 0
    assert [record.getMessage() for record in caplog.records if record.exc_info] == []


async def test_an_install_with_a_forged_state_is_refused(oauth_app):
    refused = await oauth_app.client.get(
        "/slack/oauth_redirect", params={"code": OAUTH_CODE, "state": "forged"}
    )
    assert refused.status >= 400
    assert await oauth_app.transport.installations.bot_token(slack.TEAM) is None


async def test_uninstalling_forgets_the_workspaces_token(oauth_app):
    await install(oauth_app)
    response = await oauth_app.event({"type": "app_uninstalled"})
    assert response.status == 200
    assert await oauth_app.transport.installations.bot_token(slack.TEAM) is None


async def test_slacks_url_check_gets_its_challenge_back(slack_app):
    check = {
        "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        "challenge": "3eZbrw1aBm2rZ",
        "type": "url_verification",
    }
    response = await slack_app.post(json.dumps(check), form=False)
    assert response.status == 200
    assert (await response.json())["challenge"] == "3eZbrw1aBm2rZ"
