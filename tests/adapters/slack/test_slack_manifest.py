"""`concord slack-manifest`: an admin pastes its output into Slack's "From a manifest" page."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from adapters.slack.manifest import BOT_EVENTS, BOT_SCOPES, as_yaml, manifest
from tests.support.processes import concord_env

PUBLIC = "https://concord.example.nhs.uk"


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "slack-manifest", *args],
        env=concord_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_http_mode_sends_commands_events_and_clicks_to_our_public_url():
    app = manifest(f"{PUBLIC}/", socket_mode=False)

    command = app["features"]["slash_commands"][0]
    assert (command["command"], command["url"]) == ("/concord", f"{PUBLIC}/slack/events")
    assert command["description"] and command["usage_hint"]
    settings = app["settings"]
    assert settings["event_subscriptions"]["request_url"] == f"{PUBLIC}/slack/events"
    assert settings["interactivity"] == {
        "is_enabled": True,
        "request_url": f"{PUBLIC}/slack/events",
    }
    assert settings["socket_mode_enabled"] is False
    assert app["oauth_config"]["redirect_urls"] == [f"{PUBLIC}/slack/oauth_redirect"]


def test_socket_mode_needs_no_url_anywhere():
    app = manifest(None, socket_mode=True)

    assert "https://" not in json.dumps(app)
    assert app["settings"]["socket_mode_enabled"] is True
    assert app["settings"]["interactivity"] == {"is_enabled": True}
    assert "url" not in app["features"]["slash_commands"][0]
    assert "redirect_urls" not in app["oauth_config"]


def test_the_app_asks_for_the_scopes_and_events_concord_uses_and_no_more():
    app = manifest(PUBLIC, socket_mode=False)

    scopes = app["oauth_config"]["scopes"]["bot"]
    assert set(scopes) == {
        "commands",
        "chat:write",
        "chat:write.public",
        "pins:write",
        "files:write",
        "app_mentions:read",
        "im:history",
        "im:read",
        "im:write",
        "channels:read",
        "groups:read",
        "users:read",
        "team:read",
    }
    assert all(BOT_SCOPES[scope] for scope in scopes)  # each one has its reason
    assert (
        app["settings"]["event_subscriptions"]["bot_events"]
        == BOT_EVENTS
        == [
            "app_mention",
            "message.im",
            "app_home_opened",
            "app_uninstalled",
            "tokens_revoked",
            "member_joined_channel",
        ]
    )


def test_the_app_has_a_home_tab_an_always_online_bot_and_a_create_poll_shortcut():
    features = manifest(None, socket_mode=True, app_name="Concord (test)")["features"]

    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
    assert features["bot_user"] == {"display_name": "Concord (test)", "always_online": True}
    assert features["shortcuts"] == [
        {
            "name": "Create a poll",
            "type": "global",
            "callback_id": "create_poll",
            "description": "Start a poll for your collaborative",
        }
    ]


def test_the_yaml_form_reads_back_as_the_same_manifest():
    for app in (manifest(PUBLIC, socket_mode=False), manifest(None, socket_mode=True)):
        assert yaml.safe_load(as_yaml(app)) == app


def test_the_command_prints_the_manifest_as_json():
    result = run_cli("--public-url", PUBLIC)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == manifest(PUBLIC, socket_mode=False)


def test_the_command_takes_the_public_url_from_the_environment_or_runs_in_socket_mode():
    from_env = run_cli(CONCORD_PUBLIC_URL=PUBLIC)
    socket = run_cli("--socket-mode", "--format", "yaml")

    assert json.loads(from_env.stdout) == manifest(PUBLIC, socket_mode=False)
    assert socket.returncode == 0 and "socket_mode_enabled: true" in socket.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "needs --public-url https://… (or CONCORD_PUBLIC_URL) or --socket-mode"),
        (("--public-url", "http://10.0.0.5:3978"), "must start with https://"),
    ],
)
def test_without_a_usable_public_url_or_socket_mode_the_command_says_what_to_pass(args, expected):
    result = run_cli(*args)

    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and expected in result.stderr
