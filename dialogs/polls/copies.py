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
from dialogs.core.language import N_, _
from dialogs.core.turn import Problem, Refusal, Turn
from dialogs.polls import coaching, preview, templates
from dialogs.polls.editing import form_values
from dialogs.polls.lifecycle import poll_by_number
from dialogs.polls.poll_form import poll_form
from dialogs.polls.setup import Timing, open_poll
from dialogs.polls.start import spec_from_form
from storage.models import PollTemplate
from storage.numbering import lock_collaborative

_USE = N_('Start one with `poll from "Name" "Your question"`, or pick one in the `poll` form.')


def template(turn: Turn, command: Command) -> None:
    """`poll template list`, or `poll template delete "Name"` (the collaborative's own)."""
    doing = command.args.get("action", "list").lower()
    if doing == "delete":
        _delete(turn, command.args.get("name", ""))
    elif doing == "list" and "name" not in command.args:
        _list(turn)
    else:
        raise Refusal(
            _("`poll template` lists or deletes templates; it can't `{typed}`.").format(
                typed=clip(doing, 30)
            ),
            _('Type `poll template list`, or `poll template delete "Name"`.'),
        )


def _list(turn: Turn) -> None:
    collaborative, unused = turn.in_collaborative()
    lines = [f"{t.title} — {t.about}" for t in templates.BUILT_IN]
    own = templates.saved(turn.session, collaborative)
    saved = "; ".join(
        _("{name} (from poll #{number})").format(name=t.name, number=t.saved_from) for t in own
    )
    lines.append(
        _("Saved in {collaborative}: {templates}").format(
            collaborative=collaborative.name, templates=saved
        )
        if own
        else _(
            'Saved in {collaborative}: none yet (`poll save-template ID "Name"` keeps a poll '
            "as one)."
        ).format(collaborative=collaborative.name)
    )
    turn.say(_("Poll templates"), *lines, _(_USE))


def _delete(turn: Turn, name: str) -> None:
    collaborative, unused = turn.require_coordinator(N_("delete a poll template"))
    if not (wanted := templates.key(name)):
        raise Refusal(
            _("Say which template to delete."),
            _('For example `poll template delete "Q3 check"`.'),
        )
    if any(t.called(name) for t in templates.BUILT_IN):
        raise Refusal(
            _("“{name}” is built in, so it can't be deleted.").format(name=clip(name, 60))
        )
    own = templates.saved(turn.session, collaborative)
    found = next((t for t in own if t.name_key == wanted), None)
    if found is None:
        raise templates.unknown(name, [t.name for t in own])
    turn.session.delete(found)
    turn.audit(
        "poll.template.delete",
        lambda: _("deleted the poll template “{name}”").format(name=found.name),
    )
    turn.say(
        _("The template “{name}” is deleted").format(name=found.name),
        _("Polls started from it are unchanged."),
    )


def from_template(turn: Turn, command: Command) -> None:
    """`poll from "Name" ["Question?"] ["Option" …] [--closes WHEN]`: a complete template
    posts; one still needing its question or options opens the form filled in."""
    collaborative, unused = turn.require_coordinator(N_("start a poll"))
    chosen = templates.find(turn.session, collaborative, command.args["template"])
    values = chosen.filled()
    if question := command.args.get("question"):
        values["question"] = question
    if options := command.args.get("options"):
        values["options"] = "\n".join(options)
    if chosen.prompt:
        values["prompt"] = chosen.hint  # the question's placeholder, if it is left to give
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
    collaborative, unused = turn.in_collaborative()
    offered = templates.every(turn.session, collaborative)
    form = poll_form(collaborative, values, error, offered, coached)
    turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))


def clone(turn: Turn, command: Command) -> None:
    """`poll clone ID`: the new-poll form filled in with the poll (never its ballots)."""
    collaborative, unused = turn.require_coordinator(N_("clone a poll"))
    poll = poll_by_number(turn.session, collaborative, command.args["id"])
    _fill_in(turn, form_values(turn, poll), None)


def save(turn: Turn, command: Command) -> None:
    """`poll save-template ID "Name"`: the poll kept as one of the collaborative's templates."""
    collaborative, unused = turn.require_coordinator(N_("save a poll template"))
    assert collaborative.id is not None
    poll = poll_by_number(turn.session, collaborative, command.args["id"])
    name = _checked_name(command.args["name"])
    lock_collaborative(turn.session, collaborative.id)  # two saves at once can't both fit
    every = templates.every(turn.session, collaborative)
    if clash := next((t for t in every if t.called(name)), None):
        raise Refusal(
            _("There is already a template called “{name}”.").format(name=clash.title),
            _('Choose another name, or delete it with `poll template delete "{name}"`.').format(
                name=clash.title
            )
            if clash.own
            else _("Choose another name."),
        )
    count = turn.session.exec(
        select(func.count()).where(PollTemplate.collaborative_id == collaborative.id)
    ).one()
    if count >= templates.MAX_SAVED:
        raise Refusal(
            _("{collaborative} has {count} templates of its own, the most it can keep.").format(
                collaborative=collaborative.name, count=count
            ),
            _('Delete one you no longer use with `poll template delete "Name"`.'),
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
    said = {"number": poll.number, "name": name}
    turn.audit(
        "poll.template.save",
        lambda: _("saved poll #{number} as the template “{name}”").format(**said),
    )
    turn.say(
        _("Poll #{number} is saved as the template “{name}”").format(**said),
        _("It keeps the question, options and settings, never the votes."),
        _('Start a poll from it with `poll from "{name}"`, or pick it in the `poll` form.').format(
            **said
        ),
    )


def _checked_name(typed: str) -> str:
    name = readable.tidy(typed)
    if not name:
        raise Refusal(
            _("The template needs a name."), _('For example `poll save-template 3 "Q3 check"`.')
        )
    if len(name) > templates.MAX_NAME:
        raise Refusal(
            _("That name is {length} characters; the most is {most}.").format(
                length=len(name), most=templates.MAX_NAME
            ),
            _("Choose a shorter name: people pick it from a list."),
        )
    return name
