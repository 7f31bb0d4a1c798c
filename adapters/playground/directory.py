"""Who and where, read from the database for the page: the people and the channels' links."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from adapters.playground.demo import CHANNEL_IDS, TENANT
from adapters.playground.port import PLATFORM
from storage.models import Channel, Collaborative, Identity, Member, Organisation

MAX_PEOPLE = 200


@dataclass(frozen=True)
class Person:
    """Someone the playground knows, as they are in the first collaborative they joined."""

    user_id: str
    name: str
    role: str
    organisation: str
    collaborative: str


def people(session: Session) -> list[Person]:
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
        .where(Identity.platform == PLATFORM, Identity.tenant_id == TENANT)
        .order_by(Identity.id)
        .limit(MAX_PEOPLE)
    ).all()
    found: dict[str, Person] = {}
    for user_id, name, role, organisation, collaborative in rows:
        found.setdefault(user_id, Person(user_id, name, role, organisation or "", collaborative))
    return list(found.values())


def channel_links(session: Session) -> dict[str, str]:
    """The collaborative each playground channel belongs to, by channel id."""
    rows = session.exec(
        select(Channel.channel_id, Collaborative.name)
        .join(Collaborative, Collaborative.id == Channel.collaborative_id)
        .where(
            Channel.platform == PLATFORM,
            Channel.tenant_id == TENANT,
            Channel.channel_id.in_(CHANNEL_IDS),
        )  # type: ignore[attr-defined]
    ).all()
    return dict(rows)
