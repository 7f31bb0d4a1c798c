"""Review dates: a decision (a poll's result, an adopted purpose) looked at again later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Review(SQLModel, table=True):
    """A date to ask whether a decision still stands: Still right, Change it or Drop it.

    It names a decided poll, or a purpose round whose adopted purpose it reviews (its
    consent poll is named once the purpose is adopted). One review per poll and per round;
    `outcome` is set once, by a single conditional update, so the first answer wins.
    """

    __table_args__ = (UniqueConstraint("poll_id"), UniqueConstraint("round_id"))

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    poll_id: int | None = Field(default=None, foreign_key="poll.id")
    round_id: int | None = Field(default=None, foreign_key="purposeround.id")
    due_at: datetime
    set_by: int = Field(foreign_key="member.id")
    set_at: datetime
    posted_at: datetime | None = None  # when the review was asked in every channel
    outcome: str | None = Field(default=None, max_length=20)  # kept | changed | dropped | lapsed
    decided_by: int | None = Field(default=None, foreign_key="member.id")
    decided_at: datetime | None = None
