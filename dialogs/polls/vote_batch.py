"""Many vote clicks in one transaction: the rules of one vote, a few statements for all.

When hundreds of people click at once, most of the cost of a vote is the per-turn
machinery (a transaction, a dozen ORM round trips). Clicks that arrive while
another batch is being stored are stored together (`dialogs.runner`): this module
reads everything the batch needs in one query per kind (channels, members, polls,
options, latest ballots, participation), decides each click in arrival order with
the same rules as `voting.vote` (`vote_refusal`, `button_choice`, `confirmation`),
and writes ballots, participation and one live-results update per poll in bulk.

A click may carry the platform's id for its delivery (`event_id`): one already
recorded, or met earlier in the batch, is a replay and changes nothing (an empty
answer, as `Engine.handle` gives); the id of each vote stored is recorded with it.

A click this path does not cover — a channel that is not linked, a poll of another
type, results shown after voting — comes back as None, for the ordinary turn. The
database still guards what matters: if another process stores a vote for the same
person meanwhile, the unique keys fail this transaction and `Database.run` runs it
again, reading afresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Column, Connection, bindparam, tuple_, update
from sqlalchemy.engine import Row as ResultRow
from sqlmodel import Session, SQLModel, col, select

from dialogs.collaborative import homes
from dialogs.collaborative.members import MAX_NAME
from dialogs.core import actions, effects, readers
from dialogs.core.actions import Vote
from dialogs.core.cards import ActorModel, Card, Effect, Notify, PlaceModel
from dialogs.core.events import ActionInvoked, Actor
from dialogs.core.language import current, speaking
from dialogs.core.messages import poll_key
from dialogs.core.readers import IdentityKey
from dialogs.core.turn import Refusal, refusal_card
from dialogs.polls import batch_newcomers
from dialogs.polls.batch_newcomers import PersonKey
from dialogs.polls.voting import (
    BUTTON_TYPES,
    already_chosen,
    ballot_row,
    button_choice,
    confirmation,
    not_this_collaboratives_poll,
    not_this_polls_option,
    own_choices,
    participation_row,
    vote_refusal,
    voted_for,
)
from storage.database import insert_rows
from storage.models import (
    LATEST_BALLOT,
    Ballot,
    Channel,
    Collaborative,
    Identity,
    Member,
    Participation,
    PersonSetting,
    Poll,
    PollOption,
)
from storage.processed import Key, event_key, handled_before, record_handled

PlaceKey = tuple[str, str, str]  # platform, tenant, channel id
Row = dict[str, Any]  # a row's values: ballots and participation are written without objects
M = TypeVar("M", bound=SQLModel)


def is_click(event: object) -> bool:
    """Whether `event` is a vote button click (the only kind batched)."""
    return isinstance(event, ActionInvoked) and _vote_of(event) is not None


def _vote_of(click: ActionInvoked) -> Vote | None:
    action = actions.parse(click.action) if actions.is_vote(click.action) else None
    return action if isinstance(action, Vote) else None


@dataclass
class _Batch:
    """What the clicks need, read once, and what deciding them has changed so far."""

    now: datetime
    channels: dict[PlaceKey, Collaborative]  # each linked channel's collaborative
    members: dict[PersonKey, Member]
    polls: dict[int, Poll]
    options: dict[int, list[PollOption]]
    latest: dict[tuple[int, int], Row]  # id and choices of each latest ballot
    participated: set[tuple[int, int]]
    ballots: list[Row] = field(default_factory=list)  # new ballots, as rows
    fresh: set[str] = field(default_factory=set)  # ids of the ballots in `ballots`
    superseded: list[str] = field(default_factory=list)
    joined: list[Row] = field(default_factory=list)  # new participation, as rows
    anonymous_joined: list[Row] = field(default_factory=list)
    touched: dict[int, Collaborative] = field(default_factory=dict)
    recorded: int = 0  # votes stored
    readers: dict[IdentityKey, PersonSetting] = field(default_factory=dict)  # how each reads


class Cast(NamedTuple):
    replies: list[list[Effect] | None]  # per click; None: it needs the ordinary turn
    recorded: int  # how many of the clicks were stored as votes


def cast(
    session: Session,
    now: datetime,
    clicks: list[ActionInvoked],
    event_ids: list[str | None] | None = None,
) -> Cast:
    """Store `clicks` in order; for each, the replies to its voter, or None if it needs the
    ordinary turn. `event_ids`, one per click (or None), make a replay change nothing."""
    connection = session.connection()
    batch = _read(connection, now, clicks)
    batch.readers = readers.settings_of(session, (click.actor for click in clicks))
    keys = [
        event_key(click.actor.platform, event_id) if event_id else None
        for click, event_id in zip(clicks, event_ids or [None] * len(clicks), strict=True)
    ]
    seen = handled_before(session, {key for key in keys if key is not None})
    replies: list[list[Effect] | None] = []
    stored: list[Key] = []
    for click, key in zip(clicks, keys, strict=True):
        if key in seen:
            replies.append([])
            continue
        recorded = batch.recorded
        replies.append(_decide(batch, click))
        if key is not None and batch.recorded > recorded:  # as a turn that stored a vote
            seen.add(key)
            stored.append(key)
    _write(session, connection, batch)
    record_handled(session, stored, now)
    return Cast(replies, batch.recorded)


def _columns(model: type[SQLModel]) -> list[Column[Any]]:
    return list(model.__table__.columns)  # type: ignore[attr-defined]


def _made(model: type[M], row: ResultRow[Any], **changed: Any) -> M:
    """A plain `model` of the row's columns of its table (others, joined, are ignored), with
    `changed` values: the batch only reads it (it is in no session, and nothing it is given
    is written back)."""
    values = {c.name: row._mapping[c] for c in _columns(model)}
    return model.model_construct(**(values | changed))


# The batch's statements, built once. They are Core statements run on the session's
# connection, and what they read becomes plain objects (`model_construct`) the batch only
# reads: an ORM query costs several times what it asks the database for, and a batch
# that a few dozen clicks share is paid by each of them.
_CHANNEL = (Channel.platform, Channel.tenant_id, Channel.channel_id)
_MEMBER = Member.__table__.c  # type: ignore[attr-defined]
_IDENTITY = (Identity.collaborative_id, Identity.platform, Identity.tenant_id, Identity.user_id)
_CHANNELS = (
    select(*_CHANNEL, *_columns(Collaborative))
    .join(Collaborative, col(Collaborative.id) == Channel.collaborative_id)
    .where(tuple_(*_CHANNEL).in_(bindparam("places", expanding=True)))
)
# By each collaborative, platform and workspace, and the user ids there: SQLite scans the
# whole table for a row-value IN over all four columns, but searches the unique index
# for this.
_MEMBERS = (
    select(*_IDENTITY, *_columns(Member))
    .join(Member, col(Member.id) == Identity.member_id)
    .where(
        Identity.collaborative_id == bindparam("collaborative"),
        Identity.platform == bindparam("platform"),
        Identity.tenant_id == bindparam("tenant"),
        col(Identity.user_id).in_(bindparam("users", expanding=True)),
    )
)
_POLLS = select(*_columns(Poll)).where(col(Poll.id).in_(bindparam("polls", expanding=True)))
_OPTIONS = (
    select(*_columns(PollOption))
    .where(col(PollOption.poll_id).in_(bindparam("polls", expanding=True)))
    .order_by(col(PollOption.poll_id), col(PollOption.position))
)
_LATEST = select(Ballot.id, Ballot.poll_id, Ballot.member_id, Ballot.choices, Ballot.cast_by).where(
    col(Ballot.poll_id).in_(bindparam("polls", expanding=True)),
    col(Ballot.member_id).in_(bindparam("members", expanding=True)),
    LATEST_BALLOT,
)
_PARTICIPATED = select(Participation.poll_id, Participation.member_id).where(
    col(Participation.poll_id).in_(bindparam("polls", expanding=True)),
    col(Participation.member_id).in_(bindparam("members", expanding=True)),
)
_RENAME = (
    update(Member)
    .where(col(Member.id) == bindparam("member_id"))
    .values(display_name=bindparam("new_name"))
)
_SUPERSEDE = (
    update(Ballot).where(col(Ballot.id).in_(bindparam("ids", expanding=True))).values(latest=False)
)


def _read(connection: Connection, now: datetime, clicks: list[ActionInvoked]) -> _Batch:
    places = list({(c.place.platform, c.place.tenant_id, c.place.channel_id) for c in clicks})
    channels = {
        (row.platform, row.tenant_id, row.channel_id): _made(Collaborative, row)
        for row in connection.execute(_CHANNELS, {"places": places})
    }
    members = _members(connection, now, clicks, channels)
    poll_ids = list({vote.poll_id for c in clicks if (vote := _vote_of(c)) is not None})
    polls = {row.id: _made(Poll, row) for row in connection.execute(_POLLS, {"polls": poll_ids})}
    options: dict[int, list[PollOption]] = {poll_id: [] for poll_id in polls}
    for row in connection.execute(_OPTIONS, {"polls": list(polls)}):
        options[row.poll_id].append(_made(PollOption, row))
    found = {"polls": list(polls), "members": list({m.id for m in members.values()})}
    latest = {
        (poll_id, member_id): {"id": ballot_id, "choices": choices, "cast_by": cast_by}
        for ballot_id, poll_id, member_id, choices, cast_by in connection.execute(_LATEST, found)
    }
    participated = {
        (row.poll_id, row.member_id) for row in connection.execute(_PARTICIPATED, found)
    }
    return _Batch(now, channels, members, polls, options, latest, participated)


def _members(
    connection: Connection,
    now: datetime,
    clicks: list[ActionInvoked],
    channels: dict[PlaceKey, Collaborative],
) -> dict[PersonKey, Member]:
    """Every voter's member, joining (as `members.member_for` does) those new here."""
    people: dict[PersonKey, Actor] = {}
    for click in clicks:
        found = channels.get((click.place.platform, click.place.tenant_id, click.place.channel_id))
        if found is not None:
            people[_person(found, click.actor)] = click.actor
    if not people:
        return {}
    users: dict[tuple[int, str, str], list[str]] = {}
    for collaborative_id, platform, tenant_id, user_id in people:
        users.setdefault((collaborative_id, platform, tenant_id), []).append(user_id)
    members: dict[PersonKey, Member] = {}
    renamed = []
    for (collaborative_id, platform, tenant_id), ids in users.items():
        group = {"collaborative": collaborative_id, "platform": platform, "tenant": tenant_id}
        for row in connection.execute(_MEMBERS, {**group, "users": ids}):
            key = (collaborative_id, platform, tenant_id, row.user_id)
            name = people[key].display_name[:MAX_NAME]
            if name and row._mapping[_MEMBER.display_name] != name:  # known by a new name
                renamed.append({"member_id": row._mapping[_MEMBER.id], "new_name": name})
                members[key] = _made(Member, row, display_name=name)
            else:
                members[key] = _made(Member, row)
    if renamed:
        connection.execute(_RENAME, renamed)
    newcomers = [(key, actor) for key, actor in people.items() if key not in members]
    if newcomers:
        starts_as = {c.id: c.newcomer_role for c in channels.values()}
        members.update(batch_newcomers.join(connection, now, newcomers, starts_as))
    collaboratives = {c.id: c for c in channels.values()}
    voters = [(collaboratives[key[0]], members[key], actor) for key, actor in people.items()]
    placed = homes.place_all(connection, now, voters)  # before ballots record organisations
    for key, member in members.items():
        if member.id in placed:
            placed_in = {"organisation_id": placed[member.id]}
            members[key] = Member.model_construct(**vars(member) | placed_in)
    return members


