"""Teams without credentials is served only when asked for, and only on this machine
(issue 16, item 1).

Without MICROSOFT_APP_ID nothing checks who sends an activity, so `/api/messages`
exists then only with CONCORD_TEAMS_LOCAL=true, for a test client on this machine, and
that setting is refused at start next to an app id or any address beyond this machine.
Whether a client connects from a loopback address is never what lets it in: behind a
reverse proxy on the same machine every client does.
"""

from __future__ import annotations

import logging

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.teams.package import MESSAGING_PATH
from bot.app import create_app
from bot.cli import main
from bot.settings import load_settings
from tests.bot import test_serve
from tests.stand_ins import teams_activities as teams

clean_env = test_serve.clean_env
APP_ID = "00000000-1111-2222-3333-444444444444"


@pytest.fixture
def env(clean_env, tmp_path, teams_sdk):
    """A clean environment with a database, on each Teams transport."""
    clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'concord.db'}")
    clean_env.setenv("CONCORD_TEAMS_SDK", teams_sdk)
    return clean_env


async def post_an_activity(caplog: pytest.LogCaptureFixture) -> int:
    """Start Concord as configured, post an activity from this machine: the status."""
    with caplog.at_level(logging.INFO):
        async with TestClient(TestServer(create_app(load_settings()), host="127.0.0.1")) as client:
            activity = teams.member_added("http://127.0.0.1:9/")  # nothing to send
            response = await client.post(MESSAGING_PATH, json=activity)
            return response.status


async def test_without_an_app_id_or_local_mode_api_messages_is_not_served(env, caplog):
    assert await post_an_activity(caplog) == 404
    assert any(
        r.getMessage().startswith("Teams is off: /api/messages is not served")
        for r in caplog.records
    )


async def test_local_mode_serves_api_messages_and_says_so(env, caplog):
    env.setenv("CONCORD_TEAMS_LOCAL", "true")
    assert await post_an_activity(caplog) == 201
    assert any(
        r.levelno == logging.WARNING and "local mode (CONCORD_TEAMS_LOCAL)" in r.getMessage()
        for r in caplog.records
    )


async def test_with_an_app_id_api_messages_wants_a_token(env, caplog):
    env.setenv("MICROSOFT_APP_ID", APP_ID)
    env.setenv("MICROSOFT_APP_PASSWORD", "secret")
    assert await post_an_activity(caplog) == 401  # from this machine, as from anywhere


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"MICROSOFT_APP_ID": APP_ID}, "unset it, or unset MICROSOFT_APP_ID"),
        (
            {"CONCORD_PUBLIC_URL": "https://concord.example.org"},
            "CONCORD_PUBLIC_URL https://concord.example.org is not on this machine",
        ),
        ({"CONCORD_HOST": "0.0.0.0"}, "CONCORD_HOST 0.0.0.0 is not a loopback address"),
        ({"CONCORD_HOST": "10.0.0.5"}, "CONCORD_HOST 10.0.0.5"),
    ],
)
def test_local_mode_beyond_this_machine_stops_start_up(env, capsys, settings, named):
    env.setenv("CONCORD_TEAMS_LOCAL", "true")
    for name, value in settings.items():
        env.setenv(name, value)

    assert main(["serve"]) == 2

    error = capsys.readouterr().err
    assert error.count("\n") == 1, error
    assert error.startswith(
        "concord: configuration error: CONCORD_TEAMS_LOCAL serves Teams without "
        "authentication, to this machine only: "
    )
    assert named in error


@pytest.mark.parametrize(
    ("host", "public_url"),
    [("127.0.0.1", None), ("localhost", "http://localhost:3978"), ("::1", "http://[::1]:3978")],
)
def test_local_mode_on_this_machine_starts(env, host, public_url):
    env.setenv("CONCORD_TEAMS_LOCAL", "true")
    env.setenv("CONCORD_HOST", host)
    if public_url:
        env.setenv("CONCORD_PUBLIC_URL", public_url)
    assert load_settings().teams_served
