"""Poll commands and lifecycle: list, results, export, close (by hand or at the deadline).
Reminders are in `reminders`. Starting a poll is in `start` and `setup`, voting in `voting` and
`ballot_forms`, a poll's figures in `results` and what it shows in `render`.
"""

from __future__ import annotations

import random
from contextlib import suppress
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, delete, func, select

from dialogs.commands.syntax import Command
from dialogs.commands.when import describe
from dialogs.core import audit, effects, exports, reactions, timers
from dialogs.core.cards import Context
from dialogs.core.language import N_, _, ngettext
from dialogs.core.messages import poll_key
from dialogs.core.ports import ExportFile
from dialogs.core.reactions import PollClosed
from dialogs.core.turn import Refusal, Turn
from dialogs.polls import agreement_text, deciding, receipts, tally
from dialogs.polls.ballot_forms import described
from dialogs.polls.render import poll_outcome, result_card
from dialogs.polls.results import (
    compute,
    export_csv,
    has_voted,
    labels,
    missing_for_quorum,
    organisation_voters,
    visible_to,
    visible_to_all,
)
from dialogs.polls.scheduling import refuse_if_scheduled
from dialogs.polls.voting import own_ballot, poll_in
from storage.models import Ballot, Collaborative, Member, Participation, Poll, Timer

_SHUFFLE = random.SystemRandom()
STATUSES = {"open": N_("open"), "closed": N_("closed"), "deleted": N_("deleted")}


def close(turn: Turn, command: Command) -> None:
    number: int = command.args["id"]
    collaborative, unused = turn.require_coordinator(N_("close a poll"))
    _close(turn, collaborative, poll_by_number(turn.session, collaborative, number))


def close_by_id(turn: Turn, poll_id: int) -> None:
    """The poll message's own Close button (its action names the poll, so re-check it)."""
    collaborative, unused = turn.require_coordinator(N_("close a poll"))
    _close(turn, collaborative, poll_in(turn, collaborative, poll_id))


def _close(turn: Turn, collaborative: Collaborative, poll: Poll) -> None:
    refuse_if_scheduled(poll, collaborative.timezone, _("it can't close before it opens"))
    if poll.status != "open":
        raise Refusal(
            _("Poll #{number} is already closed.").format(number=poll.number),
            _("See the result with `poll results {number}`.").format(number=poll.number),
        )
    summary = finish(turn.session, turn.now, collaborative, poll, by=turn.member)
    turn.say(_("Poll #{number} is closed.").format(number=poll.number), summary)


def close_at_deadline(session: Session, now: datetime, timer: Timer) -> None:
    """The deadline timer: close the poll (if a coordinator hasn't already) and post the result."""
    poll = session.get(Poll, timer.subject_id)
    if poll is None or poll.status != "open":
        return
    collaborative = session.get(Collaborative, poll.collaborative_id)
    assert collaborative is not None and poll.closes_at is not None
    with suppress(Refusal):  # closed meanwhile by a coordinator, in another process
        finish(session, now, collaborative, poll, by=None, closed_at=poll.closes_at)


def finish(
    session: Session,
    now: datetime,
    collaborative: Collaborative,
    poll: Poll,
    by: Member | None,
    *,
    closed_at: datetime | None = None,
) -> str:
    """Close the poll, record the decision, show the final state and the result everywhere.

    `closed_at` (default `now`) is when the poll closed: its deadline, when a late timer
    closes it. The close is one conditional UPDATE, so of two processes closing the same
    poll at once (a deadline and a coordinator) exactly one goes on; the other is refused.
    """
    closed_at = closed_at or now
    closing = session.execute(
        update(Poll)
        .where(col(Poll.id) == poll.id, col(Poll.status) == "open")
        .values(status="closed", closed_at=closed_at)
    )
    if closing.rowcount != 1:  # type: ignore[attr-defined]
        raise Refusal(_("Poll #{number} is already closed.").format(number=poll.number))
    poll.status, poll.closed_at = "closed", closed_at
    assert poll.id is not None
    timers.cancel(session, timers.POLL_REMIND, poll.id)
    timers.cancel(session, timers.POLL_CLOSE, poll.id)
    result = compute(session, poll)
    deciding.forget_decision(poll)
    summary = _logged_summary(session, poll, result)
    # The announced figures, exactly as `concord recount` prints them from the export.
    audit.record(
        session,
        closed_at,
        collaborative,
        by,
        "poll.close",
        lambda: _("closed poll #{number}: {question}").format(
            number=poll.number, question=poll.question
        ),
        details=lambda: _logged_summary(session, poll, result),
        poll=poll.number,
        result=tally.dumps(result),
    )
    deciding.log_organisations(session, closed_at, collaborative, poll, result)
    if poll.settings.get("anonymous"):
        shuffle_anonymous_ballots(session, poll)
    effects.update_everywhere(session, now, collaborative, poll_key(poll))
    effects.post_everywhere(
        session, now, collaborative, lambda: result_card(session, poll, collaborative, result)
    )
    deciding.ask_decider(session, now, collaborative, poll)
    reactions.announce(session, PollClosed(poll, collaborative, now))
    return summary


