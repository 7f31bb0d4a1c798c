"""What the page sends, checked field by field before anything reaches the engine.

Every refusal is a `BadRequest` whose message says what was wrong; the routes
turn it into a JSON error with the matching status.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from adapters.playground.demo import CHANNEL_IDS, CHANNELS
from adapters.request_json import MalformedJson, load_object
from dialogs.core.events import MAX_COMMAND_LENGTH
from dialogs.core.language import LANGUAGES, _
from dialogs.core.ports import Person

MAX_BODY_BYTES = 64 * 1024
MAX_NAME = 80
MAX_ACTION = 200
MAX_VALUES = 50
MAX_VALUE_NAME = 100
MAX_VALUE_TEXT = 4000
MAX_CHOICES = 100
_USER_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
GUEST_PREFIX = "guest-"
log = logging.getLogger(__name__)


class BadRequest(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Who:
    """The person acting: a known user id, or a new name to act under; and the language
    chosen beside the persona picker, as a locale ("cy-GB"; "" when none was sent)."""

    user_id: str
    name: str | None
    locale: str = ""


@dataclass(frozen=True)
class CommandRequest:
    who: Who
    channel_id: str
    text: str


@dataclass(frozen=True)
class ActionRequest:
    who: Who
    channel_id: str
    action: str
    values: dict[str, str | list[str]] = field(default_factory=dict)


def parse_body(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_BODY_BYTES:
        too_large = _("The request is larger than {size} KB.").format(size=MAX_BODY_BYTES // 1024)
        raise BadRequest(too_large, 413)
    try:
        return load_object(raw)
    except MalformedJson as error:
        log.warning("refused a playground request: %s", error)
        raise BadRequest(str(error)) from None


def command_request(body: dict[str, Any]) -> CommandRequest:
    text = _string(body, "text", MAX_COMMAND_LENGTH, allow_empty=True)
    return CommandRequest(_who(body), _channel(body), text)


def action_request(body: dict[str, Any]) -> ActionRequest:
    action = _string(body, "action", MAX_ACTION)
    return ActionRequest(_who(body), _channel(body), action, _values(body.get("values", {})))


def user_id(value: str) -> str:
    if not _USER_ID.fullmatch(value):
        raise BadRequest(
            _('`user` must be a user id such as "asha": lower-case letters, digits, . _ or -.')
        )
    return value


def guest_id(name: str) -> str:
    """A stable user id for a visitor who typed `name`; never one of the demo personas' ids."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    if not slug:
        slug = hashlib.sha256(name.encode()).hexdigest()[:10]
    return GUEST_PREFIX + slug


def translate_mentions(text: str, people: Iterable[Person]) -> str:
    """`@Asha Patel` (a known person, any case) → `<@asha>`; other mentions stay as typed."""
    by_name = {person.name.casefold(): person.user_id for person in people}
    if not by_name:
        return text
    names = sorted(by_name, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w<])@(" + "|".join(re.escape(name) for name in names) + r")(?!\w)",
        re.IGNORECASE,
    )
    return pattern.sub(lambda match: f"<@{by_name[match.group(1).casefold()]}>", text)


def _who(body: dict[str, Any]) -> Who:
    name = _name(body["name"]) if body.get("name") is not None else None
    locale = _locale(body.get("language"))
    user = body.get("user")
    if user is not None:
        if not isinstance(user, str):
            raise BadRequest(_("`user` must be a string."))
        return Who(user_id(user), name, locale)
    if name is None:
        raise BadRequest(_('Say who is acting: `user` (such as "asha") or a new `name`.'))
    return Who(guest_id(name), name, locale)


def _locale(language: object) -> str:
    """The page's language choice ("en", "cy") as the locale a platform would report."""
    if language is None:
        return ""
    if language not in LANGUAGES:
        raise BadRequest(
            _("`language` must be one of: {languages}.").format(languages=", ".join(LANGUAGES))
        )
    return f"{language}-GB"


def _name(value: object) -> str:
    if not isinstance(value, str):
        raise BadRequest(_("`name` must be a string."))
    control = "Cc"  # i18n: not for readers (Unicode's category of control characters)
    cleaned = " ".join("".join(c for c in value if unicodedata.category(c) != control).split())
    if not cleaned or len(cleaned) > MAX_NAME:
        raise BadRequest(_("`name` must be 1 to {most} characters.").format(most=MAX_NAME))
    return cleaned


def _channel(body: dict[str, Any]) -> str:
    channel = body.get("channel")
    if not isinstance(channel, str) or channel not in CHANNEL_IDS:
        known = ", ".join(c.channel_id for c in CHANNELS)
        shown = channel[:40] if isinstance(channel, str) else json.dumps(channel)[:40]
        unknown = _("Unknown channel {channel}: use one of {known}.")
        raise BadRequest(unknown.format(channel=repr(shown), known=known))
    return str(channel)


def _string(body: dict[str, Any], key: str, limit: int, *, allow_empty: bool = False) -> str:
    value = body.get(key)
    if not isinstance(value, str):
        raise BadRequest(_("`{field}` must be a string.").format(field=key))
    if not allow_empty and not value.strip():
        raise BadRequest(_("`{field}` can't be empty.").format(field=key))
    if len(value) > limit:
        too_long = _("`{field}` can be at most {most} characters.")
        raise BadRequest(too_long.format(field=key, most=limit))
    return value


def _values(values: object) -> dict[str, str | list[str]]:
    if not isinstance(values, dict) or len(values) > MAX_VALUES:
        too_many = _("`values` must be an object with at most {most} fields.")
        raise BadRequest(too_many.format(most=MAX_VALUES))
    checked: dict[str, str | list[str]] = {}
    for name, value in values.items():
        if not 0 < len(name) <= MAX_VALUE_NAME:
            named = _("Form field names must be 1 to {most} characters.")
            raise BadRequest(named.format(most=MAX_VALUE_NAME))
        checked[name] = _form_value(name, value)
    return checked


def _form_value(name: str, value: object) -> str | list[str]:
    if isinstance(value, str) and len(value) <= MAX_VALUE_TEXT:
        return value
    if (
        isinstance(value, list)
        and len(value) <= MAX_CHOICES
        and all(isinstance(item, str) and len(item) <= MAX_ACTION for item in value)
    ):
        return list(value)
    raise BadRequest(
        _(
            "Form field {field} must be text of at most {most} characters "
            "or a list of at most {choices} choices."
        ).format(field=repr(name[:40]), most=MAX_VALUE_TEXT, choices=MAX_CHOICES)
    )
