"""Records kept beside the work: the decision log, durable timers, export files and the
playground's transcript."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


class AuditEntry(SQLModel, table=True):
    """The collaborative's decision log: who did what, when.

    Entries form a hash chain per collaborative (`storage.ledger`): `seq` is the entry's
    place in it, `hash` covers its content and `prev_hash`, the hash of the entry before.
    """

    __table_args__ = (UniqueConstraint("collaborative_id", "seq", name="uq_auditentry_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    at: datetime
    actor_member_id: int | None = Field(default=None, foreign_key="member.id")
    actor_name: str = Field(max_length=120)
    action: str = Field(max_length=40)
    summary: str = Field(max_length=1000)  # the headline: who did what, in one short line
    details: str = Field(default="", max_length=4000)  # the figures and dates behind it
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    seq: int
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    # The key of the fields' salts; None once the entry is redacted, when `seal` holds the
    # salts of the fields kept and the digests of the fields replaced.
    salt: str | None = Field(default=None, max_length=32)
    seal: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JSON(none_as_null=True), nullable=True)
    )


class Timer(SQLModel, table=True):
    """Something due later: a poll deadline, a reminder, a check-in window closing.

    Unique per (kind, subject, key) so the same moment can't be scheduled twice.
    """

    __table_args__ = (
        UniqueConstraint("kind", "subject_id", "key"),
        Index("ix_timer_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id")
    kind: str = Field(max_length=40)
    subject_id: int
    key: str = Field(max_length=64)
    due_at: datetime
    status: str = Field(default="pending", max_length=20)
    done_at: datetime | None = None


class Export(SQLModel, table=True):
    """A file made for one member (a poll's ballots, the decision log), kept as it was made
    so a download gives exactly what was announced; `token` is its unguessable address."""

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, unique=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    filename: str = Field(max_length=120)
    media_type: str = Field(max_length=60)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime
    expires_at: datetime = Field(index=True)


class PlaygroundMessage(SQLModel, table=True):
    """A message the playground showed: in a channel, or, with `user_id`, privately to one
    person. Kept so a restart shows the transcript again."""

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=32, unique=True)
    channel_id: str | None = Field(default=None, max_length=200)
    user_id: str | None = Field(default=None, max_length=200)
    card: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    at: datetime
