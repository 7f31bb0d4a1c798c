"""Due work planted straight into a database: check-ins and poll deadlines all due at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from dialogs.checkins.schedules import DEFAULT_QUESTIONS
from dialogs.core import timers
from storage.database import Database
from storage.models import (
    Channel,
    CheckinSchedule,
    Collaborative,
    Identity,
    Member,
    Poll,
    PollOption,
    Timer,
)


def plant(database: Database, due: datetime, schedules: int, polls: int) -> None:
    """`schedules` daily check-ins and `polls` poll deadlines, all due at `due` (a whole
    UTC minute, since the check-ins' rule is "every day at HH:MM")."""
    assert due.second == due.microsecond == 0
    now = datetime.now(UTC)
    with database.session() as session:
        collaborative, member = _collaborative(session, now, "Race")
        rule = {"kind": "cron", "day_of_week": "*", "hour": due.hour, "minute": due.minute}
        session.add_all(
            CheckinSchedule(
                collaborative_id=collaborative.id,
                number=n + 1,
                recurrence=f"every day {due:%H:%M}",
                rule=rule,
                timezone="UTC",
                questions=DEFAULT_QUESTIONS,
                window_seconds=3600,
                next_run_at=due,
                created_by=member.id,
                created_at=now,
            )
            for n in range(schedules)
        )
        for n in range(polls):
            poll = Poll(
                collaborative_id=collaborative.id,
                number=n + 1,
                question=f"Q{n}?",
                type="single",
                created_by=member.id,
                created_at=now - timedelta(hours=1),
                closes_at=due,
            )
            session.add(poll)
            session.flush()
            session.add_all(
                PollOption(poll_id=poll.id, position=i, label=label)
                for i, label in enumerate(("A", "B"))
            )
            session.add(
                Timer(
                    collaborative_id=collaborative.id,
                    kind=timers.POLL_CLOSE,
                    subject_id=poll.id,
                    key="deadline",
                    due_at=due,
                )
            )


def plant_scheduled_polls(database: Database, due: datetime, polls: int) -> None:
    """`polls` polls scheduled to open at `due`, each with its `poll.open` timer, in one
    collaborative with one channel (scheduled polls: Poll.opens_at and the `poll.open`
    timer's handler)."""
    now = datetime.now(UTC)
    with database.session() as session:
        collaborative, member = _collaborative(session, now, "Openings")
        scheduled = [
            Poll(
                collaborative_id=collaborative.id,
                number=n + 1,
                question=f"Q{n}?",
                type="single",
                status="scheduled",
                opens_at=due,
                created_by=member.id,
                created_at=now - timedelta(hours=1),
            )
            for n in range(polls)
        ]
        session.add_all(scheduled)
        session.flush()
        for poll in scheduled:
            assert poll.id is not None
            session.add_all(
                PollOption(poll_id=poll.id, position=i, label=label)
                for i, label in enumerate(("A", "B"))
            )
            session.add(
                Timer(
                    collaborative_id=collaborative.id,
                    kind="poll.open",
                    subject_id=poll.id,
                    key="open",
                    due_at=due,
                )
            )


def _collaborative(session: Session, now: datetime, name: str) -> tuple[Collaborative, Member]:
    """A collaborative with one playground channel and its coordinator (who hears of misses)."""
    slug = name.lower()
    collaborative = Collaborative(name=name, timezone="UTC", created_at=now)
    session.add(collaborative)
    session.flush()
    assert collaborative.id is not None
    session.add(
        Channel(
            collaborative_id=collaborative.id,
            platform="playground",
            tenant_id=slug,
            channel_id=slug,
            created_at=now,
        )
    )
    member = Member(
        collaborative_id=collaborative.id,
        display_name="Coordinator",
        role="coordinator",
        created_at=now,
    )
    session.add(member)
    session.flush()
    session.add(
        Identity(
            collaborative_id=collaborative.id,
            member_id=member.id,
            platform="playground",
            tenant_id=slug,
            user_id="coordinator",
        )
    )
    return collaborative, member
