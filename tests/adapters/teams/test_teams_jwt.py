"""With a Microsoft app id every request to `/api/messages` needs the Bot Connector's token,
on either transport: a request without one, or with one that is wrong in any single way, is
a 401 and changes nothing; a good one is served. The signing keys come from a local token
service (tests/stand_ins/teams_tokens.py) each SDK is pointed at instead of Microsoft's.

(Without an app id there is no token to check: local mode, tests/adapters/teams/
test_teams_transport.py, where only a serviceUrl on this machine is answered.)
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from storage.models import Channel
from tests.adapters.teams.harness import TeamsHarness, count, words
from tests.stand_ins import teams_activities as teams
from tests.stand_ins.teams_tokens import TokenService, another_key, running_token_service

APP_ID = "00000000-1111-2222-3333-444444444444"
# Where Teams' channel would have Concord answer: only ever named here, never called.
TEAMS_SERVICE = "https://smba.trafficmanager.net/emea/"
Token = Callable[[TokenService], str]


def _point_botbuilder_at(service: TokenService, monkeypatch: pytest.MonkeyPatch) -> None:
    from botframework.connector.auth import ChannelValidation, JwtTokenExtractor

    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", service.metadata_url)
    monkeypatch.setattr(JwtTokenExtractor, "metadataCache", {})  # keys of earlier tests


def _point_agents_at(service: TokenService, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Agents SDK picks the keys' address from the token's issuer (Microsoft's, for a
    Bot Framework or Entra issuer): here every issuer's keys are the local service's, so a
    token with a wrong issuer is refused for its issuer, not for a key nobody serves.
    Concord's own token from Entra ID (MSAL), which a connector client asks for when it
    sends, is never checked here: it is a fixed string."""
    from microsoft_agents.authentication.msal import MsalAuth
    from microsoft_agents.hosting.core.authorization.jwt import jwt_token_validator

    monkeypatch.setattr(jwt_token_validator, "_build_jwks_uri", lambda *_: service.keys_url)
    fresh = jwt_token_validator._JwkClientManager()  # keys of earlier tests
    monkeypatch.setattr(jwt_token_validator.JwtTokenValidator, "_jwk_client_manager", fresh)

    async def concords_token(*_: object, **__: object) -> str:
        return "concords-own-token"

    monkeypatch.setattr(MsalAuth, "get_access_token", concords_token)


POINT_AT = {"botbuilder": _point_botbuilder_at, "agents": _point_agents_at}


@pytest.fixture
def token_service(teams_sdk, monkeypatch) -> Iterator[TokenService]:
    """The local token service, the transport under test trusting its keys alone."""
    with running_token_service() as service:
        POINT_AT[teams_sdk](service, monkeypatch)
        yield service


@pytest.fixture
async def authenticated_app(teams_harness, token_service) -> Any:
    async with teams_harness(app_id=APP_ID, app_password="secret") as harness:
        yield harness


def unsigned_jwt(issuer: str) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return ".".join([part({"alg": "none", "typ": "JWT"}), part({"iss": issuer}), ""])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


REFUSED: list[Any] = [
    pytest.param(lambda service: {}, id="no token"),
    pytest.param(lambda service: bearer("garbage"), id="garbage"),
    pytest.param(lambda service: {"Authorization": "Basic dXNlcjpwYXNz"}, id="wrong scheme"),
    pytest.param(lambda service: bearer(unsigned_jwt("https://evil.example/")), id="unsigned"),
    pytest.param(
        lambda service: bearer(service.token(APP_ID, TEAMS_SERVICE, expires_in=-3600)),
        id="expired",
    ),
    pytest.param(
        lambda service: bearer(service.token(APP_ID, TEAMS_SERVICE, audience="another-bot")),
        id="wrong audience",
    ),
    pytest.param(
        lambda service: bearer(
            service.token(APP_ID, TEAMS_SERVICE, issuer="https://evil.example/")
        ),
        id="wrong issuer",
    ),
    pytest.param(
        lambda service: bearer(service.token(APP_ID, TEAMS_SERVICE, signed_by=another_key())),
        id="key nobody published",
    ),
]


@pytest.mark.parametrize("headers", REFUSED)
async def test_with_an_app_id_a_request_without_a_good_token_is_401(
    authenticated_app: TeamsHarness, token_service: TokenService, headers: Callable[..., Any]
):
    activity = teams.message(TEAMS_SERVICE, 'setup "North"')
    response = await authenticated_app.send(activity, **headers(token_service))

    assert response.status == 401
    assert "token is missing or invalid" in await response.text()
    assert count(authenticated_app.database, Channel) == 0
    assert authenticated_app.stub.calls == []


async def test_with_an_app_id_a_good_token_is_served(
    authenticated_app: TeamsHarness, token_service: TokenService
):
    """A click on a button Concord doesn't know is answered in the invoke response: no call
    to the Bot Connector, so nothing leaves this machine."""
    activity = teams.execute(TEAMS_SERVICE, {"action": "help-me"})
    token = token_service.token(APP_ID, TEAMS_SERVICE)
    response = await authenticated_app.send(activity, **bearer(token))

    assert response.status == 200, await response.text()
    body = await response.json()
    assert "no action called “help-me”" in words(body["value"])
