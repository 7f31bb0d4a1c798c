"""Deputies: a member names someone from their own organisation to vote for them for a
while (`dialogs.collaborative.deputies`); the ballot a deputy casts stays the member's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, text
from sqlmodel import Field, SQLModel


class Deputy(SQLModel, table=True):
    """One member's deputy, from being named until it ends.

    `current` is true while it is offered or accepted and not ended (a period that has run
    out is ended the next time anyone looks). The partial unique indexes let the database
    guarantee one current deputy per member, and that nobody is deputy for two at once.
    """

    __table_args__ = (
        Index(
            "uq_deputy_current_member",
            "member_id",
            unique=True,
            sqlite_where=text("current"),
            postgresql_where=text("current"),
        ),
        Index(
            "uq_deputy_current_deputy",
            "deputy_id",
            unique=True,
            sqlite_where=text("current"),
            postgresql_where=text("current"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    member_id: int = Field(foreign_key="member.id")  # who named a deputy
    deputy_id: int = Field(foreign_key="member.id")  # who may vote for them
    until: datetime  # the end of the period the member gave
    status: str = Field(default="offered", max_length=20)  # offered|active|declined|ended
    current: bool = True
    created_at: datetime
    accepted_at: datetime | None = None
    ended_at: datetime | None = None
