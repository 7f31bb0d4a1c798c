"""Numbers counted per collaborative (poll #3, check-in #2, round #1), handed out without races.

Two transactions that both read "the highest number is 7" would both take 8, and one would
fail on the unique constraint. So the collaborative's row is locked first (`FOR NO KEY
UPDATE`: rows that merely refer to it can still be written) and the highest number read
after the lock is granted, when the competitor's row is committed and visible. On SQLite a
transaction already holds the write lock from its first statement (`BEGIN IMMEDIATE`), and
SQLAlchemy leaves the locking clause out.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Connection, func, select
from sqlmodel import Session, col

from storage.models import Collaborative


class Numbered(Protocol):
    """A table numbered per collaborative."""

    collaborative_id: Any
    number: Any


def lock_collaborative(session: Session | Connection, collaborative_id: int) -> None:
    """Hold the collaborative's row until commit: what is read after this (the highest number,
    the polls started this hour) is what every competing transaction committed."""
    session.execute(
        select(col(Collaborative.id))
        .where(col(Collaborative.id) == collaborative_id)
        .with_for_update(key_share=True)
    )


def next_number(session: Session, collaborative_id: int, model: type[Numbered]) -> int:
    """The number the next `model` row of this collaborative takes, reserved until commit."""
    lock_collaborative(session, collaborative_id)
    highest = session.execute(
        select(func.coalesce(func.max(model.number), 0)).where(
            model.collaborative_id == collaborative_id
        )
    ).scalar_one()
    return int(highest) + 1
