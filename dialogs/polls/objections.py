"""Reasoned objections: the two questions Object and Block ask, and how an objection reads.

A consent ballot is ``[stance, harm, resolve]``: what harm the proposal would do to the
group's aim, and what would resolve it. Ballots cast before the second question are
``[stance, reason]``; their reason reads as the harm, with nothing said to resolve it.
Texts here are plain: each platform escapes them when it renders the card.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dialogs.core.language import N_, _
from dialogs.core.poll_types import NEEDS_REASON, STANCE_LABELS

# Marked for the catalogs; whoever shows them translates them with `_()`.
HARM_QUESTION = N_("What harm would this do to our aim?")
RESOLVE_QUESTION = N_("What would resolve it?")
MAX_SHOWN = 20  # objections listed in a coordinator's note or form; the rest are on the poll


def parts(ballot: Sequence[Any]) -> tuple[str, str]:
    """A consent ballot's harm and resolution (an old ballot's reason is its harm)."""
    return (ballot[1], ballot[2] if len(ballot) > 2 else "")


def said(harm: str, resolve: str) -> str:
    """ "harm: “…”; would resolve it: “…”" (the harm alone when nothing resolves it)."""
    if resolve:
        return _("harm: “{harm}”; would resolve it: “{resolve}”").format(harm=harm, resolve=resolve)
    return _("harm: “{harm}”").format(harm=harm)


def line(reason: Mapping[str, str]) -> str:
    """One reason of a consent result: "Object — harm: “…”; would resolve it: “…”"."""
    stance = _(STANCE_LABELS[reason["stance"]])
    return f"{stance} — {said(reason['reason'], reason.get('resolve', ''))}"


def objection_lines(result: Mapping[str, Any], poll_number: int) -> list[str]:
    """Each objection and block of a consent result, at most `MAX_SHOWN`, then how many more."""
    shown = [line(r) for r in result.get("reasons", []) if r["stance"] in NEEDS_REASON]
    if len(shown) > MAX_SHOWN:
        more = len(shown) - MAX_SHOWN
        rest = _("… and {count} more, on poll #{number}.").format(count=more, number=poll_number)
        return [*shown[:MAX_SHOWN], rest]

    return shown
