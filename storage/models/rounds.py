"""Purpose rounds: the round, its proposal groups (themes) and proposals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class PurposeRound(SQLModel, table=True):
    """A collaborative co-creating its shared purpose: gather, group, shortlist, choose,
    consent, adopt. At most one round of a collaborative runs at a time (the partial
    unique index, so two coordinators starting rounds at once can't both succeed)."""

    __table_args__ = (
        UniqueConstraint("collaborative_id", "number"),
        Index(
            "uq_purposeround_running",
            "collaborative_id",
            unique=True,
            sqlite_where=text("running"),
            postgresql_where=text("running"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    number: int
    stage: str = Field(default="gathering", max_length=20)
    running: bool = True
    prompts: list[str] = Field(sa_column=Column(JSON, nullable=False))
    # gather/review/vote seconds, shortlist size; the polls of each stage; stage dates.
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    history: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    stage_ends_at: datetime | None = None
    current_poll_id: int | None = Field(default=None, foreign_key="poll.id")
    revisions: int = 0
    draft: str | None = Field(default=None, max_length=300)
    purpose: str | None = Field(default=None, max_length=300)
    created_by: int = Field(foreign_key="member.id")
    created_at: datetime
    ended_at: datetime | None = None


class ProposalGroup(SQLModel, table=True):
    """Proposals that say much the same thing, with a short title and a draft statement."""

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="purposeround.id", index=True)
    position: int
    title: str = Field(max_length=80)
    draft: str = Field(max_length=300)
    shortlisted: bool = False


class Proposal(SQLModel, table=True):
    """One member's proposed purpose statement (at most three each per round)."""

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="purposeround.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    text: str = Field(max_length=300)
    group_id: int | None = Field(default=None, foreign_key="proposalgroup.id")
    created_at: datetime
    updated_at: datetime
