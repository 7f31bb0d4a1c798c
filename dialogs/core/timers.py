"""Durable timers: poll deadlines, reminders, check-in windows closing, purpose stages."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Timer

POLL_CLOSE = "poll.close"
POLL_REMIND = "poll.remind"
CHECKIN_CLOSE = "checkin.close"
PURPOSE_GATHER = "purpose.gather"
PURPOSE_REVIEW = "purpose.review"
PURPOSE_NUDGE = "purpose.nudge"


def schedule(
    session: Session, collaborative_id: int, kind: str, subject_id: int, key: str, due_at: datetime
) -> None:
    """Set a timer (the database refuses the same kind, subject and key twice)."""
    session.add(
        Timer(
            collaborative_id=collaborative_id,
            kind=kind,
            subject_id=subject_id,
            key=key,
            due_at=due_at,
        )
    )


def cancel(session: Session, kind: str, subject_id: int) -> None:
    for timer in session.exec(
        select(Timer).where(
            Timer.kind == kind, Timer.subject_id == subject_id, Timer.status == "pending"
        )
    ).all():
        timer.status = "cancelled"


def claim_due(session: Session, now: datetime, limit: int) -> list[Timer]:
    """Due timers, locked for this transaction; other processes skip them (PostgreSQL).

    On SQLite the transaction's BEGIN IMMEDIATE already excludes other writers.
    """
    return list(
        session.exec(
            select(Timer)
            .where(Timer.status == "pending", Timer.due_at <= now)
            .order_by(col(Timer.due_at), col(Timer.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
    )
