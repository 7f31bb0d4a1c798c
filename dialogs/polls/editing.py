"""Changing a poll once it is posted: `poll edit`, `poll reopen`, `poll delete` (and
`poll extend`, in `dialogs.polls.extending`).

Coordinators only. Until the first vote a poll can change entirely (checked like a new one,
by `dialogs.polls.setup`); after it, only the wording of the question and options, the
description, and new options, so that every ballot still means what its voter meant. Each
change is logged, said on the poll's message in every channel (`Poll.notice`), and, once
people have voted, told to them privately. A purpose round's poll is the round's to change.
A reworded question or option meets the question coach as a new one does: with findings,
the edit form comes back with them until the coordinator saves it as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import select

from dialogs.commands.syntax import Command
from dialogs.commands.values import NO_RULE, RULE_WORD, clip, parse_count
from dialogs.commands.when import describe
from dialogs.core import bilingual, effects, timers
from dialogs.core.actions import FormKind, SubmitForm
from dialogs.core.cards import ActorModel, Card, Form, OpenForm
from dialogs.core.language import N_, _, ngettext
from dialogs.core.messages import poll_key
from dialogs.core.modes import mode_of
from dialogs.core.turn import Problem, Refusal, Turn, said
from dialogs.polls import coaching, deciding, scheduling
from dialogs.polls.changeable import changeable, open_changeable
from dialogs.polls.edit_changes import changes_in_words, refuse_what_votes_fix
from dialogs.polls.poll_form import edit_form
from dialogs.polls.results import labels, voter_count
from dialogs.polls.setup import MAX_OPTIONS, PollSpec, Timing
from dialogs.polls.start import spec_from_form, typed_values
from dialogs.polls.voting import poll_in
from storage.models import Collaborative, Member, Participation, Poll, PollOption

_SWITCHES = {"anonymous": "yes", "open-options": "yes", "balance": "yes"}
_TIMING_FLAGS = ("opens", "closes", "remind")  # a scheduled poll's only, until it opens
Notes = Sequence[str]  # the question coach's findings
EDITING = N_("edit a poll")


def edit(turn: Turn, command: Command) -> None:
    """`poll edit ID`: the poll form filled in; with options, just those changes."""
    collaborative, member = turn.require_coordinator(EDITING)
    poll = open_changeable(turn, collaborative, command.args["id"], "edited")
    values = form_values(turn, poll)
    if not command.flags:
        form = _form(poll, values, collaborative.timezone)
        turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))
        return
    if poll.status == "open" and (timing := set(_TIMING_FLAGS) & set(command.flags)):
        raise Refusal(
            _("Poll #{number} is open already, so `--{flag}` can't change it.").format(
                number=poll.number, flag=sorted(timing)[0]
            ),
            _("`poll extend {number} --closes WHEN` moves its deadline.").format(
                number=poll.number
            ),
        )
    _save(turn, collaborative, member, poll, _with_flags(values, command.flags))


def open_edit_form(turn: Turn, poll_id: int) -> None:
    collaborative, unused = turn.require_coordinator(EDITING)
    number = poll_in(turn, collaborative, poll_id).number
    poll = open_changeable(turn, collaborative, number, "edited")
    form = _form(poll, form_values(turn, poll), collaborative.timezone)
    turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))


def submit_edit_form(turn: Turn, poll_id: int, values: dict) -> None:
    """The edit form, submitted; on any problem it comes back with what was typed."""
    collaborative, member = turn.require_coordinator(EDITING)
    number = poll_in(turn, collaborative, poll_id).number
    poll = open_changeable(turn, collaborative, number, "edited")
    typed = typed_values(values)
    try:
        _save(turn, collaborative, member, poll, typed)
    except Problem as problem:
        form = _form(poll, typed, collaborative.timezone, problem.problem)
        turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))


def form_values(turn: Turn, poll: Poll) -> dict[str, str]:
    """A poll as its form's fields would hold it."""
    settings = poll.settings
    values = {
        "question": poll.question,
        "description": poll.description,
        "options": "\n".join(labels(turn.session, poll)),
        "type": poll.type,
        "results": settings.get("results", "live"),
    }
    values |= {
        name: str(settings[name])
        for name in ("max", "dots", "objections", "quorum")
        if name in settings
    }
    values |= {name: "yes" for name in _SWITCHES if settings.get(name)}
    if "rule" in settings:
        values |= {"rule": settings["rule"], "rule-percent": str(settings["rule-percent"])}
    values["mode"] = mode_of(settings)
    if decider := deciding.decider(turn.session, poll):
        values["decider"] = f"@{decider.display_name}"
    if poll.status == "scheduled":
        values |= scheduling.timing_values(poll)
    return values


def _form(
    poll: Poll, values: dict[str, str], zone: str, error: str | None = None, coached: Notes = ()
) -> Form:
    action = SubmitForm(FormKind.POLL_EDIT, poll.id or 0).encode()
    scheduled_in = zone if poll.status == "scheduled" else None
    title = _("Edit poll #{number}").format(number=poll.number)
    return edit_form(title, action, values, error, scheduled_in, coached)


