"""Teams end to end, on each transport: activities posted over HTTP to `/api/messages`,
the Bot Connector calls a local stub (the activities' `serviceUrl`), the database between.

Each test is a short conversation in a team channel: a coordinator types
`@Concord …`, members click card buttons, and we read what the connector was asked
to show.
"""

from __future__ import annotations

import json
import logging

import pytest
from sqlmodel import select

from adapters.teams.package import MESSAGING_PATH
from dialogs.core.events import Actor, Place
from dialogs.core.ports import DeliveryError
from storage.models import Ballot, Channel, Poll
from tests.adapters.teams.harness import a_poll, count, submit_actions, words
from tests.stand_ins import teams_activities as teams

# Commands, votes and live results


async def test_a_coordinator_starts_a_poll_in_a_channel_and_a_vote_updates_it(teams_app):
    poll = await a_poll(teams_app)

    assert "Lunch?" in words(poll.card)
    assert poll.body["summary"]  # a plain-text summary for notifications
    assert "text" not in poll.body  # Teams would show it above the card, as markdown
    with teams_app.database.session() as session:
        channel = session.exec(select(Channel)).one()
    assert (channel.platform, channel.tenant_id, channel.channel_id) == (
        "teams",
        teams.TENANT,
        teams.TEAM_CHANNEL,
    )
    assert channel.delivery["serviceUrl"] == teams_app.stub.service_url
    assert channel.delivery["conversation"]["id"] == teams.TEAM_CHANNEL

    soup = submit_actions(poll.card)["Soup"]
    response = await teams_app.send(teams.submit(teams_app.stub.service_url, soup))
    assert response.status == 201
    assert count(teams_app.database, Ballot, Ballot.latest) == 1  # committed before the answer

    await teams_app.deliver()
    update = teams_app.stub.calls_to("update")[-1]
    assert (update.conversation_id, update.activity_id) == (teams.TEAM_CHANNEL, poll.response["id"])
    assert "1 person voted" in words(update.body)
    # The confirmation is private: the voter's 1:1 chat, opened for them in their tenant.
    created = teams_app.stub.calls_to("create")[-1].body
    assert created["members"] == [{"id": teams.USER_ID}]
    assert created["channelData"]["tenant"]["id"] == teams.TENANT
    assert "You voted" in words(teams_app.private()[-1].body)


async def test_the_mention_is_stripped_but_the_name_elsewhere_is_kept(teams_app):
    await teams_app.say('setup "North"')
    await teams_app.say('poll "Did Concord post this poll?" "Yes" "No"')
    with teams_app.database.session() as session:
        assert session.exec(select(Poll.question)).one() == "Did Concord post this poll?"


async def test_a_personal_chat_gets_its_answer_in_the_chat(teams_app):
    await teams_app.say("help", kind="personal")

    answers = teams_app.posts(teams.PERSONAL_CHAT)
    assert "What you can do here" in words(answers[-1].body)
    assert teams_app.stub.calls_to("create") == []


async def test_a_forged_action_counts_nothing(teams_app):
    await a_poll(teams_app)
    await teams_app.send(teams.submit(teams_app.stub.service_url, {"action": "vote:999:1"}))
    assert count(teams_app.database, Ballot) == 0


async def test_a_form_comes_as_a_private_card_and_comes_back_with_what_was_typed(teams_app):
    await teams_app.say('setup "North"')
    await teams_app.say("poll")

    form = teams_app.private()[-1].card
    inputs = {e["id"] for e in form["body"] if e.get("type", "").startswith("Input.")}
    assert "question" in inputs
    submit = submit_actions(form)
    (data,) = submit.values()

    typed = {**data, "question": "Where shall we meet?"}  # no options: refused
    response = await teams_app.send(teams.submit(teams_app.stub.service_url, typed))

    assert response.status == 201
    assert count(teams_app.database, Poll) == 0
    again = teams_app.private()[-1].card
    assert "Where shall we meet?" in words(again)


# Joining a conversation


async def test_being_added_greets_the_channel_once_and_keeps_the_reference(teams_app):
    await teams_app.say('setup "North"')
    with teams_app.database.session() as session:
        channel = session.exec(select(Channel)).one()
        channel.delivery = {}
        session.add(channel)

    added = teams.bot_added(teams_app.stub.service_url)
    assert (await teams_app.send(added)).status == 201
    assert (await teams_app.send(teams.bot_added(teams_app.stub.service_url))).status == 201
    assert (await teams_app.send(teams.member_added(teams_app.stub.service_url))).status == 201

    greetings = [c for c in teams_app.posts() if "Hello, I'm Concord" in words(c.body)]
    assert len(greetings) == 1
    with teams_app.database.session() as session:
        delivery = session.exec(select(Channel)).one().delivery
    assert delivery["conversation"]["id"] == teams.TEAM_CHANNEL
    assert delivery["bot"]["id"] == teams.BOT_ID


async def test_installing_in_a_personal_chat_greets_it(teams_app):
    response = await teams_app.send(teams.installation_added(teams_app.stub.service_url))
    assert response.status == 201
    assert "Hello, I'm Concord" in words(teams_app.posts(teams.PERSONAL_CHAT)[-1].body)


