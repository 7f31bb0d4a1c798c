"""Choosing what to deliver now, in one short transaction that leases lane heads.

A head is leased to this process when it is due, its platform's rate limits
have a token for it and, for a re-render, the message's coalescing window has
passed; otherwise it is deferred to the moment it will be, and its lane waits.
A head whose lease ran out after the platform was called for a new message is
marked unknown and reported, never sent again: it may have gone out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from bot.ratelimit import Bucket
from dialogs.core.cards import EFFECT, Notify, Post, Update
from dialogs.core.ports import DeliveryLimits, Limit
from storage import outbox as store
from storage.models import Channel, DeliveryLane, Outbox, PostedMessage

log = logging.getLogger(__name__)

Deliverable = Post | Update | Notify
Draw = tuple[str, Limit]  # a rate-limit row's key, and the limit whose bucket it keeps


@dataclass(frozen=True)
class Job:
    """A leased row and what delivering it needs."""

    row_id: int
    effect: Deliverable
    delivery: dict[str, Any] = field(default_factory=dict)
    channel_id: int | None = None  # where a post is remembered
    copy_id: int | None = None  # the posted copy an update re-renders ...
    ref: str | None = None  # ... its platform reference
    rendered_at: datetime | None = None  # ... and when it was last rendered


@dataclass
class Claim:
    jobs: list[Job] = field(default_factory=list)
    coalesced: int = 0
    unknown: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Claimer:
    owner: str
    lease: timedelta
    limits_of: Callable[[str], DeliveryLimits]
    batch: int

    def __call__(self, session: Session, now: datetime) -> Claim:
        claim = Claim()
        heads = [(row, _effect(row)) for row in store.due_heads(session, now, self.batch)]
        targets = _Targets.load(session, [effect for _, effect in heads if effect])
        draws = {row.id: self._draws(row, effect) for row, effect in heads if effect}
        keys = (key for each in draws.values() for key, _ in each)
        buckets = store.lanes_for_update(session, keys, now)
        with session.no_autoflush:  # row changes go out together at commit
            for row, effect in heads:
                if effect and row.lease_owner is not None and _lost_after_call(row, effect):
                    claim.unknown += 1
                    continue
                job = targets.job(row, effect) if effect else "not an effect the outbox delivers"
                if isinstance(job, str):
                    log.warning("undeliverable", extra={"outbox_id": row.id, "error": job})
                    store.give_up(row, job)
                    claim.failed += 1
                else:
                    self._consider(session, now, claim, row, job, buckets, draws[row.id])
        return claim

    def _consider(
        self,
        session: Session,
        now: datetime,
        claim: Claim,
        row: Outbox,
        job: Job,
        buckets: dict[str, DeliveryLane],
        draws: list[Draw],
    ) -> None:
        effect = job.effect
        if isinstance(effect, Update) and job.rendered_at is not None:
            window = timedelta(seconds=self.limits_of(_where(effect)[0]).coalesce_seconds)
            if job.rendered_at + window > now:
                store.defer(row, job.rendered_at + window)
                return
        wait = max((_bucket(buckets[key], limit, now).wait(now) for key, limit in draws), default=0)
        if wait > 0:
            store.defer(row, now + timedelta(seconds=wait))
            return
        _take(buckets, draws, now)
        if isinstance(effect, Update):
            newest, folded = store.coalesce_updates(session, row)
            claim.coalesced += folded
            job = replace(job, effect=_effect(newest) or effect)
        store.lease(row, self.owner, now + self.lease)
        claim.jobs.append(job)

    def _draws(self, row: Outbox, effect: Deliverable) -> list[Draw]:
        platform, tenant = _where(effect)
        return [
            (row.lane if limit.scope == "lane" else f"{platform}:{tenant}", limit)
            for limit in self.limits_of(platform).limits
            if effect.kind in limit.kinds
        ]


@dataclass(frozen=True)
class _Targets:
    """The channels, posted copies and tenants a claim's heads go to, read in three queries."""

    channels: dict[store.ChannelKey, Channel]
    copies: dict[store.CopyKey, PostedMessage]
    tenants: dict[tuple[str, str], dict[str, Any]]

    @classmethod
    def load(cls, session: Session, effects: list[Deliverable]) -> _Targets:
        places = [key for e in effects if (key := _channel_key(e)) is not None]
        channels = store.channels_at(session, places)
        wanted = [
            (e.key, channels[key].id or 0)
            for e in effects
            if isinstance(e, Update) and (key := _channel_key(e)) in channels
        ]
        unreached = {
            _where(e)
            for e in effects
            if isinstance(e, Notify) and not _delivery_at(channels, _channel_key(e))
        }
        return cls(channels, store.posted_copies(session, wanted), _newest(session, unreached))

    def job(self, row: Outbox, effect: Deliverable) -> Job | str:
        """What delivering the row needs, or why it can never be delivered."""
        assert row.id is not None
        key = _channel_key(effect)
        if isinstance(effect, Notify):
            found = _delivery_at(self.channels, key) or self.tenants.get(_where(effect), {})
            return Job(row.id, effect, dict(found))
        channel = self.channels.get(key) if key else None
        if channel is None or channel.id is None:
            return f"no linked channel {key[2] if key else '?'}"
        if isinstance(effect, Post):
            return Job(row.id, effect, channel.delivery, channel_id=channel.id)
        copy = self.copies.get((effect.key, channel.id))
        if copy is None:
            return f"nothing posted as {effect.key} in {channel.channel_id} to update"
        return Job(
            row.id,
            effect,
            channel.delivery,
            copy_id=copy.id,
            ref=copy.platform_ref,
            rendered_at=copy.updated_at,
        )