def _with_flags(values: dict[str, str], flags: dict[str, Any]) -> dict[str, str]:
    """The form's fields as the command's options change them."""
    changed = dict(values)
    lines = values["options"].splitlines()
    if "option" in flags:
        number, unused, wording = flags["option"].partition(" ")
        position = parse_count(number, "--option", 1, MAX_OPTIONS)
        if position > len(lines) or not wording.strip():
            raise Refusal(
                _(
                    "`--option` takes the number of an option (1 to {count}) and its new "
                    "wording, not `{typed}`."
                ).format(count=len(lines), typed=clip(flags["option"], 40)),
                _('For example `--option 2 "Mental health beds"`.'),
            )
        lines[position - 1] = wording
    if "add-option" in flags:
        lines.append(flags["add-option"])
    changed["options"] = "\n".join(lines)
    for name in ("question", "description", "type", "results"):
        changed[name] = flags.get(name, changed.get(name, ""))
    for name in ("max", "dots", "objections"):
        changed[name] = str(flags[name]) if name in flags else changed.get(name, "")
    if "quorum" in flags:
        changed["quorum"] = str(flags["quorum"]["minimum"])
    changed |= {name: yes for name, yes in _SWITCHES.items() if name in flags}
    if "rule" in flags:
        ruled = flags["rule"] is not None
        changed["rule"] = RULE_WORD if ruled else NO_RULE
        changed["rule-percent"] = str(flags["rule"]) if ruled else ""
    changed["mode"] = flags.get("mode", changed.get("mode", ""))
    changed |= {name: flags[name] for name in ("opens", "closes") if name in flags}
    if "remind" in flags:
        changed["remind"] = f"{flags['remind'] // 60}m"
    if mention := flags.get("decider"):
        changed["decider"] = mention.get("name") or f"<@{mention['user_id']}>"
    return changed


def _save(
    turn: Turn, collaborative: Collaborative, member: Member, poll: Poll, typed: dict[str, str]
) -> None:
    """Check the poll as it would be, refuse what its votes fix, then change it everywhere
    (a scheduled poll, posted nowhere yet, changes with its timing and says nothing)."""
    zone, scheduled = collaborative.timezone, poll.status == "scheduled"
    timing = scheduling.typed_timing(turn.now, poll, typed, zone) if scheduled else None
    spec = spec_from_form(turn, typed, timing or Timing(turn.now))
    before = labels(turn.session, poll)
    voted = voter_count(turn.session, poll) > 0
    if voted:
        refuse_what_votes_fix(poll, spec, before)
    changes = _changes(poll, before, spec, zone, scheduled)
    if not changes:
        turn.say(
            _("Poll #{number} is unchanged.").format(number=poll.number),
            _("Nothing you gave differs from it."),
        )
        return
    reworded = (spec.question, spec.options) != (poll.question, before)
    if reworded and (notes := coaching.poll_notes(spec.question, spec.options, typed)):
        form = _form(poll, typed, zone, coached=notes)  # the coach's findings, as for a new poll
        turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))
        return
    # The log's words for the changes, before storing them makes the poll say the new.
    logged = bilingual.shared_text(
        collaborative,
        lambda: _("edited poll #{number}: {changes}").format(
            number=poll.number, changes="; ".join(_changes(poll, before, spec, zone, scheduled))
        ),
    )
    notice = bilingual.shared_text(  # kept on the poll, which every channel reads
        collaborative,
        lambda: _("Edited {when}: {changes}.").format(
            when=describe(turn.now, zone),
            changes="; ".join(_changes(poll, before, spec, zone, scheduled)),
        ),
        running=True,
    )
    _store(turn, poll, spec, before)
    said_changes = "; ".join(changes)
    if scheduled:
        scheduling.store_timing(turn.session, poll, spec)
    else:
        poll.notice = clip(notice, 600)
    turn.audit(
        "poll.edit",
        lambda: logged,  # written in the log's language(s) already
        poll=poll.number,
        question=spec.question,
        options=spec.options,
        type=spec.type,
        settings=spec.settings,
        description=spec.description,
    )
    _announce(turn, collaborative, poll, said_changes, voted)


def _announce(
    turn: Turn, collaborative: Collaborative, poll: Poll, said_changes: str, voted: bool
) -> None:
    """Say what changed: to the coordinator, on the poll's messages, and to those who voted."""
    zone = collaborative.timezone
    if poll.status == "scheduled":
        assert poll.opens_at is not None
        turn.say(
            _("Poll #{number} is changed").format(number=poll.number),
            said_changes[0].upper() + said_changes[1:] + ".",
            _("It opens {when}; nobody else has seen it yet.").format(
                when=describe(poll.opens_at, zone)
            ),
        )
        return
    effects.update_everywhere(turn.session, turn.now, collaborative, poll_key(poll))
    told = _tell_voters(turn, collaborative, poll, said_changes) if voted else 0
    turn.say(
        _("Poll #{number} is changed").format(number=poll.number),
        said_changes[0].upper() + said_changes[1:] + ".",
        _(
            "Its message in every channel shows the change, and those who voted ({count}) "
            "were told privately."
        ).format(count=told)
        if told
        else _("Its message in every channel shows the change."),
    )