def _logged_summary(session: Session, poll: Poll, result: dict) -> str:
    """The closed poll's outcome in words for the decision log: what decided it, the rule's
    verdict in every organisation, and a quorum not met."""
    summary = " ".join(
        [poll_outcome(result, poll, final=True)]
        + [line.text for line in deciding.after_figures(session, poll, result)]
    )
    anonymous = bool(poll.settings.get("anonymous"))
    voted = organisation_voters(session, poll)
    if verdict := agreement_text.logged(result, voted, anonymous):
        summary += f" {verdict}"
    if missing := missing_for_quorum(session, poll):
        missed = _("Provisional: quorum not met ({organisations}).")
        summary += " " + missed.format(organisations=", ".join(missing))
    return summary


LISTED = 20  # the newest polls `poll list` shows; it says how many it leaves out


def list_polls(turn: Turn, command: Command) -> None:
    """The newest polls; for a coordinator first the scheduled ones, soonest first, with when
    they open (nobody else sees a poll before it opens)."""
    collaborative, member = turn.in_collaborative()
    polls = turn.session.exec(
        select(Poll)
        .where(Poll.collaborative_id == collaborative.id, Poll.status != "scheduled")
        .order_by(Poll.number.desc())  # type: ignore[union-attr]
        .limit(LISTED)
    ).all()
    coordinator = member.role == "coordinator"
    scheduled = _scheduled_lines(turn.session, collaborative) if coordinator else []
    if scheduled:
        turn.say(_("Scheduled"), *scheduled)
    if not polls:
        if not scheduled:
            turn.say(
                _("No polls yet."), _('A coordinator starts one with `poll "Question?" "A" "B"`.')
            )
        return
    voters = dict(
        turn.session.exec(
            select(Participation.poll_id, func.count())
            .where(Participation.poll_id.in_([p.id for p in polls]))  # type: ignore[union-attr]
            .group_by(Participation.poll_id)
        ).all()
    )
    listed = _("#{number} · {type} · {status} · {count} voted · {question}")
    lines = [
        listed.format(
            number=p.number,
            type=p.type,
            status=_(STATUSES.get(p.status, p.status)),
            count=voters.get(p.id, 0),
            question=p.question,
        )
        for p in polls
    ]
    older = turn.session.exec(
        select(func.count()).where(
            Poll.collaborative_id == collaborative.id,
            Poll.number < polls[-1].number,
            Poll.status != "scheduled",
        )
    ).one()
    if older:
        lines.append(
            ngettext(
                "… and {count} older poll, not listed: `poll results ID` shows any of them.",
                "… and {count} older polls, not listed: `poll results ID` shows any of them.",
                older,
            ).format(count=older)
        )
    turn.say(_("Polls in {collaborative}").format(collaborative=collaborative.name), *lines)


def _scheduled_lines(session: Session, collaborative: Collaborative) -> list[str]:
    """Every scheduled poll of the collaborative as one line, soonest first."""
    polls = session.exec(
        select(Poll)
        .where(Poll.collaborative_id == collaborative.id, Poll.status == "scheduled")
        .order_by(col(Poll.opens_at), col(Poll.number))
    ).all()
    listed = _("#{number} · {type} · opens {when} · {question}")
    return [
        listed.format(
            number=p.number,
            type=p.type,
            when=describe(p.opens_at, collaborative.timezone),
            question=p.question,
        )
        for p in polls
        if p.opens_at is not None
    ]


