"""Changing a poll once it is posted: `poll edit`, `poll reopen`, `poll delete` (and
`poll extend`, in `dialogs.polls.extending`).

Coordinators only. Until the first vote a poll can change entirely (checked like a new one,
by `dialogs.polls.setup`); after it, only the wording of the question and options, the
description, and new options, so that every ballot still means what its voter meant. Each
change is logged, said on the poll's message in every channel (`Poll.notice`), and, once
people have voted, told to them privately. A purpose round's poll is the round's to change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import select

from dialogs.commands.syntax import Command
from dialogs.commands.values import NO_RULE, RULE_WORD, clip, parse_count
from dialogs.commands.when import describe
from dialogs.core import effects, timers
from dialogs.core.actions import FormKind, SubmitForm
from dialogs.core.cards import ActorModel, Card, Form, OpenForm
from dialogs.core.messages import poll_key
from dialogs.core.modes import mode_of
from dialogs.core.turn import Problem, Refusal, Turn, said
from dialogs.polls import deciding, scheduling
from dialogs.polls.lifecycle import poll_by_number
from dialogs.polls.poll_form import edit_form
from dialogs.polls.results import labels, voter_count
from dialogs.polls.setup import MAX_OPTIONS, PollSpec, Timing
from dialogs.polls.start import spec_from_form, typed_values
from dialogs.polls.voting import poll_in
from storage.models import Collaborative, Member, Participation, Poll, PollOption, PurposeRound

# What a vote fixes, as people call it: none of these changes once anyone has voted.
FIXED_BY_VOTES = {
    "type": "the type of poll",
    "anonymous": "anonymity",
    "results": "when results are shown",
    "balance": "the organisation balance",
    "quorum": "the quorum",
    "max": "the number of choices",
    "dots": "the dots each",
    "objections": "the objections allowed",
    "open-options": "whether members may add options",
    "rule": "the rule for every organisation",
    "rule-percent": "the share every organisation must reach",
    "mode": "how it decides",
    "decider": "who decides",
}
AFTER_VOTES = (
    "After the first vote, only the wording of the question and options, the description, "
    "and new options can change. To ask differently, close it and start a new poll."
)
_SWITCHES = {"anonymous": "yes", "open-options": "yes", "balance": "yes"}
_TIMING_FLAGS = ("opens", "closes", "remind")  # a scheduled poll's only, until it opens


def edit(turn: Turn, command: Command) -> None:
    """`poll edit ID`: the poll form filled in; with options, just those changes."""
    collaborative, member = turn.require_coordinator("edit a poll")
    poll = open_changeable(turn, collaborative, command.args["id"], "edited")
    values = form_values(turn, poll)
    if not command.flags:
        form = _form(poll, values, collaborative.timezone)
        turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))
        return
    if poll.status == "open" and (timing := set(_TIMING_FLAGS) & set(command.flags)):
        raise Refusal(
            f"Poll #{poll.number} is open already, so `--{sorted(timing)[0]}` can't change it.",
            f"`poll extend {poll.number} --closes WHEN` moves its deadline.",
        )
    _save(turn, collaborative, member, poll, _with_flags(values, command.flags))


def open_edit_form(turn: Turn, poll_id: int) -> None:
    collaborative, _ = turn.require_coordinator("edit a poll")
    number = poll_in(turn, collaborative, poll_id).number
    poll = open_changeable(turn, collaborative, number, "edited")
    form = _form(poll, form_values(turn, poll), collaborative.timezone)
    turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))


def submit_edit_form(turn: Turn, poll_id: int, values: dict) -> None:
    """The edit form, submitted; on any problem it comes back with what was typed."""
    collaborative, member = turn.require_coordinator("edit a poll")
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


def _form(poll: Poll, values: dict[str, str], zone: str, error: str | None = None) -> Form:
    action = SubmitForm(FormKind.POLL_EDIT, poll.id or 0).encode()
    scheduled_in = zone if poll.status == "scheduled" else None
    return edit_form(f"Edit poll #{poll.number}", action, values, error, scheduled_in)


def _with_flags(values: dict[str, str], flags: dict[str, Any]) -> dict[str, str]:
    """The form's fields as the command's options change them."""
    changed = dict(values)
    lines = values["options"].splitlines()
    if "option" in flags:
        number, _, wording = flags["option"].partition(" ")
        position = parse_count(number, "--option", 1, MAX_OPTIONS)
        if position > len(lines) or not wording.strip():
            raise Refusal(
                f"`--option` takes the number of an option (1 to {len(lines)}) and its new "
                f"wording, not `{clip(flags['option'], 40)}`.",
                'For example `--option 2 "Mental health beds"`.',
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
        _refuse_what_votes_fix(poll, spec, before)
    changes = _changes(poll, before, spec)
    changes += scheduling.timing_changes(poll, spec, zone) if scheduled else []
    if not changes:
        turn.say(f"Poll #{poll.number} is unchanged.", "Nothing you gave differs from it.")
        return
    _store(turn, poll, spec, before)
    said_changes = "; ".join(changes)
    if scheduled:
        scheduling.store_timing(turn.session, poll, spec)
    else:
        poll.notice = clip(f"Edited {describe(turn.now, zone)}: {said_changes}.", 600)
    turn.audit(
        "poll.edit",
        f"edited poll #{poll.number}: {said_changes}",
        poll=poll.number,
        question=spec.question,
        options=spec.options,
        type=spec.type,
        settings=spec.settings,
        description=spec.description,
    )
    if scheduled:
        assert poll.opens_at is not None
        turn.say(
            f"Poll #{poll.number} is changed",
            said_changes[0].upper() + said_changes[1:] + ".",
            f"It opens {describe(poll.opens_at, zone)}; nobody else has seen it yet.",
        )
        return
    effects.update_everywhere(turn.session, turn.now, collaborative, poll_key(poll))
    told = _tell_voters(turn, collaborative, poll, said_changes) if voted else 0
    turn.say(
        f"Poll #{poll.number} is changed",
        said_changes[0].upper() + said_changes[1:] + ".",
        "Its message in every channel shows the change"
        + (f", and those who voted ({told}) were told privately." if told else "."),
    )


def _refuse_what_votes_fix(poll: Poll, spec: PollSpec, before: list[str]) -> None:
    now_set = {"type": spec.type, **spec.settings}
    was_set = {"type": poll.type, **poll.settings}
    for name, said_as in FIXED_BY_VOTES.items():
        if now_set.get(name) != was_set.get(name):
            raise Refusal(
                f"People have voted in poll #{poll.number}, so {said_as} can't change.", AFTER_VOTES
            )
    if len(spec.options) < len(before):
        raise Refusal(
            f"People have voted in poll #{poll.number}, so its options can't be removed.",
            AFTER_VOTES,
        )


def _changes(poll: Poll, before: list[str], spec: PollSpec) -> list[str]:
    """The changes in words: "option “B” reworded as “Bee”"."""
    changes = [f"question reworded as “{spec.question}”"] if spec.question != poll.question else []
    changes += [
        f"option “{old}” reworded as “{new}”"
        for old, new in zip(before, spec.options, strict=False)
        if old != new
    ]
    changes += [f"option “{label}” added" for label in spec.options[len(before) :]]
    changes += [f"option “{label}” removed" for label in before[len(spec.options) :]]
    if spec.description != poll.description:
        changes.append("description " + ("removed" if not spec.description else "changed"))
    now_set, was_set = {"type": spec.type, **spec.settings}, {"type": poll.type, **poll.settings}
    changes += [
        f"{said_as} changed"
        for name, said_as in FIXED_BY_VOTES.items()
        if now_set.get(name) != was_set.get(name)
    ]
    return changes


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
            "It is anonymous, so your vote stands as cast."
            if poll.settings.get("anonymous")
            else "Your vote stands; you can change it on the poll while it is open."
        )
        return said(
            f"Poll #{poll.number}, which you voted in, was edited",
            f"{poll.question} — {changes}.",
            after,
        )

    for voter in voters:
        if (actor := effects.actor_of(turn.session, voter)) is not None:
            effects.notify(turn.session, turn.now, collaborative, actor, card)
    return len(voters)


def delete(turn: Turn, command: Command) -> None:
    """`poll delete ID`: only before anyone votes; its messages then say it was deleted."""
    collaborative, member = turn.require_coordinator("delete a poll")
    poll = changeable(turn, collaborative, command.args["id"], "deleted")
    if voter_count(turn.session, poll):
        raise Refusal(
            f"People have voted in poll #{poll.number}, so it can't be deleted: "
            "their votes stay on record.",
            f"Close it with `poll close {poll.number}`"
            if poll.status == "open"
            else "Its result stays on record.",
        )
    assert poll.id is not None
    if poll.status == "scheduled":
        _cancel_scheduled(turn, collaborative, poll)
        return
    timers.cancel(turn.session, timers.POLL_CLOSE, poll.id)
    timers.cancel(turn.session, timers.POLL_REMIND, poll.id)
    poll.status = "deleted"
    poll.notice = (
        f"“{clip(poll.question, 200)}” was deleted by {member.display_name} on "
        f"{describe(turn.now, collaborative.timezone)}."
    )
    turn.audit("poll.delete", f"deleted poll #{poll.number}: {poll.question}", poll=poll.number)
    effects.update_everywhere(turn.session, turn.now, collaborative, poll_key(poll))
    channels = len(effects.channels_of(turn.session, collaborative))
    turn.say(
        f"Poll #{poll.number} is deleted",
        f"Its message in {channels} channel{'s' * (channels != 1)} now says it was deleted.",
    )


def _cancel_scheduled(turn: Turn, collaborative: Collaborative, poll: Poll) -> None:
    """`poll delete` before the poll opens: it never will, and nothing was posted."""
    assert poll.id is not None and poll.opens_at is not None
    timers.cancel(turn.session, timers.POLL_OPEN, poll.id)
    poll.status = "deleted"
    when = describe(poll.opens_at, collaborative.timezone)
    turn.audit(
        "poll.delete",
        f"cancelled poll #{poll.number}, due to open {when}: {poll.question}",
        poll=poll.number,
    )
    turn.say(
        f"Poll #{poll.number} is cancelled",
        f"It was due to open {when}. It was never posted, so nobody else saw it.",
    )


def open_changeable(turn: Turn, collaborative: Collaborative, number: int, doing: str) -> Poll:
    """An open poll that may be `doing` ("edited"): a closed one's result stands as announced.
    A scheduled poll may be edited (its timing too) but nothing else until it opens."""
    poll = changeable(turn, collaborative, number, doing)
    if poll.status == "scheduled" and doing != "edited":
        scheduling.refuse_if_scheduled(poll, collaborative.timezone, f"it can't be {doing} yet")
    if poll.status not in ("open", "scheduled"):
        raise Refusal(
            f"Poll #{poll.number} is closed, so its result stands as announced.",
            f"`poll reopen {poll.number}` opens it again; then it can be {doing}.",
        )
    return poll


def changeable(turn: Turn, collaborative: Collaborative, number: int, doing: str) -> Poll:
    """The poll `number`, if it may be changed by hand: a purpose round's poll is the round's."""
    poll = poll_by_number(turn.session, collaborative, number)
    round_id = poll.settings.get("purpose_round")
    purpose_round = turn.session.get(PurposeRound, round_id) if round_id else None
    if purpose_round is None:
        return poll
    label = f"Poll #{poll.number} belongs to purpose round #{purpose_round.number}"
    if poll.status == "open" and purpose_round.running:
        raise Refusal(
            f"{label}, which decides what it offers and when it closes, so it can't be {doing}.",
            "`purpose next` closes it now; `purpose status` shows where the round is.",
        )
    stage = purpose_round.stage.replace("-", " ")
    raise Refusal(
        f"{label}, which has moved on (it is at “{stage}” now), so the poll can't be {doing}.",
        "`purpose status` shows where the round is.",
    )


def set_deadline(turn: Turn, collaborative: Collaborative, poll: Poll, closes_at: datetime) -> None:
    assert poll.id is not None and collaborative.id is not None
    poll.closes_at = closes_at
    timers.reschedule(
        turn.session, collaborative.id, timers.POLL_CLOSE, poll.id, "deadline", closes_at
    )
