"""Check-in runs: a run opens once per occurrence, is shown in every channel, and closes.

The ticker claims due schedules and hands each to `catch_up`, which decides what every
occurrence due by now becomes: skipped (a skip date), missed (later than the grace window,
e.g. while Concord was down) or opened. A run is opened at most once per occurrence (the
existence check here and the database's unique occurrence key), in the same transaction that
advances the schedule. `close_run` is the timer handler that ends a run's window and posts
its summary. The answer scale and the run's message key live here because the message and
the answers both use them.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from dialogs.checkins.summary import respondents, summary_card, turnout_blocks
from dialogs.commands.recurrence import Occurrence, next_occurrence
from dialogs.commands.when import describe
from dialogs.core import effects, timers
from dialogs.core.actions import Answer, FormKind, RequestForm
from dialogs.core.cards import Actions, Button, Card, Context, Heading, Text
from dialogs.core.messages import checkin_key
from dialogs.core.timers import TickReport, isolated
from dialogs.purpose import rounds
from storage.models import CheckinRun, CheckinSchedule, Collaborative, Timer

SCALE = range(1, 6)
# A schedule down for longer than this many occurrences is caught up in one jump.
MAX_CATCH_UP = 50


def open_run(
    session: Session, now: datetime, schedule: CheckinSchedule, key: str, due_at: datetime
) -> CheckinRun | None:
    """Open one occurrence; None if this occurrence was already opened (or missed)."""
    exists = session.exec(
        select(CheckinRun.id).where(
            CheckinRun.schedule_id == schedule.id, CheckinRun.occurrence_key == key
        )
    ).first()
    if exists is not None:
        return None
    collaborative = session.get(Collaborative, schedule.collaborative_id)
    assert collaborative is not None and schedule.id is not None
    run = CheckinRun(
        schedule_id=schedule.id,
        occurrence_key=key,
        due_at=due_at,
        opened_at=now,
        closes_at=now + timedelta(seconds=schedule.window_seconds),
        chart_token=secrets.token_urlsafe(24),
    )
    session.add(run)
    session.flush()
    assert run.id is not None and run.closes_at is not None
    timers.schedule(session, collaborative.id, timers.CHECKIN_CLOSE, run.id, "close", run.closes_at)
    effects.post_everywhere(
        session, now, collaborative, render_run(session, run, answered=0), key=checkin_key(run)
    )
    return run


def record_missed(
    session: Session,
    now: datetime,
    schedule: CheckinSchedule,
    key: str,
    due_at: datetime,
    status: str,
) -> None:
    """An occurrence that did not run: skipped on purpose, or missed while Concord was down."""
    if session.exec(
        select(CheckinRun.id).where(
            CheckinRun.schedule_id == schedule.id, CheckinRun.occurrence_key == key
        )
    ).first():
        return
    assert schedule.id is not None
    session.add(
        CheckinRun(schedule_id=schedule.id, occurrence_key=key, due_at=due_at, status=status)
    )
    if status == "missed":
        collaborative = session.get(Collaborative, schedule.collaborative_id)
        assert collaborative is not None
        effects.report_missed(
            session,
            now,
            collaborative,
            f"Check-in #{schedule.number} due {describe(due_at, schedule.timezone)}",
            f"Type `checkin now {schedule.number}` to run it now.",
        )


def render_run(session: Session, run: CheckinRun, answered: int | None = None) -> Card:
    """The check-in message; `answered` is counted unless the caller knows it (a new run: 0)."""
    schedule = session.get(CheckinSchedule, run.schedule_id)
    assert schedule is not None and run.closes_at is not None
    answered = respondents(session, run) if answered is None else answered
    is_open = run.status == "open"
    blocks: list[Any] = [
        Heading(text=f"Check-in #{schedule.number}"),
        Context(
            text=(
                f"Answers open until {describe(run.closes_at, schedule.timezone)} · "
                if is_open
                else "Closed · "
            )
            + f"{answered} answered · summaries show no names"
        ),
        *turnout_blocks(session, run, schedule),
    ]
    purpose = rounds.adopted_purpose(session, schedule.collaborative_id)
    if purpose and any("purpose" in q["text"].lower() for q in schedule.questions):
        # The questions ask about "our shared purpose": say which, in its agreed words.
        blocks.append(Context(text=f"Our shared purpose: “{purpose}”"))
    for index, question in enumerate(schedule.questions):
        blocks.append(Text(text=question["text"]))
        if is_open and question["kind"] == "scale":
            blocks.append(
                Actions(
                    elements=[
                        Button(label=str(v), action=Answer(run.id, index, v).encode())
                        for v in SCALE
                    ]
                )
            )
    if is_open:
        blocks.append(
            Actions(
                elements=[
                    Button(
                        label="Answer privately",
                        style="primary",
                        action=RequestForm(FormKind.CHECKIN_ANSWER, run.id).encode(),
                    )
                ]
            )
        )
    return Card(blocks=blocks, fallback=f"Check-in #{schedule.number}")


def close_run(session: Session, now: datetime, timer: Timer) -> None:
    run = session.get(CheckinRun, timer.subject_id)
    if run is None or run.status != "open":
        return
    schedule = session.get(CheckinSchedule, run.schedule_id)
    assert schedule is not None
    collaborative = session.get(Collaborative, schedule.collaborative_id)
    assert collaborative is not None
    run.status, run.closed_at = "closed", now
    session.flush()
    effects.update_everywhere(session, now, collaborative, checkin_key(run))
    effects.post_everywhere(session, now, collaborative, summary_card(session, run, schedule))


def catch_up(
    session: Session,
    now: datetime,
    schedule: CheckinSchedule,
    report: TickReport,
    grace: timedelta,
) -> None:
    """Do a due schedule's occurrences in a savepoint of its own (the ticker claimed it)."""
    if not isolated(
        session,
        f"check-in schedule {schedule.id}",
        _catch_up,
        session,
        now,
        schedule,
        report,
        grace,
    ):
        # Don't let one broken schedule hold up the others: try its next occurrence.
        schedule.next_run_at = next_occurrence(schedule.rule, schedule.timezone, now).due_at


