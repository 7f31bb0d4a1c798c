"""Text as it enters the engine, cleaned of what no database can store.

PostgreSQL's text refuses the NUL character, and no database driver can encode a lone
surrogate (half of a UTF-16 pair, which a JSON body can spell as `\\ud800`). Either
would fail the person's turn deep inside a transaction; and the marks of a moment token
(`dialogs.core.moments`) would let a person's words pass for a time Concord wrote. All
are removed here, at
the one door every event comes through (`Engine.handle`, `Engine.handle_all`): from
command text, form values, display names and the ids of people and places. When the
removed characters were the person's own words (a command, a form), they are told.
"""

from __future__ import annotations

import re
from dataclasses import replace

from dialogs.core.cards import ActorModel, Card, Context, Effect, Notify, PlaceModel
from dialogs.core.events import ActionInvoked, Actor, CommandIssued, Event, Place
from dialogs.core.language import ngettext
from dialogs.core.moments import END, MIDDLE, START

# What no database stores (NUL, lone surrogates), and the marks of a moment token
# (`dialogs.core.moments`), which only the engine may write.
_UNSTORABLE = re.compile(f"[\x00\ud800-\udfff{START}{MIDDLE}{END}]")


def storable(text: str) -> tuple[str, int]:
    """`text` without the characters no database can store, and how many there were."""
    return _UNSTORABLE.subn("", text)


def cleaned(event: Event) -> tuple[Event, int]:
    """`event` with every text storable, and how many characters of the person's own
    words (command text, form values) were removed."""
    match event:
        case CommandIssued(actor, place, text):
            text, removed = storable(text)
            return CommandIssued(_actor(actor), _place(place), text), removed
        case ActionInvoked():
            return action(event)
    return replace(event, place=_place(event.place)), 0


def action(event: ActionInvoked) -> tuple[ActionInvoked, int]:
    """`cleaned` for a click or a form."""
    values, removed = _values(event.form_values)
    actor, place = _actor(event.actor), _place(event.place)
    return replace(event, actor=actor, place=place, form_values=values), removed


def noted(removed: int, event: Event, effects: list[Effect]) -> list[Effect]:
    """`effects`, and a word to the person if characters of theirs were removed."""
    if not removed or not isinstance(event, (CommandIssued, ActionInvoked)):
        return effects
    words = ngettext(
        "Removed {count} character your message can't contain",
        "Removed {count} characters your message can't contain",
        removed,
    ).format(count=removed)
    said = ngettext(
        "Removed {count} character your message can't contain "
        "(null, broken or reserved characters).",
        "Removed {count} characters your message can't contain "
        "(null, broken or reserved characters).",
        removed,
    ).format(count=removed)
    card = Card(blocks=[Context(text=said)], fallback=words)
    notice = Notify(actor=ActorModel.of(event.actor), place=PlaceModel.of(event.place), card=card)
    return [*effects, notice]


def _actor(actor: Actor) -> Actor:
    fields = (
        actor.platform,
        actor.tenant_id,
        actor.user_id,
        actor.display_name,
        actor.home_tenant_id,
        actor.timezone,
        actor.locale,  # kept: the engine answers in the language the platform says
    )
    return Actor(*(storable(value)[0] for value in fields))


def _place(place: Place) -> Place:
    thread = storable(place.thread_id)[0] if place.thread_id is not None else None
    platform, tenant, channel = (
        storable(value)[0] for value in (place.platform, place.tenant_id, place.channel_id)
    )
    return Place(platform, tenant, channel, thread)


def _values(values: dict[str, str | list[str]]) -> tuple[dict[str, str | list[str]], int]:
    removed = 0
    kept: dict[str, str | list[str]] = {}
    for key, value in values.items():
        count = 0  # anything but text or a list of choices is left as the adapter gave it
        if isinstance(value, str):
            value, count = storable(value)
        elif isinstance(value, list):
            pairs = [storable(item) if isinstance(item, str) else (item, 0) for item in value]
            value, count = [text for text, __ in pairs], sum(n for __, n in pairs)
        kept[storable(key)[0] if isinstance(key, str) else key] = value
        removed += count
    return kept, removed
