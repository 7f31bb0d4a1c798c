"""Slack payloads as Slack sends them, built for tests.

Shapes follow Slack's documented examples (slash command form body, Events API
`event_callback` envelopes with `app_mention` and `message.im`, interactivity
`block_actions` and `view_submission`), trimmed of fields we never read but keeping
the ones a real payload carries around them, so a reader sees what arrives.
"""

from __future__ import annotations

import itertools
from typing import Any

TEAM = "T0001"
ENTERPRISE = "E0001"
CHANNEL = "C2147483705"
DM_CHANNEL = "D024BE91L"
USER = "U2147483697"
USER_NAME = "asha"
BOT_USER = "U0LAN0Z89"
BOT_ID = "B0LAN0Z89"
MESSAGE_TS = "1700000000.000100"
API_APP = "A0KRD7HC3"
# Slack's response URLs are on hooks.slack.com; ours point at a closed loopback port, so
# nothing a test sends (bolt answers some refusals there) can leave this machine.
RESPONSE_URL_BASE = "http://127.0.0.1:9"


# Slack gives every slash command and form submission its own trigger_id (Concord
# absorbs a replay by it).
_TRIGGERS = itertools.count(0x8088930838D88F008E0)


def slash_command(text: str, **overrides: Any) -> dict[str, Any]:
    """The form body of a `/concord` command (as parsed from application/x-www-form-urlencoded)."""
    form = {
        "token": "gIkuvaNzQIHg97ATvDxqgjtO",
        "team_id": TEAM,
        "team_domain": "northshire",
        "enterprise_id": ENTERPRISE,
        "enterprise_name": "Northshire Health",
        "channel_id": CHANNEL,
        "channel_name": "collab-north",
        "user_id": USER,
        "user_name": USER_NAME,
        "command": "/concord",
        "text": text,
        "api_app_id": API_APP,
        "is_enterprise_install": "false",
        "response_url": f"{RESPONSE_URL_BASE}/commands/1234/5678",
        "trigger_id": f"13345224609.738474920.{next(_TRIGGERS):x}",
    }
    return {**form, **overrides}


def event_callback(event: dict[str, Any], team_id: str = TEAM) -> dict[str, Any]:
    """The Events API envelope around one event."""
    return {
        "token": "XXYYZZ",
        "team_id": team_id,
        "api_app_id": API_APP,
        "event": event,
        "type": "event_callback",
        "event_id": "Ev08MFMKH6",
        "event_time": 1700000000,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIn0",
    }


def app_mention(text: str, **overrides: Any) -> dict[str, Any]:
    """An `app_mention` event: `text` usually starts with `<@BOT_USER>`."""
    event = {
        "type": "app_mention",
        "client_msg_id": "a8744611-0210-4f85-9f15-5faf7fb225c8",
        "user": USER,
        "text": text,
        "ts": "1700000001.000200",
        "team": TEAM,
        "channel": CHANNEL,
        "event_ts": "1700000001.000200",
        "blocks": [{"type": "rich_text", "block_id": "bGzL", "elements": []}],
    }
    return {**event, **overrides}


def direct_message(text: str, **overrides: Any) -> dict[str, Any]:
    """A `message` event in a person's DM with the app (`message.im`)."""
    event = {
        "type": "message",
        "channel": DM_CHANNEL,
        "user": USER,
        "text": text,
        "ts": "1700000002.000300",
        "event_ts": "1700000002.000300",
        "channel_type": "im",
        "client_msg_id": "0f3b4e3e-8ed0-4b9c-9a1a-1b3c7d0a3e77",
        "team": TEAM,
        "user_profile": {
            "real_name": "Asha Patel",
            "display_name": "Asha",
            "name": USER_NAME,
            "team": TEAM,
        },
    }
    return {**event, **overrides}


def bot_message(text: str) -> dict[str, Any]:
    """A DM event posted by a bot (our own replies come back like this)."""
    return {
        "type": "message",
        "subtype": "bot_message",
        "text": text,
        "ts": "1700000003.000400",
        "bot_id": BOT_ID,
        "channel": DM_CHANNEL,
        "channel_type": "im",
        "event_ts": "1700000003.000400",
    }


def edited_message(text: str) -> dict[str, Any]:
    """A `message_changed` event: someone edited an earlier message."""
    return {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": DM_CHANNEL,
        "channel_type": "im",
        "ts": "1700000004.000500",
        "message": {"type": "message", "user": USER, "text": text, "ts": "1700000002.000300"},
        "event_ts": "1700000004.000500",
    }