def results(turn: Turn, command: Command) -> None:
    number: int = command.args["id"]
    collaborative, member = turn.in_collaborative()
    poll = poll_by_number(turn.session, collaborative, number)
    refuse_if_scheduled(poll, collaborative.timezone, _("it has no results yet"))
    if not visible_to(turn.session, poll, member):
        hidden = (
            _("The results of poll #{number} are hidden until you vote.")
            if poll.settings.get("results") == "after-vote"
            else _("The results of poll #{number} are hidden until it closes.")
        )
        raise Refusal(hidden.format(number=poll.number))
    card = result_card(turn.session, poll, collaborative, compute(turn.session, poll))
    if mine := _your_vote(turn, poll, member):
        card = card.model_copy(update={"blocks": [*card.blocks, Context(text=mine)]})
    if deciding.awaits(poll, member):
        card = card.model_copy(update={"blocks": [*card.blocks, deciding.decide_button(poll)]})
    turn.reply(card)


def _your_vote(turn: Turn, poll: Poll, member: Member) -> str | None:
    """What the person asking chose, so nobody has to remember it (None for observers)."""
    if member.role == "observer":
        return None
    if poll.settings.get("anonymous"):
        if has_voted(turn.session, poll, member):
            return _("You have voted. The poll is anonymous, so nothing links your choice to you.")
    elif ballot := own_ballot(turn.session, poll, member):
        return described(poll, ballot.choices, labels(turn.session, poll)) + "."
    return _("You haven't voted yet.") if poll.status == "open" else _("You didn't vote.")


def export(turn: Turn, command: Command) -> None:
    """The ballots as CSV, for `concord recount` or a spreadsheet (no names, random order)."""
    number: int = command.args["id"]
    collaborative, unused = turn.require_coordinator(N_("export ballots"))
    poll = poll_by_number(turn.session, collaborative, number)
    refuse_if_scheduled(poll, collaborative.timezone, _("it has no ballots to export yet"))
    if not visible_to_all(poll):
        raise Refusal(
            _(
                "The results of poll #{number} are hidden until it closes, and so are its ballots."
            ).format(number=poll.number)
        )
    text, count = export_csv(turn.session, poll)
    filename = f"ballots-poll-{poll.number}.csv"  # i18n: not for readers
    exports.offer(
        turn,
        ExportFile(filename, "text/csv", text.encode()),
        _("Ballots of poll #{number}").format(number=poll.number),
        counted=ngettext("{count} ballot", "{count} ballots", count).format(count=f"{count:,}"),
        hint=receipts.export_hint(turn.session, poll, filename),
    )


def shuffle_anonymous_ballots(session: Session, poll: Poll) -> None:
    """Rewrite an anonymous poll's ballots in random order, so that not even the order
    rows were stored in can be matched against who voted when. Each keeps its receipt."""
    rows = list(session.exec(select(Ballot).where(Ballot.poll_id == poll.id)).all())
    kept = ("poll_id", "organisation_id", "choices", "latest", "receipt")
    copies = [Ballot(**{name: getattr(b, name) for name in kept}) for b in rows]
    session.exec(delete(Ballot).where(Ballot.poll_id == poll.id))  # type: ignore[call-overload]
    _SHUFFLE.shuffle(copies)
    session.add_all(copies)
    session.flush()


def poll_by_number(session: Session, collaborative: Collaborative, number: int) -> Poll:
    poll = session.exec(
        select(Poll).where(Poll.collaborative_id == collaborative.id, Poll.number == number)
    ).first()
    if poll is None:
        raise Refusal(
            _("There is no poll #{number} here.").format(number=number),
            _("Type `poll list` to see the polls."),
        )
    if poll.status == "deleted":
        raise Refusal(
            _("Poll #{number} was deleted.").format(number=number),
            _("Type `poll list` to see the polls."),
        )

    return poll
