"""Platform events already handled, so a platform's retry (or a second greeting) does nothing."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import tuple_
from sqlmodel import Session, select

from storage.database import insert_rows
from storage.models import ProcessedEvent

MAX_EVENT_ID = 200
Key = tuple[str, str]  # the platform, and its id for the event


def first_time(session: Session, platform: str, event_id: str, now: datetime) -> bool:
    """Record `event_id` as handled; False when it already was.

    Two deliveries racing both insert; the database's unique key fails one, and
    `Database.run` runs it again to find the other's row.
    """
    platform, event_id = event_key(platform, event_id)
    seen = session.exec(
        select(ProcessedEvent.id).where(
            ProcessedEvent.platform == platform, ProcessedEvent.event_id == event_id
        )
    ).first()
    if seen is not None:
        return False
    session.add(ProcessedEvent(platform=platform, event_id=event_id, processed_at=now))
    session.flush()
    return True


def event_key(platform: str, event_id: str) -> Key:
    """How an event is recorded: its id cut to the column's length."""
    return platform, event_id[:MAX_EVENT_ID]


def handled_before(session: Session, keys: Collection[Key]) -> set[Key]:
    """Which of these events are already recorded (`event_key`s), in one query."""
    if not keys:
        return set()
    columns = (ProcessedEvent.platform, ProcessedEvent.event_id)
    found = session.exec(select(*columns).where(tuple_(*columns).in_(list(keys))))
    return {(platform, event_id) for platform, event_id in found}


def record_handled(session: Session, keys: Collection[Key], now: datetime) -> None:
    """Record many events as handled at once (as `first_time` does one). A racing delivery
    that recorded one meanwhile fails the transaction, and `Database.run` runs it again."""
    rows = [{"platform": p, "event_id": e, "processed_at": now} for p, e in keys]
    insert_rows(session, ProcessedEvent, rows)