def _interaction_user(team_id: str) -> dict[str, Any]:
    return {"id": USER, "username": USER_NAME, "name": USER_NAME, "team_id": team_id}


def global_shortcut(callback_id: str = "create_poll") -> dict[str, Any]:
    """A global shortcut started from anywhere in Slack: it names no channel."""
    return {
        "type": "shortcut",
        "token": "9s8d9as89d8as9d8as989",
        "action_ts": "1700000020.123456",
        "team": {"id": TEAM, "domain": "northshire"},
        "user": {"id": USER, "username": USER_NAME, "team_id": TEAM},
        "callback_id": callback_id,
        "trigger_id": "944799105734.773906753841.38b5894552bdd4a780554ee59d1f3bfb",
    }


def button_click(value: str, action_id: str = "concord-1", **overrides: Any) -> dict[str, Any]:
    """A `block_actions` payload for a click on a button in a channel message."""
    action = {
        "action_id": action_id,
        "block_id": "=qXel",
        "text": {"type": "plain_text", "text": "Vote", "emoji": True},
        "value": value,
        "type": "button",
        "action_ts": "1700000010.123456",
    }
    return block_actions(action, **overrides)


def select_choice(value: str, action_id: str = "concord-2", **overrides: Any) -> dict[str, Any]:
    """A `block_actions` payload for a choice in a `static_select` in a channel message."""
    option = {"text": {"type": "plain_text", "text": "Pick", "emoji": True}, "value": value}
    action = {
        "type": "static_select",
        "action_id": action_id,
        "block_id": "VZj0",
        "selected_option": option,
        "placeholder": {"type": "plain_text", "text": "Choose", "emoji": True},
        "action_ts": "1700000011.123456",
    }
    return block_actions(action, **overrides)


def block_actions(action: dict[str, Any], team_id: str = TEAM, **overrides: Any) -> dict[str, Any]:
    """The `block_actions` envelope around one action on a message in CHANNEL."""
    payload = {
        "type": "block_actions",
        "user": _interaction_user(team_id),
        "api_app_id": API_APP,
        "token": "9s8d9as89d8as9d8as989",
        "container": {
            "type": "message",
            "message_ts": MESSAGE_TS,
            "channel_id": CHANNEL,
            "is_ephemeral": False,
        },
        "trigger_id": "156772938.1827394",
        "team": {"id": team_id, "domain": "northshire"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": CHANNEL, "name": "collab-north"},
        "message": {
            "type": "message",
            "user": BOT_USER,
            "ts": MESSAGE_TS,
            "bot_id": BOT_ID,
            "text": "Poll",
            "blocks": [],
        },
        "state": {"values": {}},
        "response_url": f"{RESPONSE_URL_BASE}/actions/T0001/1234/abcd",
        "actions": [action],
    }
    return {**payload, **overrides}


def text_state(value: str | None) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def select_state(value: str | None) -> dict[str, Any]:
    option = None if value is None else _option(value)
    return {"type": "static_select", "selected_option": option}


def checkboxes_state(values: list[str], kind: str = "checkboxes") -> dict[str, Any]:
    return {"type": kind, "selected_options": [_option(v) for v in values]}


def _option(value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": value[:75], "emoji": True}, "value": value}


def view_submission(
    private_metadata: str,
    inputs: dict[str, dict[str, Any]],
    callback_id: str = "concord-form",
    team_id: str = TEAM,
) -> dict[str, Any]:
    """A `view_submission` of a modal; `inputs` maps input name → its state element.

    Each input's block_id and action_id is its name, as render_modal writes them.
    """
    values = {name: {name: element} for name, element in inputs.items()}
    view = {
        "id": "VNHU13V36",
        "team_id": team_id,
        "type": "modal",
        "blocks": [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": values},
        "hash": "156663117.cd33ad1f",
        "title": {"type": "plain_text", "text": "New poll", "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
        "submit": {"type": "plain_text", "text": "Create", "emoji": True},
        "previous_view_id": None,
        "root_view_id": "VNHU13V36",
        "app_id": API_APP,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": BOT_ID,
    }
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "northshire"},
        "user": _interaction_user(team_id),
        "api_app_id": API_APP,
        "token": "9s8d9as89d8as9d8as989",
        "trigger_id": f"12466734323.{next(_TRIGGERS)}",
        "view": view,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
