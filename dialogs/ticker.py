"""What happens when time passes: due timers fire and check-ins open, each exactly once.

Every process calls `Ticker.tick()` often (bot/scheduler.py runs it from an
APScheduler interval job). Due work is claimed in batches, one transaction each, with
`FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite's `BEGIN IMMEDIATE` serialises
writers): the occurrence is recorded under its unique key, its messages are
written to the outbox and the next run is set before the transaction commits.
So each occurrence happens once, however many processes tick and restart, and a
process that dies mid-batch loses nothing: the batch rolls back and is claimed again.
A batch is done together in one savepoint and, if anything in it fails, again one item
at a time (`timers.batched`).

The ticker only claims: what a claimed check-in schedule's occurrences become (opened,
skipped, missed, caught up) is decided in `dialogs.checkins` (`batch`, `runs`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlmodel import Session, select

from dialogs.checkins import batch, runs
from dialogs.commands.when import describe
from dialogs.core import effects, reactions, timers
from dialogs.core.clock import Clock, utc_now
from dialogs.core.timers import TickReport, isolated
from dialogs.engine import REACTIONS
from dialogs.polls import lifecycle, reminders
from dialogs.polls.reviews import asking
from dialogs.purpose import nudge as purpose_nudge
from dialogs.purpose import stages
from storage.database import Database
from storage.models import CheckinSchedule, Collaborative, Timer

DEFAULT_GRACE = timedelta(minutes=10)
BATCH = 100  # due timers per transaction: each runs its own handler
# Due check-in schedules per transaction, opened together in a few bulk statements: a larger
# batch spreads each transaction's fixed cost (claim, savepoint, commit) over more
# occurrences (docs/benchmarks.md, "Scheduler claims").
SCHEDULE_BATCH = 500

_HANDLERS: dict[str, Callable[[Session, datetime, Timer], None]] = {
    timers.POLL_CLOSE: lifecycle.close_at_deadline,
    timers.POLL_REMIND: reminders.send_reminders,
    timers.CHECKIN_CLOSE: runs.close_run,
    timers.PURPOSE_GATHER: stages.gathering_due,
    timers.PURPOSE_REVIEW: stages.review_due,
    timers.PURPOSE_NUDGE: purpose_nudge.nudge_due,
    timers.DECISION_REVIEW: asking.review_due,
}
# A poll must close, a window end and a round move on however late; a reminder or a
# nudge hours late is noise.
_ALWAYS_RUN = {
    timers.POLL_CLOSE,
    timers.CHECKIN_CLOSE,
    timers.PURPOSE_GATHER,
    timers.PURPOSE_REVIEW,
    timers.DECISION_REVIEW,
}


class Ticker:
    def __init__(
        self,
        database: Database,
        clock: Clock = utc_now,
        *,
        grace: timedelta = DEFAULT_GRACE,
        batch: int = BATCH,
        schedule_batch: int = SCHEDULE_BATCH,
    ) -> None:
        self.database = database
        self.clock = clock
        self.grace = grace
        self.batch = batch
        self.schedule_batch = schedule_batch

    def tick(self) -> TickReport:
        """Claim and do everything due now; return what happened."""
        report = TickReport()
        while self.database.run(lambda session: self._timers(session, report)):
            pass
        while self.database.run(lambda session: self._schedules(session, report)):
            pass
        return report

    def _timers(self, session: Session, report: TickReport) -> int:
        now = self.clock()
        reactions.install(session, REACTIONS)
        due = timers.claim_due(session, now, self.batch)

        def together(done: TickReport) -> None:
            for timer in due:
                self._fire(session, now, timer, done)

        def one_by_one(report: TickReport) -> None:
            for timer in due:
                if not isolated(
                    session, f"timer {timer.id}", self._fire, session, now, timer, report
                ):
                    timer.status, timer.done_at = "failed", now

        if due:
            timers.batched(session, "timers", together, one_by_one, report)
        return len(due)

    def _fire(self, session: Session, now: datetime, timer: Timer, report: TickReport) -> None:
        """Run one due timer's handler, or record it missed; a failing handler raises."""
        report.lags.append((now - timer.due_at).total_seconds())
        if now - timer.due_at > self.grace and timer.kind not in _ALWAYS_RUN:
            timer.status = "missed"
            report.missed += 1
            _tell_coordinators_missed(session, now, timer)
        else:
            _HANDLERS[timer.kind](session, now, timer)
            timer.status = "done"
            report.fired += 1
        timer.done_at = now

    def _schedules(self, session: Session, report: TickReport) -> int:
        now = self.clock()
        due = session.exec(
            select(CheckinSchedule)
            .where(CheckinSchedule.status == "active", CheckinSchedule.next_run_at <= now)
            .order_by(CheckinSchedule.next_run_at, CheckinSchedule.id)
            .limit(self.schedule_batch)
            .with_for_update(skip_locked=True)
        ).all()
        batch.open_due(session, now, list(due), report, self.grace)
        return len(due)


def _tell_coordinators_missed(session: Session, now: datetime, timer: Timer) -> None:
    collaborative = session.get(Collaborative, timer.collaborative_id)
    assert collaborative is not None
    what = {
        timers.POLL_REMIND: "A poll reminder",
        timers.PURPOSE_NUDGE: "The purpose round's nudge to quieter organisations",
    }.get(timer.kind, "Scheduled work")
    effects.report_missed(
        session, now, collaborative, f"{what} due {describe(timer.due_at, collaborative.timezone)}"
    )
