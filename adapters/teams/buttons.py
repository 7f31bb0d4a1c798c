"""How a click reaches Concord from an Adaptive Card: Universal Actions, with fallbacks.

A button is an `Action.Execute` whose `verb` is its action's kind (`vote`, `stance`,
`close`, … — `dialogs.core.actions.verb_of`) and whose `data` is
`{"action": <the engine's action>, "view": <the card's key, when it has one>}`; Teams
sends it as an `adaptiveCard/action` invoke, answered with the clicker's own view
(`adapters.teams.universal_actions`). Its `fallback` is an `Action.Submit` with the
same data, for clients without Universal Actions, which deliver it as a message whose
`value` is that data. A button that opens a form (`dialogs.core.actions.opens_form`)
is that `Action.Submit` alone, with `msteams.type` `task/fetch`, so Teams asks for the
form as a dialog where the person clicked (`adapters.teams.task_modules`).

A keyed card carries `refresh`, so Teams asks for each person's view (verb
`refresh`) when they see it: by itself for the `userIds` listed, which Teams accepts
for at most 60 people; without them Teams offers "Refresh card" instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from adapters.teams.escape import shorten
from dialogs.core.actions import opens_form, verb_of

CardJson = dict[str, Any]

SUBMIT = "Action.Submit"
EXECUTE = "Action.Execute"
REFRESH = "refresh"  # the verb Teams sends to ask for a person's view of a keyed card
MAX_REFRESH_USERS = 60  # Teams refreshes by itself for at most this many people
MAX_TOOLTIP = 300  # Teams sets none; a tooltip longer than a sentence helps nobody


def clickable(
    label: str,
    action: str,
    label_room: int,
    view: str | None,
    style: str | None = None,
    *,
    spoken: str | None = None,
) -> CardJson:
    """The button for `action`: an `Action.Execute` with its `Action.Submit` fallback, or,
    for a button that opens a form, that `Action.Submit` alone. `spoken`, its accessible
    name where the label alone is ambiguous, is its `tooltip`, which Teams gives screen
    readers as well as the pointer (without one, they read the title)."""
    data = {"action": action, **({"view": view} if view else {})}
    submit: CardJson = {"type": SUBMIT, "title": shorten(label, label_room), "data": data}
    if spoken:
        submit["tooltip"] = shorten(spoken, MAX_TOOLTIP)
    if style:
        submit["style"] = style
    if opens_form(action):
        return {**submit, "data": {"msteams": {"type": "task/fetch"}, **data}}
    return {**submit, "type": EXECUTE, "verb": verb_of(action), "fallback": submit}


def refresh(key: str, user_ids: Sequence[str] | None) -> CardJson:
    """A keyed card's `refresh`, listing `user_ids` when they are known and few enough."""
    found: CardJson = {"action": {"type": EXECUTE, "verb": REFRESH, "data": {"view": key}}}
    if user_ids is not None and len(user_ids) <= MAX_REFRESH_USERS:
        found["userIds"] = list(user_ids)
    return found
