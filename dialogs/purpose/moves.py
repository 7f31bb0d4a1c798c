"""What `purpose next` would do to a round now, in one place.

`purpose next` asks `next_move` before it acts, and `purpose status` shows coordinators its
answer, so the two never disagree: when `purpose next` would move the round on, both say how;
when it would leave the round as it is, both say why and what to type instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from dialogs.commands.when import describe
from dialogs.core.language import N_, _
from dialogs.core.turn import Refusal
from dialogs.polls.results import voter_count
from dialogs.purpose import rounds
from dialogs.purpose.stages import has_proposals
from storage.models import Poll, PurposeRound

JUST_OPENED = timedelta(minutes=1)

_MOVES = {
    rounds.GATHERING: N_("`purpose next` closes gathering and groups the proposals."),
    rounds.GROUPING: N_("`purpose next` opens the shortlist vote on these groups."),
    rounds.SHORTLISTING: N_("`purpose next` closes the shortlist vote now."),
    rounds.DRAFTING: N_("`purpose next` opens the vote ranking the drafts."),
    rounds.CHOOSING: N_("`purpose next` closes the ranking now."),
    rounds.CONSENTING: N_("`purpose next` closes the consent poll now."),
    rounds.REVISING: N_("`purpose next` opens the form to revise the statement."),
}


def next_move(session: Session, now: datetime, purpose_round: PurposeRound, timezone: str) -> str:
    """What `purpose next` does now to this running round, as a sentence; a `Refusal` saying
    why, when it would leave the round as it is."""
    stage = purpose_round.stage
    if stage == rounds.GATHERING and not has_proposals(session, purpose_round):
        raise Refusal(
            _(
                "Nobody has proposed anything in purpose round #{number} yet, "
                "so there is nothing to group and `purpose next` leaves gathering open."
            ).format(number=purpose_round.number),
            _("Invite members to use the Propose button on the round's message."),
        )
    if stage in rounds.POLL_STAGES:
        poll = session.get(Poll, purpose_round.current_poll_id)
        assert poll is not None
        _not_just_opened(session, now, poll, timezone)
    return _(_MOVES[stage])


def _not_just_opened(session: Session, now: datetime, poll: Poll, timezone: str) -> None:
    """Two coordinators typing `purpose next` at once (or one just after the timer moved the
    round on) would otherwise close the new stage's poll before anyone could vote."""
    if now - poll.created_at < JUST_OPENED and not voter_count(session, poll):
        until = describe(poll.created_at + JUST_OPENED, timezone)
        raise Refusal(
            _(
                "Poll #{number} has only just opened and nobody has voted yet, so "
                "`purpose next` leaves it open until {time}: the round has probably just "
                "moved on."
            ).format(number=poll.number, time=until),
            _("`poll close {number}` closes the poll now.").format(number=poll.number),
        )
