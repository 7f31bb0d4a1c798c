"""Polls from templates and from other polls: `poll template list|delete`, `poll from`,
`poll save-template` and `poll clone` (the templates themselves: `dialogs.polls.templates`).

Every way in ends in the new-poll form's fields, checked and posted by the same rules as
any poll. `poll from` posts a complete template at once and opens the form, filled in, for
one that leaves the question or options to the coordinator: at most three steps from
nothing to a posted poll (`poll`, pick a template, fill in the question). A complete one
the question coach has findings on opens the form too, with them beside the question.

`poll clone` opens the form filled in rather than posting. A poll is cloned to ask again —
next quarter, after a change — so its wording or deadline usually needs a touch, and its
own deadline has passed; the form shows exactly what will reach every channel, takes its
fresh deadline in the pickers, and posts with one submit. Ballots are never copied.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import func, select

from dialogs.commands.syntax import Command
from dialogs.commands.values import clip
from dialogs.commands.when import parse_when
from dialogs.core import readable
from dialogs.core.cards import ActorModel, OpenForm
from dialogs.core.turn import Problem, Refusal, Turn
from dialogs.polls import coaching, preview, templates
from dialogs.polls.editing import form_values
from dialogs.polls.lifecycle import poll_by_number
from dialogs.polls.poll_form import poll_form
from dialogs.polls.setup import Timing, open_poll
from dialogs.polls.start import spec_from_form
from storage.models import PollTemplate
from storage.numbering import lock_collaborative

_USE = 'Start one with `poll from "Name" "Your question"`, or pick one in the `poll` form.'


def template(turn: Turn, command: Command) -> None:
    """`poll template list`, or `poll template delete "Name"` (the collaborative's own)."""
    doing = command.args.get("action", "list").lower()
    if doing == "delete":
        _delete(turn, command.args.get("name", ""))
    elif doing == "list" and "name" not in command.args:
        _list(turn)
    else:
        raise Refusal(
            f"`poll template` lists or deletes templates; it can't `{clip(doing, 30)}`.",
            'Type `poll template list`, or `poll template delete "Name"`.',
        )


def _list(turn: Turn) -> None:
    collaborative, _ = turn.in_collaborative()
    lines = [f"{t.name} — {t.summary}" for t in templates.BUILT_IN]
    own = templates.saved(turn.session, collaborative)
    lines.append(
        f"Saved in {collaborative.name}: "
        + (
            "; ".join(f"{t.name} (from poll #{t.saved_from})" for t in own)
            if own
            else 'none yet (`poll save-template ID "Name"` keeps a poll as one).'
        )
    )
    turn.say("Poll templates", *lines, _USE)


def _delete(turn: Turn, name: str) -> None:
    collaborative, _ = turn.require_coordinator("delete a poll template")
    if not (wanted := templates.key(name)):
        raise Refusal(
            "Say which template to delete.", 'For example `poll template delete "Q3 check"`.'
        )
    if any(templates.key(t.name) == wanted for t in templates.BUILT_IN):
        raise Refusal(f"“{clip(name, 60)}” is built in, so it can't be deleted.")
    own = templates.saved(turn.session, collaborative)
    found = next((t for t in own if t.name_key == wanted), None)
    if found is None:
        raise templates.unknown(name, [t.name for t in own])
    turn.session.delete(found)
    turn.audit("poll.template.delete", f"deleted the poll template “{found.name}”")
    turn.say(f"The template “{found.name}” is deleted", "Polls started from it are unchanged.")


def from_template(turn: Turn, command: Command) -> None:
    """`poll from "Name" ["Question?"] ["Option" …] [--closes WHEN]`: a complete template
    posts; one still needing its question or options opens the form filled in."""
    collaborative, _ = turn.require_coordinator("start a poll")
    chosen = templates.find(turn.session, collaborative, command.args["template"])
    values = dict(chosen.values)
    if question := command.args.get("question"):
        values["question"] = question
    if options := command.args.get("options"):
        values["options"] = "\n".join(options)
    if chosen.prompt:
        values["prompt"] = chosen.prompt  # the question's placeholder, if it is left to give
    closes = command.flags.get("closes")
    closes_at = parse_when(closes, turn.now, collaborative.timezone) if closes else None
    if closes_at:
        values["closes"] = closes_at.isoformat()  # the moment, as the form's pickers hold it
    if templates.needs(values) or (reasons := preview.doubts(command)):
        _fill_in(turn, values, None if templates.needs(values) else " ".join(reasons))
        return
    try:
        spec = spec_from_form(turn, values, Timing(turn.now, closes_at))
    except Problem as problem:
        _fill_in(turn, values, problem.problem)
        return
    if notes := coaching.poll_notes(spec.question, spec.options, values):
        _fill_in(turn, values, None, notes)  # held, as the `poll` command holds it
        return
    open_poll(turn, spec)


def _fill_in(
    turn: Turn, values: dict[str, str], error: str | None, coached: Sequence[str] = ()
) -> None:
    """The new-poll form filled in with `values`, for the coordinator to finish and post
    (with the question coach's findings, `coached`, beside the question)."""
    collaborative, _ = turn.in_collaborative()
    offered = templates.every(turn.session, collaborative)
    form = poll_form(collaborative, values, error, offered, coached)
    turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))


