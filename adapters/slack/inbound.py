"""Slack payloads → neutral events: pure functions, no bolt, no network.

Everything in a payload is untrusted (even a signed one: a workspace member types the
text, and a crafted client can send any `value`). Each function reads only what it
needs, ignores keys of the wrong type, caps every length, and returns None for
anything not meant for us (bot messages, edits, other apps' buttons, malformed
payloads) instead of raising. The engine re-checks every action against the database.

Identities: platform "slack"; `tenant_id` is the workspace (team) id. In an
Enterprise Grid org-wide install a payload can carry the org's `enterprise_id` too; we
still key on the workspace the person acted in (`team.id`, else `user.team_id`), so a
channel shared between two workspaces of one org is known under the workspace that
linked it. A person's own workspace (`Actor.home_tenant_id`, for organisations that count
a workspace) is `user.team_id` in an interaction and `user_team` in a message event, when
it differs; a slash command names only the workspace it was typed in (`team_id`).

Text: Slack sends `&`, `<` and `>` typed by people as `&amp;`, `&lt;` and `&gt;`, and
mentions as `<@U123>` or `<@U123|name>`. Command text is handed on with mentions as
`<@U123>` (what the grammar reads) and those three entities decoded, so a poll about
"Fish & chips" is stored as typed and escaped once, by the renderer, on the way out.

Modals: `modal_metadata(action, place)` is the `private_metadata` to open a form
with — JSON `{"action": …, "channel": …, "thread": …}` (thread only when set). A
`view_submission` reads the action and the place back from it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from adapters.slack.render import ACTION_ID_PREFIX, FORM_CALLBACK_ID, MAX_PRIVATE_METADATA
from dialogs.core.actions import is_vote
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Place

PLATFORM = "slack"
MAX_ACTION = 200
MAX_NAME = 200
MAX_FORM_VALUE = 3000
MAX_FORM_INPUTS = 50
MAX_FORM_CHOICES = 100

SLACK_ID = re.compile(r"[A-Z0-9][A-Za-z0-9._-]{0,254}")
TS = re.compile(r"\d{1,20}\.\d{1,10}")
MENTION = re.compile(r"<@([A-Z0-9][A-Za-z0-9._-]{0,254})(?:\|[^<>]*)?>")
LEADING_MENTION = re.compile(r"\s*<@([A-Z0-9][A-Za-z0-9._-]{0,254})(?:\|[^<>]*)?>[\s,:]*")
ENTITY = re.compile(r"&(amp|lt|gt);")
ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
TEXT_TYPES = {"plain_text_input", "number_input", "email_text_input", "url_text_input"}
SINGLE_CHOICE_TYPES = {"static_select", "radio_buttons", "external_select"}
MULTI_CHOICE_TYPES = {"checkboxes", "multi_static_select", "multi_external_select"}


# Public API: one function per kind of payload.


def from_slash_command(form: Mapping[str, Any]) -> CommandIssued | None:
    """A `/concord …` command (the form body Slack posts) → the command, or None if malformed."""
    team_id = _id(form.get("team_id"))
    channel_id = _id(form.get("channel_id"))
    user_id = _id(form.get("user_id"))
    if not (team_id and channel_id and user_id):
        return None
    actor = _actor(team_id, user_id, _string(form.get("user_name")))
    return CommandIssued(actor, _place(team_id, channel_id), command_text(form.get("text")))


def from_app_mention(
    event: Mapping[str, Any], team_id: str, bot_user_id: str | None = None
) -> CommandIssued | None:
    """An `app_mention` event ("@Concord poll …") → the command after the leading mention.

    With `bot_user_id`, only a leading mention of the bot is stripped. Bot messages,
    edits and any other subtype are ignored.
    """
    if not isinstance(event, Mapping) or event.get("type") != "app_mention":
        return None
    text = event.get("text")
    text = text if isinstance(text, str) else ""
    match = LEADING_MENTION.match(text)
    if match and (bot_user_id is None or match.group(1) == bot_user_id):
        text = text[match.end() :]
    return _message_command(event, team_id, text)


def from_direct_message(event: Mapping[str, Any], team_id: str) -> CommandIssued | None:
    """A `message` event in the person's DM with Concord (`message.im`) → the command."""
    if not isinstance(event, Mapping) or event.get("type") != "message":
        return None
    if event.get("channel_type") != "im":
        return None
    return _message_command(event, team_id, event.get("text"))


def from_block_actions(payload: Mapping[str, Any]) -> ActionInvoked | None:
    """A button click or a select choice on one of our messages → the neutral action.

    `origin` is the message's `ts` (for `chat.update`). Actions whose `action_id` is
    not ours, and payloads without a workspace, person or channel, give None.
    """
    if not isinstance(payload, Mapping) or payload.get("type") != "block_actions":
        return None
    actions = payload.get("actions")
    first = actions[0] if isinstance(actions, list) and actions else None
    action = _clicked_action(first) if isinstance(first, Mapping) else None
    actor = payload_actor(payload)
    place = _action_place(payload, actor.tenant_id) if actor else None
    if not (action and actor and place):
        return None
    return ActionInvoked(actor, place, action, origin=_message_ts(payload))