def _decide(batch: _Batch, click: ActionInvoked) -> list[Effect] | None:
    place = click.place
    found = batch.channels.get((place.platform, place.tenant_id, place.channel_id))
    vote = _vote_of(click)
    if found is None or vote is None:
        return None
    collaborative = found
    poll = batch.polls.get(vote.poll_id)
    if poll is not None and (
        poll.type not in BUTTON_TYPES or poll.settings.get("results") == "after-vote"
    ):
        return None
    actor = click.actor  # answered in their language, with their zone, as a turn answers
    setting = batch.readers.get((actor.platform, actor.tenant_id, actor.user_id))
    with speaking(readers.language_of(setting, actor, collaborative).language):
        try:
            card = _vote(batch, collaborative, _person(collaborative, actor), poll, vote)
        except Refusal as refusal:
            card = refusal_card(refusal.problem, refusal.hint)
        marks = {"language": current(), "zone": effects.zone_for(setting, actor)}
    return [
        Notify(
            actor=ActorModel.of(actor),
            place=PlaceModel.of(place),
            card=card.model_copy(update=marks),
        )
    ]


def _vote(
    batch: _Batch, collaborative: Collaborative, person: PersonKey, poll: Poll | None, vote: Vote
) -> Card:
    if poll is None or poll.collaborative_id != collaborative.id:
        raise not_this_collaboratives_poll()
    member = batch.members[person]
    assert poll.id is not None and member.id is not None
    pair = (poll.id, member.id)
    if refusal := vote_refusal(collaborative, member, poll, batch.now, pair in batch.participated):
        raise refusal
    options = batch.options[poll.id]
    option = next((each for each in options if each.id == vote.option_id), None)
    if option is None:
        raise not_this_polls_option()
    previous = batch.latest.get(pair)
    current = own_choices(previous["choices"], previous.get("cast_by")) if previous else None
    chosen = button_choice(poll, option, current or [])
    if current is not None and chosen == current:
        return already_chosen(option)
    receipt = _record(batch, poll, member, chosen, previous, pair)["receipt"]
    batch.touched[poll.id] = collaborative
    done = voted_for([each.label for each in options], chosen)
    return confirmation(poll, collaborative, chosen, done, batch.now, receipt)


