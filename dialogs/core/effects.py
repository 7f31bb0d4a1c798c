"""Writing effects to the outbox, inside the transaction of the change that causes them.

Each row names its delivery lane — one channel, or one person's private
messages — so the dispatcher can keep each lane in order and within the
platform's rate limits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from dialogs.core import bilingual
from dialogs.core.cards import (
    ActorModel,
    Block,
    Card,
    Context,
    Effect,
    Notify,
    OpenForm,
    PlaceModel,
    Post,
    Text,
    Update,
)
from dialogs.core.clock import is_time_zone
from dialogs.core.events import Actor, Place
from dialogs.core.language import _, current
from dialogs.core.readers import setting_of, speaking_to
from storage.database import insert_rows
from storage.models import Channel, Collaborative, Identity, Member, Outbox, PersonSetting

# A card, or how to build it: a builder is called in its reader's language (`speaking_to`).
CardFor = Card | Callable[[], Card]


def channel_lane(place: Place | PlaceModel) -> str:
    return f"{place.platform}:{place.tenant_id}:#{place.channel_id}"


def person_lane(actor: Actor | ActorModel) -> str:
    return f"{actor.platform}:{actor.tenant_id}:@{actor.user_id}"


def lane_of(effect: Post | Update | Notify) -> str:
    if isinstance(effect, Notify):
        return person_lane(effect.actor)
    assert effect.place is not None, "channel effects name their channel"
    return channel_lane(effect.place)


# Core, built once: every vote batch asks, to queue its poll's re-render in each channel.
_CHANNELS = (
    select(Channel.platform, Channel.tenant_id, Channel.channel_id)
    .where(Channel.collaborative_id == bindparam("collaborative"))
    .order_by(col(Channel.id))
)


def channels_of(session: Session, collaborative: Collaborative) -> list[Place]:
    """The collaborative's channels, looked up once per transaction (a tick posts many times)."""
    cache = session.info.setdefault("channels_of", {})
    if collaborative.id not in cache:
        rows = session.connection().execute(_CHANNELS, {"collaborative": collaborative.id})
        cache[collaborative.id] = [Place(*row) for row in rows]
    return cache[collaborative.id]


def emit(
    session: Session,
    now: datetime,
    collaborative: Collaborative | None,
    effect: Post | Update | Notify,
) -> None:
    insert_rows(session, Outbox, [_outbox_row(now, collaborative, effect)])


def _outbox_row(
    now: datetime, collaborative: Collaborative | None, effect: Post | Update | Notify
) -> dict[str, Any]:
    return {
        "collaborative_id": collaborative.id if collaborative else None,
        "lane": lane_of(effect),
        "message_key": effect.key if isinstance(effect, Post | Update) else None,
        "effect": effect.model_dump(mode="json"),
        "status": "pending",
        "attempts": 0,
        "created_at": now,
        "available_at": now,
    }


def post_everywhere(
    session: Session,
    now: datetime,
    collaborative: Collaborative,
    card: CardFor,
    key: str | None = None,
    *,
    pin: bool = False,
) -> int:
    """Post `card` in every channel of the collaborative; return how many. A builder makes
    it in the collaborative's language, or in Welsh and English (`bilingual.shared`)."""
    return post_many(session, now, [(collaborative, card, key)], pin=pin)


def post_many(
    session: Session,
    now: datetime,
    posts: Iterable[tuple[Collaborative, CardFor, str | None]],
    *,
    pin: bool = False,
) -> int:
    """`post_everywhere` for many cards, written in one statement (a tick opening a batch of
    check-ins posts hundreds); return how many posts."""
    rows = []
    for collaborative, made, key in posts:
        card = for_channels(collaborative, made)
        keyed = card.model_copy(update={"key": key}) if key else card
        for place in channels_of(session, collaborative):
            post = Post(place=PlaceModel.of(place), card=keyed, key=key, pin=pin)
            rows.append(_outbox_row(now, collaborative, post))
    insert_rows(session, Outbox, rows)
    return len(rows)


def for_channels(collaborative: Collaborative, card: CardFor) -> Card:
    """`card`, or what its builder makes for everyone in the collaborative's channels."""
    if not callable(card):
        return card
    shared = bilingual.shared(collaborative, card)
    assert shared is not None, "a builder for channels makes a card"
    return shared


def update_everywhere(
    session: Session, now: datetime, collaborative: Collaborative, key: str
) -> None:
    """Re-render the message `key` in every channel; delivery renders the latest state."""
    for place in channels_of(session, collaborative):
        emit(session, now, collaborative, Update(key=key, place=PlaceModel.of(place)))


