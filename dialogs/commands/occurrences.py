"""Doing a recurring schedule's due occurrences: what check-ins and recurring polls share.

The ticker claims a due schedule (a check-in schedule, a poll series) and hands it here with
what its occurrences become. Every occurrence due by now is decided in turn: skipped (the
schedule says so), missed (later than the grace window, e.g. while Concord was down: posting
it late would surprise people, so coordinators are told instead) or opened; then the
schedule's next run is set, in the same transaction. A schedule down for longer than
MAX_CATCH_UP occurrences is caught up in one jump.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

from sqlmodel import Session

from dialogs.commands.recurrence import Occurrence, next_occurrence
from dialogs.commands.when import moment
from dialogs.core.timers import TickReport, isolated

MAX_CATCH_UP = 50
_INSTANT = timedelta(seconds=1)
Fate = Literal["skipped", "missed", "open"]
# `next_occurrence`, or a memo of it when a batch asks the same of many schedules.
Following = Callable[[dict[str, Any], str, datetime], Occurrence]


class Recurring(Protocol):
    """A schedule the ticker claims: its rule, zone and next due instant."""

    rule: dict[str, Any]
    timezone: str
    status: str  # active | stopped
    next_run_at: datetime | None


def next_or_status(schedule: Recurring) -> str:
    """What a list says of a schedule: "next Mon 7 Dec 2026 09:00 GMT", or "stopped"."""
    if schedule.status == "active" and schedule.next_run_at:
        return f"next {moment(schedule.next_run_at, schedule.timezone)}"
    return schedule.status


def _never(occurrence: Occurrence) -> bool:
    return False


@dataclass(frozen=True)
class Outcomes:
    """What one schedule's occurrences become.

    `open` opens an occurrence and says whether it did (False: it already happened);
    `not_run` records one that did not run, as "skipped" or "missed" (and tells whom it
    must); `skipped` says whether an occurrence is skipped on purpose."""

    open: Callable[[Occurrence], bool]
    not_run: Callable[[Occurrence, str], None]
    skipped: Callable[[Occurrence], bool] = _never


def catch_up(
    session: Session,
    now: datetime,
    schedule: Recurring,
    report: TickReport,
    grace: timedelta,
    what: str,
    outcomes: Outcomes,
) -> None:
    """Do a claimed schedule's due occurrences in a savepoint of its own."""
    if not isolated(session, what, _catch_up, now, schedule, report, grace, outcomes):
        # Don't let one broken schedule hold up the others: try its next occurrence.
        schedule.next_run_at = next_occurrence(schedule.rule, schedule.timezone, now).due_at


def _catch_up(
    now: datetime,
    schedule: Recurring,
    report: TickReport,
    grace: timedelta,
    outcomes: Outcomes,
) -> None:
    """Do every occurrence due by now (late ones within the grace window), then move on."""
    due, next_run = due_occurrences(schedule, now)
    for occurrence in due:
        report.lags.append((now - occurrence.due_at).total_seconds())
        fate = fate_of(occurrence, now, grace, outcomes.skipped(occurrence))
        if fate != "open":
            outcomes.not_run(occurrence, fate)
            report.missed += fate == "missed"
        elif outcomes.open(occurrence):
            report.fired += 1
    schedule.next_run_at = next_run


def due_occurrences(
    schedule: Recurring, now: datetime, following: Following = next_occurrence
) -> tuple[list[Occurrence], datetime]:
    """The schedule's occurrences due by now (at most MAX_CATCH_UP of them: a schedule down
    for longer jumps ahead) and when it is next due."""
    assert schedule.next_run_at is not None
    # The occurrence whose instant is next_run_at, recomputed so its key is the rule's.
    occurrence = following(schedule.rule, schedule.timezone, schedule.next_run_at - _INSTANT)
    due: list[Occurrence] = []
    for _ in range(MAX_CATCH_UP):
        if occurrence.due_at > now:
            return due, occurrence.due_at
        due.append(occurrence)
        occurrence = following(schedule.rule, schedule.timezone, occurrence.due_at)
    return due, following(schedule.rule, schedule.timezone, now).due_at


def fate_of(occurrence: Occurrence, now: datetime, grace: timedelta, skipped: bool) -> Fate:
    """Skipped (on purpose), missed (later than the grace window) or to open."""
    if skipped:
        return "skipped"
    if now - occurrence.due_at > grace:
        return "missed"
    return "open"
