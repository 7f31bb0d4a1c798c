"""Bot Framework activities from Teams as neutral events, and the ids they carry.

Neutral ids: the platform is "teams"; the tenant is the conversation's tenant (or
`channelData.tenant.id`); the channel is the conversation id without the
`;messageid=…` suffix Teams adds to replies in a channel thread (that suffix is the
thread); the person is their Entra object id when Teams sends it, else their
Bot Framework id, and their own tenant (`Actor.home_tenant_id`) is `from.tenantId`
when it is there and not the conversation's (a shared channel's guest from elsewhere);
their time zone is the one their client reports (`zone_of`), and their language the
activity's `locale` (`locale_of`).

Card buttons carry `{"action": "…", "view": "…"}` in their data. Teams delivers an
`Action.Submit` as a message activity whose `value` is that data merged with the
card's inputs: an `ActionInvoked` whose `form_values` are the other keys. A dialog's
invokes (`task/fetch`, `task/submit`, `composeExtension/submitAction`) carry it as
`value.data`, with an `msteams` key that tells Teams to open the dialog and means
nothing to Concord; they become the same `ActionInvoked`. An `Action.Execute` arrives
as an `adaptiveCard/action` invoke, which `adapters.teams.universal_actions` reads and
answers.

Everything here reads the activity as it is on the wire (the Bot Framework's JSON, camelCase
names), so it serves either Teams SDK's transport (`adapters.teams.botbuilder`,
`adapters.teams.agents`) alike.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from adapters.teams.pickers import joined
from dialogs.core.clock import is_time_zone
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Place

PLATFORM = "teams"
MAX_TENANT_ID = 100  # longer than any tenant id; what a tenant column holds
MESSAGE = "message"
INVOKE = "invoke"
CONVERSATION_UPDATE = "conversationUpdate"
INSTALLATION_UPDATE = "installationUpdate"
CARD_ACTION_INVOKE = "adaptiveCard/action"
TASK_FETCH = "task/fetch"
TASK_SUBMIT = "task/submit"
COMPOSE_FETCH = "composeExtension/fetchTask"
COMPOSE_SUBMIT = "composeExtension/submitAction"
# The invokes whose `value.data` is a button's data merged with a form's inputs.
_DATA_INVOKES = (TASK_FETCH, TASK_SUBMIT, COMPOSE_SUBMIT)
# What a button's data says of itself (and `msteams`, for Teams alone): not an input.
_NOT_VALUES = ("action", "view", "msteams")
# What a conversation reference keeps of an activity (botbuilder's and the Agents SDK's
# `get_conversation_reference` less the activity id, the person and their locale).
_REFERENCE = {"recipient": "bot", "conversation": "conversation", "channelId": "channelId"}
THREAD_MARK = ";messageid="
_LOCALE = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8}){0,3}")  # a BCP 47 language tag
_AT = re.compile(r"<at>(.*?)</at>", re.IGNORECASE | re.DOTALL)

Activity = Mapping[str, Any]
"""An activity as JSON, as the Bot Framework sends it (camelCase names)."""


# An activity's lists whose items both SDKs read field by field: objects, never null.
_LISTS = ("entities", "attachments", "membersAdded", "membersRemoved")


class MalformedActivity(ValueError):
    """An activity that lacks what every Teams activity of its kind carries."""


def missing(activity: Activity) -> str | None:
    """What the activity lacks that Concord reads from every one of its kind (a transport
    answers 400 naming it), else None."""
    if not _text(activity, "type"):
        return "type"
    if not _text(activity, "serviceUrl"):
        return "serviceUrl"
    if not _text(activity.get("conversation"), "id"):
        return "conversation.id"
    if not _text(activity.get("recipient"), "id"):
        return "recipient.id"
    if activity["type"] in (MESSAGE, INVOKE) and not _text(activity.get("from"), "id"):
        return "from.id"
    for name in _LISTS:
        found = activity.get(name)
        if isinstance(found, list) and None in found:
            return f"{name} without nulls"  # i18n: not for readers
        if found is not None and not (
            isinstance(found, list) and all(isinstance(each, Mapping) for each in found)
        ):
            return f"{name} as a list of objects"  # i18n: not for readers
    return None


def tenant_of(activity: Activity) -> str:
    tenant_id = _get(activity.get("conversation"), "tenantId")
    if isinstance(tenant_id, str) and tenant_id:
        return tenant_id
    tenant_id = _get(_get(activity.get("channelData"), "tenant"), "id")
    return tenant_id if isinstance(tenant_id, str) else ""


def split_conversation_id(conversation_id: str) -> tuple[str, str | None]:
    """`19:…@thread.tacv2;messageid=17…` → (`19:…@thread.tacv2`, `17…`)."""
    base, mark, thread = conversation_id.partition(THREAD_MARK)
    return base, (thread or None) if mark else None


def conversation_id_of(activity: Activity) -> str:
    """The activity's conversation id as it came (a channel thread's suffix included)."""
    found = _get(activity.get("conversation"), "id")
    if not isinstance(found, str) or not found:
        raise MalformedActivity("the activity has no conversation.id")  # i18n: not for readers
    return found


def place_of(activity: Activity) -> Place:
    channel_id, thread_id = split_conversation_id(conversation_id_of(activity))
    return Place(PLATFORM, tenant_of(activity), channel_id, thread_id)


def activity_id(activity: Activity) -> str | None:
    """The activity's own id, which makes a redelivery of it change nothing; None if none."""
    found = activity.get("id")
    return found if isinstance(found, str) and found else None