# Malformed requests


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param("{not json", "not valid JSON", id="bad json"),
        pytest.param("[1, 2]", "a list, not an object", id="not an object"),
        pytest.param(
            json.dumps({"id": "1", "serviceUrl": "http://127.0.0.1/"}), "type", id="no type"
        ),
        pytest.param(json.dumps({"type": "message"}), "serviceUrl", id="no serviceUrl"),
        pytest.param(
            json.dumps(
                {"type": "message", "serviceUrl": "http://127.0.0.1/", "recipient": {"id": "b"}}
            ),
            "conversation.id",
            id="no conversation",
        ),
    ],
)
async def test_a_malformed_activity_is_a_400_with_the_reason(teams_app, body, reason):
    response = await teams_app.client.post(
        MESSAGING_PATH, data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert reason in (await response.json())["error"]


async def test_a_body_that_is_not_json_is_refused(teams_app):
    response = await teams_app.client.post(MESSAGING_PATH, data="hello")
    assert response.status == 415


async def test_local_mode_start_up_warns_loudly(teams_harness, caplog):
    with caplog.at_level(logging.WARNING):
        async with teams_harness():
            pass
    assert any(
        r.levelno == logging.WARNING and "WITHOUT authentication" in r.getMessage()
        for r in caplog.records
    )


async def test_in_local_mode_a_service_url_elsewhere_is_400(teams_app):
    activity = teams.message("https://smba.trafficmanager.net/emea/", "help")
    response = await teams_app.send(activity)
    assert response.status == 400
    assert "only calls this machine" in (await response.json())["error"]
    assert teams_app.stub.calls == []


# Proactive delivery and its failures


async def test_a_429_from_the_connector_is_a_delivery_error_with_retry_after(teams_app):
    await teams_app.say('setup "North"')
    port = teams_app.transport.port
    with teams_app.database.session() as session:
        delivery = session.exec(select(Channel)).one().delivery
    place = Place("teams", teams.TENANT, teams.TEAM_CHANNEL)
    card = teams_app.engine.home(Actor("teams", teams.TENANT, teams.USER_AAD, teams.USER_NAME))

    teams_app.stub.rate_limit(1, retry_after=7)
    with pytest.raises(DeliveryError) as raised:
        await port.post(place, delivery, card)

    assert raised.value.retry_after == 7
    assert not raised.value.permanent


async def test_a_rate_limited_post_is_delivered_on_a_later_round(teams_app):
    await teams_app.say('setup "North"')
    await teams_app.say('poll "Lunch?" "Soup" "Salad"')
    teams_app.stub.rate_limit(1, retry_after=3, kind="send")

    await teams_app.deliver()
    assert teams_app.posts() == []
    teams_app.clock.advance(seconds=3)
    await teams_app.deliver()

    assert "Lunch?" in words(teams_app.posts()[-1].card)


async def test_an_update_of_a_message_teams_lost_is_permanent(teams_app):
    await teams_app.say('setup "North"')
    with teams_app.database.session() as session:
        delivery = session.exec(select(Channel)).one().delivery
    place = Place("teams", teams.TENANT, teams.TEAM_CHANNEL)
    card = teams_app.engine.home(Actor("teams", teams.TENANT, teams.USER_AAD, teams.USER_NAME))

    with pytest.raises(DeliveryError) as raised:
        await teams_app.transport.port.update(place, delivery, "no-such-activity", card)
    assert raised.value.permanent


async def test_a_reminder_without_a_channel_reaches_the_person_privately(teams_app):
    await teams_app.say('setup "North"')
    with teams_app.database.session() as session:
        delivery = session.exec(select(Channel)).one().delivery
    actor = Actor("teams", teams.TENANT, teams.USER_AAD, teams.USER_NAME)
    card = teams_app.engine.home(actor)

    await teams_app.transport.port.notify(actor, None, delivery, card)

    created = teams_app.stub.calls_to("create")[-1].body
    assert created["members"] == [{"id": teams.USER_AAD}]
    assert created["bot"]["id"] == teams.BOT_ID
    assert teams_app.stub.calls_to("send")[-1].conversation_id == f"a:chat-{teams.USER_AAD}"


async def test_a_note_for_a_tenant_concord_never_saw_is_permanent(teams_app):
    actor = Actor("teams", "another-tenant", teams.USER_AAD, teams.USER_NAME)
    with pytest.raises(DeliveryError) as raised:
        await teams_app.transport.port.notify(actor, None, {}, teams_app.engine.home(actor))
    assert raised.value.permanent


async def test_a_channel_whose_reference_is_not_stored_yet_is_tried_again(teams_app):
    """The reference is stored just after the turn that linked the channel commits."""
    place = Place("teams", teams.TENANT, teams.TEAM_CHANNEL)
    actor = Actor("teams", teams.TENANT, teams.USER_AAD, teams.USER_NAME)
    with pytest.raises(DeliveryError) as raised:
        await teams_app.transport.port.post(place, {}, teams_app.engine.home(actor))
    assert not raised.value.permanent
