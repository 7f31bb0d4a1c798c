"""How adapters reach channels later: the opaque `Channel.delivery` they keep, and the
one greeting a conversation gets when Concord joins it.

`delivery` is whatever an adapter needs to post to a channel without being asked
(for Teams, a conversation reference with its service URL). The engine never looks
inside; it only stores it on the linked channel's row and hands it back.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlmodel import Session

from dialogs.collaborative.members import find_channel
from dialogs.core import bilingual
from dialogs.core.cards import Card, Context, Heading, Text
from dialogs.core.events import Place
from dialogs.core.language import DEFAULT, _, from_locale, speaking
from storage.database import Database
from storage.models import Collaborative
from storage.processed import first_time


def remember_delivery(database: Database, place: Place, delivery: dict[str, Any]) -> None:
    """Keep `delivery` on the channel row of `place`, if the channel is linked and the
    stored value differs (read first, so the common case writes nothing)."""
    if not delivery:
        return
    with database.session() as session:
        channel = find_channel(session, _channel_place(place))
        if channel is None or channel.delivery == delivery:
            return

    def store(session: Session) -> None:
        found = find_channel(session, _channel_place(place))
        if found is not None and found.delivery != delivery:
            found.delivery = dict(delivery)
            session.add(found)

    database.run(store)


def first_greeting(database: Database, place: Place, now: datetime) -> bool:
    """True the first time Concord joins this conversation; False ever after (a reinstall,
    a platform's retry), so each conversation is greeted once."""
    digest = hashlib.sha256(f"{place.tenant_id}\n{place.channel_id}".encode()).hexdigest()
    key = f"greeting:{digest[:40]}"

    return database.run(lambda session: first_time(session, place.platform, key, now))


def greeting(database: Database, place: Place, locale: str) -> Card | None:
    """The greeting for `place`: in its collaborative's language (or both) when the
    channel is already linked; otherwise in the language of whoever added Concord, with
    English after Welsh, since others in the conversation may read only English."""
    with database.session() as session:
        channel = find_channel(session, _channel_place(place))
        collaborative = session.get(Collaborative, channel.collaborative_id) if channel else None
        if collaborative is not None:
            return bilingual.shared(collaborative, welcome_card)
    language = from_locale(locale) or DEFAULT
    with speaking(DEFAULT):
        english = welcome_card()
    if language == DEFAULT:
        return english
    with speaking(language):
        return bilingual.merged(welcome_card(), english)


def welcome_card() -> Card:
    return Card(
        blocks=[
            Heading(text=_("Hello, I'm Concord")),
            Text(
                text=_(
                    "I help a partnership agree a shared purpose, take decisions together "
                    "and check how the partnership is going."
                )
            ),
            Text(
                text=_(
                    'To start, a coordinator types `setup "Collaborative name"` here, or '
                    "`link CODE` with a code from a coordinator to join an existing one."
                )
            ),
            Context(text=_("In a channel, mention me first: `@Concord help`.")),
        ],
        fallback=_("Hello, I'm Concord: type help to see what I can do"),
    )


def newcomer_card() -> Card:
    """What a person in no collaborative sees at home: how to start one or join one."""
    return Card(
        blocks=[
            Heading(text=_("Welcome to Concord")),
            Text(
                text=_(
                    "Concord helps the organisations in a partnership agree a shared purpose, "
                    "take decisions together and keep checking how the partnership is going."
                )
            ),
            Text(
                text=_(
                    "You aren't part of a collaborative yet. To start one, add Concord to a "
                    'channel and type `setup "Collaborative name"` there: you become its first '
                    "coordinator."
                )
            ),
            Text(
                text=_(
                    "To join a collaborative that already exists, ask one of its coordinators "
                    "for a code and type `link CODE` in your channel. Or type `help` in a "
                    "channel it already meets in: whoever takes part there becomes a member."
                )
            ),
        ],
        fallback=_("Welcome to Concord"),
    )


def _channel_place(place: Place) -> Place:
    return Place(place.platform, place.tenant_id, place.channel_id)