def sender_id(activity: Activity) -> str:
    """The sender's Bot Framework id (`29:…`), what the connector knows them by in a turn."""
    found = _get(activity.get("from"), "id")
    if not isinstance(found, str) or not found:
        raise MalformedActivity("the activity has no from.id")  # i18n: not for readers
    return found


def actor_of(activity: Activity) -> Actor:
    person = activity.get("from")
    user_id = _text(person, "aadObjectId") or _text(person, "id")
    if not user_id:
        raise MalformedActivity("the activity has no from.id")  # i18n: not for readers
    tenant = tenant_of(activity)
    home = "" if (home := home_tenant_of(person)) == tenant else home
    name = _text(person, "name")
    return Actor(PLATFORM, tenant, user_id, name, home, zone_of(activity), locale_of(activity))


def zone_of(activity: Activity) -> str:
    """The sender's IANA time zone as their Teams client reports it: the activity's
    `localTimezone`, else the `timezone` of its `clientInfo` entity; "" when neither names
    a real zone (a client may send nothing, or a Windows name such as "GMT Standard Time")."""
    found = [activity.get("localTimezone"), *_client_info(activity, "timezone")]
    return next((z for z in found if isinstance(z, str) and is_time_zone(z)), "")


def locale_of(activity: Activity) -> str:
    """The language the sender's Teams client is set to, as the activity's `locale`
    ("cy-GB", "en-US"), else the `locale` of its `clientInfo` entity; "" when neither is a
    language tag (the engine reads its language from it, `dialogs.core.language`)."""
    found = [activity.get("locale"), *_client_info(activity, "locale")]
    return next((tag for tag in found if isinstance(tag, str) and _LOCALE.fullmatch(tag)), "")


def home_tenant_of(person: Any) -> str:
    """The person's own tenant, when the activity names it; else "".

    In a shared channel `conversation.tenantId` and `channelData.tenant.id` name the
    host's tenant, whoever speaks. Teams describes a person with their own tenant as
    `tenantId` on an account (`TeamsChannelAccount`, as the roster API returns it), so
    an activity whose `from` carries `tenantId` says where its sender is from; one
    without it leaves the person counted as the host's.
    """
    found = _get(person, "tenantId")
    return found.lower() if isinstance(found, str) and len(found) <= MAX_TENANT_ID else ""


def is_personal(activity: Activity) -> bool:
    return _get(activity.get("conversation"), "conversationType") == "personal"


def is_invoke(activity: Activity, names: tuple[str, ...] | frozenset[str] = ()) -> bool:
    """An invoke (one of `names`, when given): its HTTP response is the answer."""
    name = activity.get("name")
    return activity.get("type") == INVOKE and (
        not names or (isinstance(name, str) and name in names)
    )


def command_text(activity: Activity) -> str:
    """What the person typed, with the bot's @mention taken out.

    Not the SDKs' `remove_recipient_mention`: it deletes the bot's *name*
    everywhere in the text, as a regular expression, so `poll "Concord's future?"`
    would lose a word. Here each mention of the bot is removed once, exactly as it
    appears, and mentions of people become `@Name` for commands like `role`.
    """
    text = activity.get("text")
    text = text if isinstance(text, str) else ""
    bot_id = _get(activity.get("recipient"), "id")
    for mention in _entities(activity, "mention"):
        mentioned, shown = mention.get("mentioned"), mention.get("text")
        if not isinstance(mentioned, Mapping) or not isinstance(shown, str):
            continue
        if mentioned.get("id") == bot_id:
            text = text.replace(shown, " ", 1)
    text = _AT.sub(lambda match: "@" + match.group(1).strip(), text)
    text = html.unescape(text).replace("\xa0", " ")
    return " ".join(text.split())  # never cut: the engine refuses what is too long