def clone(turn: Turn, command: Command) -> None:
    """`poll clone ID`: the new-poll form filled in with the poll (never its ballots)."""
    collaborative, _ = turn.require_coordinator("clone a poll")
    poll = poll_by_number(turn.session, collaborative, command.args["id"])
    _fill_in(turn, form_values(turn, poll), None)


def save(turn: Turn, command: Command) -> None:
    """`poll save-template ID "Name"`: the poll kept as one of the collaborative's templates."""
    collaborative, _ = turn.require_coordinator("save a poll template")
    assert collaborative.id is not None
    poll = poll_by_number(turn.session, collaborative, command.args["id"])
    name = _checked_name(command.args["name"])
    lock_collaborative(turn.session, collaborative.id)  # two saves at once can't both fit
    names = [t.name for t in templates.every(turn.session, collaborative)]
    if clash := next((n for n in names if templates.key(n) == templates.key(name)), None):
        raise Refusal(
            f"There is already a template called “{clash}”.",
            "Choose another name"
            + (
                "."
                if clash in templates.BUILT_IN_NAMES
                else f', or delete it with `poll template delete "{clash}"`.'
            ),
        )
    count = turn.session.exec(
        select(func.count()).where(PollTemplate.collaborative_id == collaborative.id)
    ).one()
    if count >= templates.MAX_SAVED:
        raise Refusal(
            f"{collaborative.name} has {count} templates of its own, the most it can keep.",
            'Delete one you no longer use with `poll template delete "Name"`.',
        )
    values = form_values(turn, poll)
    turn.session.add(
        PollTemplate(
            collaborative_id=collaborative.id,
            name=name,
            name_key=templates.key(name),
            values=values,
            saved_from=poll.number,
            created_at=turn.now,
        )
    )
    turn.audit("poll.template.save", f"saved poll #{poll.number} as the template “{name}”")
    turn.say(
        f"Poll #{poll.number} is saved as the template “{name}”",
        "It keeps the question, options and settings, never the votes.",
        f'Start a poll from it with `poll from "{name}"`, or pick it in the `poll` form.',
    )


def _checked_name(typed: str) -> str:
    name = readable.tidy(typed)
    if not name:
        raise Refusal(
            "The template needs a name.", 'For example `poll save-template 3 "Q3 check"`.'
        )
    if len(name) > templates.MAX_NAME:
        raise Refusal(
            f"That name is {len(name)} characters; the most is {templates.MAX_NAME}.",
            "Choose a shorter name: people pick it from a list.",
        )
    return name
