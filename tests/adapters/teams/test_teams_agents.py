"""Teams on the Microsoft 365 Agents SDK (CONCORD_TEAMS_SDK=agents): the setting, the SDK's
connection configuration made from Concord's settings, the edge's refusals, the port's
errors, and that botbuilder is never imported. (The whole Teams suite on both SDKs is
the contract suite's; these are what the agents modules add.)"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from typing import Any

import aiohttp
import pytest
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import AuthTypes, ClaimsIdentity
from multidict import CIMultiDict
from yarl import URL

from adapters.teams.agents.clients import ReusedClients
from adapters.teams.agents.config import (
    BOT_FRAMEWORK_TENANT,
    auth_configuration,
    connection_manager,
)
from adapters.teams.agents.port import mapped
from adapters.teams.config import TeamsConfig
from bot.settings import ConfigError, load_settings
from dialogs.core.ports import DeliveryError
from tests.adapters.teams.harness import TeamsHarness
from tests.stand_ins import teams_activities as teams

APP_ID = "00000000-1111-2222-3333-444444444444"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


@pytest.fixture
async def agents_app(database, stub, clock):
    async with TeamsHarness(database, stub, clock, sdk="agents") as harness:
        yield harness


# The setting


def test_the_sdk_is_botbuilder_unless_asked_and_a_wrong_name_is_refused_at_start():
    assert load_settings(_env_file=None).concord_teams_sdk == "botbuilder"
    assert load_settings(_env_file=None, concord_teams_sdk="agents").concord_teams_sdk == "agents"
    with pytest.raises(ConfigError) as refused:
        load_settings(_env_file=None, concord_teams_sdk="agent")
    assert str(refused.value) == "CONCORD_TEAMS_SDK: 'agent' is not one of 'botbuilder' or 'agents'"


def test_the_sdks_own_client_id_names_the_app_only_with_that_sdk(monkeypatch):
    name = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID"
    monkeypatch.setenv(name, APP_ID)
    with pytest.raises(ConfigError, match="read only with CONCORD_TEAMS_SDK=agents"):
        load_settings(_env_file=None)
    with pytest.raises(ConfigError, match="both name the app"):
        load_settings(_env_file=None, concord_teams_sdk="agents", microsoft_app_id=APP_ID)
    settings = load_settings(_env_file=None, concord_teams_sdk="agents")
    assert settings.teams_app_id == APP_ID and settings.teams_served


# The SDK's connection, from the same settings as botbuilder's


def test_a_multi_tenant_app_gets_its_tokens_from_the_bot_framework_tenant():
    made = auth_configuration(TeamsConfig(app_id=APP_ID, app_password="secret"))
    assert (
        AuthTypes.client_secret,
        APP_ID,
        "secret",
    ) == (made.AUTH_TYPE, made.CLIENT_ID, made.CLIENT_SECRET)
    assert made.TENANT_ID == BOT_FRAMEWORK_TENANT
    assert made.VALIDATE_ISSUER and not made.ANONYMOUS_ALLOWED


def test_a_single_tenant_app_uses_its_tenant_and_a_managed_identity_no_secret():
    single = TeamsConfig(app_id=APP_ID, app_password="s", app_type="SingleTenant", tenant_id=TENANT)
    assert auth_configuration(single).TENANT_ID == TENANT
    managed = auth_configuration(TeamsConfig(app_id=APP_ID, app_type="UserAssignedMSI"))
    assert (AuthTypes.user_managed_identity, None) == (managed.AUTH_TYPE, managed.CLIENT_SECRET)


def test_local_mode_allows_anonymous_requests_only():
    assert auth_configuration(TeamsConfig(local=True)).ANONYMOUS_ALLOWED


def test_the_sdks_own_variables_configure_it_when_set():
    environ = {
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID": "from-the-environment",
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTSECRET": "x",
        "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__TENANTID": TENANT,
    }
    manager = connection_manager(TeamsConfig(app_id=APP_ID, app_password="s"), environ)
    made = manager.get_default_connection_configuration()
    assert (made.CLIENT_ID, made.TENANT_ID) == ("from-the-environment", TENANT)
    assert connection_manager(TeamsConfig(app_id=APP_ID, app_password="s"), {}) \
        .get_default_connection_configuration().CLIENT_ID == APP_ID  # fmt: skip


# botbuilder stays out


def test_with_agents_the_app_runs_without_importing_botbuilder(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys
        from bot.app import create_app
        from bot.settings import load_settings
        settings = load_settings(
            _env_file=None,
            database_url="sqlite:///{tmp_path}/concord.db",
            concord_teams_sdk="agents",
            concord_teams_local=True,
        )
        create_app(settings)
        tops = {{m.split(".")[0] for m in sys.modules}}
        found = sorted(tops & {{"botbuilder", "botframework", "msrest"}})
        print("agents" if "microsoft_agents" in sys.modules else "no agents", found)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split("\n")[-2] == "agents []"


# The edge


async def test_a_message_is_answered_privately_through_the_agents_sdk(agents_app):
    response = await agents_app.send(teams.message(agents_app.stub.service_url, "help"))
    assert response.status == 201
    assert agents_app.private(), "the help went to the person's 1:1 chat"


async def test_two_turns_share_one_connector_client(agents_app):
    await agents_app.say("help")
    await agents_app.say("help")
    assert agents_app.transport.edge.clients.clients_kept == 1


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"type": "message"}', b'{"type": "message", "serviceUrl": 7}'],
    ids=["bad json", "no serviceUrl", "serviceUrl a number"],
)
async def test_a_malformed_request_is_a_400_saying_why(agents_app, body):
    response = await agents_app.client.post(
        "/api/messages", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert (await response.text()).strip()


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer garbage"}, {"Authorization": "Basic dXNlcjpwYXNz"}],
    ids=["no token", "garbage", "wrong scheme"],
)
async def test_with_an_app_id_any_bad_token_is_a_401(database, stub, clock, headers):
    config: dict[str, Any] = {"app_id": APP_ID, "app_password": "secret", "sdk": "agents"}
    async with TeamsHarness(database, stub, clock, **config) as app:
        activity = teams.message("https://smba.trafficmanager.net/emea/", 'setup "North"')
        response = await app.send(activity, **headers)
    assert response.status == 401
    assert stub.calls == []


# The port


def refusal(status: int, **headers: str) -> aiohttp.ClientResponseError:
    info = aiohttp.RequestInfo(
        URL("http://127.0.0.1/"), "PUT", CIMultiDict(), URL("http://127.0.0.1/")
    )
    return aiohttp.ClientResponseError(
        info, (), status=status, message="no", headers=CIMultiDict(headers)
    )


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (refusal(404), True),  # a lost message's update: trying again can't help
        (refusal(403), True),
        (refusal(503), False),
        (aiohttp.ClientConnectionError(), False),
        (TimeoutError(), False),
    ],
    ids=["404", "403", "503", "unreachable", "timeout"],
)
async def test_the_connectors_failures_are_delivery_errors(error, permanent):
    async def failing() -> None:
        raise error

    with pytest.raises(DeliveryError) as raised:
        await mapped(failing())
    assert raised.value.permanent is permanent


async def test_a_429s_retry_after_is_kept():
    async def limited() -> None:
        raise refusal(429, **{"Retry-After": "12"})

    with pytest.raises(DeliveryError) as raised:
        await mapped(limited())
    assert (raised.value.retry_after, raised.value.permanent) == (12, False)


# Kept connector clients


class _Tokens:
    """A token provider whose token changes when Entra ID would renew it; it counts asks."""

    def __init__(self) -> None:
        self.token, self.asked = "first", 0

    async def get_access_token(self, audience: str, scopes: list[str]) -> str:
        self.asked += 1
        return self.token


class _Connections:
    def __init__(self, tokens: _Tokens) -> None:
        self._tokens = tokens

    def get_token_provider(self, claims: Any, service_url: str) -> _Tokens:
        return self._tokens


async def _send(client: Any) -> None:
    await client.conversations.send_to_conversation(
        "19:channel", Activity(type="message", text="hello")
    )


async def test_a_kept_connector_client_asks_for_its_token_only_when_it_sends(stub):
    tokens = _Tokens()
    clients = ReusedClients(_Connections(tokens), app_id=APP_ID, local=False)  # type: ignore[arg-type]
    claims = ClaimsIdentity({"aud": APP_ID}, True)
    url = stub.url  # as Teams sends it, with or without the slash
    try:
        first = await clients.create_connector_client(None, claims, url, "audience")
        await first.close()  # what the SDK does at the end of every turn
        again = await clients.create_connector_client(None, claims, url, "audience")
        assert again is first and not first.client.closed
        assert tokens.asked == 0  # a turn that sends nothing never waits on Entra ID

        await _send(first)
        tokens.token = "renewed"
        await _send(first)
    finally:
        await clients.close()
    sent = [call.authorization for call in stub.calls_to("send")]
    assert sent == ["Bearer first", "Bearer renewed"]
    assert first.client.closed
