"""Bot Framework activities as Teams sends them (shapes from Microsoft's docs), for tests.

Every builder takes the connector's `service_url`, so Concord's answers go to the
local stub (tests/teams_connector.py).
"""

from __future__ import annotations

import itertools
from typing import Any

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT_ID = "28:c9e8c047-2a74-40a2-b28a-b162d5f5327c"
BOT_NAME = "Concord"
USER_ID = (
    "29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw"
)
USER_AAD = "6be4c4ba-3a9e-4b0f-9b5e-1c2f3a4b5c6d"
USER_NAME = "Megan Bowen"
TEAM_CHANNEL = "19:3c1e2b0f6f4f4a0c9d1f0b5a6e7d8c9b@thread.tacv2"
GROUP_CHAT = "19:meeting_group_chat_abc@thread.v2"
PERSONAL_CHAT = "a:1pE1kQ9mC3bTq2k8sYzR7xW4vN6uL0oJ5hG3fD2sA1"

_ids = itertools.count(1)
Json = dict[str, Any]


def _conversation(kind: str) -> Json:
    if kind == "personal":
        return {"conversationType": "personal", "tenantId": TENANT, "id": PERSONAL_CHAT}
    if kind == "groupChat":
        return {
            "isGroup": True,
            "conversationType": "groupChat",
            "tenantId": TENANT,
            "id": GROUP_CHAT,
        }
    return {
        "isGroup": True,
        "conversationType": "channel",
        "tenantId": TENANT,
        "id": TEAM_CHANNEL,
        "name": "General",
    }


def _channel_data(kind: str) -> Json:
    data: Json = {"tenant": {"id": TENANT}}
    if kind == "channel":
        data["teamsChannelId"] = TEAM_CHANNEL
        data["teamsTeamId"] = "19:team-north@thread.tacv2"
        data["channel"] = {"id": TEAM_CHANNEL}
        data["team"] = {"id": "19:team-north@thread.tacv2"}
    return data


def base(service_url: str, kind: str = "channel", **overrides: Any) -> Json:
    activity: Json = {
        "id": f"1700000{next(_ids):06d}",
        "timestamp": "2026-11-26T09:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": USER_ID, "name": USER_NAME, "aadObjectId": USER_AAD},
        "conversation": _conversation(kind),
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "channelData": _channel_data(kind),
        "locale": "en-GB",
    }
    activity.update(overrides)
    return activity


def message(service_url: str, text: str, kind: str = "channel", **overrides: Any) -> Json:
    """A typed message; outside a personal chat it starts with an @Concord mention."""
    mention = f"<at>{BOT_NAME}</at>"
    entities: list[Json] = []
    if kind != "personal":
        text = f"{mention} {text}"
        entities.append(
            {"type": "mention", "text": mention, "mentioned": {"id": BOT_ID, "name": BOT_NAME}}
        )
    return base(
        service_url,
        kind,
        type="message",
        text=text,
        textFormat="plain",
        entities=entities,
        **overrides,
    )


def submit(service_url: str, data: Json, kind: str = "channel", **overrides: Any) -> Json:
    """An `Action.Submit` click: a message with the button's data (and inputs) as `value`."""
    return base(service_url, kind, type="message", value=data, **overrides)


def execute(
    service_url: str,
    data: Json,
    kind: str = "channel",
    *,
    verb: str | None = None,
    trigger: str = "manual",
    **overrides: Any,
) -> Json:
    """An `Action.Execute` click: an `adaptiveCard/action` invoke. `verb` defaults to the
    kind of `data["action"]` (its prefix before ":"), as Concord's buttons carry it; a
    refresh is `execute(url, {"view": key}, verb="refresh", trigger="automatic")`."""
    action = data.get("action") if isinstance(data, dict) else None
    if verb is None:
        verb = action.partition(":")[0] if isinstance(action, str) else "concord"
    value = {
        "action": {"type": "Action.Execute", "verb": verb, "data": data},
        "trigger": trigger,
    }
    return base(
        service_url, kind, type="invoke", name="adaptiveCard/action", value=value, **overrides
    )


def bot_added(service_url: str, kind: str = "channel") -> Json:
    """Concord added to a team (or chat): a conversationUpdate naming the bot."""
    return base(
        service_url,
        kind,
        type="conversationUpdate",
        membersAdded=[{"id": BOT_ID}],
        channelData={**_channel_data(kind), "eventType": "teamMemberAdded"},
    )


def member_added(service_url: str, kind: str = "channel") -> Json:
    return base(service_url, kind, type="conversationUpdate", membersAdded=[{"id": USER_ID}])


def installation_added(service_url: str, kind: str = "personal") -> Json:
    return base(service_url, kind, type="installationUpdate", action="add")


def _invoke(service_url: str, name: str, value: Json, kind: str, **overrides: Any) -> Json:
    return base(service_url, kind, type="invoke", name=name, value=value, **overrides)


_THEME = {"theme": "default"}


def task_fetch(service_url: str, data: Json, kind: str = "channel", **overrides: Any) -> Json:
    """A click on an `Action.Submit` whose data has `msteams.type` `task/fetch`: Teams asks
    for the dialog to open."""
    return _invoke(service_url, "task/fetch", {"data": data, "context": _THEME}, kind, **overrides)


def task_submit(service_url: str, data: Json, kind: str = "channel", **overrides: Any) -> Json:
    """A dialog's `Action.Submit`: the button's data merged with the dialog card's inputs."""
    value = {"data": data, "context": _THEME}
    return _invoke(service_url, "task/submit", value, kind, **overrides)


def _compose(command_id: str, **more: Any) -> Json:
    return {"commandId": command_id, "commandContext": "compose", "context": _THEME, **more}


def compose_fetch(
    service_url: str, kind: str = "channel", command_id: str = "createPoll", **overrides: Any
) -> Json:
    """A message-extension action command chosen in the compose box: Teams asks for its dialog."""
    value = _compose(command_id)
    return _invoke(service_url, "composeExtension/fetchTask", value, kind, **overrides)


def compose_submit(
    service_url: str,
    data: Json,
    kind: str = "channel",
    command_id: str = "createPoll",
    **overrides: Any,
) -> Json:
    """The action command's dialog submitted: its card's data merged with the inputs."""
    value = _compose(command_id, data=data)
    return _invoke(service_url, "composeExtension/submitAction", value, kind, **overrides)
