"""What the daily retention job clears, for one collaborative: written words past the
free-text period, and the link between people and their ballots in polls closed longer
ago than the closed-poll period. Each function returns counts, never content.

Written words are every `Kind.WRITTEN` column that `storage.personal_data` declares, each
with the moment it was written (`WRITTEN_AT`; a test fails on a written column without
one), plus the reasons inside consent ballots (a `Kind.CHOICE` column that holds words).
They are removed or replaced with `retention.REPLACED`, as `Collaborative.forgotten_text`
says; a reason that an objection or block needs is always replaced, since a ballot
without one is not a valid consent ballot and would no longer recount.

Closed polls are anonymised, not deleted: the partnership's record (the decision log, a
result a purpose round or a review points to, the ballots export a partner organisation
recounts) still stands, while nothing in the poll's rows says any more who voted or how
they changed their vote. What stays is what an anonymous poll keeps from the start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, or_, update
from sqlalchemy.sql import Select
from sqlmodel import Session, col, select

from dialogs.collaborative.retention import REPLACED
from dialogs.core.poll_types import NEEDS_REASON
from storage.models import (
    Ballot,
    CheckinAnswer,
    CheckinRun,
    CheckinSchedule,
    Participation,
    Poll,
    PollDraft,
    PollReminderMute,
    Proposal,
    PurposeRound,
)


@dataclass(frozen=True)
class Written:
    """A column of written words: its table, when each row was written, and the rows of
    one collaborative (a select of the table's ids)."""

    model: Any
    column: str
    written_at: str
    of_collaborative: Callable[[int], Select[Any]]


WRITTEN_AT: dict[tuple[str, str], Written] = {
    ("checkinanswer", "text"): Written(
        CheckinAnswer,
        "text",
        "answered_at",
        lambda collaborative_id: (
            select(CheckinAnswer.id)
            .join(CheckinRun, col(CheckinRun.id) == CheckinAnswer.run_id)
            .join(CheckinSchedule, col(CheckinSchedule.id) == CheckinRun.schedule_id)
            .where(CheckinSchedule.collaborative_id == collaborative_id)
        ),
    ),
    ("proposal", "text"): Written(
        Proposal,
        "text",
        "updated_at",
        lambda collaborative_id: (
            select(Proposal.id)
            .join(PurposeRound, col(PurposeRound.id) == Proposal.round_id)
            .where(PurposeRound.collaborative_id == collaborative_id)
        ),
    ),
    ("polldraft", "text"): Written(
        PollDraft,
        "text",
        "created_at",
        lambda collaborative_id: select(PollDraft.id).where(
            PollDraft.collaborative_id == collaborative_id
        ),
    ),
}


def clear_written(
    session: Session, collaborative_id: int, before: datetime, replace: bool
) -> dict[str, int]:
    """Remove or replace the words written before `before`; how many in each table."""
    counts: dict[str, int] = {}
    for (table, column), written in WRITTEN_AT.items():
        model = written.model
        target = getattr(model, column)
        emptied: str | None = REPLACED if replace else _empty(model, column)
        result = session.connection().execute(
            update(model)
            .where(
                col(model.id).in_(written.of_collaborative(collaborative_id)),
                getattr(model, written.written_at) < before,
                col(target).is_not(None),
                target != "",
                target != REPLACED,
            )
            .values({column: emptied})
        )
        counts[table] = result.rowcount
    reasons = _clear_reasons(session, collaborative_id, before, replace)
    counts["ballot reasons"] = reasons  # i18n: not for readers
    return counts


def _empty(model: Any, column: str) -> str | None:
    """The emptiest value a column takes: None where it may be empty, else ""."""
    return None if model.__table__.c[column].nullable else ""


def _clear_reasons(session: Session, collaborative_id: int, before: datetime, replace: bool) -> int:
    """The reasons in consent ballots of polls closed before `before`. A ballot is
    written when cast, but an anonymous one keeps no time: the close stands for both."""
    rows = session.exec(
        select(Ballot)
        .join(Poll, col(Poll.id) == Ballot.poll_id)
        .where(
            Poll.collaborative_id == collaborative_id,
            Poll.type == "consent",
            Poll.status == "closed",
            col(Poll.closed_at) < before,
        )
    ).all()
    cleared = 0
    for ballot in rows:
        stance, *reasons = ballot.choices
        new = [stance, *(_reason(stance, n, reason, replace) for n, reason in enumerate(reasons))]
        if new != list(ballot.choices):
            ballot.choices = new
            cleared += 1
    return cleared


def _reason(stance: str, position: int, reason: str, replace: bool) -> str:
    """One reason past its time: replaced, or removed unless the stance needs it."""
    if not reason.strip() or reason == REPLACED:
        return reason
    needed = position == 0 and stance in NEEDS_REASON
    return REPLACED if replace or needed else ""


def anonymise_closed_polls(
    session: Session, collaborative_id: int, before: datetime
) -> dict[str, int]:
    """Unlink the ballots of polls closed before `before` from the people who cast them;
    how many polls, ballots and other rows."""
    linked = or_(
        col(Ballot.member_id).is_not(None),
        col(Ballot.cast_at).is_not(None),
        col(Ballot.latest).is_(False),
    )
    # Correlated on each poll, so each check reads one poll's rows through its index.
    personal = or_(
        exists().where(Ballot.poll_id == Poll.id, linked),
        exists().where(Participation.poll_id == Poll.id),
        exists().where(PollReminderMute.poll_id == Poll.id),
    )
    polls = list(
        session.exec(
            select(Poll.id).where(
                Poll.collaborative_id == collaborative_id,
                Poll.status == "closed",
                col(Poll.closed_at) < before,
                personal,
            )
        ).all()
    )
    if not polls:
        return {
            "polls": 0,
            "ballots unlinked": 0,  # i18n: not for readers
            "earlier ballots": 0,  # i18n: not for readers
            "participation": 0,
        }
    run = session.connection().execute
    of_polls = col(Ballot.poll_id).in_(polls)
    earlier = run(delete(Ballot).where(of_polls, col(Ballot.latest).is_(False))).rowcount
    unlinked = run(
        update(Ballot).where(of_polls, linked).values(member_id=None, cast_by=None, cast_at=None)
    ).rowcount
    participation = run(delete(Participation).where(col(Participation.poll_id).in_(polls))).rowcount
    run(delete(PollReminderMute).where(col(PollReminderMute.poll_id).in_(polls)))
    return {
        "polls": len(polls),
        "ballots unlinked": unlinked,  # i18n: not for readers
        "earlier ballots": earlier,  # i18n: not for readers
        "participation": participation,
    }