def notify(
    session: Session, now: datetime, collaborative: Collaborative, actor: Actor, card: CardFor
) -> None:
    """A private message to one person, delivered later (a reminder, say), with the zone
    they read times in (`Card.zone`); a builder makes the card in their language."""
    card = built_for(session, actor, collaborative, card)
    card = card.model_copy(update={"zone": card.zone or reader_zone(session, actor)})
    emit(session, now, collaborative, Notify(actor=ActorModel.of(actor), card=card))


def built_for(
    session: Session, actor: Actor, collaborative: Collaborative | None, card: CardFor
) -> Card:
    """`card`, or the card its builder makes in `actor`'s language, marked with its language."""
    if callable(card):
        with speaking_to(session, actor, collaborative):
            return card().model_copy(update={"language": current()})
    return card if card.language else card.model_copy(update={"language": current()})


def reader_zone(session: Session, actor: Actor) -> str | None:
    """The zone one identity reads times in, if Concord knows one (chosen with `me
    timezone`, else the one their platform reported); None means the collaborative's."""
    return zone_for(setting_of(session, actor), actor)


def zone_for(setting: PersonSetting | None, actor: Actor) -> str | None:
    """`reader_zone` of the person whose settings row is `setting` (None: none was made)."""
    found = [setting.timezone, setting.platform_timezone] if setting else []
    return next((z for z in [*found, actor.timezone] if z and is_time_zone(z)), None)


def notify_person(session: Session, now: datetime, actor: Actor, card: Card) -> None:
    """A private message to one person about several collaboratives (their digest)."""
    card = built_for(session, actor, None, card)
    emit(session, now, None, Notify(actor=ActorModel.of(actor), card=card))


def actor_of(session: Session, member: Member) -> Actor | None:
    """How to reach a member privately: their first platform identity."""
    identity = session.exec(
        select(Identity).where(Identity.member_id == member.id).order_by(col(Identity.id))
    ).first()
    if identity is None:
        return None
    return Actor(identity.platform, identity.tenant_id, identity.user_id, member.display_name)


def notify_coordinators(
    session: Session, now: datetime, collaborative: Collaborative, card: CardFor
) -> None:
    coordinators = session.exec(
        select(Member).where(
            Member.collaborative_id == collaborative.id, Member.role == "coordinator"
        )
    ).all()
    for coordinator in coordinators:
        if (actor := actor_of(session, coordinator)) is not None:
            notify(session, now, collaborative, actor, card)


def report_missed(
    session: Session,
    now: datetime,
    collaborative: Collaborative,
    what: str,
    hint: str | None = None,
) -> None:
    """Tell the coordinators privately that `what` did not happen because Concord was down."""

    def card() -> Card:
        blocks: list[Block] = [
            Text(
                text=_(
                    "{what} was missed: Concord was not running then, and it is too late now."
                ).format(what=what),
                tone="warning",
            )
        ]
        if hint:
            blocks.append(Context(text=hint))
        return Card(blocks=blocks, fallback=_("{what} was missed").format(what=what))

    notify_coordinators(session, now, collaborative, card)


def for_actor(effects: list[Effect], actor: Actor) -> tuple[list[Notify], list[OpenForm]]:
    """What the engine answered for `actor` alone: their private notes, and forms to open."""
    notes = [e for e in effects if isinstance(e, Notify) and e.actor.user_id == actor.user_id]
    forms = [e for e in effects if isinstance(e, OpenForm) and e.actor.user_id == actor.user_id]
    return notes, forms


def for_reader(session: Session, actor: Actor, replies: list[Effect]) -> list[Effect]:
    """`replies`, the notes and forms to `actor` marked with the language of the turn (so a
    renderer says its own words in it), and the notes with the zone they read times in."""
    notes, forms = for_actor(replies, actor)
    if not notes and not forms:
        return replies
    zone = reader_zone(session, actor) if notes else None
    return [_marked(reply, actor, current(), zone) for reply in replies]


def _marked(reply: Effect, actor: Actor, language: str, zone: str | None) -> Effect:
    if not isinstance(reply, Notify | OpenForm) or reply.actor.user_id != actor.user_id:
        return reply
    if isinstance(reply, Notify):
        card = reply.card.model_copy(update={"zone": zone, "language": language})
        return reply.model_copy(update={"card": card})
    form = reply.form.model_copy(update={"language": language})
    return reply.model_copy(update={"form": form})