def _changes(
    poll: Poll, before: list[str], spec: PollSpec, zone: str, scheduled: bool
) -> list[str]:
    """What the edit changes, in words, in the language being spoken."""
    changes = changes_in_words(poll, before, spec)
    return changes + (scheduling.timing_changes(poll, spec, zone) if scheduled else [])


def _store(turn: Turn, poll: Poll, spec: PollSpec, before: list[str]) -> None:
    poll.question, poll.type, poll.description = spec.question, spec.type, spec.description
    poll.settings = dict(spec.settings)
    rows = turn.session.exec(
        select(PollOption).where(PollOption.poll_id == poll.id).order_by(PollOption.position)  # type: ignore[arg-type]
    ).all()
    for row, label in zip(rows, spec.options, strict=False):
        row.label = label
    for row in rows[len(spec.options) :]:
        turn.session.delete(row)
    assert poll.id is not None
    turn.session.add_all(
        PollOption(poll_id=poll.id, position=position, label=label)
        for position, label in enumerate(spec.options)
        if position >= len(before)
    )
    turn.session.flush()


def _tell_voters(turn: Turn, collaborative: Collaborative, poll: Poll, changes: str) -> int:
    """Tell everyone who voted (never how: an anonymous ballot names nobody); return how many."""
    voters = turn.session.exec(
        select(Member)
        .join(Participation, Participation.member_id == Member.id)  # type: ignore[arg-type]
        .where(Participation.poll_id == poll.id)
    ).all()

    def card() -> Card:  # in each voter's language
        after = (
            _("It is anonymous, so your vote stands as cast.")
            if poll.settings.get("anonymous")
            else _("Your vote stands; you can change it on the poll while it is open.")
        )
        return said(
            _("Poll #{number}, which you voted in, was edited").format(number=poll.number),
            f"{poll.question} — {changes}.",
            after,
        )

    for voter in voters:
        if (actor := effects.actor_of(turn.session, voter)) is not None:
            effects.notify(turn.session, turn.now, collaborative, actor, card)
    return len(voters)


def delete(turn: Turn, command: Command) -> None:
    """`poll delete ID`: only before anyone votes; its messages then say it was deleted."""
    collaborative, member = turn.require_coordinator(N_("delete a poll"))
    poll = changeable(turn, collaborative, command.args["id"], "deleted")
    if voter_count(turn.session, poll):
        raise Refusal(
            _(
                "People have voted in poll #{number}, so it can't be deleted: "
                "their votes stay on record."
            ).format(number=poll.number),
            _("Close it with `poll close {number}`").format(number=poll.number)
            if poll.status == "open"
            else _("Its result stays on record."),
        )
    assert poll.id is not None
    if poll.status == "scheduled":
        _cancel_scheduled(turn, collaborative, poll)
        return
    timers.cancel(turn.session, timers.POLL_CLOSE, poll.id)
    timers.cancel(turn.session, timers.POLL_REMIND, poll.id)
    poll.status = "deleted"
    poll.notice = bilingual.shared_text(  # kept on the poll, which every channel reads
        collaborative,
        lambda: _("“{question}” was deleted by {name} on {when}.").format(
            question=clip(poll.question, 200),
            name=member.display_name,
            when=describe(turn.now, collaborative.timezone),
        ),
        running=True,
    )
    turn.audit(
        "poll.delete",
        lambda: _("deleted poll #{number}: {question}").format(
            number=poll.number, question=poll.question
        ),
        poll=poll.number,
    )
    effects.update_everywhere(turn.session, turn.now, collaborative, poll_key(poll))
    channels = len(effects.channels_of(turn.session, collaborative))
    turn.say(
        _("Poll #{number} is deleted").format(number=poll.number),
        ngettext(
            "Its message in {count} channel now says it was deleted.",
            "Its message in {count} channels now says it was deleted.",
            channels,
        ).format(count=channels),
    )


def _cancel_scheduled(turn: Turn, collaborative: Collaborative, poll: Poll) -> None:
    """`poll delete` before the poll opens: it never will, and nothing was posted."""
    assert poll.id is not None and poll.opens_at is not None
    timers.cancel(turn.session, timers.POLL_OPEN, poll.id)
    poll.status = "deleted"
    opens_at = poll.opens_at
    turn.audit(
        "poll.delete",
        lambda: _("cancelled poll #{number}, due to open {when}: {question}").format(
            number=poll.number,
            when=describe(opens_at, collaborative.timezone),
            question=poll.question,
        ),
        poll=poll.number,
    )
    turn.say(
        _("Poll #{number} is cancelled").format(number=poll.number),
        _("It was due to open {when}. It was never posted, so nobody else saw it.").format(
            when=describe(opens_at, collaborative.timezone)
        ),
    )


def set_deadline(turn: Turn, collaborative: Collaborative, poll: Poll, closes_at: datetime) -> None:
    assert poll.id is not None and collaborative.id is not None
    poll.closes_at = closes_at
    timers.reschedule(
        turn.session, collaborative.id, timers.POLL_CLOSE, poll.id, "deadline", closes_at
    )
