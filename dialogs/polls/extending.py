"""A later deadline for an open poll: `poll extend ID --closes WHEN`, or the Extend form a
coordinator opens from their own view of the poll (`dialogs.polls.view`); and a closed poll
open again, `poll reopen ID [--closes WHEN]`. Coordinators only; the deadline timer follows,
and every channel's copy of the poll says so.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from dialogs.commands.syntax import Command
from dialogs.commands.when import describe, moment, parse_picked, parse_when, read_picked
from dialogs.core import bilingual, effects
from dialogs.core.actions import FormKind, SubmitForm
from dialogs.core.cards import (
    ActorModel,
    Card,
    Context,
    DateTimeInput,
    Form,
    Heading,
    OpenForm,
    Text,
    submitted_text,
)
from dialogs.core.language import N_, _
from dialogs.core.messages import poll_key
from dialogs.core.turn import Problem, Refusal, Turn
from dialogs.polls.editing import changeable, open_changeable, set_deadline
from dialogs.polls.scheduling import refuse_if_scheduled
from dialogs.polls.voting import poll_in
from storage.models import Collaborative, Poll

EXTENDING = N_("extend a poll")


def extend(turn: Turn, command: Command) -> None:
    """`poll extend ID --closes WHEN`."""
    collaborative, unused = turn.require_coordinator(EXTENDING)
    poll = open_changeable(turn, collaborative, command.args["id"], "extended")
    if "closes" not in command.flags:
        raise Refusal(
            _("Say the new deadline."),
            _(
                "Type `poll extend {number} --closes WHEN`, for example `--closes friday 17:00`."
            ).format(number=poll.number),
        )
    closes_at = parse_when(command.flags["closes"], turn.now, collaborative.timezone)
    _extend(turn, collaborative, poll, closes_at)


def open_extend_form(turn: Turn, poll_id: int) -> None:
    """The Extend button: the picker, holding the deadline the poll has now."""
    collaborative, poll = _checked(turn, poll_id)
    _reply_form(turn, collaborative, poll, poll.closes_at)


def submit_extend_form(turn: Turn, poll_id: int, values: dict[str, Any]) -> None:
    """The Extend form, submitted; on a problem it comes back with what was picked."""
    collaborative, poll = _checked(turn, poll_id)
    typed = submitted_text(values.get("closes"))
    try:
        if not typed:
            raise Refusal(_("Pick the new deadline."))
        closes_at = parse_picked(typed, turn.now, collaborative.timezone)
        _extend(turn, collaborative, poll, closes_at)  # checks everything before changing
    except Problem as problem:
        picked = read_picked(typed, collaborative.timezone)
        _reply_form(turn, collaborative, poll, picked, problem.problem)


def _checked(turn: Turn, poll_id: int) -> tuple[Collaborative, Poll]:
    collaborative, unused = turn.require_coordinator(EXTENDING)
    number = poll_in(turn, collaborative, poll_id).number
    return collaborative, open_changeable(turn, collaborative, number, "extended")


def _reply_form(
    turn: Turn,
    collaborative: Collaborative,
    poll: Poll,
    value: datetime | None,
    error: str | None = None,
) -> None:
    zone = collaborative.timezone
    label = (
        _("New deadline (it closes {when})").format(when=describe(poll.closes_at, zone))
        if poll.closes_at
        else _("New deadline (it has no deadline)")
    )
    form = Form(
        title=_("Extend poll #{number}").format(number=poll.number),
        action=SubmitForm(FormKind.POLL_EXTEND, poll.id or 0).encode(),
        submit_label=_("Extend"),
        error=error,
        inputs=[DateTimeInput(name="closes", label=label, timezone=zone, value=value)],
    )
    turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))


def _extend(turn: Turn, collaborative: Collaborative, poll: Poll, closes_at: datetime) -> None:
    zone = collaborative.timezone
    if poll.closes_at is not None and closes_at <= poll.closes_at:
        raise Refusal(
            _(
                "Poll #{number} already closes {when}; `poll extend` only moves a deadline later."
            ).format(number=poll.number, when=describe(poll.closes_at, zone)),
            _("Choose a time after that one."),
        )
    was = poll.closes_at

    def said() -> dict[str, Any]:
        dates = {"new": describe(closes_at, zone), "was": describe(was, zone) if was else ""}
        return {"number": poll.number, **dates}

    if was:
        notice = _("Extended {when}: it now closes {new} (it closed {was}).")
    else:
        notice = _("Extended {when}: it now closes {new} (it had no deadline).")
    set_deadline(turn, collaborative, poll, closes_at)
    poll.notice = notice.format(**said(), when=describe(turn.now, zone))
    turn.audit(
        "poll.extend",
        lambda: (
            _("extended poll #{number}: closes {new} (it closed {was})")
            if was
            else _("extended poll #{number}: closes {new} (it had no deadline)")
        ).format(**said()),
        poll=poll.number,
        closes_at=closes_at.isoformat(),
    )
    effects.update_everywhere(turn.session, turn.now, collaborative, poll_key(poll))
    turn.say(
        _("Poll #{number} now closes {new}").format(**said()),
        _("Its message in every channel says so."),
    )


def reopen(turn: Turn, command: Command) -> None:
    """`poll reopen ID [--closes WHEN]`: voting again; the next result replaces the last."""
    collaborative, member = turn.require_coordinator(N_("reopen a poll"))
    poll = changeable(turn, collaborative, command.args["id"], "reopened")
    refuse_if_scheduled(poll, collaborative.timezone, _("it hasn't opened yet"))
    if poll.status == "open":
        raise Refusal(
            _("Poll #{number} is open already.").format(number=poll.number),
            _("`poll extend {number} --closes WHEN` moves its deadline.").format(
                number=poll.number
            ),
        )
    zone = collaborative.timezone
    closes_at = parse_when(command.flags["closes"], turn.now, zone) if command.flags else None
    announced = poll.closed_at or turn.now
    earlier = describe(announced, zone)
    poll.status, poll.closed_at, poll.earlier_closed_at = "open", None, poll.closed_at
    poll.closes_at = None
    if closes_at is not None:
        set_deadline(turn, collaborative, poll, closes_at)
    poll.notice = bilingual.shared_text(  # kept on the poll, which every channel reads
        collaborative,
        lambda: _(
            "Reopened {when} by {name}: the result announced {earlier} no longer stands."
        ).format(when=describe(turn.now, zone), name=member.display_name, earlier=earlier),
        running=True,
    )
    turn.audit(
        "poll.reopen",
        lambda: _(
            "reopened poll #{number}: {question} — the result announced {earlier} no longer stands"
        ).format(number=poll.number, question=poll.question, earlier=describe(announced, zone)),
        poll=poll.number,
    )
    effects.update_everywhere(turn.session, turn.now, collaborative, poll_key(poll))
    reopened = partial(_reopened_card, poll, closes_at, zone)
    effects.post_everywhere(turn.session, turn.now, collaborative, reopened)
    turn.say(
        _reopened_heading(poll),
        _closing(poll, closes_at, zone),
        _("Every channel was told that the earlier result no longer stands."),
    )


def _reopened_card(poll: Poll, closes_at: datetime | None, zone: str) -> Card:
    """What every channel reads (built in the channels' language, not the coordinator's)."""
    heading = _reopened_heading(poll)
    closing = _closing(poll, closes_at, zone)
    return Card(
        blocks=[
            Heading(text=heading),
            Text(text=poll.question),
            Text(text=poll.notice or ""),
            Context(text=_("Vote on the poll's message. {closing}").format(closing=closing)),
        ],
        fallback=heading,
    )


def _reopened_heading(poll: Poll) -> str:
    return _("Poll #{number} is open again").format(number=poll.number)


def _closing(poll: Poll, closes_at: datetime | None, zone: str) -> str:
    if closes_at:
        return _("It closes {when}.").format(when=moment(closes_at, zone))
    return _("A coordinator closes it with `poll close {number}`.").format(number=poll.number)
