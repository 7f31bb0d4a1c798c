"""The demo world: a provider collaborative of two NHS trusts, five people and three channels."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from adapters.playground.port import PLATFORM
from dialogs.core.clock import Clock
from storage.database import Database
from storage.models import AuditEntry, Channel, Collaborative, Identity, Member, Organisation

TENANT = "demo"
COLLABORATIVE = "Northshire Provider Collaborative"
TIMEZONE = "Europe/London"
RIVERSIDE = "Riverside Hospitals NHS Trust"
HILLVIEW = "Hillview Community NHS Trust"


@dataclass(frozen=True)
class Persona:
    user_id: str
    name: str
    role: str
    organisation: str


@dataclass(frozen=True)
class DemoChannel:
    channel_id: str
    name: str
    linked: bool


PERSONAS = (
    Persona("asha", "Asha Patel", "coordinator", RIVERSIDE),
    Persona("ben", "Ben Okafor", "member", RIVERSIDE),
    Persona("carys", "Carys Jones", "member", HILLVIEW),
    Persona("dev", "Dev Sharma", "member", HILLVIEW),
    Persona("elin", "Elin Hughes", "observer", HILLVIEW),
)

CHANNELS = (
    DemoChannel("riverside-partnership", "#partnership-riverside", linked=True),
    DemoChannel("hillview-partnership", "#partnership-hillview", linked=True),
    DemoChannel("sandbox", "#sandbox", linked=False),
)
CHANNEL_IDS = frozenset(channel.channel_id for channel in CHANNELS)


def seed_demo(database: Database, clock: Clock) -> None:
    """Create the demo collaborative once; a no-op when its channels already exist."""
    database.run(lambda session: _seed(session, clock))


def _seed(session: Session, clock: Clock) -> None:
    first = next(channel for channel in CHANNELS if channel.linked)
    already = session.exec(
        select(Channel.id).where(
            Channel.platform == PLATFORM,
            Channel.tenant_id == TENANT,
            Channel.channel_id == first.channel_id,
        )
    ).first()
    if already is not None:
        return
    now = clock()
    collaborative = Collaborative(name=COLLABORATIVE, timezone=TIMEZONE, created_at=now)
    session.add(collaborative)
    session.flush()
    organisations = {
        name: Organisation(
            collaborative_id=collaborative.id, name=name, name_key=name.casefold(), created_at=now
        )
        for name in (RIVERSIDE, HILLVIEW)
    }
    session.add_all(organisations.values())
    session.flush()
    for persona in PERSONAS:
        member = Member(
            collaborative_id=collaborative.id,
            display_name=persona.name,
            organisation_id=organisations[persona.organisation].id,
            role=persona.role,
            created_at=now,
        )
        session.add(member)
        session.flush()
        session.add(
            Identity(
                collaborative_id=collaborative.id,
                member_id=member.id,
                platform=PLATFORM,
                tenant_id=TENANT,
                user_id=persona.user_id,
            )
        )
    session.add_all(
        Channel(
            collaborative_id=collaborative.id,
            platform=PLATFORM,
            tenant_id=TENANT,
            channel_id=channel.channel_id,
            name=channel.name,
            created_at=now,
        )
        for channel in CHANNELS
        if channel.linked
    )
    session.add(
        AuditEntry(
            collaborative_id=collaborative.id,
            at=now,
            actor_name="Concord playground",
            action="setup",
            summary=f"The playground created {COLLABORATIVE} as a demo, with {RIVERSIDE} and "
            f"{HILLVIEW}, five people and two linked channels.",
            detail={"demo": True},
        )
    )
