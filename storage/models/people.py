"""A person's own settings, which follow them into every collaborative they belong to.

Members belong to one collaborative; a person is known to Concord only by their identity on
a platform (platform, tenant, user id). What a person chooses for themselves (their time
zone, their language, their digest) is kept here, once per identity: `me timezone`, `me
language` and `me digest` write it to every identity linked to the member who asked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

DIGEST_CHOICES = ("daily", "weekly", "off")


class PersonSetting(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("platform", "tenant_id", "user_id"),
        Index("ix_personsetting_digest_due", "digest", "digest_next_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    tenant_id: str = Field(max_length=100)
    user_id: str = Field(max_length=200)
    # The zone the person chose (`me timezone`), and the one their platform last reported
    # (Slack users.info `tz`, Teams `localTimezone`); an IANA name, checked before storing.
    timezone: str | None = Field(default=None, max_length=64)
    platform_timezone: str | None = Field(default=None, max_length=64)
    # The language the person chose (`me language`: "cy" or "en"), and the one their
    # platform last reported (Slack's locale, Teams' `locale`), as a language Concord speaks.
    language: str | None = Field(default=None, max_length=8)
    platform_language: str | None = Field(default=None, max_length=8)
    digest: str = Field(default="weekly", max_length=10)  # one of DIGEST_CHOICES
    digest_next_at: datetime | None = None  # when their next digest is due (UTC)
    updated_at: datetime
