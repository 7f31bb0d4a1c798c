"""A delegated poll's decision, recorded after its close by its decider alone: `poll decide
ID "…"`, or the "Record the decision" button on their own view or result (or the private
message the close sends them), which opens a form. Every click and form is checked again
here: the payload names a poll, never who may decide.
"""

from __future__ import annotations

from functools import partial
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
from dialogs.core.language import _
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
        title=_("Decide poll #{number}").format(number=poll.number),
        action=SubmitForm(FormKind.DECISION, poll.id or 0).encode(),
        submit_label=_("Record the decision"),
        error=error,
        inputs=[
            TextInput(
                name="decision",
                label=_("Your decision on “{question}”").format(
                    question=readable.tidy(poll.question)
                ),
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
            _("Poll #{number} isn't decided by one person: it is {mode}.").format(
                number=number, mode=mode_of(poll.settings)
            ),
            _("`poll results {number}` shows its result.").format(number=number),
        )
    name = decider_name(turn.session, poll)
    if poll.settings.get("decider") != member.id:
        raise Refusal(
            _("Only {name} can record the decision on poll #{number}.").format(
                name=name, number=number
            ),
            _("They were named as its decider when it started."),
        )
    if poll.status != "closed":
        raise Refusal(
            _("Poll #{number} is still open: the decision is recorded after the vote.").format(
                number=number
            ),
            _("You can record it once the poll closes."),
        )
    if decision := poll.settings.get("decision"):
        raise Refusal(
            _("You already decided poll #{number}: “{decision}”.").format(
                number=number, decision=decision["text"]
            )
        )


def _record(
    turn: Turn, collaborative: Collaborative, member: Member, poll: Poll, typed: str
) -> None:
    _check_decider(turn, member, poll)
    text = "\n".join(p for p in (readable.tidy(line) for line in typed.splitlines()) if p)
    if not text:
        raise Refusal(
            _("Say what you decided."),
            _('For example `poll decide {number} "…"`.').format(number=poll.number),
        )
    if len(text) > MAX_DECISION:
        raise Refusal(
            _("The decision is {length} characters; the most is {most}.").format(
                length=f"{len(text):,}", most=f"{MAX_DECISION:,}"
            )
        )
    decision = {"text": text, "by": member.display_name, "at": turn.now.isoformat()}
    poll.settings = {**poll.settings, "decision": decision}
    turn.audit(
        "poll.decide",
        lambda: _("decided poll #{number}: “{decision}”").format(number=poll.number, decision=text),
        poll=poll.number,
        decision=text,
    )
    effects.update_everywhere(turn.session, turn.now, collaborative, poll_key(poll))
    decided = partial(_decided_card, poll, member.display_name, text)
    effects.post_everywhere(turn.session, turn.now, collaborative, decided)
    turn.say(
        _("Your decision on poll #{number} is recorded").format(number=poll.number),
        _("It is posted in every channel and in the decision log."),
    )


def _decided_card(poll: Poll, name: str, decision: str) -> Card:
    """What every channel reads (built in the channels' language, not the decider's)."""
    line = _("Decided by {name}: “{decision}”.").format(name=name, decision=decision)
    return Card(
        blocks=[
            Heading(text=_("Decision on poll #{number}").format(number=poll.number)),
            Text(text=poll.question),
            Text(text=line),
        ],
        fallback=line,
    )
