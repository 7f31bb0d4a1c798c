"""The Slack app manifest for "Create an app → From a manifest", as JSON or YAML.

Reference: https://api.slack.com/reference/manifests. In HTTP mode Slack sends
events, slash commands and interactivity to `<public URL>/slack/events`; in Socket
Mode it needs no URL at all, which suits networks that block inbound traffic.
"""

from __future__ import annotations

import json
from typing import Any

EVENTS_PATH = "/slack/events"
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"
CREATE_POLL_CALLBACK_ID = "create_poll"

# Each bot scope, and why Concord needs it: an admin reviewing the install sees no surprises.
# The manifest's words stay British English: Slack app manifests have no localisation.
BOT_SCOPES = {
    "commands": (
        "the /concord slash command and the “Create a poll” shortcut"  # i18n: not for readers
    ),
    "chat:write": (
        "post polls, results and check-ins, "  # i18n: not for readers
        "and update them as votes arrive"
    ),
    "chat:write.public": (
        "post a poll in a public channel Concord has not been invited to"  # i18n: not for readers
    ),
    "pins:write": "pin the adopted shared purpose in each linked channel",  # i18n: not for readers
    "files:write": (
        "send an export (a poll's ballots, the decision log) "  # i18n: not for readers
        "as a file to whoever asked"
    ),
    "app_mentions:read": "read “@Concord …” commands in channels",  # i18n: not for readers
    "im:history": "read commands sent to Concord in a direct message",  # i18n: not for readers
    "im:read": "know which direct message a command came from",  # i18n: not for readers
    "im:write": (
        "open a direct message for private notices "  # i18n: not for readers
        "such as gentle reminders"
    ),
    "channels:read": (
        "member_joined_channel events in public channels (new members)"  # i18n: not for readers
    ),
    "groups:read": (
        "member_joined_channel events in private channels (new members)"  # i18n: not for readers
    ),
    "users:read": (
        "show each member by their display name, "  # i18n: not for readers
        "in their own zone and language"
    ),
    "team:read": "name the workspace when a collaborative spans several",  # i18n: not for readers
}

BOT_EVENTS = [
    "app_mention",
    "message.im",
    "app_home_opened",
    "app_uninstalled",
    "tokens_revoked",
    "member_joined_channel",
]


def manifest(
    public_url: str | None,
    socket_mode: bool,
    app_name: str = "Concord",  # i18n: not for readers
) -> dict[str, Any]:
    """The manifest for HTTP mode (needs `public_url`) or Socket Mode (needs no URL)."""
    events_url = None if socket_mode else _url(public_url, EVENTS_PATH)
    return {
        "display_information": {
            "name": app_name,
            "description": (
                "Agree a shared purpose, "  # i18n: not for readers
                "decide by vote and check in, together."
            ),
            "background_color": "#1d4f5c",
        },
        "features": _features(app_name, events_url),
        "oauth_config": _oauth_config(public_url),
        "settings": _settings(events_url, socket_mode),
    }


def _features(app_name: str, events_url: str | None) -> dict[str, Any]:
    command = {
        "command": "/concord",
        "description": (
            "Polls, purpose rounds and check-ins for your collaborative"  # i18n: not for readers
        ),
        "usage_hint": (
            'help | poll "Question?" "Option" "Option" | checkin list'  # i18n: not for readers
        ),
        # The grammar reads "@Display Name" as typed, so Slack should not rewrite it.
        "should_escape": False,
    }
    return {
        "app_home": {
            "home_tab_enabled": True,
            "messages_tab_enabled": True,
            "messages_tab_read_only_enabled": False,
        },
        "bot_user": {"display_name": app_name, "always_online": True},
        "slash_commands": [{**command, "url": events_url} if events_url else command],
        "shortcuts": [
            {
                "name": "Create a poll",  # i18n: not for readers
                "type": "global",
                "callback_id": CREATE_POLL_CALLBACK_ID,
                "description": "Start a poll for your collaborative",  # i18n: not for readers
            }
        ],
    }


def _oauth_config(public_url: str | None) -> dict[str, Any]:
    config: dict[str, Any] = {"scopes": {"bot": list(BOT_SCOPES)}}
    if public_url:
        config["redirect_urls"] = [_url(public_url, OAUTH_REDIRECT_PATH)]
    return config


def _settings(events_url: str | None, socket_mode: bool) -> dict[str, Any]:
    events: dict[str, Any] = {"bot_events": BOT_EVENTS}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if events_url:
        events["request_url"] = events_url
        interactivity["request_url"] = events_url
    return {
        "event_subscriptions": events,
        "interactivity": interactivity,
        "org_deploy_enabled": False,
        "socket_mode_enabled": socket_mode,
        "token_rotation_enabled": False,
    }


def _url(public_url: str | None, path: str) -> str:
    if not public_url:
        raise ValueError("HTTP mode needs a public URL: pass one, or use Socket Mode")
    return public_url.rstrip("/") + path


def as_yaml(document: dict[str, Any]) -> str:
    """`document` as block-style YAML, the form Slack's manifest editor shows.

    Every scalar is written as JSON, which YAML reads unchanged (strings become
    double-quoted scalars), so no YAML library is needed.
    """
    return "\n".join(_yaml_lines(document, 0)) + "\n"


def _yaml_lines(value: dict[str, Any] | list[Any], depth: int) -> list[str]:
    pad = "  " * depth
    entries = (
        [(f"{pad}{key}:", item) for key, item in value.items()]
        if isinstance(value, dict)
        else [(f"{pad}-", item) for item in value]
    )
    lines = []
    for prefix, item in entries:
        if isinstance(item, dict | list) and item:
            lines += [prefix, *_yaml_lines(item, depth + 1)]
        else:
            lines.append(f"{prefix} {json.dumps(item, ensure_ascii=False)}")
    return lines
