"""The voters a batch of vote clicks meets for the first time, made members in two statements
(`dialogs.polls.vote_batch`), as `members.member_for` makes one at a time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert
from sqlmodel import col

from dialogs.collaborative.members import MAX_NAME
from dialogs.core.events import Actor
from storage.models import Identity, Member

PersonKey = tuple[int, str, str, str]  # collaborative, platform, tenant, user id

_NEW_MEMBERS = insert(Member).returning(col(Member.id), sort_by_parameter_order=True)


def join(
    connection: Connection,
    now: datetime,
    newcomers: list[tuple[PersonKey, Actor]],
    starts_as: dict[int | None, str],
) -> dict[PersonKey, Member]:
    """New members (and their identities) in two statements, as `members.member_for`: each
    with the role its collaborative's newcomers start as."""
    rows = [
        {
            "collaborative_id": key[0],
            "display_name": actor.display_name[:MAX_NAME],
            "role": starts_as[key[0]],
            "role_chosen": False,
            "reminders_muted": False,
            "created_at": now,
        }
        for key, actor in newcomers
    ]
    ids = connection.execute(_NEW_MEMBERS, rows).scalars().all()
    connection.execute(
        insert(Identity),
        [
            {
                "collaborative_id": key[0],
                "member_id": member_id,
                "platform": key[1],
                "tenant_id": key[2],
                "user_id": key[3],
            }
            for (key, _), member_id in zip(newcomers, ids, strict=True)
        ],
    )
    return {
        key: Member.model_construct(id=member_id, organisation_id=None, **row)
        for (key, _), member_id, row in zip(newcomers, ids, rows, strict=True)
    }
