"""Durable timers: poll deadlines, reminders, check-in windows closing, purpose stages.

Also what every batch of due work shares: `TickReport` (what one tick did) and `isolated`
(one item of a batch in its own savepoint). They live here, not in the ticker, because the
check-ins' catch-up (`checkins.runs`) uses them too and features never import the ticker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from storage.models import Timer

log = logging.getLogger(__name__)

# How late a timer may fire and still be on time: later, what may be skipped is missed,
# and what must run anyway says it was late.
GRACE = timedelta(minutes=10)

POLL_OPEN = "poll.open"  # a scheduled poll opens (`polls.scheduling`); key "open"
POLL_CLOSE = "poll.close"
POLL_REMIND = "poll.remind"
CHECKIN_CLOSE = "checkin.close"
PURPOSE_GATHER = "purpose.gather"
PURPOSE_REVIEW = "purpose.review"
PURPOSE_NUDGE = "purpose.nudge"
DECISION_REVIEW = "decision.review"  # a decision comes up for review (`polls.reviews`)
RETENTION = "retention"  # the nightly retention job; subject: the collaborative, key: its date


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


def reschedule(
    session: Session, collaborative_id: int, kind: str, subject_id: int, key: str, due_at: datetime
) -> None:
    """Set a timer for a new moment, reusing its row if it was set before (fired or not)."""
    timer = session.exec(
        select(Timer).where(Timer.kind == kind, Timer.subject_id == subject_id, Timer.key == key)
    ).first()
    if timer is None:
        schedule(session, collaborative_id, kind, subject_id, key, due_at)
    else:
        timer.due_at, timer.status, timer.done_at = due_at, "pending", None


def cancel(session: Session, kind: str, subject_id: int) -> None:
    for timer in session.exec(
        select(Timer).where(
            Timer.kind == kind, Timer.subject_id == subject_id, Timer.status == "pending"
        )
    ).all():
        timer.status = "cancelled"


def claim_due(session: Session, now: datetime, limit: int, kind: str | None = None) -> list[Timer]:
    """Due timers, locked for this transaction; other processes skip them (PostgreSQL).

    On SQLite the transaction's BEGIN IMMEDIATE already excludes other writers. Only
    `kind` when given; otherwise every kind but the nightly retention job, which the
    ticker claims on its own after the deadlines people wait for.
    """
    which = Timer.kind == kind if kind else Timer.kind != RETENTION
    return list(
        session.exec(
            select(Timer)
            .where(Timer.status == "pending", Timer.due_at <= now, which)
            .order_by(col(Timer.due_at), col(Timer.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
    )


@dataclass
class TickReport:
    fired: int = 0
    missed: int = 0
    lags: list[float] = field(default_factory=list)  # seconds from due to claimed

    def add(self, other: TickReport) -> None:
        self.fired += other.fired
        self.missed += other.missed
        self.lags.extend(other.lags)


def batched(
    session: Session,
    what: str,
    together: Callable[[TickReport], None],
    one_by_one: Callable[[TickReport], None],
    report: TickReport,
) -> None:
    """Do a claimed batch `together` in one savepoint (few round trips, bulk statements);
    if anything in it fails, roll the batch back and do it `one_by_one`, each item in a
    savepoint of its own (`isolated`), so one broken item holds up no other."""
    done = TickReport()
    try:
        with session.begin_nested():
            together(done)
    except Exception:
        log.exception(f"a batch of {what} failed; doing each alone")
        one_by_one(report)
        return
    report.add(done)


def isolated(session: Session, what: str, work: Callable[..., None], *args: object) -> bool:
    """Run one item of a batch in a savepoint: a failure is logged and rolled back alone."""
    try:
        with session.begin_nested():
            work(*args)
    except Exception:
        log.exception("scheduled work failed", extra={"item": what})
        return False
    return True
