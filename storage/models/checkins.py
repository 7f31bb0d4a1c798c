"""Check-ins: schedules, their runs, and the answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class CheckinSchedule(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("collaborative_id", "number"),
        Index("ix_checkin_due", "status", "next_run_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    number: int
    recurrence: str = Field(max_length=120)
    rule: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    timezone: str = Field(max_length=64)
    questions: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    window_seconds: int
    skip_dates: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="active", max_length=20)
    next_run_at: datetime | None = None
    # Each member gets a private prompt at the rule's wall-clock time in their own zone
    # (dialogs/checkins/own_time.py), instead of one message in the channels.
    each_in_own_timezone: bool = False
    created_by: int = Field(foreign_key="member.id")
    created_at: datetime


class CheckinRun(SQLModel, table=True):
    """One occurrence of a check-in, keyed by its local wall-clock time."""

    __table_args__ = (UniqueConstraint("schedule_id", "occurrence_key"),)

    id: int | None = Field(default=None, primary_key=True)
    schedule_id: int = Field(foreign_key="checkinschedule.id", index=True)
    occurrence_key: str = Field(max_length=32)
    due_at: datetime
    status: str = Field(default="open", max_length=20)
    opened_at: datetime | None = None
    closes_at: datetime | None = None
    closed_at: datetime | None = None
    chart_token: str | None = Field(default=None, max_length=64, unique=True)


class CheckinAnswer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("run_id", "member_id", "question"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="checkinrun.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    question: int
    value: int | None = None
    text: str | None = Field(default=None, max_length=1000)
    answered_at: datetime


class CheckinPrompt(SQLModel, table=True):
    """One member's private prompt for one occurrence of an own-time check-in.

    The unique key makes "once per person per occurrence" the database's promise, whichever
    process opens the run or sends the prompt, and however often they restart.
    """

    __table_args__ = (
        UniqueConstraint("schedule_id", "member_id", "occurrence_key"),
        Index("ix_checkinprompt_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    schedule_id: int = Field(foreign_key="checkinschedule.id")
    run_id: int = Field(foreign_key="checkinrun.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    occurrence_key: str = Field(max_length=32)
    zone: str = Field(max_length=64)  # the zone the prompt's time is read in
    zone_source: str = Field(max_length=20)  # chosen | platform | collaborative
    due_at: datetime
    status: str = Field(default="pending", max_length=20)  # pending|sent|missed|unreachable
    sent_at: datetime | None = None
