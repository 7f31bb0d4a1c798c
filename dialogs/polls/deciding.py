"""A poll's governance mode in words (`dialogs.core.modes`): the line under its question,
the outcome as its mode states it, what follows the figures, and what its close logs.

- joint: the result is the decision, as ever.
- advisory: the result is advice, never "decided" or "won": "Advice to the partnership: …".
- delegated: the vote, then "Waiting for <name> to decide." until the named decider records
  the decision (`dialogs.polls.governance`), then "Decided by <name>: “…”".
- committees in common: each organisation's own decision, then whether they agree
  (`dialogs.polls.committees`).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from sqlmodel import Session

from dialogs.core import audit, effects
from dialogs.core.actions import FormKind, RequestForm
from dialogs.core.cards import Actions, Button, Card, Context, Heading, Text
from dialogs.core.language import N_, _
from dialogs.core.modes import ADVISORY, COMMITTEES, DELEGATED, how_it_decides, mode_of
from dialogs.polls import committees
from storage.models import Collaborative, Member, Poll

# How an outcome in words (`dialogs.polls.outcome`, translated) reads when the vote does not
# decide: the start of a consent outcome, and the verb of a winner, each as a translation of
# the same words in the outcome's messages.
_CONSENT = {N_("Adopted: "): N_("consent given"), N_("Not adopted: "): N_("consent not given")}
_WON, _CAME_FIRST = N_("” won "), N_("” came first ")


def decider(session: Session, poll: Poll) -> Member | None:
    """The member who decides a delegated poll (None for other modes)."""
    if mode_of(poll.settings) != DELEGATED or "decider" not in poll.settings:
        return None
    return session.get(Member, poll.settings["decider"])


def decider_name(session: Session, poll: Poll) -> str:
    person = decider(session, poll)
    return person.display_name if person else _("the named decision-maker")


def how_line(session: Session, poll: Poll) -> Context:
    """ "How this decides: …", shown under the question before anyone votes."""
    mode = mode_of(poll.settings)
    return Context(text=how_it_decides(mode, decider_name(session, poll)))


def outcome(result: dict[str, Any], poll: Poll, said: str, *, final: bool) -> str:
    """The outcome `said` as the poll's mode states it (joint: unchanged)."""
    mode = mode_of(poll.settings)
    if mode == COMMITTEES and "committees" in result:
        agreed = committees.agreement_line(result["committees"], consent=poll.type == "consent")
        return agreed if final else _("So far: {outcome}").format(outcome=agreed)
    if mode == ADVISORY:
        return _("Advice to the partnership: {outcome}").format(outcome=_not_a_decision(said))
    if mode == DELEGATED:
        return _("The vote: {outcome}").format(outcome=_not_a_decision(said))
    return said


def as_vote(poll: Poll, said: str) -> str:
    """An outcome `said` of the vote alone: not called a decision unless the vote decides."""
    return _not_a_decision(said) if mode_of(poll.settings) in (ADVISORY, DELEGATED) else said


def _not_a_decision(said: str) -> str:
    """The vote's outcome without calling it decided: "came first", "consent given"."""
    for decided, given in _CONSENT.items():
        if said.startswith(_(decided)):
            return f"{_(given)} ({said.removeprefix(_(decided)).rstrip('.')})."
    return said.replace(_(_WON), _(_CAME_FIRST), 1)


def after_figures(session: Session, poll: Poll, result: dict[str, Any]) -> list[Text]:
    """What the mode adds below a result: each organisation's decision (committees in
    common), or who decides and what they decided (delegated, once the poll has closed)."""
    mode = mode_of(poll.settings)
    final = poll.status == "closed"
    if mode == COMMITTEES and "committees" in result:
        consent = poll.type == "consent"
        return [
            Text(text=committees.organisation_line(name, decided, consent=consent, final=final))
            for name, decided in result["committees"]["organisations"].items()
        ]
    if mode == DELEGATED and final:
        return [Text(text=decision_line(session, poll))]
    return []


def decision_line(session: Session, poll: Poll) -> str:
    """ "Decided by <name>: “…”." once recorded, else who the partnership is waiting for."""
    name = decider_name(session, poll)
    if decision := poll.settings.get("decision"):
        return _("Decided by {name}: “{decision}”.").format(
            name=decision["by"], decision=decision["text"]
        )
    return _("Waiting for {name} to decide.").format(name=name)


def decide_button(poll: Poll) -> Actions:
    """The decider's button, on their own view or result of a closed delegated poll."""
    assert poll.id is not None
    action = RequestForm(FormKind.DECISION, poll.id).encode()
    spoken = _("Record the decision on poll #{number}: {question}").format(
        number=poll.number, question=poll.question
    )
    label = _("Record the decision")
    return Actions(elements=[Button(label=label, action=action, style="primary", spoken=spoken)])


def awaits(poll: Poll, member: Member | None) -> bool:
    """Whether `member` is the decider of this closed, still undecided, delegated poll."""
    return (
        member is not None
        and mode_of(poll.settings) == DELEGATED
        and poll.status == "closed"
        and "decision" not in poll.settings
        and poll.settings.get("decider") == member.id
    )


def ask_decider(session: Session, now: datetime, collaborative: Collaborative, poll: Poll) -> None:
    """At a delegated poll's close: tell its decider, privately, with the button to decide."""
    person = decider(session, poll)
    if person is None or (actor := effects.actor_of(session, person)) is None:
        return

    def card() -> Card:  # in the decider's language
        return Card(
            blocks=[
                Heading(
                    text=_("Poll #{number} is closed: your decision").format(number=poll.number)
                ),
                Text(text=poll.question),
                Text(text=_("The partnership is waiting for you to record the decision.")),
                decide_button(poll),
            ],
            fallback=_("Poll #{number} waits for your decision").format(number=poll.number),
        )

    effects.notify(session, now, collaborative, actor, card)


def forget_decision(poll: Poll) -> None:
    """At a delegated poll's close: a reopened poll's earlier decision went with the earlier
    result, so its decider decides again."""
    if "decision" in poll.settings:
        poll.settings = {k: v for k, v in poll.settings.items() if k != "decision"}


def log_organisations(
    session: Session, now: datetime, collaborative: Collaborative, poll: Poll, result: dict
) -> None:
    """At the close of committees in common: each organisation's decision, logged as that
    organisation's own (not the closing coordinator's)."""
    if mode_of(poll.settings) != COMMITTEES or "committees" not in result:
        return
    consent = poll.type == "consent"
    rows = []
    for name, decided in result["committees"]["organisations"].items():
        rows.append(
            audit.entry_row(
                now,
                collaborative,
                None,
                action=ORGANISATION_DECIDED,
                summary=partial(_organisation_decided, poll, decided, consent),
                detail={"poll": poll.number, "outcome": decided["winner"]},
                actor_name=name,
            )
        )
    audit.write(session, rows)


ORGANISATION_DECIDED = "poll.org-decision"


def _organisation_decided(poll: Poll, decided: dict[str, Any], consent: bool) -> str:
    """What one organisation decided in a poll, for its entry in the decision log."""
    if decided["winner"] is not None:
        said = _("decided: {decision}").format(
            decision=committees.decision_of(decided, consent=consent)
        )
    elif decided["voters"]:
        said = _("reached no decision, tied")
    else:
        said = _("reached no decision, nobody voted")
    return _("{outcome} (poll #{number}: {question})").format(
        outcome=said, number=poll.number, question=poll.question
    )
