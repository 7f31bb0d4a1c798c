"""Polls, their options and ballots, who took part, and drafts and reminder settings."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


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
    # A scheduled poll (status "scheduled") opens then (`dialogs.polls.scheduling`).
    opens_at: datetime | None = None
    # Seconds from the opening to the reminder, kept until a scheduled poll opens.
    remind_after: int | None = None
    # The delivery lane of the channel a scheduled poll was started from, to say at its
    # opening whether that channel is still linked.
    scheduled_from: str | None = Field(default=None, max_length=300)


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


# Receipt codes leave out the characters people misread for one another (0 O, 1 I L, 5 S, U V).
RECEIPT_ALPHABET = "2346789ABCDEFGHJKMNPQRTWXYZ"
RECEIPT_GROUPS = 3  # of four characters: 27**12, about 2**57 codes


def new_receipt() -> str:
    """A random receipt code such as "K7QM-4XPR-9DHT", drawn apart from the ballot it names:
    nothing about it says who voted or how (`dialogs.polls.receipts`)."""
    groups = (
        "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(4)) for _ in range(RECEIPT_GROUPS)
    )
    return "-".join(groups)


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
    # The deputy who cast it for the member (`dialogs.polls.proxy`); None when they voted.
    cast_by: int | None = Field(default=None, foreign_key="member.id")
    # An anonymous ballot's receipt code, which only its voter was shown; None otherwise.
    receipt: str | None = Field(default=None, max_length=14, unique=True)


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
