"""The daily retention job: once a night per collaborative, what is past its time is
cleared (`dialogs.collaborative.expiry`) and the counts are logged, never the words.

Exactly once across processes rests on the durable timers every deadline uses: each
collaborative has one `retention` timer per local date (unique on kind, collaborative and
date), due at 03:30 in the collaborative's time zone, when a partnership is least likely to
be at work. The ticker claims these timers as it claims the others (`FOR UPDATE SKIP
LOCKED` on PostgreSQL, `BEGIN IMMEDIATE` on SQLite), but in a loop of its own after the
deadlines people wait for, so the heavier work never delays them nor counts among them.
`run_due` clears and sets the next night's timer in the same transaction; `enrol` gives a
timer to any collaborative without one (a new one, or one from before this job), inserting
`ON CONFLICT DO NOTHING` so two processes enrolling at once make one. A run late (everything
was down) still runs once, then moves on to the next night: missed nights need no catching
up, since each run clears everything past its time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import exists
from sqlmodel import Session, select

from dialogs.collaborative import expiry
from dialogs.collaborative.retention import in_words, months_before
from dialogs.core import audit, timers
from dialogs.core.language import _, ngettext
from storage.database import insert_row
from storage.models import Collaborative, Timer

log = logging.getLogger(__name__)

AT = time(3, 30)  # local time of the nightly run


def enrol(session: Session, now: datetime) -> int:
    """Set the next run for every collaborative that has none pending; how many."""
    pending = exists().where(
        Timer.kind == timers.RETENTION,
        Timer.subject_id == Collaborative.id,
        Timer.status == "pending",
    )
    waiting = session.exec(select(Collaborative).where(~pending).limit(100)).all()
    for collaborative in waiting:
        _schedule_next(session, now, collaborative)
    return len(waiting)


def run_due(session: Session, now: datetime, limit: int = 20) -> int:
    """Claim the nightly runs due and do each in its own savepoint (a failure is logged
    and marked, and holds up no other collaborative); the next night is set either way.
    How many were claimed."""
    due = timers.claim_due(session, now, limit, timers.RETENTION)
    for timer in due:
        timer.status, timer.done_at = "done", now
        collaborative = session.get(Collaborative, timer.subject_id)
        if collaborative is None:  # erased since: nothing left to clear
            continue
        if not timers.isolated(session, f"retention {timer.id}", _run, session, now, collaborative):
            timer.status = "failed"
        _schedule_next(session, now, collaborative)
    return len(due)


def _run(session: Session, now: datetime, collaborative: Collaborative) -> None:
    counts = apply(session, now, collaborative)
    log.info("retention applied", extra={"collaborative_id": collaborative.id, **_fields(counts)})


def apply(session: Session, now: datetime, collaborative: Collaborative) -> dict[str, int]:
    """Clear what is past its time in one collaborative; the counts, also written in the
    decision log when anything was cleared."""
    collaborative_id = cast(int, collaborative.id)
    free_text = collaborative.retention_free_text_months
    closed = collaborative.retention_closed_poll_months
    written = expiry.clear_written(
        session,
        collaborative_id,
        months_before(now, free_text),
        collaborative.forgotten_text == "replace",
    )
    polls = expiry.anonymise_closed_polls(session, collaborative_id, months_before(now, closed))
    counts = {**written, **polls}
    if any(counts.values()):
        audit.record(
            session,
            now,
            collaborative,
            None,
            "retention",
            lambda: _("cleared what is past its retention period"),
            details=lambda: _details(written, polls, free_text, closed),
            **_fields(counts),
        )
    return counts


def _fields(counts: dict[str, int]) -> dict[str, int]:
    """The counts as field names for a structured log line or the entry's detail."""
    return {name.replace(" ", "_"): n for name, n in counts.items()}


def _details(written: dict[str, int], polls: dict[str, int], free_text: int, closed: int) -> str:
    """The counts in words: "Written words older than 2 years: 3 check-in answers, …"."""
    said = []
    words = [_WRITTEN[name](n).format(count=n) for name, n in written.items() if n]
    if words:
        said.append(
            _("Written words older than {period}: {counts}.").format(
                period=in_words(free_text), counts=", ".join(words)
            )
        )
    if polls["polls"]:
        earlier, records = polls["earlier ballots"], polls["participation"]  # i18n: not for readers
        removed = _("{earlier} and {records}").format(
            earlier=ngettext("{count} earlier ballot", "{count} earlier ballots", earlier).format(
                count=earlier
            ),
            records=ngettext(
                "{count} record of who voted", "{count} records of who voted", records
            ).format(count=records),
        )
        unlinked = polls["ballots unlinked"]  # i18n: not for readers
        said.append(
            _(
                "Polls closed more than {period} ago: {polls} anonymised ({ballots} unlinked "
                "from voters; {removed} removed)."
            ).format(
                period=in_words(closed),
                polls=ngettext("{count} poll", "{count} polls", polls["polls"]).format(
                    count=polls["polls"]
                ),
                ballots=ngettext("{count} ballot", "{count} ballots", unlinked).format(
                    count=unlinked
                ),
                removed=removed,
            )
        )
    return " ".join(said)


# How the job's counts of written words are said, by the count (then `.format(count=n)`).
_WRITTEN: dict[str, Callable[[int], str]] = {
    "checkinanswer": lambda n: ngettext("{count} check-in answer", "{count} check-in answers", n),
    "proposal": lambda n: ngettext("{count} proposal", "{count} proposals", n),
    "polldraft": lambda n: ngettext("{count} poll draft", "{count} poll drafts", n),
    "ballot reasons": lambda n: ngettext(  # i18n: not for readers (the key)
        "{count} ballot's reasons", "{count} ballots' reasons", n
    ),
}


def _schedule_next(session: Session, now: datetime, collaborative: Collaborative) -> None:
    """The first 03:30 local after `now`, keyed by its local date (so once a day at most)."""
    zone = ZoneInfo(collaborative.timezone)
    local = now.astimezone(zone)
    day = local.date() if local.time() < AT else local.date() + timedelta(days=1)
    due = datetime.combine(day, AT, tzinfo=zone)
    row = Timer(
        collaborative_id=cast(int, collaborative.id),
        kind=timers.RETENTION,
        subject_id=cast(int, collaborative.id),
        key=day.isoformat(),
        due_at=due.astimezone(now.tzinfo),
    )
    insert_row(session, row, unless_present=True)
