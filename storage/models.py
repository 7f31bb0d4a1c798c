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

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint, text
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
    reminders_muted: bool = False
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
    closes_at: datetime | None = None
    closed_at: datetime | None = None
    chart_token: str | None = Field(default=None, max_length=64, unique=True)
    reminded_at: datetime | None = None  # when non-voters were last reminded
    description: str = Field(default="", max_length=1000)
    # The latest change, said on the poll's message: "Edited …: option “B” reworded as …".
    notice: str | None = Field(default=None, max_length=600)
    # When a reopened poll's earlier result was announced (its next result replaces it).
    earlier_closed_at: datetime | None = None


class PollDraft(SQLModel, table=True):
    """A `poll` command Concord wasn't sure it read as meant, shown only to its author
    until they post it, edit it or cancel it (`dialogs.polls.preview`)."""

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    text: str = Field(max_length=4000)  # what was typed, read again when it is posted
    created_at: datetime
    outcome: str | None = Field(default=None, max_length=40)  # posted #N | edited | cancelled


class PollOption(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    position: int
    # Long enough for a draft purpose statement (280) offered in a ranked poll.
    label: str = Field(max_length=300)


def new_ballot_id() -> str:
    """A random id: nothing about a ballot's id says who cast it or when."""
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

    id: str = Field(default_factory=new_ballot_id, primary_key=True, max_length=32)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id")
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    # The ballot's content in the shape its poll type's tally takes (dialogs/tally.py).
    choices: Any = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    latest: bool = True
    cast_at: datetime | None = None


# Picks the latest ballots, written exactly as `uq_ballot_latest_per_member` says it
# (`WHERE latest`): SQLite uses a partial index only for a query that repeats its condition,
# and SQLAlchemy would write `Ballot.latest` as `latest = 1` there, so finding one member's
# ballot would read every ballot of the poll.
LATEST_BALLOT = text("ballot.latest")


class Participation(SQLModel, table=True):
    """Who has voted in a poll (for reminders, and apart from anonymous ballots)."""

    __table_args__ = (UniqueConstraint("poll_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    first_voted_at: datetime


class PollReminderMute(SQLModel, table=True):
    """A member who asked for no more reminders about one poll."""

    __table_args__ = (UniqueConstraint("poll_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id", index=True)
    member_id: int = Field(foreign_key="member.id")


class Outbox(SQLModel, table=True):
    """An effect to deliver, written in the transaction of the change that caused it.

    Rows of one `lane` (a channel, or one person's private messages) are
    delivered in order. A process leases a row before delivering it; a lease
    that expires after the platform was called (`attempted_at`) leaves the
    row `unknown` rather than risk a second post.
    """

    __table_args__ = (Index("ix_outbox_due", "status", "lane", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int | None = Field(default=None, foreign_key="collaborative.id")
    lane: str = Field(max_length=320)
    message_key: str | None = Field(default=None, max_length=100)
    effect: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default="pending", max_length=20)
    attempts: int = 0
    created_at: datetime
    available_at: datetime
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = None
    attempted_at: datetime | None = None
    sent_at: datetime | None = None
    error: str | None = Field(default=None, max_length=500)


class DeliveryLane(SQLModel, table=True):
    """Rate-limit state of one lane, shared by every process (token buckets as JSON)."""

    lane: str = Field(primary_key=True, max_length=320)
    buckets: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime


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
    summary: str = Field(max_length=1000)  # the headline: who did what, in one short line
    details: str = Field(default="", max_length=4000)  # the figures and dates behind it
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


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


class PlaygroundMessage(SQLModel, table=True):
    """A message the playground showed: in a channel, or, with `user_id`, privately to one
    person. Kept so a restart shows the transcript again."""

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=32, unique=True)
    channel_id: str | None = Field(default=None, max_length=200)
    user_id: str | None = Field(default=None, max_length=200)
    card: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    at: datetime


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
