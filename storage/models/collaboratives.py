"""The partnership: collaboratives, their channels, organisations, members, identities
and link codes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

ROLES = ("coordinator", "member", "observer")


class Collaborative(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    timezone: str = Field(max_length=64)
    require_organisation: bool = False
    newcomer_role: str = Field(default="member", max_length=20)  # who joins later starts so
    # How the collaborative decides (`dialogs.core.modes`): joint, advisory, delegated or
    # committees-in-common; a delegated decision is recorded by the member `decider_id` names
    # (no foreign key: a member removed later leaves the setting to be chosen again).
    governance: str = Field(default="joint", max_length=30)
    decider_id: int | None = None
    # The rule purpose-round consent follows: "every-org P" (P % in every organisation) or "none".
    purpose_rule: str = Field(default="every-org 50", max_length=30)
    created_at: datetime
    # How long written words and closed polls are kept (`retention`, a daily job clears
    # what is past its time), and what `me forget` does with a person's written words:
    # "replace" them with "[removed at the author's request]" or "remove" them.
    retention_free_text_months: int = 24
    retention_closed_poll_months: int = 72
    forgotten_text: str = Field(default="replace", max_length=10)
    # The language shared messages are written in (`language default cy|en`), and whether
    # they go out in Welsh and English together (`language shared both`).
    language: str = Field(default="en", max_length=8)
    bilingual: bool = False


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


class OrganisationHome(SQLModel, table=True):
    """Everyone whose own Teams tenant or Slack workspace is `tenant_id` belongs to the
    organisation, in this collaborative (`org add "Name" --teams-tenant ID`); a tenant
    counts for one organisation per collaborative."""

    __table_args__ = (UniqueConstraint("collaborative_id", "platform", "tenant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id")
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    platform: str = Field(max_length=20)
    tenant_id: str = Field(max_length=100)
    created_at: datetime


class Member(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    display_name: str = Field(max_length=120)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    role: str = Field(default="member", max_length=20)
    role_chosen: bool = False  # set on purpose (`setup`, `role`), not given on joining
    reminders_muted: bool = False
    created_at: datetime


class Identity(SQLModel, table=True):
    """How one platform knows a member; one person on two platforms is one member."""

    __table_args__ = (
        UniqueConstraint("collaborative_id", "platform", "tenant_id", "user_id"),
        # A person's every membership, found from one account (home, digest, `me digest`).
        Index("ix_identity_account", "platform", "tenant_id", "user_id"),
    )

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