def _delivery_at(
    channels: dict[store.ChannelKey, Channel], key: store.ChannelKey | None
) -> dict[str, Any]:
    channel = channels.get(key) if key else None
    return channel.delivery if channel is not None and channel.delivery else {}


def _newest(
    session: Session, tenants: set[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """Each tenant's newest stored delivery: how a private note with no linked channel to
    start from still finds its way to the tenant (Teams needs one; Slack ignores it)."""
    if not tenants:
        return {}
    columns = tuple_(col(Channel.platform), col(Channel.tenant_id))
    rows = session.exec(
        select(Channel.platform, Channel.tenant_id, Channel.delivery)
        .where(columns.in_(list(tenants)))
        .order_by(col(Channel.id).desc())
    ).all()
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for platform, tenant_id, delivery in rows:
        if delivery:
            found.setdefault((platform, tenant_id), dict(delivery))
    return found


def _lost_after_call(row: Outbox, effect: Deliverable) -> bool:
    """A lease ran out: after a call for a new message, mark it unknown (True); else take over."""
    if row.attempted_at is None or isinstance(effect, Update):
        log.info(
            "taking over a lapsed lease", extra={"outbox_id": row.id, "owner": row.lease_owner}
        )
        return False
    store.mark_unknown(
        row, f"the lease of {row.lease_owner} ran out after the platform was called; not resent"
    )
    log.warning(
        "delivery outcome unknown: not resending",
        extra={"outbox_id": row.id, "lane": row.lane, "owner": row.lease_owner},
    )
    return True


def _channel_key(effect: Deliverable) -> store.ChannelKey | None:
    """The channel an effect goes to or was caused in (a note may have none)."""
    place = effect.place
    return (place.platform, place.tenant_id, place.channel_id) if place else None


def _effect(row: Outbox) -> Deliverable | None:
    effect = EFFECT.validate_python(row.effect)
    return effect if isinstance(effect, Post | Update | Notify) else None


def _where(effect: Deliverable) -> tuple[str, str]:
    """The platform and tenant an effect goes to."""
    target = effect.actor if isinstance(effect, Notify) else effect.place
    assert target is not None
    return target.platform, target.tenant_id


def _bucket(lane: DeliveryLane, limit: Limit, now: datetime) -> Bucket:
    return Bucket.restore(limit.count, limit.seconds, lane.buckets.get(limit.name, {}), now)


def _take(buckets: dict[str, DeliveryLane], draws: list[Draw], now: datetime) -> None:
    for key, limit in draws:
        lane = buckets[key]
        lane.buckets = {**lane.buckets, limit.name: _bucket(lane, limit, now).take(now).state()}
        lane.updated_at = now
