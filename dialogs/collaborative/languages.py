"""The language of each turn, and of each keyed message, for the engine.

A turn is answered in the language of the person who acted (`dialogs.core.readers`): the
one they chose, else the one their platform reports (kept for them, as their platform's
zone is, so notes reach them in it later), else their collaborative's default, else
English. A keyed message re-rendered for a channel speaks its collaborative's default, or
both Welsh and English when the collaborative posts in both (`dialogs.core.bilingual`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from dialogs.collaborative.members import find_channel
from dialogs.collaborative.people import setting_for
from dialogs.core import bilingual
from dialogs.core.cards import Card
from dialogs.core.effects import reader_zone
from dialogs.core.events import Actor, Place
from dialogs.core.language import from_locale, speaking
from dialogs.core.messages import MessageKey
from dialogs.core.readers import language_of, reader_language, setting_of
from storage.database import Database
from storage.models import CheckinRun, CheckinSchedule, Collaborative, Poll, PurposeRound, Review


def turn_language(
    session: Session,
    actor: Actor,
    collaborative: Collaborative | None,
    now: datetime,
    *,
    member: bool,
) -> str:
    """The language `actor` is answered in; a member's platform language is kept when it is
    new (as their platform zone is), so later notes reach them in it."""
    setting = setting_of(session, actor)
    reported = from_locale(actor.locale)
    if member and reported and (setting is None or setting.platform_language != reported):
        setting = setting or setting_for(
            session, actor.platform, actor.tenant_id, actor.user_id, now
        )
        setting.platform_language, setting.updated_at = reported, now
        session.add(setting)
    return language_of(setting, actor, collaborative).language


def language_at(database: Database, actor: Actor, place: Place | None) -> str:
    """The language `actor` reads in at `place` (read-only): for the words an adapter says
    before or outside a turn, such as a click it can't read."""
    with database.session() as session:
        channel = find_channel(session, place) if place is not None else None
        collaborative = session.get(Collaborative, channel.collaborative_id) if channel else None
        return reader_language(session, actor, collaborative)


def collaborative_of_message(session: Session, key: MessageKey) -> Collaborative | None:
    """The collaborative whose poll, check-in, round or review the message `key` shows."""
    ident: int | None = None
    if key.kind == "poll" and (poll := session.get(Poll, key.ident)) is not None:
        ident = poll.collaborative_id
    elif key.kind == "checkin" and (run := session.get(CheckinRun, key.ident)) is not None:
        schedule = session.get(CheckinSchedule, run.schedule_id)
        ident = schedule.collaborative_id if schedule else None
    elif key.kind == "purpose" and (found := session.get(PurposeRound, key.ident)) is not None:
        ident = found.collaborative_id
    elif key.kind == "review" and (review := session.get(Review, key.ident)) is not None:
        ident = review.collaborative_id
    return session.get(Collaborative, ident) if ident is not None else None


def rendered(
    session: Session,
    key: MessageKey,
    viewer: Actor | None,
    render: Callable[[], Card | None],
) -> Card | None:
    """The keyed message `render` builds: for a channel (no `viewer`) in its collaborative's
    language, or both (`bilingual.shared`); for `viewer`, in their language and zone."""
    collaborative = collaborative_of_message(session, key)
    if viewer is None:
        return bilingual.shared(collaborative, render)
    language = reader_language(session, viewer, collaborative)
    with speaking(language):
        card = render()
    if card is None:
        return None
    return card.model_copy(update={"zone": reader_zone(session, viewer), "language": language})
