"""Slack's own "are you sure?" dialog on a button, from a neutral `Confirm`."""

from __future__ import annotations

from typing import Any

from adapters.slack.escape import plain_text
from dialogs.core.cards import Confirm, Select
from dialogs.core.language import _

MAX_CONFIRM_TITLE = 100
MAX_CONFIRM_TEXT = 300
MAX_CONFIRM_BUTTON = 30


def confirm_dialog(confirm: Confirm, *, danger: bool) -> dict[str, Any]:
    """The dialog, all plain text (user text is never parsed); red when the act is."""
    dialog = {
        "title": plain_text(confirm.title, MAX_CONFIRM_TITLE),
        "text": plain_text(confirm.text, MAX_CONFIRM_TEXT),
        "confirm": plain_text(confirm.yes, MAX_CONFIRM_BUTTON),
        "deny": plain_text(confirm.no, MAX_CONFIRM_BUTTON),
    }
    return {**dialog, "style": "danger"} if danger else dialog


def choice_dialog(select: Select) -> dict[str, Any]:
    """What a menu in a message asks once a choice is made: Slack sends a menu's choice the
    moment it is made, and a slip of the keyboard must not act (nor ever cast a vote)."""
    asked = Confirm(
        title=select.placeholder,
        text=_("{name}: go ahead with your choice?").format(name=select.spoken)
        if select.spoken
        else _("Go ahead with your choice?"),
        yes=_("Go ahead"),
        no=_("Not yet"),
    )
    return confirm_dialog(asked, danger=False)
