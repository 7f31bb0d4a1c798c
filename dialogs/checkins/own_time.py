"""Check-ins at each member's own time: a private prompt at the rule's wall-clock time in
every member's own zone, once per person per occurrence.

A schedule made with `checkin add … --each-in-own-timezone` posts nothing in the channels
when it runs. Its occurrence ("Monday 09:00") reaches the world's zones one after another:

- The ticker claims the schedule (`catch_up`) as soon as the occurrence exists anywhere:
  at its wall time in UTC+14 (`EARLIEST`), which is the schedule's `next_run_at`. Then the
  occurrence's one run opens, with one pending `CheckinPrompt` per answering member, due at
  the wall time in that member's zone (`zone_for`: chosen, else the platform's, else the
  collaborative's). Members who join later are prompted from the next occurrence.
- The ticker claims each prompt when it is due (`send_due`, `SKIP LOCKED`) and writes the
  private message in the transaction that marks it sent; with the prompt's unique
  (schedule, member, occurrence) key that makes it once per person across processes and
  restarts. A prompt more than the grace late (Concord was down) is not sent.
- Answers go to the run, counted once per person as in a shared run. The run closes one
  window after the LAST member's prompt was due (or the collaborative's own time, if that is
  later); then `runs.close_run` posts the summary, with no names, in the channels.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from dialogs.checkins import runs
from dialogs.collaborative.people import COLLABORATIVE, Zone, zone_for
from dialogs.commands import occurrences
from dialogs.commands.recurrence import Occurrence, next_occurrence
from dialogs.commands.when import describe, local_moment
from dialogs.core import effects, timers
from dialogs.core.cards import Card, Context, Heading
from dialogs.core.timers import TickReport, isolated
from storage.models import CheckinPrompt, CheckinRun, CheckinSchedule, Collaborative, Member

# UTC+14 (Kiribati): the first zone to reach any wall-clock time. POSIX "Etc" signs are
# inverted: Etc/GMT-14 is fourteen hours ahead of UTC.
EARLIEST = "Etc/GMT-14"


@dataclass(frozen=True)
class _Planned:
    member_id: int
    zone: Zone
    due_at: datetime


def instant(rule: dict[str, Any], day: date, timezone: str) -> datetime:
    """The rule's wall time on local `day` in `timezone`, in UTC (past a spring gap)."""
    wall = time(rule["hour"], rule["minute"])
    return local_moment(day, wall, ZoneInfo(timezone)).astimezone(UTC)


def opening(rule: dict[str, Any], occurrence: Occurrence) -> datetime:
    """When `occurrence` first exists anywhere: the own-time schedule's `next_run_at`."""
    return instant(rule, occurrence.local_date, EARLIEST)


def pending(schedule: CheckinSchedule) -> Occurrence:
    """The occurrence an own-time schedule opens next (its key, read back from next_run_at)."""
    assert schedule.next_run_at is not None
    return next_occurrence(schedule.rule, EARLIEST, schedule.next_run_at - timedelta(seconds=1))


def next_in_collaborative(schedule: CheckinSchedule) -> datetime:
    """The next occurrence at the collaborative's own time (what `checkin list` shows)."""
    return instant(schedule.rule, pending(schedule).local_date, schedule.timezone)


def catch_up(
    session: Session, now: datetime, schedule: CheckinSchedule, report: TickReport, grace: timedelta
) -> None:
    """Open every occurrence that exists somewhere by now, each in a savepoint of its own.

    After an outage longer than `occurrences.MAX_CATCH_UP` occurrences the rest are passed over,
    as for shared check-ins; the next is always the first to exist anywhere after now.
    """
    for occurrence in islice(_existing(schedule, now), occurrences.MAX_CATCH_UP):
        what = f"own-time check-in {schedule.id} at {occurrence.key}"
        isolated(session, what, _occur, session, now, schedule, occurrence, report, grace)
    schedule.next_run_at = next_occurrence(schedule.rule, EARLIEST, now).due_at


def _existing(schedule: CheckinSchedule, now: datetime) -> Iterator[Occurrence]:
    """The schedule's occurrences not yet opened that exist somewhere by `now`, in order."""
    occurrence = pending(schedule)
    while occurrence.due_at <= now:
        yield occurrence
        occurrence = next_occurrence(schedule.rule, EARLIEST, occurrence.due_at)


def _occur(
    session: Session,
    now: datetime,
    schedule: CheckinSchedule,
    occurrence: Occurrence,
    report: TickReport,
    grace: timedelta,
) -> None:
    report.lags.append((now - occurrence.due_at).total_seconds())
    shared = instant(schedule.rule, occurrence.local_date, schedule.timezone)
    if occurrence.local_date.isoformat() in schedule.skip_dates:
        runs.record_missed(session, now, schedule, occurrence.key, shared, "skipped")
        return
    collaborative = session.get(Collaborative, schedule.collaborative_id)
    assert collaborative is not None
    planned = _plan(session, schedule, collaborative, occurrence)
    last = max([shared, *(p.due_at for p in planned)])
    if now - last > grace:
        # Even the last zone's time has passed: Concord was down for the whole occurrence.
        runs.record_missed(session, now, schedule, occurrence.key, shared, "missed")
        report.missed += 1
    elif open_run(session, now, schedule, occurrence, shared, planned, last):
        report.fired += 1


