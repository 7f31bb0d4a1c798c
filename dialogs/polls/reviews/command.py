"""`decisions review ID --in 6 months | --on DATE`: a coordinator dates the review of a
decision already made, or moves the date of a review not yet asked."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from dialogs.commands.syntax import Command
from dialogs.core import timers
from dialogs.core.language import N_, _
from dialogs.core.turn import Refusal, Turn
from dialogs.polls.lifecycle import poll_by_number
from dialogs.polls.reviews.dates import review_date
from dialogs.polls.reviews.setting import keep, reviewed_on
from storage.models import Poll, Review


def set_review(turn: Turn, command: Command) -> None:
    """`decisions review ID --in 6 months | --on DATE`: a coordinator dates the review of a
    decided poll, or moves the date of one not yet asked."""
    collaborative, member = turn.require_coordinator(N_("set a review date"))
    poll = poll_by_number(turn.session, collaborative, command.args["id"])
    flags = command.flags
    if len(flags) != 1:
        raise Refusal(
            _("Say when, with `--in` or `--on` (one of them)."),
            _("For example `decisions review {number} --in 6 months`.").format(number=poll.number),
        )
    due_at = review_date(flags.get("in") or flags.get("on") or "", turn.now, collaborative.timezone)
    if poll.status != "closed":
        raise Refusal(
            _("Poll #{number} hasn't been decided yet.").format(number=poll.number),
            _("Set its review once it closes, or close it with `poll close {number}`.").format(
                number=poll.number
            ),
        )
    review = turn.session.exec(select(Review).where(Review.poll_id == poll.id)).first()
    if review is None:
        review = keep(turn.session, turn.now, collaborative, member, due_at, poll_id=poll.id or 0)
        was = None
    else:
        was = _move(turn, review, poll, due_at)
    turn.audit(
        "review.set",
        lambda: _("set the review of poll #{number} for {when}: {question}").format(
            number=poll.number, when=reviewed_on(review, collaborative), question=poll.question
        ),
        poll=poll.number,
        due=review.due_at.isoformat(),
    )
    when = reviewed_on(review, collaborative)
    turn.say(
        _("Poll #{number} will be reviewed {when} (moved from {was}).").format(
            number=poll.number, when=when, was=was
        )
        if was
        else _("Poll #{number} will be reviewed {when}.").format(number=poll.number, when=when),
        _("Every linked channel will be asked then: Still right, Change it or Drop it."),
    )


def _move(turn: Turn, review: Review, poll: Poll, due_at: datetime) -> str:
    """Move a review not yet asked, and say when it was; a review already asked or answered
    stays as it was."""
    if review.posted_at is not None or review.outcome is not None:
        raise Refusal(
            _("Poll #{number} has already come up for review.").format(number=poll.number),
            _("Type `decisions reviews` to see what was recorded."),
        )
    collaborative, unused = turn.in_collaborative()
    was = reviewed_on(review, collaborative)
    review.due_at = due_at
    timers.reschedule(
        turn.session, collaborative.id or 0, timers.DECISION_REVIEW, review.id or 0, "due", due_at
    )
    return was
