"""A person's zone: the one they chose, else their platform's, else their collaborative's;
settings follow the person's identity into every collaborative."""

from __future__ import annotations

from sqlmodel import select

from dialogs.collaborative.people import (
    CHOSEN,
    COLLABORATIVE,
    PLATFORM,
    setting_for,
    zone_for,
)
from storage.models import Collaborative, Identity, Member, PersonSetting
from tests.support.conversation import ASHA


def _asha(session):
    collaborative = session.exec(select(Collaborative)).one()
    identity = session.exec(select(Identity).where(Identity.user_id == ASHA.user_id)).one()
    return collaborative, session.get(Member, identity.member_id)


def test_a_person_with_nothing_known_reads_the_collaboratives_zone(chat, database):
    with database.session() as session:
        collaborative, asha = _asha(session)
        zone = zone_for(session, asha, collaborative)
    assert (zone.name, zone.source) == ("Europe/London", COLLABORATIVE)


def test_the_platforms_zone_is_used_until_the_person_chooses_one(chat, database, clock):
    with database.session() as session:
        collaborative, asha = _asha(session)
        setting = setting_for(session, ASHA.platform, ASHA.tenant_id, ASHA.user_id, clock())
        setting.platform_timezone = "America/New_York"
        assert zone_for(session, asha, collaborative).source == PLATFORM
        setting.timezone = "Europe/Paris"
        zone = zone_for(session, asha, collaborative)
        assert (zone.name, zone.source) == ("Europe/Paris", CHOSEN)
        again = setting_for(session, ASHA.platform, ASHA.tenant_id, ASHA.user_id, clock())
        assert again.id == setting.id
        assert len(session.exec(select(PersonSetting)).all()) == 1
        assert again.digest == "weekly"
