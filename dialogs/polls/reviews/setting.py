"""Keeping a review date: with a new poll or a purpose round (`command`: for a decision
already made).

Each review has a durable timer (`dialogs.core.timers`), set in the transaction that
keeps the date, so the review is asked once at its date however many processes tick.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from dialogs.commands.when import describe
from dialogs.core import timers
from dialogs.core.language import N_, _
from dialogs.core.turn import Refusal
from storage.models import Collaborative, Member, Poll, Review

OUTCOME_WORDS = {  # marked only: said with _() where shown
    "kept": N_("Still right"),
    "changed": N_("Change it"),
    "dropped": N_("Drop it"),
    "lapsed": N_("Not asked: nothing was decided by then"),
}


def keep(
    session: Session,
    now: datetime,
    collaborative: Collaborative,
    by: Member,
    due_at: datetime,
    **subject: int,
) -> Review:
    """A new review of the poll or the purpose round `subject` names, due at `due_at`."""
    assert collaborative.id is not None and by.id is not None
    review = Review(
        collaborative_id=collaborative.id, due_at=due_at, set_by=by.id, set_at=now, **subject
    )
    session.add(review)
    session.flush()
    assert review.id is not None
    timers.schedule(session, collaborative.id, timers.DECISION_REVIEW, review.id, "due", due_at)
    return review


def reviewed_on(review: Review, collaborative: Collaborative) -> str:
    return describe(review.due_at, collaborative.timezone)


def round_adopted(session: Session, round_id: int, poll_id: int) -> None:
    """A purpose round adopted its purpose by poll `poll_id`: that poll is what its review
    (if it has one) shows."""
    review = session.exec(select(Review).where(Review.round_id == round_id)).first()
    if review is not None:
        review.poll_id = poll_id


def checked_after_close(review_at: datetime | None, closes_at: datetime | None) -> None:
    """A poll's review comes after its deadline: nothing is decided before it."""
    if review_at and closes_at and review_at <= closes_at:
        raise Refusal(
            _("The review would come before the poll closes."),
            _("Choose a review date after the deadline, like `--review 6 months`."),
        )


def awaiting_answer(session: Session, collaborative: Collaborative) -> list[Poll]:
    """Decided polls whose review has been asked and not yet answered (coordinators answer)."""
    return list(
        session.exec(
            select(Poll)
            .join(Review, col(Review.poll_id) == col(Poll.id))
            .where(
                Review.collaborative_id == collaborative.id,
                col(Review.posted_at).is_not(None),
                col(Review.outcome).is_(None),
            )
            .order_by(col(Review.due_at), col(Review.id))
        ).all()
    )
