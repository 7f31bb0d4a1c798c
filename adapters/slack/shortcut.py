"""The "Create a poll" global shortcut's first step: which channel the poll is for.

A global shortcut is started from anywhere in Slack, so it carries no channel. Its
modal asks for one (`conversations_select`), and the submission becomes the same
bare `poll` command a person would type there; the engine answers with the poll
form, which replaces this modal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.slack import inbound
from dialogs.core.events import CommandIssued
from dialogs.core.language import N_, _

CALLBACK_ID = "concord-choose-channel"
INPUT = "channel"
PICK_ONE = N_("Choose the channel of your collaborative that the poll is for.")


def channel_picker() -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": {"type": "plain_text", "text": _("Create a poll")},
        "submit": {"type": "plain_text", "text": _("Next")},
        "close": {"type": "plain_text", "text": _("Cancel")},
        "blocks": [
            {
                "type": "input",
                "block_id": INPUT,
                "label": {"type": "plain_text", "text": _("Post the poll in")},
                "element": {
                    "type": "conversations_select",
                    "action_id": INPUT,
                    "default_to_current_conversation": True,
                    "filter": {"include": ["public", "private"], "exclude_bot_users": True},
                },
            }
        ],
    }


def poll_command(payload: Mapping[str, Any]) -> CommandIssued | None:
    """The `view_submission` of the picker as the command `poll` in the chosen channel."""
    view = payload.get("view")
    state = view.get("state") if isinstance(view, Mapping) else None
    values = state.get("values") if isinstance(state, Mapping) else None
    block = values.get(INPUT) if isinstance(values, Mapping) else None
    element = block.get(INPUT) if isinstance(block, Mapping) else None
    channel = element.get("selected_conversation") if isinstance(element, Mapping) else None
    user = payload.get("user")
    team = payload.get("team")
    if not isinstance(user, Mapping):
        return None
    slash_form = {
        "team_id": team.get("id") if isinstance(team, Mapping) else user.get("team_id"),
        "channel_id": channel,
        "user_id": user.get("id"),
        "user_name": user.get("name") or user.get("username"),
        "text": "poll",
    }
    return inbound.from_slash_command(slash_form)
