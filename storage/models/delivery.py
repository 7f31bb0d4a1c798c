"""Delivery: the outbox, its lanes, the messages posted, and platform events already handled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


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
