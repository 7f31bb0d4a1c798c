"""Due work planted straight into a database: check-ins and poll deadlines all due at once."""

from __future__ import annotations

from datetime import datetime, timedelta

from dialogs import timers
from dialogs.checkins import DEFAULT_QUESTIONS
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


def plant(database: Database, now: datetime, schedules: int, polls: int) -> datetime:
    """`schedules` daily check-ins and `polls` poll deadlines, all due at the returned instant
    (the start of the current UTC minute, so within the grace window)."""
    due = now.replace(second=0, microsecond=0)
    with database.session() as session:
        collaborative = Collaborative(name="Race", timezone="UTC", created_at=now)
        session.add(collaborative)
        session.flush()
        session.add(
            Channel(
                collaborative_id=collaborative.id,
                platform="playground",
                tenant_id="race",
                channel_id="race",
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
                tenant_id="race",
                user_id="coordinator",
            )
        )
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
    return due
