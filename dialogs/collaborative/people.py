"""A person's own settings across collaboratives: their time zone and their digest.

A member belongs to one collaborative and may be known on several platforms (`me link`);
a person's settings are kept per platform identity (`storage.models.PersonSetting`), so
they follow the person into every collaborative where that identity is a member. The zone
a person reads times in is the one they chose, else the one their platform reported, else
their collaborative's, and `zone_for` says which, so a message can say so.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from dialogs.core.clock import is_time_zone
from dialogs.core.events import Actor
from dialogs.core.readers import identity_setting
from storage.models import Collaborative, Identity, Member, PersonSetting

CHOSEN = "chosen"  # `me timezone …`
PLATFORM = "platform"  # Slack users.info `tz`, Teams `localTimezone`
COLLABORATIVE = "collaborative"  # nothing known about the person: the collaborative's zone

Key = tuple[str, str, str]  # (platform, tenant id, user id): one identity of a person


@dataclass(frozen=True)
class Zone:
    name: str  # an IANA zone, e.g. "Europe/London"
    source: str  # CHOSEN, PLATFORM or COLLABORATIVE


def setting_for(
    session: Session, platform: str, tenant_id: str, user_id: str, now: datetime
) -> PersonSetting:
    """The settings row of one platform identity, made (with the defaults) on first use."""
    setting = identity_setting(session, platform, tenant_id, user_id)
    if setting is None:
        setting = PersonSetting(
            platform=platform, tenant_id=tenant_id, user_id=user_id, updated_at=now
        )
        session.add(setting)
        session.flush()
    return setting


def settings_of(session: Session, member: Member) -> list[PersonSetting]:
    """The settings rows of every identity `member` is known by (only rows already made)."""
    identities = session.exec(select(Identity).where(Identity.member_id == member.id)).all()
    if not identities:
        return []
    account = tuple_(
        col(PersonSetting.platform), col(PersonSetting.tenant_id), col(PersonSetting.user_id)
    )
    known = {(i.platform, i.tenant_id, i.user_id) for i in identities}
    rows = session.exec(
        select(PersonSetting).where(account.in_(known)).order_by(col(PersonSetting.id))
    ).all()
    return list(rows)


def zone_for(session: Session, member: Member, collaborative: Collaborative) -> Zone:
    """The zone `member` reads times in, and where it came from. A stored name Concord can't
    read (a zone since renamed, a platform's odd name) is passed over, never raised on: one
    person's zone must not hold up a digest or everyone's check-in."""
    settings = settings_of(session, member)
    for chosen in (s.timezone for s in settings):
        if chosen and is_time_zone(chosen):
            return Zone(chosen, CHOSEN)
    for reported in (s.platform_timezone for s in settings):
        if reported and is_time_zone(reported):
            return Zone(reported, PLATFORM)
    return Zone(collaborative.timezone, COLLABORATIVE)


def remember_platform_zone(session: Session, actor: Actor, now: datetime) -> bool:
    """Keep the zone `actor`'s platform reported, if it is a real one and not the one kept
    already; whether it was written. Callers skip identities whose zone they know is kept."""
    reported = actor.timezone
    if not reported or not is_time_zone(reported):
        return False
    setting = setting_for(session, actor.platform, actor.tenant_id, actor.user_id, now)
    if setting.platform_timezone == reported:
        return False
    setting.platform_timezone, setting.updated_at = reported, now
    session.add(setting)
    return True


class ReportedZones:
    """The platform zone last kept for each identity, in this process: so a zone is
    written when it changes, and a click from someone whose zone is kept costs nothing.
    Bounded: past `limit` identities it starts again (each is then read once more)."""

    def __init__(self, limit: int = 50_000) -> None:
        self._kept: dict[tuple[str, str, str], str] = {}
        self._limit = limit
        self._lock = threading.Lock()  # turns run in worker threads

    def known(self, actor: Actor) -> bool:
        """Nothing to write for `actor`: no zone reported, or the one already kept."""
        return not actor.timezone or self._kept.get(_key(actor)) == actor.timezone

    def kept(self, actor: Actor) -> None:
        """`actor`'s reported zone is in the database now (their turn committed)."""
        if not actor.timezone:
            return
        with self._lock:
            if len(self._kept) >= self._limit:
                self._kept.clear()
            self._kept[_key(actor)] = actor.timezone


def _key(actor: Actor) -> tuple[str, str, str]:
    return (actor.platform, actor.tenant_id, actor.user_id)


def linked_identities(session: Session, key: Key) -> list[Identity]:
    """Every membership of the person `key` names, through every account `me link` joined.

    A platform account has one identity row per collaborative it is a member of; an
    account linked in one collaborative joins that member's other account to the person,
    and that account's memberships elsewhere too. Each read finds every identity of the
    members the accounts known so far belong to, until no new account turns up: one read
    for a person who never linked, two for one who did.
    """
    keys = {key}
    account = tuple_(col(Identity.platform), col(Identity.tenant_id), col(Identity.user_id))
    while True:
        members = select(Identity.member_id).where(account.in_(keys))
        rows = session.exec(
            select(Identity).where(col(Identity.member_id).in_(members)).order_by(col(Identity.id))
        ).all()
        found = {(i.platform, i.tenant_id, i.user_id) for i in rows}
        if found <= keys:
            return list(rows)
        keys |= found
