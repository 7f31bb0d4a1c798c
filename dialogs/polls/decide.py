"""A delegated poll's decision, recorded after its close by its decider alone: `poll decide
ID "…"`, or the "Record the decision" button on their own view or result (or the private
message the close sends them), which opens a form. Every click and form is checked again
here: the payload names a poll, never who may decide.
"""

from __future__ import annotations

from typing import Any

from dialogs.commands.syntax import Command
from dialogs.core import effects, readable
from dialogs.core.actions import FormKind, SubmitForm
from dialogs.core.cards import (
    ActorModel,
    Card,
    Form,
    Heading,
    OpenForm,
    Text,
    TextInput,
    submitted_text,
)
from dialogs.core.messages import poll_key
from dialogs.core.modes import DELEGATED, mode_of
from dialogs.core.turn import Problem, Refusal, Turn
from dialogs.polls.deciding import decider_name
from dialogs.polls.lifecycle import poll_by_number
from dialogs.polls.voting import poll_in
from storage.models import Collaborative, Member, Poll

MAX_DECISION = 1000


def decide(turn: Turn, command: Command) -> None:
    """`poll decide ID "decision"`: the decider records a delegated poll's decision."""
    collaborative, member = turn.in_collaborative()
    poll = poll_by_number(turn.session, collaborative, command.args["id"])
    _record(turn, collaborative, member, poll, command.args["decision"])


def open_decision_form(turn: Turn, poll_id: int) -> None:
    """The "Record the decision" button: the form, for the decider alone."""
    collaborative, member = turn.in_collaborative()
    poll = poll_in(turn, collaborative, poll_id)
    _check_decider(turn, member, poll)
    turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=_form(poll, "")))


def submit_decision_form(turn: Turn, poll_id: int, values: dict[str, Any]) -> None:
    """The decision form, submitted; on a problem it comes back with what was typed."""
    collaborative, member = turn.in_collaborative()
    poll = poll_in(turn, collaborative, poll_id)
    _check_decider(turn, member, poll)  # anyone else is refused outright, with no form
    typed = submitted_text(values.get("decision"))
    try:
        _record(turn, collaborative, member, poll, typed)
    except Problem as problem:
        form = _form(poll, typed, problem.problem)
        turn.replies.append(OpenForm(actor=ActorModel.of(turn.actor), form=form))


def _form(poll: Poll, typed: str, error: str | None = None) -> Form:
    return Form(
        title=f"Decide poll #{poll.number}",
        action=SubmitForm(FormKind.DECISION, poll.id or 0).encode(),
        submit_label="Record the decision",
        error=error,
        inputs=[
            TextInput(
                name="decision",
                label=f"Your decision on “{readable.tidy(poll.question)}”",
                value=typed,
                multiline=True,
                max_length=MAX_DECISION,
            )
        ],
    )


def _check_decider(turn: Turn, member: Member, poll: Poll) -> None:
    number = poll.number
    if mode_of(poll.settings) != DELEGATED:
        raise Refusal(
            f"Poll #{number} isn't decided by one person: it is {mode_of(poll.settings)}.",
            f"`poll results {number}` shows its result.",
        )
    name = decider_name(turn.session, poll)
    if poll.settings.get("decider") != member.id:
        raise Refusal(
            f"Only {name} can record the decision on poll #{number}.",
            "They were named as its decider when it started.",
        )
    if poll.status != "closed":
        raise Refusal(
            f"Poll #{number} is still open: the decision is recorded after the vote.",
            "You can record it once the poll closes.",
        )
    if decision := poll.settings.get("decision"):
        raise Refusal(f"You already decided poll #{number}: “{decision['text']}”.")


def _record(
    turn: Turn, collaborative: Collaborative, member: Member, poll: Poll, typed: str
) -> None:
    _check_decider(turn, member, poll)
    text = "\n".join(p for p in (readable.tidy(line) for line in typed.splitlines()) if p)
    if not text:
        raise Refusal("Say what you decided.", f'For example `poll decide {poll.number} "…"`.')
    if len(text) > MAX_DECISION:
        raise Refusal(f"The decision is {len(text):,} characters; the most is {MAX_DECISION:,}.")
    decision = {"text": text, "by": member.display_name, "at": turn.now.isoformat()}
    poll.settings = {**poll.settings, "decision": decision}
    line = f"Decided by {member.display_name}: “{text}”."
    turn.audit(
        "poll.decide", f"decided poll #{poll.number}: “{text}”", poll=poll.number, decision=text
    )
    effects.update_everywhere(turn.session, turn.now, collaborative, poll_key(poll))
    card = Card(
        blocks=[
            Heading(text=f"Decision on poll #{poll.number}"),
            Text(text=poll.question),
            Text(text=line),
        ],
        fallback=line,
    )
    effects.post_everywhere(turn.session, turn.now, collaborative, card)
    turn.say(
        f"Your decision on poll #{poll.number} is recorded",
        "It is posted in every channel and in the decision log.",
    )
