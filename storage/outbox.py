"""Outbox queries: lane heads, leases, coalescing, rate-limit rows and settling.

A lane's head is its oldest pending row, except that an update due now of a
message already posted goes first (see `_head_ids`); only heads are delivered, so a
lane keeps its order, each message's own in particular. On PostgreSQL heads are
locked `FOR UPDATE SKIP LOCKED`, so processes claiming at the same moment take
different lanes; on SQLite the write transaction (`BEGIN IMMEDIATE`) already makes
claims one at a time.
What to deliver, and when, is decided by the dispatcher in `bot/`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, tuple_, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.models import Channel, DeliveryLane, Outbox, PostedMessage

PENDING = "pending"
MAX_ERROR = 500
ChannelKey = tuple[str, str, str]  # platform, tenant, channel id
CopyKey = tuple[str, int]  # message key, Channel.id


def _head_ids(now: datetime) -> ColumnElement[bool]:
    """Each lane's head: its oldest update due by `now` of a message already posted, if it
    has one, else its oldest pending row. A lane's updates go before its backlog of new
    posts (people are voting on those messages); an update never overtakes its own post."""
    update_row, earlier = aliased(Outbox, name="update_row"), aliased(Outbox, name="earlier")
    its_post_waits = select(earlier.id).where(
        earlier.status == PENDING,
        earlier.lane == update_row.lane,
        earlier.message_key == update_row.message_key,
        col(earlier.id) < col(update_row.id),
        _kind(earlier) != "update",
    )
    ready = and_(
        col(update_row.status) == PENDING,
        _kind(update_row) == "update",
        col(update_row.available_at) <= now,
        ~exists(its_post_waits),
    )
    updates = select(func.min(update_row.id)).where(ready).group_by(update_row.lane)
    others = (
        select(func.min(Outbox.id))
        .where(
            Outbox.status == PENDING,
            col(Outbox.lane).not_in(select(update_row.lane).where(ready)),
        )
        .group_by(Outbox.lane)
    )
    return or_(col(Outbox.id).in_(updates), col(Outbox.id).in_(others))


def _kind(row: type[Outbox]) -> ColumnElement[str]:
    return col(row.effect)["kind"].as_string()


def due_heads(session: Session, now: datetime, limit: int) -> list[Outbox]:
    """Heads due by `now` whose lease is free or expired, locked for this claim: the heads
    of lanes with the least waiting first (then the oldest), so that where lanes share a
    budget (a workspace's rate limit) one lane's flood doesn't keep the others waiting."""
    other = aliased(Outbox, name="other")
    waiting = (
        select(func.count())
        .where(other.lane == Outbox.lane, col(other.status) == PENDING)
        .scalar_subquery()
    )
    query = (
        select(Outbox)
        .where(
            _head_ids(now),
            # Checked again on the row as locked (PostgreSQL re-reads a row another process
            # just settled; the head subquery it came from is not re-run).
            Outbox.status == PENDING,
            Outbox.available_at <= now,
            or_(col(Outbox.lease_until).is_(None), col(Outbox.lease_until) <= now),
        )
        .order_by(waiting, col(Outbox.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(query).all())


def next_due(session: Session, now: datetime) -> datetime | None:
    """When a head next becomes deliverable (its due time, or its lease's end if later)."""
    due = case(
        (col(Outbox.lease_until) > col(Outbox.available_at), col(Outbox.lease_until)),
        else_=col(Outbox.available_at),
    )
    return session.exec(select(func.min(due)).where(_head_ids(now))).one()


def backlog(session: Session) -> tuple[int, datetime | None]:
    """How many rows wait to be delivered, and when the oldest of them was written."""
    count, oldest = session.exec(
        select(func.count(), func.min(Outbox.created_at)).where(Outbox.status == PENDING)
    ).one()
    return count, oldest


def lease(row: Outbox, owner: str, until: datetime) -> None:
    row.lease_owner, row.lease_until = owner, until


def defer(row: Outbox, until: datetime) -> None:
    row.available_at = until


def coalesce_updates(session: Session, head: Outbox) -> tuple[Outbox, int]:
    """Fold the lane's later pending updates of the head's message into the head.

    Returns the newest of them (or the head itself) and how many were folded.
    """
    later = (
        col(Outbox.lane) == head.lane,
        col(Outbox.status) == PENDING,
        col(Outbox.message_key) == head.message_key,
        col(Outbox.id) > head.id,
        _kind(Outbox) == "update",
    )
    newest = session.exec(
        select(Outbox).where(*later).order_by(col(Outbox.id).desc()).limit(1)
    ).first()
    if newest is None:
        return head, 0
    folded = session.exec(
        update(Outbox)
        .where(*later, col(Outbox.id) <= newest.id)
        .values(status="coalesced")
        .execution_options(synchronize_session=False)
    )
    return newest, folded.rowcount


def mark_attempted(session: Session, row_ids: Iterable[int], owner: str, now: datetime) -> set[int]:
    """Record that the platform is about to be called; only rows still leased to `owner`."""
    wanted = list(row_ids)
    if not wanted:
        return set()
    marked = session.exec(
        update(Outbox)
        .where(
            col(Outbox.id).in_(wanted),
            col(Outbox.status) == PENDING,
            col(Outbox.lease_owner) == owner,
            col(Outbox.lease_until) > now,
        )
        .values(attempted_at=now)
        .returning(col(Outbox.id))
        .execution_options(synchronize_session=False)
    )
    return set(marked.scalars())


def leased(session: Session, row_ids: Iterable[int], owner: str) -> list[Outbox]:
    """The rows `owner` still holds (a row another process marked unknown counts)."""
    return list(
        session.exec(
            select(Outbox)
            .where(
                col(Outbox.id).in_(list(row_ids)),
                col(Outbox.lease_owner) == owner,
                col(Outbox.status).in_([PENDING, "unknown"]),
            )
            .order_by(col(Outbox.id))
            .with_for_update()
        ).all()
    )


def mark_sent(row: Outbox, now: datetime) -> None:
    row.status, row.sent_at, row.lease_until, row.error = "sent", now, None, None


def mark_unknown(row: Outbox, error: str) -> None:
    row.status, row.error = "unknown", error[:MAX_ERROR]


def give_up(row: Outbox, error: str) -> None:
    row.status, row.lease_until, row.error = "failed", None, error[:MAX_ERROR]


def give_up_lanes(session: Session, lane_prefix: str, error: str) -> int:
    """Fail every pending row whose lane starts with `lane_prefix`; return how many."""
    result = session.exec(
        update(Outbox)
        .where(
            col(Outbox.status) == PENDING,
            col(Outbox.lane).startswith(lane_prefix, autoescape=True),
        )
        .values(status="failed", lease_until=None, error=error[:MAX_ERROR])
    )
    return result.rowcount


def retry_at(row: Outbox, at: datetime, error: str) -> None:
    """Release the row to be tried again at `at` (its lane waits until then)."""
    row.available_at, row.error = at, error[:MAX_ERROR]
    row.lease_owner = row.lease_until = row.attempted_at = None


def channels_at(session: Session, keys: Iterable[ChannelKey]) -> dict[ChannelKey, Channel]:
    wanted = list(set(keys))
    if not wanted:
        return {}
    columns = tuple_(col(Channel.platform), col(Channel.tenant_id), col(Channel.channel_id))
    found = session.exec(select(Channel).where(columns.in_(wanted))).all()
    return {(c.platform, c.tenant_id, c.channel_id): c for c in found}


def posted_copies(session: Session, keys: Iterable[CopyKey]) -> dict[CopyKey, PostedMessage]:
    wanted = list(set(keys))
    if not wanted:
        return {}
    columns = tuple_(col(PostedMessage.key), col(PostedMessage.channel_id))
    found = session.exec(select(PostedMessage).where(columns.in_(wanted))).all()
    return {(copy.key, copy.channel_id): copy for copy in found}


def remember_posts(session: Session, refs: dict[CopyKey, str], now: datetime) -> None:
    """Map each message key to the platform's reference for its copy in a channel."""
    known = posted_copies(session, refs)
    for (key, channel_id), ref in refs.items():
        copy = known.get((key, channel_id))
        if copy is None:
            session.add(
                PostedMessage(
                    key=key, channel_id=channel_id, platform_ref=ref, created_at=now, updated_at=now
                )
            )
        else:
            copy.platform_ref, copy.updated_at = ref, now


def touch_copies(session: Session, copy_ids: Iterable[int], now: datetime) -> None:
    """Note that these copies were just re-rendered (their coalescing windows start again)."""
    session.exec(
        update(PostedMessage)
        .where(col(PostedMessage.id).in_(list(copy_ids)))
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )


def lanes_for_update(
    session: Session, keys: Iterable[str], now: datetime
) -> dict[str, DeliveryLane]:
    """The rate-limit rows named `keys`, locked in a fixed order; missing ones are created."""
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    found = {
        row.lane: row
        for row in session.exec(
            select(DeliveryLane)
            .where(col(DeliveryLane.lane).in_(wanted))
            .order_by(col(DeliveryLane.lane))
            .with_for_update()
        ).all()
    }
    for key in wanted:
        if key not in found:
            found[key] = DeliveryLane(lane=key, buckets={}, updated_at=now)
            session.add(found[key])
    return found