def _record(
    batch: _Batch,
    poll: Poll,
    member: Member,
    chosen: list[int],
    previous: Row | None,
    pair: tuple[int, int],
) -> Row:
    """Add the ballot to the batch, as `voting.record` stores one; its row."""
    ballot = ballot_row(poll, member, chosen, batch.now)
    batch.recorded += 1
    if previous is not None:
        if previous["id"] in batch.fresh:  # cast earlier in this batch: history from the start
            previous["latest"] = False
        else:
            batch.superseded.append(previous["id"])
        del batch.latest[pair]
    if chosen or ballot["member_id"] is None:
        batch.ballots.append(ballot)
        batch.fresh.add(ballot["id"])
        if ballot["member_id"] is not None:
            batch.latest[pair] = ballot
    if pair not in batch.participated:
        batch.participated.add(pair)
        joined = batch.anonymous_joined if poll.settings.get("anonymous") else batch.joined
        joined.append(participation_row(poll, member, batch.now))
    return ballot


def _write(session: Session, connection: Connection, batch: _Batch) -> None:
    # The old latest ballots step aside before the new ones arrive (one latest each).
    if batch.superseded:
        connection.execute(_SUPERSEDE, {"ids": batch.superseded})
    insert_rows(session, Ballot, batch.ballots)
    insert_rows(session, Participation, batch.joined, unless_present=True)
    # As in a single vote: anonymous participation is a plain insert, so a racing second
    # vote fails the transaction and is refused when it runs again.
    insert_rows(session, Participation, batch.anonymous_joined)
    for poll_id, collaborative in batch.touched.items():
        key = poll_key(batch.polls[poll_id])
        effects.update_everywhere(session, batch.now, collaborative, key)


def _person(collaborative: Collaborative, actor: Actor) -> PersonKey:
    assert collaborative.id is not None
    return (collaborative.id, actor.platform, actor.tenant_id, actor.user_id)
