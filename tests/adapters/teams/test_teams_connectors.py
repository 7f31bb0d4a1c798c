"""Connector clients made once per Bot Connector and reused
(adapters/teams/botbuilder/connectors.py).

botbuilder makes a connector client and a user-token client for every turn and every
proactive call, each with an msrest `ClientRetryPolicy`; counting the retry policies
made counts the clients. Votes and the outbox's posts and updates go through real
activities at /api/messages and the local Bot Connector stub.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import (
    AuthenticationConstants,
    ClaimsIdentity,
    MicrosoftAppCredentials,
)
from msrest.universal_http import requests as msrest_requests

from adapters.teams.botbuilder.connectors import ReusedConnectors
from adapters.teams.botbuilder.edge import BotSettings
from adapters.teams.config import TeamsConfig
from tests.adapters.teams.harness import a_poll, submit_actions, words
from tests.stand_ins import teams_activities as teams
from tests.stand_ins.teams_connector import running_teams_connector


@pytest.fixture
def teams_sdk() -> str:
    """What these count is botbuilder's own: they run on botbuilder alone (the Agents SDK
    transport's kept clients: tests/adapters/teams/test_teams_agents.py)."""
    return "botbuilder"


class RetryPolicies:
    """How many msrest `ClientRetryPolicy`s were made: one per client botbuilder builds."""

    made = 0


@pytest.fixture
def retry_policies(monkeypatch) -> Iterator[type[RetryPolicies]]:
    made = msrest_requests.ClientRetryPolicy

    class Counted(made):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            RetryPolicies.made += 1
            super().__init__()

    RetryPolicies.made = 0
    monkeypatch.setattr(msrest_requests, "ClientRetryPolicy", Counted)
    yield RetryPolicies


def voter(n: int) -> dict[str, str]:
    aad = f"{n:08d}-0000-4000-8000-000000000000"
    return {"id": f"29:voter-{n}", "name": f"Voter {n}", "aadObjectId": aad}


async def test_votes_and_live_updates_build_no_connector_client_after_the_first_turn(
    teams_app, retry_policies
):
    poll = await a_poll(teams_app)  # two turns and the outbox's post
    made = retry_policies.made
    soup = submit_actions(poll.card)["Soup"]

    for n in range(3):
        clicked = teams.execute(teams_app.stub.service_url, soup, **{"from": voter(n)})
        response = await teams_app.send(clicked)
        assert response.status == 200, await response.text()
    await teams_app.deliver()

    assert "3 people voted" in words(teams_app.stub.calls_to("update")[-1].body)
    # The first turn made the connector client and the user-token client; nothing since.
    assert made == 2
    assert retry_policies.made == made
    assert teams_app.transport.edge.adapter.bot_framework_authentication.clients_kept == 1


async def test_another_bot_connector_gets_a_client_of_its_own(teams_app, retry_policies):
    await teams_app.say("help", kind="personal")
    with running_teams_connector() as elsewhere:
        response = await teams_app.send(teams.message(elsewhere.service_url, "help", "personal"))
        assert response.status == 201

        answered_there = elsewhere.calls_to("send")
    assert "What you can do here" in words(answered_there[-1].body)
    assert len(teams_app.posts(teams.PERSONAL_CHAT)) == 1  # the first stub's one answer
    assert teams_app.transport.edge.adapter.bot_framework_authentication.clients_kept == 2
    assert retry_policies.made == 3  # two clients, one user-token client


APP_ID = "00000000-1111-2222-3333-444444444444"


def authentication(config: TeamsConfig, kept: int) -> ReusedConnectors:
    return ReusedConnectors(ConfigurationBotFrameworkAuthentication(BotSettings(config)), kept=kept)


async def test_at_most_the_kept_number_of_clients_are_kept():
    connectors = authentication(TeamsConfig(local=True), kept=1)
    factory = connectors.create_connector_factory(ClaimsIdentity({}, True))
    first = await factory.create("http://127.0.0.1:3978/")

    assert await factory.create("http://127.0.0.1:3978/") is first
    await factory.create("http://127.0.0.1:3979/")
    assert connectors.clients_kept == 1
    assert await factory.create("http://127.0.0.1:3978/") is not first


async def test_a_kept_client_sends_the_token_its_credentials_hold_at_each_call(stub, monkeypatch):
    """msal hands out a new token once the old one expires: the kept client sends it."""
    tokens = iter(["token-1", "token-2"])
    monkeypatch.setattr(
        MicrosoftAppCredentials, "get_access_token", lambda self, force_refresh=False: next(tokens)
    )
    connectors = authentication(TeamsConfig(app_id=APP_ID, app_password="secret"), kept=4)
    # The identity `continue_conversation` makes for the bot's own calls.
    claims = ClaimsIdentity(
        {
            AuthenticationConstants.AUDIENCE_CLAIM: APP_ID,
            AuthenticationConstants.APP_ID_CLAIM: APP_ID,
        },
        True,
    )

    clients = []
    for text in ("first", "second"):
        connector = await connectors.create_connector_factory(claims).create(stub.service_url)
        message = Activity(type=ActivityTypes.message, text=text)
        await connector.conversations.send_to_conversation(teams.TEAM_CHANNEL, message)
        clients.append(connector)

    assert clients[0] is clients[1]
    assert [call.authorization for call in stub.calls] == ["Bearer token-1", "Bearer token-2"]