def _catch_up(
    session: Session,
    now: datetime,
    schedule: CheckinSchedule,
    report: TickReport,
    grace: timedelta,
) -> None:
    """Do every occurrence due by now (late ones within the grace window), then move on."""
    assert schedule.next_run_at is not None
    occurrence = _occurrence_at(schedule, schedule.next_run_at)
    for _ in range(MAX_CATCH_UP):
        if occurrence.due_at > now:
            break
        _occur(session, now, schedule, occurrence, report, grace)
        occurrence = next_occurrence(schedule.rule, schedule.timezone, occurrence.due_at)
    else:
        occurrence = next_occurrence(schedule.rule, schedule.timezone, now)
    schedule.next_run_at = occurrence.due_at


def _occur(
    session: Session,
    now: datetime,
    schedule: CheckinSchedule,
    occurrence: Occurrence,
    report: TickReport,
    grace: timedelta,
) -> None:
    report.lags.append((now - occurrence.due_at).total_seconds())
    if occurrence.local_date.isoformat() in schedule.skip_dates:
        record_missed(session, now, schedule, occurrence.key, occurrence.due_at, "skipped")
    elif now - occurrence.due_at > grace:
        record_missed(session, now, schedule, occurrence.key, occurrence.due_at, "missed")
        report.missed += 1
    elif open_run(session, now, schedule, occurrence.key, occurrence.due_at):
        report.fired += 1


def _occurrence_at(schedule: CheckinSchedule, due_at: datetime) -> Occurrence:
    """The occurrence whose instant is `due_at` (recomputed, so its key is the rule's)."""
    return next_occurrence(schedule.rule, schedule.timezone, due_at - timedelta(seconds=1))
