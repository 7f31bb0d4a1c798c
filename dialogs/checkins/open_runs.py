"""The check-ins open for answers now, for the lists of what waits for a person
(`dialogs.home`)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from dialogs.polls.open_polls import before
from storage.models import CheckinAnswer, CheckinRun, CheckinSchedule, Collaborative, Member


def open_runs(
    session: Session, collaborative: Collaborative, now: datetime, member: Member
) -> list[tuple[CheckinRun, CheckinSchedule]]:
    """Open check-in runs (before their window closes) `member` has given no answer in."""
    answered = select(CheckinAnswer.id).where(
        CheckinAnswer.run_id == CheckinRun.id, CheckinAnswer.member_id == member.id
    )
    rows = session.exec(
        select(CheckinRun, CheckinSchedule)
        .join(CheckinSchedule, col(CheckinSchedule.id) == col(CheckinRun.schedule_id))
        .where(
            CheckinSchedule.collaborative_id == collaborative.id,
            CheckinRun.status == "open",
            before(CheckinRun, now),
            ~answered.exists(),
        )
        .order_by(col(CheckinRun.closes_at), col(CheckinRun.id))
    ).all()
    return [(run, schedule) for run, schedule in rows]
