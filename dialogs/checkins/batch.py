"""Opening a claimed batch of due check-in schedules with a few bulk statements.

When many collaboratives choose the same hour, thousands of schedules fall due at once.
Opening them one by one (`runs.catch_up`) costs a dozen round trips each; here a batch
costs a handful: one INSERT … ON CONFLICT DO NOTHING … RETURNING for the runs, one INSERT
for their closing timers, one for their outbox rows, one UPDATE for the next runs.
Occurrences are computed once per rule, time zone and instant, not per schedule, and the
adopted purpose a card may name is read once per collaborative.

The batch runs in a savepoint (`timers.batched`). If any of it fails (one broken schedule,
say), the savepoint rolls back and each schedule is done again alone in a savepoint of its
own, as `runs.catch_up` always did, so one broken schedule holds up no other. Exactly once
rests on the ticker's row locks and the unique occurrence key: an occurrence recorded
already is skipped by the INSERT itself. A crash mid-batch rolls the whole transaction back
and the next tick claims the same schedules again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from dialogs.checkins import own_time, runs
from dialogs.checkins.summary import turnout_groups, turnout_said
from dialogs.collaborative.participation import Turnout
from dialogs.commands import occurrences
from dialogs.commands.recurrence import Occurrence, next_occurrence
from dialogs.core import effects, timers
from dialogs.core.cards import Card
from dialogs.core.messages import checkin_key
from dialogs.core.timers import TickReport
from storage.database import insert_new, insert_rows
from storage.models import CheckinRun, CheckinSchedule, Collaborative, Timer


def open_due(
    session: Session,
    now: datetime,
    schedules: list[CheckinSchedule],
    report: TickReport,
    grace: timedelta,
) -> None:
    """Do every occurrence due by now of every claimed schedule, as one batch if it can.
    A schedule that prompts each member at their own time is done by `own_time`."""
    for schedule in schedules:
        if schedule.each_in_own_timezone:
            own_time.catch_up(session, now, schedule, report, grace)
    schedules = [s for s in schedules if not s.each_in_own_timezone]

    def one_by_one(report: TickReport) -> None:
        for schedule in schedules:
            runs.catch_up(session, now, schedule, report, grace)

    if schedules:
        timers.batched(
            session,
            "check-ins",
            lambda done: _open_batch(session, now, schedules, done, grace),
            one_by_one,
            report,
        )


@dataclass(frozen=True)
class _Opening:
    schedule: CheckinSchedule
    occurrence: Occurrence


def _open_batch(
    session: Session,
    now: datetime,
    schedules: list[CheckinSchedule],
    report: TickReport,
    grace: timedelta,
) -> None:
    following = _Memo()
    due: list[_Opening] = []
    next_runs: dict[datetime, list[int]] = {}
    for schedule in schedules:
        found, next_run = occurrences.due_occurrences(schedule, now, following)
        due.extend(_Opening(schedule, occurrence) for occurrence in found)
        assert schedule.id is not None
        next_runs.setdefault(next_run, []).append(schedule.id)
    openings: list[_Opening] = []
    for opening in due:
        schedule, occurrence = opening.schedule, opening.occurrence
        report.lags.append((now - occurrence.due_at).total_seconds())
        fate = occurrences.fate_of(occurrence, now, grace, runs.skipped(schedule, occurrence))
        if fate == "open":
            openings.append(opening)
        else:
            # Rare (a skip date, a restart after downtime): recorded one at a time.
            runs.record_missed(session, now, schedule, occurrence.key, occurrence.due_at, fate)
            report.missed += fate == "missed"
    opened = _insert_runs(session, now, openings)
    _announce(session, now, opened)
    report.fired += len(opened)
    _move_on(session, next_runs)


def _move_on(session: Session, next_runs: dict[datetime, list[int]]) -> None:
    """Set the next runs: one UPDATE per distinct moment (a batch due at one instant mostly
    shares the next one). The loaded schedules keep their old value: the transaction ends
    after the batch, and if the batch rolls back, the one-by-one path needs it."""
    for next_run, ids in next_runs.items():
        session.connection().execute(
            update(CheckinSchedule)
            .where(col(CheckinSchedule.id).in_(ids))
            .values(next_run_at=next_run)
        )


def _insert_runs(
    session: Session, now: datetime, openings: list[_Opening]
) -> list[tuple[CheckinSchedule, CheckinRun]]:
    """INSERT the new runs in one statement, skipping any occurrence recorded already (the
    unique occurrence key decides, so exactly once holds whoever recorded it); return the
    runs inserted (never flushed again: built without the ORM's bookkeeping)."""
    schedules = {opening.schedule.id: opening.schedule for opening in openings}
    rows = [
        {
            "schedule_id": opening.schedule.id,
            "occurrence_key": opening.occurrence.key,
            "due_at": opening.occurrence.due_at,
            "status": "open",
            "opened_at": now,
            "closes_at": now + timedelta(seconds=opening.schedule.window_seconds),
            "chart_token": secrets.token_urlsafe(24),
        }
        for opening in openings
    ]
    inserted = insert_new(
        session,
        CheckinRun,
        rows,
        key=("schedule_id", "occurrence_key"),
        returning=("id", "schedule_id", "occurrence_key"),
    )
    by_key = {(row["schedule_id"], row["occurrence_key"]): row for row in rows}
    return [
        (schedules[schedule_id], CheckinRun.model_construct(id=run_id, **by_key[schedule_id, key]))
        for run_id, schedule_id, key in inserted
    ]


def _announce(
    session: Session, now: datetime, opened: list[tuple[CheckinSchedule, CheckinRun]]
) -> None:
    """Each new run's closing timer and its message in every channel, in bulk."""
    if not opened:
        return
    collaboratives = _collaboratives(session, {s.collaborative_id for s, _ in opened})
    purposes: dict[tuple[int, bool], str | None] = {}
    # A new run has no answers yet, so its turnout line is its collaborative's.
    turnouts: dict[int, list[Any]] = {}
    timer_rows: list[dict[str, Any]] = []
    posts: list[tuple[Collaborative, Any, str]] = []
    for schedule, run in opened:
        assert run.id is not None and run.closes_at is not None
        asks = (schedule.collaborative_id, runs.asks_about_purpose(schedule))
        if asks not in purposes:
            purposes[asks] = runs.purpose_of(session, schedule)
        if schedule.collaborative_id not in turnouts:
            turnouts[schedule.collaborative_id] = turnout_groups(session, run, schedule)
        groups = turnouts[schedule.collaborative_id]
        card = partial(_new_run_card, schedule, run, purposes[asks], groups)
        posts.append((collaboratives[schedule.collaborative_id], card, checkin_key(run)))
        timer_rows.append(
            {
                "collaborative_id": schedule.collaborative_id,
                "kind": timers.CHECKIN_CLOSE,
                "subject_id": run.id,
                "key": "close",
                "due_at": run.closes_at,
                "status": "pending",
            }
        )
    insert_rows(session, Timer, timer_rows)
    effects.post_many(session, now, posts)


def _new_run_card(
    schedule: CheckinSchedule, run: CheckinRun, purpose: str | None, groups: list[Turnout]
) -> Card:
    """A new run's message, built in the language it is posted in (its turnout line too)."""
    return runs.run_card(schedule, run, runs.Shown(0, purpose, turnout_said(groups)))


def _collaboratives(session: Session, ids: set[int]) -> dict[int, Collaborative]:
    rows = session.exec(select(Collaborative).where(col(Collaborative.id).in_(ids))).all()
    return {collaborative.id: collaborative for collaborative in rows if collaborative.id}


class _Memo:
    """`next_occurrence`, remembered for the batch: schedules that share a rule, a time zone
    and a due instant (every Monday 09:00 in London) share the answer."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str, datetime], Occurrence] = {}

    def __call__(self, rule: dict[str, Any], timezone: str, after: datetime) -> Occurrence:
        key = (repr(sorted(rule.items())), timezone, after)
        if key not in self._known:
            self._known[key] = next_occurrence(rule, timezone, after)
        return self._known[key]
