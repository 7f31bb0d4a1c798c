"""The language one reader is written to, and where it came from.

A person reads Concord in the language they chose (`me language`), else the one their
platform says they use (the locale it reports now, else the one it reported last), else
their collaborative's default (`language default`), else English. A message built for
someone other than the person who acted (a note, a reminder, a digest) is built inside
`speaking_to(...)`, so it reaches them in their language, not the actor's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlmodel import Session, col, select

from dialogs.core.events import Actor
from dialogs.core.language import DEFAULT, from_locale, speaking, spoken
from storage.models import Collaborative, PersonSetting

CHOSEN = "chosen"  # `me language cy|en`
PLATFORM = "platform"  # the locale Slack, Teams or the playground reports
COLLABORATIVE = "collaborative"  # the collaborative's default (`language default`)
FALLBACK = "fallback"  # nothing known: English


@dataclass(frozen=True)
class Spoken:
    language: str  # "cy" or "en"
    source: str  # CHOSEN, PLATFORM, COLLABORATIVE or FALLBACK


def setting_of(session: Session, actor: Actor) -> PersonSetting | None:
    """The settings row of `actor`'s identity, if one was made."""
    return identity_setting(session, actor.platform, actor.tenant_id, actor.user_id)


def identity_setting(
    session: Session, platform: str, tenant_id: str, user_id: str
) -> PersonSetting | None:
    """The settings row of one platform identity, if one was made."""
    return session.exec(
        select(PersonSetting).where(
            PersonSetting.platform == platform,
            PersonSetting.tenant_id == tenant_id,
            PersonSetting.user_id == user_id,
        )
    ).first()


IdentityKey = tuple[str, str, str]  # platform, tenant, user id


def settings_of(session: Session, actors: Iterable[Actor]) -> dict[IdentityKey, PersonSetting]:
    """The settings rows of these people's identities, by identity: one query for each
    platform workspace (for answers built for many people at once, a batch of votes)."""
    users: dict[tuple[str, str], set[str]] = {}
    for actor in actors:
        users.setdefault((actor.platform, actor.tenant_id), set()).add(actor.user_id)
    found: dict[IdentityKey, PersonSetting] = {}
    for (platform, tenant_id), ids in users.items():
        for setting in session.exec(
            select(PersonSetting).where(
                PersonSetting.platform == platform,
                PersonSetting.tenant_id == tenant_id,
                col(PersonSetting.user_id).in_(ids),
            )
        ):
            found[(platform, tenant_id, setting.user_id)] = setting
    return found


def language_of(
    setting: PersonSetting | None, actor: Actor | None, collaborative: Collaborative | None
) -> Spoken:
    """The language a reader with `setting` (and, when they are acting, `actor`'s locale)
    reads in `collaborative`, and why."""
    if setting is not None and spoken(setting.language):
        return Spoken(setting.language, CHOSEN)
    reported = from_locale(actor.locale) if actor else None
    if reported is None and setting is not None and spoken(setting.platform_language):
        reported = from_locale(setting.platform_language)
    if reported is not None:
        return Spoken(reported, PLATFORM)
    if collaborative is not None and spoken(collaborative.language):
        return Spoken(collaborative.language, COLLABORATIVE)
    return Spoken(DEFAULT, FALLBACK)


def reader_language(
    session: Session, actor: Actor, collaborative: Collaborative | None = None
) -> str:
    """The language `actor` reads messages in (`language_of`)."""
    return language_of(setting_of(session, actor), actor, collaborative).language


@contextmanager
def speaking_to(
    session: Session, actor: Actor, collaborative: Collaborative | None = None
) -> Iterator[None]:
    """Build every message in the language `actor` reads, until the block ends."""
    with speaking(reader_language(session, actor, collaborative)):
        yield
