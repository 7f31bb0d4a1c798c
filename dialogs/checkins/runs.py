"""Check-in runs: a run opens once per occurrence, is shown in every channel, and closes.

The ticker claims due schedules in batches and opens them together (`checkins.batch`); a
batch that fails is done again one schedule at a time by `catch_up`. Both ask
`dialogs.commands.occurrences` (shared with recurring polls) which occurrences are due by
now and what each becomes: skipped (a skip date), missed (later than the grace window, e.g.
while Concord was down) or opened. A run is opened at most once per occurrence (the
existence check here and the database's unique occurrence key), in the same transaction that
advances the schedule. `close_run` is the timer handler that ends a run's window and posts
its summary. The answer scale and the run's message key live here because the message and
the answers both use them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from dialogs.checkins.summary import respondents, summary_card, turnout_blocks
from dialogs.commands import occurrences
from dialogs.commands.recurrence import Occurrence
from dialogs.commands.when import describe, moment
from dialogs.core import effects, timers
from dialogs.core.actions import Answer, FormKind, RequestForm
from dialogs.core.cards import Actions, Button, Card, Context, Heading, Text
from dialogs.core.messages import checkin_key
from dialogs.core.timers import TickReport
from dialogs.purpose import rounds
from storage.models import CheckinPrompt, CheckinRun, CheckinSchedule, Collaborative, Timer

SCALE = range(1, 6)


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
        session,
        now,
        collaborative,
        lambda: render_run(session, run, answered=0),
        key=checkin_key(run),
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
    assert schedule is not None
    answered = respondents(session, run) if answered is None else answered
    shown = Shown(answered, purpose_of(session, schedule), turnout_blocks(session, run, schedule))
    return run_card(schedule, run, shown)


def asks_about_purpose(schedule: CheckinSchedule) -> bool:
    """Whether the schedule's questions ask about "our shared purpose"."""
    return any("purpose" in q["text"].lower() for q in schedule.questions)


def purpose_of(session: Session, schedule: CheckinSchedule) -> str | None:
    """The adopted purpose, if the schedule's questions ask about it (so the card names it)."""
    if not asks_about_purpose(schedule):
        return None
    return rounds.adopted_purpose(session, schedule.collaborative_id)


@dataclass(frozen=True)
class Shown:
    """What a check-in message shows beyond its schedule and run: how many answered, the
    adopted purpose its questions ask about, and the turnout line."""

    answered: int
    purpose: str | None
    turnout: list[Context]


def run_card(schedule: CheckinSchedule, run: CheckinRun, shown: Shown) -> Card:
    """The check-in message from what it shows, with no queries: a batch renders many."""
    assert run.closes_at is not None
    is_open = run.status == "open"
    blocks: list[Any] = [
        Heading(text=f"Check-in #{schedule.number}"),
        Context(
            text=(
                f"Answers open until {moment(run.closes_at, schedule.timezone)} · "
                if is_open
                else "Closed · "
            )
            + f"{shown.answered} answered · summaries show no names"
        ),
        *shown.turnout,
    ]
    if purpose := shown.purpose:
        # The questions ask about "our shared purpose": say which, in its agreed words.
        blocks.append(Context(text=f"Our shared purpose: “{purpose}”"))
    for index, question in enumerate(schedule.questions):
        blocks.append(Text(text=question["text"]))
        if is_open and question["kind"] == "scale":
            blocks.append(
                Actions(
                    elements=[
                        Button(
                            label=str(v),
                            action=Answer(run.id, index, v).encode(),
                            spoken=f"Answer {v} of {SCALE[-1]} to: {question['text']}",
                        )
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
                        spoken=f"Answer privately: check-in #{schedule.number}",
                        action=RequestForm(FormKind.CHECKIN_ANSWER, run.id).encode(),
                    )
                ]
            )
        )
    return Card(blocks=blocks, fallback=f"Check-in #{schedule.number}")


def posted_in_channels(session: Session, run: CheckinRun) -> bool:
    """Whether the run has a message in the channels to keep up to date: every run does but
    an own-time occurrence's, which went to each member as a private prompt instead."""
    prompt = select(CheckinPrompt.id).where(CheckinPrompt.run_id == run.id).limit(1)
    return session.exec(prompt).first() is None


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
    if posted_in_channels(session, run):
        effects.update_everywhere(session, now, collaborative, checkin_key(run))
    effects.post_everywhere(
        session, now, collaborative, lambda: summary_card(session, run, schedule)
    )


def catch_up(
    session: Session,
    now: datetime,
    schedule: CheckinSchedule,
    report: TickReport,
    grace: timedelta,
) -> None:
    """Do a due schedule's occurrences (the ticker claimed it): `dialogs.commands.occurrences`
    decides which open, which were skipped and which were missed."""

    def not_run(occurrence: Occurrence, status: str) -> None:
        record_missed(session, now, schedule, occurrence.key, occurrence.due_at, status)

    outcomes = occurrences.Outcomes(
        open=lambda o: open_run(session, now, schedule, o.key, o.due_at) is not None,
        not_run=not_run,
        skipped=lambda o: skipped(schedule, o),
    )
    what = f"check-in schedule {schedule.id}"
    occurrences.catch_up(session, now, schedule, report, grace, what, outcomes)


def skipped(schedule: CheckinSchedule, occurrence: Occurrence) -> bool:
    """Whether a coordinator skipped this occurrence (`checkin skip DATE`)."""
    return occurrence.local_date.isoformat() in schedule.skip_dates
