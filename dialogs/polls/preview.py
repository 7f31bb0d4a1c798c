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
from dialogs.core.language import N_, _
from dialogs.core.poll_types import POLL_TYPES
from dialogs.core.turn import Refusal, Turn
from dialogs.polls import coaching
from dialogs.polls.coach import Review
from dialogs.polls.setup import PollSpec
from storage.models import PollDraft

_SUB_WORDS = sorted({s.words[1] for s in SYNTAX if s.words[0] == "poll" and len(s.words) > 1})
_DASHES = ("-", *DASHES)
# What became of a draft, as stored (`PollDraft.outcome`), and as said to a later click.
_OUTCOMES = {
    "post": "posted",
    "split": "split into two polls",  # i18n: not for readers (stored; said through _ALREADY)
    "edit": "edited",
    "cancel": "cancelled",
}
_ALREADY = {
    "post": N_("This preview was already posted."),
    "split": N_("This preview was already split into two polls."),
    "edit": N_("This preview was already edited."),
    "cancel": N_("This preview was already cancelled."),
}
HEADING = N_("Check this poll before it goes to every channel")


def doubts(command: Command) -> list[str]:
    """Why Concord may have misread this `poll` command (nothing: it reads as typed)."""
    question: str = command.args.get("question", "")
    options: list[str] = command.args.get("options", [])
    reasons = []
    if command.unquoted:
        words = ", ".join(f"“{word}”" for word in command.unquoted[:6])
        more = " …" if len(command.unquoted) > 6 else ""
        reasons.append(
            _(
                "Some words weren't in quote marks ({words}), so each became the question "
                "or an option on its own."
            ).format(words=words + more)
        )
    if meant := _sub_command(question):
        reasons.append(
            _("“{question}” looks like the command `poll {meant}`, not a question.").format(
                question=question, meant=meant
            )
        )
    for option in options:
        if option.startswith(_DASHES):
            reasons.append(
                _("“{option}” looks like an option of the command, not a choice.").format(
                    option=option
                )
            )
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
    collaborative, member = turn.require_coordinator(N_("start a poll"))
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
            Heading(text=_(HEADING)),
            Text(text=_("Only you can see this. Concord read your command as:")),
            Text(text=f"*{spec.question}*"),
            Text(text="\n".join(options) if options else _("(no options: a consent poll)")),
            Context(text=_("People give: {kind}.").format(kind=_(POLL_TYPES[spec.type].choose))),
            *(Text(text=reason, tone="warning") for reason in reasons),
            *coaching.preview_blocks(found),
            Actions(elements=_buttons(draft_id, coached, bool(coaching.halves(found)))),
            Context(
                text=_(
                    "Next time, put the question and each option in quote marks to post at "
                    'once: `poll "Where shall we meet?" "Leeds" "York"`.'
                )
                if reasons
                else _("Post anyway posts the question as you wrote it: the coach never blocks.")
            ),
        ],
        fallback=_(HEADING),
    )


def _buttons(draft_id: int, coached: bool, can_split: bool) -> list[Button | Select]:
    post = Button(
        label=_("Post anyway") if coached else _("Post it"),
        action=DraftChoice(draft_id, "post").encode(),
        style="primary",
        spoken=_("Post anyway: the draft poll") if coached else _("Post it: the draft poll"),
    )
    split = Button(label=_("Split into two polls"), action=DraftChoice(draft_id, "split").encode())
    return [
        post,
        *([split] if can_split else []),
        Button(
            label=_("Edit"),
            action=DraftChoice(draft_id, "edit").encode(),
            spoken=_("Edit the draft poll"),
        ),
        Button(
            label=_("Cancel"),
            action=DraftChoice(draft_id, "cancel").encode(),
            spoken=_("Cancel the draft poll"),
        ),
    ]


def take(turn: Turn, draft_id: int, choice: str) -> Command:
    """The author's draft, marked used by `choice` (post, split, edit or cancel), as a command.

    A draft is used once: of two clicks at the same moment one goes on, and a later click
    is told what became of it.
    """
    collaborative, member = turn.require_coordinator(N_("start a poll"))
    draft = turn.session.get(PollDraft, draft_id)
    if draft is None or draft.collaborative_id != collaborative.id:
        raise Refusal(
            _("That preview doesn't exist any more."), _("Type the `poll` command again.")
        )
    if draft.member_id != member.id:
        raise Refusal(_("Only the person who typed this poll can post, edit or cancel it."))
    _claim(turn, draft, choice)
    return parse(draft.text)


def _claim(turn: Turn, draft: PollDraft, choice: str) -> None:
    """Mark the draft used, once: of two clicks at the same moment, one goes on."""
    outcome = _OUTCOMES[choice]
    claimed = turn.session.execute(
        update(PollDraft)
        .where(col(PollDraft.id) == draft.id, col(PollDraft.outcome).is_(None))
        .values(outcome=outcome)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        turn.session.refresh(draft)
        done = next(key for key, stored in _OUTCOMES.items() if stored == draft.outcome)
        raise Refusal(_(_ALREADY[done]), _("Type `poll list` to see polls."))


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
