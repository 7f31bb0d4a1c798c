"""SQLModel tables. Every time is stored as timezone-aware UTC.

Uniqueness that matters for correctness is enforced by the database, not by
code that checks first: one channel row per platform channel, one latest ballot
per member per poll, one participation per member per poll, one processed
platform event, one poll number per collaborative.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

ROLES = ("coordinator", "member", "observer")


class Collaborative(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    timezone: str = Field(max_length=64)
    require_organisation: bool = False
    created_at: datetime


class Channel(SQLModel, table=True):
    """A platform channel linked to a collaborative.

    `delivery` is opaque JSON an adapter needs to reach the channel later
    (a Teams ConversationReference, say).
    """

    __table_args__ = (UniqueConstraint("platform", "tenant_id", "channel_id"),)

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    platform: str = Field(max_length=20)
    tenant_id: str = Field(max_length=100)
    channel_id: str = Field(max_length=200)
    name: str = Field(default="", max_length=200)
    delivery: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime


class Organisation(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("collaborative_id", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    name: str = Field(max_length=80)
    name_key: str = Field(max_length=80)
    created_at: datetime


class Member(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    display_name: str = Field(max_length=120)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    role: str = Field(default="member", max_length=20)
    created_at: datetime


class Identity(SQLModel, table=True):
    """How one platform knows a member; one person on two platforms is one member."""

    __table_args__ = (UniqueConstraint("collaborative_id", "platform", "tenant_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id")
    member_id: int = Field(foreign_key="member.id", index=True)
    platform: str = Field(max_length=20)
    tenant_id: str = Field(max_length=100)
    user_id: str = Field(max_length=200)


class LinkCode(SQLModel, table=True):
    """A one-time code that joins another channel to a collaborative.

    Only a hash of the code is kept, so a copy of the database cannot be used
    to link a channel.
    """

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id")
    code_hash: str = Field(max_length=64, unique=True)
    created_by: int = Field(foreign_key="member.id")
    expires_at: datetime
    used_at: datetime | None = None


class Poll(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("collaborative_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    number: int
    question: str = Field(max_length=300)
    type: str = Field(max_length=20)
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="open", max_length=20)
    created_by: int = Field(foreign_key="member.id")
    created_at: datetime
    closed_at: datetime | None = None


class PollOption(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    position: int
    label: str = Field(max_length=150)


def _ballot_id() -> str:
    return secrets.token_hex(16)


class Ballot(SQLModel, table=True):
    """One vote. Superseded ballots stay as history with `latest` false.

    The partial unique index lets the database, not the code, guarantee one
    latest ballot per member per poll however many clicks arrive at once.
    """

    __table_args__ = (
        Index(
            "uq_ballot_latest_per_member",
            "poll_id",
            "member_id",
            unique=True,
            sqlite_where=text("latest"),
            postgresql_where=text("latest"),
        ),
    )

    id: str = Field(default_factory=_ballot_id, primary_key=True, max_length=32)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id")
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    choices: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    latest: bool = True
    cast_at: datetime | None = None


class Participation(SQLModel, table=True):
    """Who has voted in a poll (for reminders, and apart from anonymous ballots)."""

    __table_args__ = (UniqueConstraint("poll_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    first_voted_at: datetime


class Outbox(SQLModel, table=True):
    """An effect to deliver, written in the transaction of the change that caused it."""

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int | None = Field(default=None, foreign_key="collaborative.id")
    effect: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=20, index=True)
    attempts: int = 0
    created_at: datetime
    sent_at: datetime | None = None
    error: str | None = Field(default=None, max_length=500)


class PostedMessage(SQLModel, table=True):
    """Maps an engine message key to one platform's reference for that message."""

    __table_args__ = (UniqueConstraint("key", "channel_id"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=100, index=True)
    channel_id: int = Field(foreign_key="channel.id")
    platform_ref: str = Field(max_length=200)
    created_at: datetime
    updated_at: datetime


class ProcessedEvent(SQLModel, table=True):
    """A platform event already handled: retries of it are absorbed."""

    __table_args__ = (UniqueConstraint("platform", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    event_id: str = Field(max_length=200)
    processed_at: datetime


class AuditEntry(SQLModel, table=True):
    """The collaborative's decision log: who did what, when."""

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    at: datetime
    actor_member_id: int | None = Field(default=None, foreign_key="member.id")
    actor_name: str = Field(max_length=120)
    action: str = Field(max_length=40)
    summary: str = Field(max_length=1000)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
