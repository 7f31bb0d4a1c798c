"""A `poll` command Concord isn't sure it read as meant is shown to its author first.

A poll goes to every linked channel at once, so a slip would put a wrong poll in front
of every organisation: a question typed without quote marks (each word becomes an
option), a question that is really a sub-command (`poll resluts 1 2`), an option that
was meant as an option of the command (`-closes friday`). Such a command is kept as a
draft and read back to its author alone, with Post, Edit and Cancel. So is a question the
question coach finds hard to answer well (`dialogs.polls.coaching`): its findings are shown,
Post anyway posts it as written, and a double question can be split into two polls. A
command whose question and options are all quoted and which the coach passes posts at once.
"""

from __future__ import annotations

import difflib
from typing import Any

from sqlmodel import col, update

from dialogs.commands.grammar import SYNTAX
from dialogs.commands.parser import DASHES, parse
from dialogs.commands.syntax import Command
from dialogs.commands.values import RULE_WORD
from dialogs.core.actions import DraftChoice
from dialogs.core.cards import Actions, Button, Card, Context, Heading, Select, Text
from dialogs.core.poll_types import POLL_TYPES
from dialogs.core.turn import Refusal, Turn
from dialogs.polls import coaching
from dialogs.polls.coach import Review
from dialogs.polls.setup import PollSpec
from storage.models import PollDraft

_SUB_WORDS = sorted({s.words[1] for s in SYNTAX if s.words[0] == "poll" and len(s.words) > 1})
_DASHES = ("-", *DASHES)


def doubts(command: Command) -> list[str]:
    """Why Concord may have misread this `poll` command (nothing: it reads as typed)."""
    question: str = command.args.get("question", "")
    options: list[str] = command.args.get("options", [])
    reasons = []
    if command.unquoted:
        words = ", ".join(f"“{word}”" for word in command.unquoted[:6])
        more = " …" if len(command.unquoted) > 6 else ""
        reasons.append(
            f"Some words weren't in quote marks ({words}{more}), so each became the question "
            "or an option on its own."
        )
    if meant := _sub_command(question):
        reasons.append(f"“{question}” looks like the command `poll {meant}`, not a question.")
    for option in options:
        if option.startswith(_DASHES):
            reasons.append(f"“{option}” looks like an option of the command, not a choice.")
    return reasons


def _sub_command(question: str) -> str | None:
    """The sub-command a short question looks like (`close 1`, `resluts`), if any."""
    words = question.lower().split()
    if not words or len(words) > 2 or (len(words) == 2 and not words[1].lstrip("#").isdigit()):
        return None  # a sub-command is one word, or one word and a poll's number
    close = difflib.get_close_matches(words[0].strip("?!.,"), _SUB_WORDS, n=1, cutoff=0.75)
    return " ".join([close[0], *words[1:]]) if close else None


def show(turn: Turn, command: Command, spec: PollSpec, reasons: list[str], found: Review) -> None:
    """Keep the command as a draft and read it back to its author, with the buttons and
    what the coach `found`."""
    collaborative, member = turn.require_coordinator("start a poll")
    draft = PollDraft(
        collaborative_id=collaborative.id,
        member_id=member.id,
        text=command.text,
        created_at=turn.now,
    )
    turn.session.add(draft)
    turn.session.flush()
    assert draft.id is not None
    turn.reply(_preview_card(draft.id, spec, reasons, found))


def _preview_card(draft_id: int, spec: PollSpec, reasons: list[str], found: Review) -> Card:
    options = [f"{n}. {option}" for n, option in enumerate(spec.options, 1)]
    coached = found.needs_attention
    return Card(
        blocks=[
            Heading(text="Check this poll before it goes to every channel"),
            Text(text="Only you can see this. Concord read your command as:"),
            Text(text=f"*{spec.question}*"),
            Text(text="\n".join(options) if options else "(no options: a consent poll)"),
            Context(text=f"People give: {POLL_TYPES[spec.type].choose}."),
            *(Text(text=reason, tone="warning") for reason in reasons),
            *coaching.preview_blocks(found),
            Actions(elements=_buttons(draft_id, coached, bool(coaching.halves(found)))),
            Context(
                text="Next time, put the question and each option in quote marks to post at "
                'once: `poll "Where shall we meet?" "Leeds" "York"`.'
                if reasons
                else "Post anyway posts the question as you wrote it: the coach never blocks."
            ),
        ],
        fallback="Check this poll before it goes to every channel",
    )


def _buttons(draft_id: int, coached: bool, can_split: bool) -> list[Button | Select]:
    post = Button(
        label="Post anyway" if coached else "Post it",
        action=DraftChoice(draft_id, "post").encode(),
        style="primary",
        spoken="Post anyway: the draft poll" if coached else "Post it: the draft poll",
    )
    split = Button(label="Split into two polls", action=DraftChoice(draft_id, "split").encode())
    return [
        post,
        *([split] if can_split else []),
        Button(
            label="Edit",
            action=DraftChoice(draft_id, "edit").encode(),
            spoken="Edit the draft poll",
        ),
        Button(
            label="Cancel",
            action=DraftChoice(draft_id, "cancel").encode(),
            spoken="Cancel the draft poll",
        ),
    ]


def take(turn: Turn, draft_id: int, choice: str) -> Command:
    """The author's draft, marked used by `choice` (post, split, edit or cancel), as a command.

    A draft is used once: of two clicks at the same moment one goes on, and a later click
    is told what became of it.
    """
    collaborative, member = turn.require_coordinator("start a poll")
    draft = turn.session.get(PollDraft, draft_id)
    if draft is None or draft.collaborative_id != collaborative.id:
        raise Refusal("That preview doesn't exist any more.", "Type the `poll` command again.")
    if draft.member_id != member.id:
        raise Refusal("Only the person who typed this poll can post, edit or cancel it.")
    _claim(turn, draft, choice)
    return parse(draft.text)


def _claim(turn: Turn, draft: PollDraft, choice: str) -> None:
    """Mark the draft used, once: of two clicks at the same moment, one goes on."""
    outcome = {
        "post": "posted",
        "split": "split into two polls",
        "edit": "edited",
        "cancel": "cancelled",
    }[choice]
    claimed = turn.session.execute(
        update(PollDraft)
        .where(col(PollDraft.id) == draft.id, col(PollDraft.outcome).is_(None))
        .values(outcome=outcome)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        turn.session.refresh(draft)
        raise Refusal(
            f"This preview was already {draft.outcome}.", "Type `poll list` to see polls."
        )


def form_values(command: Command) -> dict[str, str]:
    """The poll form's fields, filled in with what the command said."""
    flags: dict[str, Any] = command.flags
    values = {
        "question": command.args.get("question", ""),
        "options": "\n".join(command.args.get("options", [])),
        "type": flags.get("type", "single"),
        "results": flags.get("results", "live"),
        "description": flags.get("description", ""),
        **{name: str(flags[name]) for name in ("max", "dots", "objections") if name in flags},
        **{name: "yes" for name in ("anonymous", "open-options", "balance") if flags.get(name)},
    }
    if "quorum" in flags:
        values["quorum"] = str(flags["quorum"]["minimum"])
    if "remind" in flags:
        values["remind"] = f"{flags['remind'] // 60}m"
    if flags.get("rule") is not None:
        values |= {"rule": RULE_WORD, "rule-percent": str(flags["rule"])}
    if "review" in flags:
        values["review"] = flags["review"]
    return values
