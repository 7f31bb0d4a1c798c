"""A collaborative's own poll templates, saved from its polls (`poll save-template`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


class PollTemplate(SQLModel, table=True):
    """A poll's question, options and settings kept under a name, as the new-poll form's
    fields hold them (`dialogs.polls.templates`); never its ballots. The name is unique in
    its collaborative whatever its capitals (`name_key`), checked by the database. Who saved
    it is in the decision log, not here, so merging or forgetting a member leaves it be."""

    __table_args__ = (UniqueConstraint("collaborative_id", "name_key"),)

    id: int | None = Field(default=None, primary_key=True)
    collaborative_id: int = Field(foreign_key="collaborative.id", index=True)
    name: str = Field(max_length=60)
    name_key: str = Field(max_length=120)  # the name casefolded (ß becomes ss)
    values: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    saved_from: int  # the number of the poll it was saved from
    created_at: datetime