def vote_click(payload: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The payload (already verified as Slack's, and parsed by `well_formed.read`) if it is a
    click on one of our vote buttons (`vote:…`), else None."""
    if not isinstance(payload, dict) or payload.get("type") != "block_actions":
        return None
    actions = payload.get("actions")
    first = actions[0] if isinstance(actions, list) and len(actions) == 1 else None
    action = _clicked_action(first) if isinstance(first, Mapping) else None
    return payload if action is not None and is_vote(action) else None


def from_view_submission(payload: Mapping[str, Any]) -> ActionInvoked | None:
    """A submitted Concord form → its action, with every input's value by input name.

    The action and the place come from `view.private_metadata` (see `modal_metadata`);
    the values from `view.state.values`. A view that is not ours gives None.
    """
    if not isinstance(payload, Mapping) or payload.get("type") != "view_submission":
        return None
    view = payload.get("view")
    if not isinstance(view, Mapping) or view.get("callback_id") != FORM_CALLBACK_ID:
        return None
    metadata = read_modal_metadata(view.get("private_metadata"))
    actor = payload_actor(payload)
    if not (metadata and actor):
        return None
    action, channel_id, thread_id = metadata
    place = _place(actor.tenant_id, channel_id, thread_id)
    return ActionInvoked(actor, place, action, form_values(view.get("state")))


def modal_metadata(action: str, place: Place) -> str:
    """The `private_metadata` for a form opened from `place` that submits `action`."""
    data = {"action": action, "channel": place.channel_id}
    if place.thread_id:
        data["thread"] = place.thread_id
    encoded = json.dumps(data, separators=(",", ":"))
    if len(action) > MAX_ACTION or len(encoded) > MAX_PRIVATE_METADATA:
        raise ValueError(f"form action {action[:40]!r}… is too long for private_metadata")
    return encoded


def read_modal_metadata(raw: object) -> tuple[str, str, str | None] | None:
    """(action, channel, thread) from `modal_metadata`'s encoding, or None if it is not that."""
    if not isinstance(raw, str) or len(raw) > MAX_PRIVATE_METADATA:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    action = _action(data.get("action"))
    channel_id = _id(data.get("channel"))
    thread = data.get("thread")
    thread_id = _ts(thread) if thread is not None else None
    if not (action and channel_id) or (thread is not None and not thread_id):
        return None
    return action, channel_id, thread_id


def form_values(state: object) -> dict[str, str | list[str]]:
    """`view.state.values` → {input name: typed text, chosen value or chosen values}.

    Inputs are read by `action_id` (render_modal gives each input its name as both
    `block_id` and `action_id`). Elements of unknown types are left out.
    """
    values = state.get("values") if isinstance(state, Mapping) else None
    if not isinstance(values, Mapping):
        return {}
    found: dict[str, str | list[str]] = {}
    for block in list(values.values())[:MAX_FORM_INPUTS]:
        if not isinstance(block, Mapping):
            continue
        for name, element in list(block.items())[:MAX_FORM_INPUTS]:
            value = _element_value(element)
            if isinstance(name, str) and len(name) <= MAX_NAME and value is not None:
                found[name] = value
    return found


def normalise_mentions(text: str) -> str:
    """`<@U123|name>` (Slack's escaped form) and `<@U123>` both become `<@U123>`."""
    return MENTION.sub(lambda m: f"<@{m.group(1)}>", text)


def command_text(raw: object) -> str:
    """Command text as the grammar reads it: mentions normalised, `&amp;`/`&lt;`/`&gt;`
    decoded (once). Anything but a string is "". Never cut: a command longer than the
    engine reads is refused there, saying how long it is (a cut could drop a flag)."""
    text = normalise_mentions(raw if isinstance(raw, str) else "")
    return ENTITY.sub(lambda m: ENTITIES[m.group(1)], text)


# Reading one piece of a payload, defensively.


def _message_command(event: Mapping[str, Any], team_id: str, text: object) -> CommandIssued | None:
    """The command in a person's message event, or None for bots, edits and subtypes."""
    if any(key in event for key in ("subtype", "bot_id", "bot_profile", "edited")):
        return None
    team = _id(team_id)
    channel_id = _id(event.get("channel"))
    user_id = _id(event.get("user"))
    if not (team and channel_id and user_id):
        return None
    home = _id(event.get("user_team"))
    actor = _actor(team, user_id, _profile_name(event.get("user_profile")), home)
    place = _place(team, channel_id, _ts(event.get("thread_ts")))
    return CommandIssued(actor, place, command_text(text))


def _clicked_action(action: Mapping[str, Any]) -> str | None:
    """The neutral action of a clicked button or chosen option, if the element is ours."""
    action_id = action.get("action_id")
    if not isinstance(action_id, str) or not action_id.startswith(ACTION_ID_PREFIX):
        return None
    kind = action.get("type")
    if kind == "button":
        return _action(action.get("value"))
    if kind == "static_select":
        option = action.get("selected_option")
        return _action(option.get("value")) if isinstance(option, Mapping) else None
    return None


def payload_actor(payload: Mapping[str, Any]) -> Actor | None:
    """The person in an interaction payload, in the workspace they acted in."""
    user = payload.get("user")
    if not isinstance(user, Mapping):
        return None
    team = payload.get("team")
    home = _id(user.get("team_id"))
    team_id = _id(team.get("id")) if isinstance(team, Mapping) else None
    team_id = team_id or home
    user_id = _id(user.get("id"))
    if not (team_id and user_id):
        return None
    name = _string(user.get("name")) or _string(user.get("username"))
    return _actor(team_id, user_id, name, home)


def _action_place(payload: Mapping[str, Any], team_id: str) -> Place | None:
    """The channel (and thread) of the clicked message; a view's place from its metadata."""
    channel = payload.get("channel")
    container = payload.get("container")
    container = container if isinstance(container, Mapping) else {}
    channel_id = _id(channel.get("id")) if isinstance(channel, Mapping) else None
    channel_id = channel_id or _id(container.get("channel_id"))
    if channel_id:
        message = payload.get("message")
        thread = message.get("thread_ts") if isinstance(message, Mapping) else None
        return _place(team_id, channel_id, _ts(thread or container.get("thread_ts")))
    view = payload.get("view")
    raw = view.get("private_metadata") if isinstance(view, Mapping) else None
    metadata = read_modal_metadata(raw)
    return _place(team_id, metadata[1], metadata[2]) if metadata else None


def _message_ts(payload: Mapping[str, Any]) -> str | None:
    message = payload.get("message")
    container = payload.get("container")
    ts = message.get("ts") if isinstance(message, Mapping) else None
    if ts is None and isinstance(container, Mapping):
        ts = container.get("message_ts")
    return _ts(ts)


def _element_value(element: object) -> str | list[str] | None:
    """What one input element in `view.state.values` holds; None for unknown elements."""
    if not isinstance(element, Mapping):
        return None
    kind = element.get("type")
    if kind in TEXT_TYPES:
        return _string(element.get("value"), MAX_FORM_VALUE)
    if kind in SINGLE_CHOICE_TYPES:
        option = element.get("selected_option")
        return _option_value(option) if isinstance(option, Mapping) else ""
    if kind == "datetimepicker":
        return _instant(element.get("selected_date_time"))
    if kind in MULTI_CHOICE_TYPES:
        options = element.get("selected_options")
        if not isinstance(options, list):
            return []
        chosen = [_option_value(o) for o in options[:MAX_FORM_CHOICES] if isinstance(o, Mapping)]
        return [value for value in chosen if value]
    return None


def _instant(seconds: object) -> str:
    """A picked moment (Unix seconds) as ISO 8601 with its offset; nothing picked is empty,
    and anything else is passed on as text, for the engine to refuse by name."""
    if seconds is None:
        return ""
    if isinstance(seconds, int) and not isinstance(seconds, bool) and 0 <= seconds < 2**35:
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    return _string(str(seconds), MAX_FORM_VALUE)


def _option_value(option: Mapping[str, Any]) -> str:
    return _string(option.get("value"), MAX_FORM_VALUE)


def _profile_name(profile: object) -> str:
    if not isinstance(profile, Mapping):
        return ""
    return _string(profile.get("display_name")) or _string(profile.get("real_name"))


def _actor(team_id: str, user_id: str, name: str, home: str | None = None) -> Actor:
    """A Slack person; the user id stands in for a name the payload did not carry. `home`
    is their own workspace, kept when it is not the one they acted in (Slack Connect)."""
    own = home if home and home != team_id else ""
    return Actor(PLATFORM, team_id, user_id, name.strip()[:MAX_NAME] or user_id, own)


def _place(team_id: str, channel_id: str, thread_id: str | None = None) -> Place:
    return Place(PLATFORM, team_id, channel_id, thread_id)


def _id(value: object) -> str | None:
    """A Slack id (`T…`, `U…`, `C…`, `D…`) or None for anything else."""
    return value if isinstance(value, str) and SLACK_ID.fullmatch(value) else None


def _ts(value: object) -> str | None:
    """A message timestamp like "1700000000.000100", or None."""
    return value if isinstance(value, str) and TS.fullmatch(value) else None


def _action(value: object) -> str | None:
    """An action string as the renderer wrote it; None if missing, empty or too long."""
    if not isinstance(value, str) or not value or len(value) > MAX_ACTION:
        return None
    return value


def _string(value: object, limit: int = MAX_NAME) -> str:
    """`value` if it is a string (cut to `limit`), else ""."""
    return value[:limit] if isinstance(value, str) else ""
