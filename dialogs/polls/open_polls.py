"""The polls open for voting now, for the lists of what waits for a person (`dialogs.home`).

A deadline counts from the moment it passes, even before its timer has closed the poll.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col, select

from storage.models import CheckinRun, Collaborative, Member, Participation, Poll


def open_polls(
    session: Session, collaborative: Collaborative, now: datetime, unvoted_by: Member | None = None
) -> list[Poll]:
    """Open polls before their deadline, soonest deadline first; those without one last."""
    query = select(Poll).where(
        Poll.collaborative_id == collaborative.id, Poll.status == "open", before(Poll, now)
    )
    if unvoted_by is not None:
        voted = select(Participation.id).where(
            Participation.poll_id == Poll.id, Participation.member_id == unvoted_by.id
        )
        query = query.where(~voted.exists())
    ordered = query.order_by(col(Poll.closes_at).is_(None), col(Poll.closes_at), col(Poll.number))
    return list(session.exec(ordered).all())


def before(model: type[Poll] | type[CheckinRun], now: datetime) -> ColumnElement[bool]:
    """Not yet past its deadline: the deadline counts even before its timer has fired."""
    closes_at = col(model.closes_at)
    return or_(closes_at.is_(None), closes_at > now)
