"""`help`: what this person may do next, here, given their role."""

from __future__ import annotations

from dialogs.commands.syntax import SYNTAX, Command, Syntax
from dialogs.core.cards import Card, Context, Heading, Text
from dialogs.core.turn import Turn, with_article

# Commands whose behaviour arrives in a later release, and with what.
NOT_YET = {
    "me.export": "personal data export",
    "me.forget": "personal data removal",
}

_OUTSIDE = ("help", "setup", "link")


def show_help(turn: Turn, command: Command) -> None:
    """`help`: what this person may do here, and next."""
    turn.reply(help_card(turn))


def help_card(turn: Turn) -> Card:
    if turn.collaborative is None or turn.member is None:
        usable = [s for s in SYNTAX if s.name in _OUTSIDE]
        intro = "This channel isn't part of a collaborative yet."
        lines = [
            '`setup "Name"` starts one here; `link CODE` joins one, with a code a '
            "coordinator got by typing `link`."
        ]
    else:
        role = turn.member.role
        usable = [
            s for s in SYNTAX if s.name not in NOT_YET and s.name != "setup" and _may(role, s)
        ]
        intro = f"You are {with_article(role)} of {turn.collaborative.name}."
        lines = [_role_note(role)]
    blocks = [Heading(text="What you can do here"), Text(text=intro)]
    blocks += [Text(text=line) for line in lines if line]
    blocks += [Text(text=f"`{s.usage}` — {s.summary}") for s in usable]
    later = sorted(set(NOT_YET.values()))
    blocks.append(Context(text="Coming later: " + ", ".join(later) + "."))
    return Card(blocks=blocks, fallback="What you can do here")


def _may(role: str, syntax: Syntax) -> bool:
    return syntax.who != "coordinator" or role == "coordinator"


def _role_note(role: str) -> str:
    if role == "observer":
        return "Observers see polls and results but do not vote."
    if role == "member":
        return "Vote with the buttons on a poll. Coordinators start polls."
    return ""
