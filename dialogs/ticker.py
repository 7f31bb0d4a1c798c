"""What happens when time passes: due timers fire, check-ins open and digests go, each once.

Every process calls `Ticker.tick()` often (bot/scheduler.py runs it from an
APScheduler interval job). Due work (timers, check-in schedules, poll series) is claimed
in batches, one transaction each, with
`FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite's `BEGIN IMMEDIATE` serialises
writers): the occurrence is recorded under its unique key, its messages are
written to the outbox and the next run is set before the transaction commits.
So each occurrence happens once, however many processes tick and restart, and a
process that dies mid-batch loses nothing: the batch rolls back and is claimed again.
A batch is done together in one savepoint and, if anything in it fails, again one item
at a time (`timers.batched`).

Then each person's digest (`dialogs.collaborative.digests`): people not yet enrolled get
their first digest time, and the digests due are claimed the same way, written to the
outbox (`dialogs.home.digest_card`) and moved on to the next, in one transaction.

Last, the nightly retention job (`dialogs.collaborative.retention_job`): collaboratives
without a night set get one, and the nights due are claimed as timers are, apart from the
deadlines so that its heavier work never delays them.

The ticker only claims: what a claimed schedule's occurrences become (opened, skipped,
missed, caught up) is decided in `dialogs.commands.occurrences`, with what each kind does
in `dialogs.checkins` (`batch`, `runs`, and `own_time` for a check-in that prompts each
member at their own time, which also sends those private prompts as they come due) and
`dialogs.polls.series`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlmodel import Session, select

from dialogs.checkins import batch, own_time, runs
from dialogs.collaborative import digests, retention_job
from dialogs.collaborative.people import linked_identities
from dialogs.commands.when import describe
from dialogs.core import effects, reactions, timers
from dialogs.core.clock import Clock, utc_now
from dialogs.core.events import Actor
from dialogs.core.language import N_, _
from dialogs.core.readers import speaking_to
from dialogs.core.timers import TickReport, isolated
from dialogs.engine import REACTIONS
from dialogs.home import digest_card
from dialogs.polls import lifecycle, reminders, scheduling, series
from dialogs.polls.reviews import asking
from dialogs.purpose import nudge as purpose_nudge
from dialogs.purpose import stages
from storage.database import Database
from storage.models import CheckinSchedule, Collaborative, PersonSetting, PollSeries, Timer

# A schedule the ticker claims: a check-in schedule or a poll series (the same columns).
Recurring = CheckinSchedule | PollSeries
OpenDue = Callable[[Session, datetime, list[Any], TickReport, timedelta], None]
# Each kind of recurring schedule, and what does a claimed batch of them.
_RECURRING: tuple[tuple[type[Recurring], OpenDue], ...] = (
    (CheckinSchedule, batch.open_due),
    (PollSeries, series.open_due),
)

DEFAULT_GRACE = timers.GRACE
BATCH = 100  # due timers per transaction: each runs its own handler
# Due schedules per transaction; check-ins open together in a few bulk statements, so a
# larger batch spreads each transaction's fixed cost (claim, savepoint, commit) over more
# occurrences (docs/benchmarks.md, "Scheduler claims").
SCHEDULE_BATCH = 500

_HANDLERS: dict[str, Callable[[Session, datetime, Timer], None]] = {
    timers.POLL_OPEN: scheduling.open_when_due,
    timers.POLL_CLOSE: lifecycle.close_at_deadline,
    timers.POLL_REMIND: reminders.send_reminders,
    timers.CHECKIN_CLOSE: runs.close_run,
    timers.PURPOSE_GATHER: stages.gathering_due,
    timers.PURPOSE_REVIEW: stages.review_due,
    timers.PURPOSE_NUDGE: purpose_nudge.nudge_due,
    timers.DECISION_REVIEW: asking.review_due,
}
# A poll must open and close, a window end and a round move on however late; a reminder
# or a nudge hours late is noise.
_ALWAYS_RUN = {
    timers.POLL_OPEN,
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
        for model, open_due in _RECURRING:
            while self.database.run(partial(self._schedules, report, model, open_due)):
                pass
        while self.database.run(lambda session: digests.enrol(session, self.clock(), self.batch)):
            pass
        while self.database.run(lambda session: self._digests(session)):
            pass
        while self.database.run(
            lambda session: own_time.send_due(session, self.clock(), report, self.batch, self.grace)
        ):
            pass
        self.database.run(lambda session: retention_job.enrol(session, self.clock()))
        while self.database.run(lambda session: retention_job.run_due(session, self.clock())):
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

    def _schedules(
        self, report: TickReport, model: type[Recurring], open_due: OpenDue, session: Session
    ) -> int:
        """Claim a batch of due schedules of one kind and do their occurrences."""
        now = self.clock()
        due = session.exec(
            select(model)
            .where(model.status == "active", model.next_run_at <= now)
            .order_by(model.next_run_at, model.id)
            .limit(self.schedule_batch)
            .with_for_update(skip_locked=True)
        ).all()
        open_due(session, now, list(due), report, self.grace)
        return len(due)

    def _digests(self, session: Session) -> int:
        """Send the digests due; how many people's were sent or moved on (rows of a linked
        person left to their first row don't count, so a batch of only those ends the loop)."""
        now = self.clock()
        handled = 0
        for row in digests.claim_due(session, now, self.batch):
            outcome: list[int] = []
            if isolated(session, f"digest {row.id}", _send_into, outcome, session, now, row):
                handled += outcome[0]
            else:  # a bug of ours: this person misses one digest, the others still go
                digests.after_failure(row, now)
                handled += 1
        return handled


def _send_into(outcome: list[int], session: Session, now: datetime, row: PersonSetting) -> None:
    outcome.append(_send_digest(session, now, row))


def _send_digest(session: Session, now: datetime, setting: PersonSetting) -> int:
    """One person's digest, privately on the platform of the row claimed, unless it is
    empty or too late; then their next one is set. 1 if this row was theirs to send."""
    identities = linked_identities(session, (setting.platform, setting.tenant_id, setting.user_id))
    if not identities:  # no longer a member anywhere: nothing can wait for them
        setting.digest_next_at = None
        return 1
    if digests.first_due_of(session, now, identities) is not setting:
        return 0
    assert setting.digest_next_at is not None
    if now - setting.digest_next_at <= digests.TOO_LATE:
        actor = Actor(setting.platform, setting.tenant_id, setting.user_id, "")
        with speaking_to(session, actor):  # in the language the person reads
            if (card := digest_card(session, actor, now, identities)) is not None:
                effects.notify_person(session, now, actor, card)
    digests.move_on(session, now, identities, digests.zone_of(session, identities).name)
    return 1


def _tell_coordinators_missed(session: Session, now: datetime, timer: Timer) -> None:
    collaborative = session.get(Collaborative, timer.collaborative_id)
    assert collaborative is not None
    what = {
        timers.POLL_REMIND: N_("A poll reminder due {moment}"),
        timers.PURPOSE_NUDGE: N_("The purpose round's nudge to quieter organisations due {moment}"),
    }.get(timer.kind, N_("Scheduled work due {moment}"))
    due = describe(timer.due_at, collaborative.timezone)
    effects.report_missed(session, now, collaborative, _(what).format(moment=due))