def _plan(
    session: Session,
    schedule: CheckinSchedule,
    collaborative: Collaborative,
    occurrence: Occurrence,
) -> list[_Planned]:
    """Who is prompted for `occurrence`, and when: every member who answers, in their zone."""
    members = session.exec(
        select(Member)
        .where(Member.collaborative_id == collaborative.id, Member.role != "observer")
        .order_by(col(Member.id))
    ).all()
    planned = []
    for member in members:
        zone = zone_for(session, member, collaborative)
        assert member.id is not None
        due = instant(schedule.rule, occurrence.local_date, zone.name)
        planned.append(_Planned(member.id, zone, due))
    return planned


def open_run(
    session: Session,
    now: datetime,
    schedule: CheckinSchedule,
    occurrence: Occurrence,
    shared: datetime,
    planned: list[_Planned],
    last: datetime,
) -> CheckinRun | None:
    """The occurrence's one run and its pending prompts; None if it was already opened."""
    if session.exec(
        select(CheckinRun.id).where(
            CheckinRun.schedule_id == schedule.id, CheckinRun.occurrence_key == occurrence.key
        )
    ).first():
        return None
    assert schedule.id is not None
    run = CheckinRun(
        schedule_id=schedule.id,
        occurrence_key=occurrence.key,
        due_at=shared,
        opened_at=now,
        closes_at=last + timedelta(seconds=schedule.window_seconds),
        chart_token=secrets.token_urlsafe(24),
    )
    session.add(run)
    session.flush()
    assert run.id is not None and run.closes_at is not None
    timers.schedule(
        session, schedule.collaborative_id, timers.CHECKIN_CLOSE, run.id, "close", run.closes_at
    )
    for plan in planned:
        session.add(
            CheckinPrompt(
                schedule_id=schedule.id,
                run_id=run.id,
                member_id=plan.member_id,
                occurrence_key=occurrence.key,
                zone=plan.zone.name,
                zone_source=plan.zone.source,
                due_at=plan.due_at,
            )
        )
    session.flush()
    return run


def send_due(
    session: Session, now: datetime, report: TickReport, batch: int, grace: timedelta
) -> int:
    """Claim the prompts due by now and send each privately; return how many were claimed."""
    due = session.exec(
        select(CheckinPrompt)
        .where(CheckinPrompt.status == "pending", CheckinPrompt.due_at <= now)
        .order_by(col(CheckinPrompt.due_at), col(CheckinPrompt.id))
        .limit(batch)
        .with_for_update(skip_locked=True)
    ).all()
    for prompt in due:
        report.lags.append((now - prompt.due_at).total_seconds())
        what = f"check-in prompt {prompt.id}"
        if not isolated(session, what, _send, session, now, prompt, grace):
            prompt.status = "failed"
        elif prompt.status == "sent":
            report.fired += 1
        elif prompt.status == "missed":
            report.missed += 1
    return len(due)


def _send(session: Session, now: datetime, prompt: CheckinPrompt, grace: timedelta) -> None:
    run = session.get(CheckinRun, prompt.run_id)
    member = session.get(Member, prompt.member_id)
    assert run is not None and member is not None
    actor = effects.actor_of(session, member)
    if now - prompt.due_at > grace or run.status != "open":
        prompt.status = "missed"  # a 09:00 question at 15:00 is noise
    elif actor is None or member.role == "observer":
        prompt.status = "unreachable"
    else:
        collaborative = session.get(Collaborative, member.collaborative_id)
        assert collaborative is not None
        effects.notify(
            session, now, collaborative, actor, lambda: prompt_card(session, run, prompt)
        )
        prompt.status, prompt.sent_at = "sent", now


def prompt_card(session: Session, run: CheckinRun, prompt: CheckinPrompt) -> Card:
    """The private prompt: the check-in's questions and buttons, its times in the person's zone."""
    schedule = session.get(CheckinSchedule, run.schedule_id)
    assert schedule is not None and run.closes_at is not None
    wall = f"{schedule.rule['hour']:02}:{schedule.rule['minute']:02}"
    if prompt.zone_source == COLLABORATIVE:
        where = (
            f"Sent at {wall} in the collaborative's time zone ({prompt.zone}): Concord doesn't "
            f"know yours. Type `me timezone Area/City` (e.g. `me timezone America/New_York`) "
            f"to get check-ins at {wall} where you are."
        )
    else:
        where = f"Sent at {wall} where you are ({prompt.zone})."
    shared = runs.render_run(session, run, answered=0)
    return Card(
        blocks=[
            Heading(text=f"Check-in #{schedule.number}, just for you"),
            Context(text=where),
            Context(
                text=f"Answers open until {describe(run.closes_at, prompt.zone)} · "
                "summaries show no names"
            ),
            # The questions and their buttons, as in a shared check-in (after its heading
            # and its count of who answered, which a private note could not keep up to date).
            *shared.blocks[2:],
        ],
        fallback=f"Check-in #{schedule.number}, just for you",
    )
