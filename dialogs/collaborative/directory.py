"""Who and where Concord knows on one platform tenant: the people, as they are in the first
collaborative they joined, and the collaborative each channel belongs to.

Read-only views for adapters that show a directory (the playground's people picker
and channel list), asked for through `dialogs.core.ports.Concord`.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from dialogs.core.ports import Person
from storage.models import Channel, Collaborative, Identity, Member, Organisation

MAX_PEOPLE = 200


def people(session: Session, platform: str, tenant_id: str) -> list[Person]:
    rows = session.exec(
        select(
            Identity.user_id,
            Member.display_name,
            Member.role,
            Organisation.name,
            Collaborative.name,
        )
        .join(Member, Member.id == Identity.member_id)
        .join(Collaborative, Collaborative.id == Member.collaborative_id)
        .outerjoin(Organisation, Organisation.id == Member.organisation_id)
        .where(Identity.platform == platform, Identity.tenant_id == tenant_id)
        .order_by(Identity.id)
        .limit(MAX_PEOPLE)
    ).all()
    found: dict[str, Person] = {}
    for user_id, name, role, organisation, collaborative in rows:
        found.setdefault(user_id, Person(user_id, name, role, organisation or "", collaborative))
    return list(found.values())


def channel_links(
    session: Session, platform: str, tenant_id: str, channel_ids: Iterable[str]
) -> dict[str, str]:
    """The collaborative each of these channels belongs to, by channel id."""
    rows = session.exec(
        select(Channel.channel_id, Collaborative.name)
        .join(Collaborative, Collaborative.id == Channel.collaborative_id)
        .where(
            Channel.platform == platform,
            Channel.tenant_id == tenant_id,
            Channel.channel_id.in_(list(channel_ids)),
        )  # type: ignore[attr-defined]
    ).all()
    return dict(rows)
