"""A button that asks before it acts, the way Adaptive Cards can: they have no
confirmation dialog, so the button folds out a small card with the question and the
button that acts (`yes`); pressing the first button again folds it away (`no`)."""

from __future__ import annotations

from typing import Any

from adapters.teams.escape import markdown, shorten
from dialogs.core.cards import Confirm
from dialogs.core.language import _

CardJson = dict[str, Any]


def fold_out(confirm: Confirm, submit: CardJson, *, text_room: int, label_room: int) -> CardJson:
    """An `Action.ShowCard` titled like `submit`, asking `confirm` before `submit` is sent
    (`submit` and its `fallback`, if it has one, retitled `confirm.yes`)."""
    title = shorten(confirm.yes, label_room)
    named = {"tooltip": f"{title}: {submit['tooltip']}"} if "tooltip" in submit else {}
    said = {"title": title, **named}
    yes = {**submit, **said}
    if isinstance(submit.get("fallback"), dict):
        yes["fallback"] = {**submit["fallback"], **said}
    question = [
        _text(markdown(confirm.title, text_room), weight="Bolder"),  # i18n: not for readers
        _text(markdown(confirm.text, text_room)),
        _text(
            markdown(
                _("{no}? Press the button again to fold this away.").format(no=confirm.no),
                text_room,
            ),
            size="Small",  # i18n: not for readers
            isSubtle=True,
        ),
        {"type": "ActionSet", "actions": [yes]},
    ]
    asking = {
        "type": "Action.ShowCard",
        "title": submit["title"],
        "card": {"type": "AdaptiveCard", "body": question},
    }
    named = {key: submit[key] for key in ("style", "tooltip") if key in submit}
    return {**asking, **named}


def _text(text: str, **style: Any) -> CardJson:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}
