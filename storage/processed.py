"""Platform events already handled, so a platform's retry (or a second greeting) does nothing."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from storage.models import ProcessedEvent

MAX_EVENT_ID = 200


def first_time(session: Session, platform: str, event_id: str, now: datetime) -> bool:
    """Record `event_id` as handled; False when it already was.

    Two deliveries racing both insert; the database's unique key fails one, and
    `Database.run` runs it again to find the other's row.
    """
    event_id = event_id[:MAX_EVENT_ID]
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