def card_action(activity: Activity) -> tuple[str, dict[str, str | list[str]]] | None:
    """The `action` and other values an `Action.Submit` sent, if this activity is one."""
    value: Any = activity.get("value")
    if activity.get("type") == INVOKE:
        if activity.get("name") not in _DATA_INVOKES:
            return None
        value = _get(value, "data")
    if not isinstance(value, Mapping):
        return None
    chosen = value.get("action")
    if not isinstance(chosen, str) or not chosen:
        return None
    return chosen, form_values(value)


def compose_command(activity: Activity) -> str | None:
    """The id of the compose-box command a message-extension invoke is for, if any."""
    command_id = _get(activity.get("value"), "commandId")
    return command_id if isinstance(command_id, str) else None


def to_event(activity: Activity) -> CommandIssued | ActionInvoked | None:
    """A message, an `Action.Submit` click or a dialog's invoke as a neutral event; None
    for anything else
    (an `Action.Execute` click is read by `adapters.teams.universal_actions`)."""
    if activity.get("type") not in (MESSAGE, INVOKE):
        return None
    submitted = card_action(activity)
    if submitted is not None:
        action, values = submitted
        return ActionInvoked(actor_of(activity), place_of(activity), action, values)
    if activity.get("type") != MESSAGE:
        return None
    text = command_text(activity)
    if not text:
        return None
    return CommandIssued(actor_of(activity), place_of(activity), text)


def bot_was_added(activity: Activity) -> bool:
    """Concord itself joined this conversation (not some other member)."""
    kind = activity.get("type")
    if kind == INSTALLATION_UPDATE:
        return str(activity.get("action") or "").lower() in ("add", "add-upgrade")
    bot_id = _get(activity.get("recipient"), "id")
    if kind != CONVERSATION_UPDATE or not bot_id:
        return False
    added = activity.get("membersAdded")
    return any(_get(member, "id") == bot_id for member in added or [])


def reference_of(activity: Activity) -> dict[str, Any]:
    """The conversation reference to reach this conversation later, as plain JSON.

    It names the conversation itself (no thread suffix, no activity id), so
    proactive posts start a new message rather than answer an old one; and no
    person (nor their locale), so it is the same whoever spoke last and a channel's
    row keeps nobody's account.
    """
    reference: dict[str, Any] = {
        kept: activity[name] for name, kept in _REFERENCE.items() if activity.get(name)
    }
    conversation = reference.get("conversation")
    if isinstance(conversation, Mapping) and isinstance(conversation.get("id"), str):
        base = split_conversation_id(conversation["id"])[0]
        reference["conversation"] = {**conversation, "id": base}
    if activity.get("serviceUrl"):
        reference["serviceUrl"] = activity["serviceUrl"]
    return reference


def form_values(value: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """A click's input values: every key but the button's own (`action`, `view`), as text
    or lists of text, a picked day and time as one value (`pickers.joined`)."""
    values: dict[str, str | list[str]] = {}
    for key, item in value.items():
        if key in _NOT_VALUES or not isinstance(key, str):
            continue
        if isinstance(item, str):
            values[key] = item
        elif isinstance(item, bool | int | float):
            values[key] = str(item).lower() if isinstance(item, bool) else str(item)
        elif isinstance(item, list) and all(isinstance(each, str) for each in item):
            values[key] = list(item)
    return joined(values)


def _get(node: Any, key: str) -> Any:
    """`node[key]` of a JSON object; None when absent or not an object."""
    return node.get(key) if isinstance(node, Mapping) else None


def _text(node: Any, key: str) -> str:
    found = _get(node, key)
    return found if isinstance(found, str) else ""


def _entities(activity: Activity, kind: str) -> list[Mapping[str, Any]]:
    found = activity.get("entities")
    listed = found if isinstance(found, list) else []
    return [each for each in listed if isinstance(each, Mapping) and each.get("type") == kind]


def _client_info(activity: Activity, key: str) -> list[Any]:
    return [entity.get(key) for entity in _entities(activity, "clientInfo")]
