"""Recurring polls: a series posts a fresh poll from one definition at each occurrence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class PollSeries(SQLModel, table=True):
    """`poll … --every WHEN`: the checked poll definition and when it recurs.

    `definition` holds everything a poll's spec carries (question, options, type,
    settings with rule and mode, description, reminder), so each occurrence is created
    through the same path as a poll typed by hand."""

    __table_args__ = (
        UniqueConstraint("collaborative_id", "number"),
        Index("ix_pollseries_due", "status", "next_run_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    number: int
    definition: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    recurrence: str = Field(max_length=120)
    rule: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    timezone: str = Field(max_length=64)
    closes_after: int | None = None  # seconds from each occurrence to its poll's deadline
    status: str = Field(default="active", max_length=20)
    next_run_at: datetime | None = None
    created_by: int = Field(foreign_key="member.id")
    created_at: datetime


class PollSeriesRun(SQLModel, table=True):
    """One occurrence of a series, keyed by its local wall-clock time: the database's
    unique key is what makes each occurrence post once across processes and restarts."""

    __table_args__ = (UniqueConstraint("series_id", "occurrence_key"),)

    id: int | None = Field(default=None, primary_key=True)
    series_id: int = Field(foreign_key="pollseries.id", index=True)
    occurrence_key: str = Field(max_length=32)
    due_at: datetime
    status: str = Field(default="posted", max_length=20)  # posted | missed
    poll_id: int | None = Field(default=None, foreign_key="poll.id", unique=True)
