"""Slack's own "are you sure?" dialog on a button, from a neutral `Confirm`."""

from __future__ import annotations

from typing import Any

from adapters.slack.escape import shorten
from dialogs.core.cards import Confirm

MAX_CONFIRM_TITLE = 100
MAX_CONFIRM_TEXT = 300
MAX_CONFIRM_BUTTON = 30


def confirm_dialog(confirm: Confirm, *, danger: bool) -> dict[str, Any]:
    """The dialog, all plain text (user text is never parsed); red when the act is."""
    dialog = {
        "title": _plain(confirm.title, MAX_CONFIRM_TITLE),
        "text": _plain(confirm.text, MAX_CONFIRM_TEXT),
        "confirm": _plain(confirm.yes, MAX_CONFIRM_BUTTON),
        "deny": _plain(confirm.no, MAX_CONFIRM_BUTTON),
    }
    return {**dialog, "style": "danger"} if danger else dialog


def _plain(text: str, limit: int) -> dict[str, str]:
    return {"type": "plain_text", "text": shorten(text, limit)}
