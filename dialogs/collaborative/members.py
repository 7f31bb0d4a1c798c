"""Collaboratives, channels, organisations, members and their roles."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, update
from sqlmodel import Session, select

from dialogs.commands.parser import Command
from dialogs.core.cards import Card, Context, Heading, Text
from dialogs.core.events import Actor, Place
from dialogs.core.turn import Refusal, Turn
from storage.database import insert_row
from storage.models import Channel, Collaborative, Identity, LinkCode, Member, Organisation

LINK_CODE_LIFETIME = timedelta(minutes=15)
# No 0/O, 1/I/L: codes are read aloud and typed on phones.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
MAX_NAME = 120
MAX_ORG_NAME = 80


def find_channel(session: Session, place: Place) -> Channel | None:
    return session.exec(
        select(Channel).where(
            Channel.platform == place.platform,
            Channel.tenant_id == place.tenant_id,
            Channel.channel_id == place.channel_id,
        )
    ).first()


def known_member(session: Session, collaborative: Collaborative, actor: Actor) -> Member | None:
    return session.exec(
        select(Member)
        .join(Identity, Identity.member_id == Member.id)
        .where(
            Identity.collaborative_id == collaborative.id,
            Identity.platform == actor.platform,
            Identity.tenant_id == actor.tenant_id,
            Identity.user_id == actor.user_id,
        )
    ).first()


def member_for(turn: Turn, collaborative: Collaborative, actor: Actor) -> Member:
    """The member this actor is in `collaborative`; whoever acts in a linked channel joins."""
    found = known_member(turn.session, collaborative, actor)
    if found is not None:
        if actor.display_name and found.display_name != actor.display_name[:MAX_NAME]:
            found.display_name = actor.display_name[:MAX_NAME]
        return found
    return add_member(turn, collaborative, actor, role="member")


def add_member(turn: Turn, collaborative: Collaborative, actor: Actor, role: str) -> Member:
    member = Member(
        collaborative_id=collaborative.id,
        display_name=actor.display_name[:MAX_NAME],
        role=role,
        created_at=turn.now,
    )
    turn.session.add(member)
    turn.session.flush()
    identity = Identity(
        collaborative_id=collaborative.id,
        member_id=member.id,
        platform=actor.platform,
        tenant_id=actor.tenant_id,
        user_id=actor.user_id,
    )
    insert_row(turn.session, identity)
    return member


def setup(turn: Turn, command: Command, default_timezone: str) -> None:
    if turn.collaborative is not None:
        raise Refusal(
            f"This channel already belongs to {turn.collaborative.name}.",
            "Type `help` to see what you can do here.",
        )
    name = _clean_name(command.args["name"], "The collaborative's name", MAX_NAME)
    timezone = command.flags.get("timezone", default_timezone)
    collaborative = Collaborative(name=name, timezone=timezone, created_at=turn.now)
    turn.session.add(collaborative)
    turn.session.flush()
    turn.channel = _link_channel(turn, collaborative)
    turn.collaborative = collaborative
    turn.member = add_member(turn, collaborative, turn.actor, role="coordinator")
    turn.audit("setup", f"set up {name} (times shown in {timezone})")
    turn.reply(
        Card(
            blocks=[
                Heading(text=f"{name} is set up"),
                Text(text=f"You are its first coordinator. Times are shown in {timezone}."),
                Context(
                    text='Next: `org add "Organisation name"` for each partner, `link` to add '
                    'another channel (Slack or Teams), then `poll "Question?" "Option" "Option"`.'
                ),
            ],
            fallback=f"{name} is set up",
        )
    )


def link(turn: Turn, command: Command) -> None:
    code = command.args.get("code")
    if code is None:
        _offer_link_code(turn)
    else:
        _join_with_code(turn, code)


def _offer_link_code(turn: Turn) -> None:
    collaborative, member = turn.require_coordinator("link another channel")
    shown = issue_code(turn, collaborative, member, CHANNEL_CODE)
    turn.say(
        f"Link code: {shown}",
        f"In the other channel (Slack or Teams), type `link {shown}` within 15 minutes. "
        "The code works once.",
    )


# One-time codes. Two kinds share one table and one set of rules: a channel code
# (`link`) joins a channel to a collaborative; a member code (`me link`,
# dialogs/identity_link.py) joins one person's accounts. The kind is part of what
# is hashed, so a code of one kind is never found as the other, and channel codes
# hash exactly as they always have (rows already stored stay valid).
CHANNEL_CODE = "channel"
MEMBER_CODE = "member"
_CODE_COMMAND = {CHANNEL_CODE: "link", MEMBER_CODE: "me link"}


def issue_code(turn: Turn, collaborative: Collaborative, member: Member, kind: str) -> str:
    """A new code of `kind` made by `member`: stored as a hash, single use, 15 minutes.

    Returns it as shown to people, `ABC-DEF`.
    """
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
    turn.session.add(
        LinkCode(
            collaborative_id=collaborative.id,
            code_hash=_hash(code, kind),
            created_by=member.id,
            expires_at=turn.now + LINK_CODE_LIFETIME,
        )
    )
    return f"{code[:3]}-{code[3:]}"


def find_code(turn: Turn, code: str, kind: str, ask_again: str) -> LinkCode:
    """The unexpired code of `kind`, not yet claimed; or a refusal saying what is wrong.

    `ask_again` says how to get a new code. The code is not claimed here: checks
    that depend on who made it come first (`claim_code`).
    """
    found = turn.session.exec(
        select(LinkCode).where(LinkCode.code_hash == _hash(code, kind))
    ).first()
    if found is None:
        for other, command in _CODE_COMMAND.items():
            if (
                other != kind
                and turn.session.exec(
                    select(LinkCode.id).where(LinkCode.code_hash == _hash(code, other))
                ).first()
            ):
                raise Refusal(
                    f"That is a code for `{command}`, not `{_CODE_COMMAND[kind]}`.",
                    f"Type `{command} {code[:3]}-{code[3:]}` instead, or {ask_again}.",
                )
        raise Refusal("That code isn't one Concord gave out.", f"Check it, or {ask_again}.")
    if found.expires_at <= turn.now:
        raise Refusal("That code has expired (codes last 15 minutes).", f"Please {ask_again}.")
    if found.used_at is not None:
        raise _used(ask_again)
    return found


def claim_code(turn: Turn, found: LinkCode, ask_again: str) -> None:
    """Claim `found` atomically: of two turns racing for one code, exactly one gets it."""
    claimed = turn.session.execute(
        update(LinkCode)
        .where(LinkCode.id == found.id, LinkCode.used_at.is_(None))  # type: ignore[union-attr]
        .values(used_at=turn.now)
    ).rowcount
    if claimed != 1:
        raise _used(ask_again)


def _used(ask_again: str) -> Refusal:
    return Refusal("That code has already been used.", f"Please {ask_again}.")


def _join_with_code(turn: Turn, code: str) -> None:
    if turn.collaborative is not None:
        raise Refusal(
            f"This channel already belongs to {turn.collaborative.name}.",
            "Type `link CODE` in a channel that isn't linked yet.",
        )
    session = turn.session
    ask_again = "ask a coordinator to type `link` for a new one"
    found = find_code(turn, code, CHANNEL_CODE, ask_again)
    claim_code(turn, found, ask_again)
    collaborative = session.get(Collaborative, found.collaborative_id)
    assert collaborative is not None
    turn.channel = _link_channel(turn, collaborative)
    turn.collaborative = collaborative
    turn.member = member_for(turn, collaborative, turn.actor)
    where = f"{turn.place.platform} channel {turn.channel.name or turn.place.channel_id}"
    turn.audit("link", f"linked the {where}")
    turn.post_everywhere(
        Card(
            blocks=[
                Text(
                    text=f"This collaborative now also meets in the {where}. Polls and "
                    "results appear in every linked channel."
                )
            ],
            fallback=f"{collaborative.name} is now linked to another channel",
        )
    )
    turn.say(
        f"This channel is now part of {collaborative.name}",
        "Type `help` to see what you can do here.",
    )


def _link_channel(turn: Turn, collaborative: Collaborative) -> Channel:
    channel = Channel(
        collaborative_id=collaborative.id,
        platform=turn.place.platform,
        tenant_id=turn.place.tenant_id,
        channel_id=turn.place.channel_id,
        created_at=turn.now,
    )
    turn.session.add(channel)
    turn.session.flush()
    turn.session.info.pop("channels_of", None)  # outbound's per-transaction cache
    return channel


def org_add(turn: Turn, command: Command) -> None:
    collaborative, _ = turn.require_coordinator("add an organisation")
    name = _clean_name(command.args["name"], "The organisation's name", MAX_ORG_NAME)
    if _organisation_named(turn.session, collaborative, name) is not None:
        raise Refusal(f"{name} is already an organisation here.", "Type `org list` to see them.")
    turn.session.add(
        Organisation(
            collaborative_id=collaborative.id,
            name=name,
            name_key=name.casefold(),
            created_at=turn.now,
        )
    )
    turn.audit("org.add", f"added the organisation {name}")
    turn.say(f"Added {name}", f'Members join it by typing `org join "{name}"`.')


def org_join(turn: Turn, command: Command) -> None:
    collaborative, member = turn.in_collaborative()
    name = command.args["name"]
    organisation = _organisation_named(turn.session, collaborative, name)
    if organisation is None:
        names = [o.name for o in _organisations(turn.session, collaborative)]
        hint = (
            ("The organisations are: " + ", ".join(names) + ".")
            if names
            else ('There are none yet: a coordinator adds them with `org add "Name"`.')
        )
        raise Refusal(f"There is no organisation called {name} here.", hint)
    if member.organisation_id == organisation.id:
        turn.say(f"You are already listed with {organisation.name}.")
        return
    member.organisation_id = organisation.id
    turn.audit("org.join", f"joined {organisation.name}")
    turn.say(f"You are now listed with {organisation.name}.")


def org_list(turn: Turn) -> None:
    collaborative, _ = turn.in_collaborative()
    members = turn.session.exec(
        select(Member)
        .where(Member.collaborative_id == collaborative.id)
        .order_by(Member.display_name)
    ).all()
    lines = []
    for organisation in [*_organisations(turn.session, collaborative), None]:
        org_id = organisation.id if organisation else None
        people = [_listed(m) for m in members if m.organisation_id == org_id]
        if organisation is None and not people:
            continue
        title = organisation.name if organisation else "Not yet in an organisation"
        lines.append(f"{title} ({len(people)}): " + (", ".join(people) or "nobody yet"))
    turn.say(f"Organisations in {collaborative.name}", *(lines or ["None yet."]))


def _listed(member: Member) -> str:
    return (
        member.display_name if member.role == "member" else f"{member.display_name} ({member.role})"
    )


def role(turn: Turn, command: Command) -> None:
    collaborative, coordinator = turn.require_coordinator("change roles")
    person = resolve_person(turn, collaborative, command.args["person"])
    new_role = command.args["role"]
    if person.role == new_role:
        turn.say(f"{person.display_name} is already a {new_role}.")
        return
    if person.role == "coordinator" and _coordinator_count(turn.session, collaborative) == 1:
        raise Refusal(
            f"{person.display_name} is the only coordinator; someone must stay one.",
            "Make someone else a coordinator first.",
        )
    old_role, person.role = person.role, new_role
    turn.audit(
        "role",
        f"made {person.display_name} a {new_role} (was {old_role})",
        member_id=person.id,
        role=new_role,
    )
    turn.say(
        f"{person.display_name} is now a {new_role}.",
        "Observers see everything but do not vote." if new_role == "observer" else "",
    )


def resolve_person(turn: Turn, collaborative: Collaborative, mention: dict[str, str]) -> Member:
    session = turn.session
    if "user_id" in mention:
        found = session.exec(
            select(Member)
            .join(Identity, Identity.member_id == Member.id)
            .where(
                Identity.collaborative_id == collaborative.id,
                Identity.platform == turn.place.platform,
                Identity.tenant_id == turn.place.tenant_id,
                Identity.user_id == mention["user_id"],
            )
        ).first()
        matches = [found] if found else []
    else:
        wanted = mention["name"].casefold()
        matches = [
            m
            for m in session.exec(
                select(Member).where(Member.collaborative_id == collaborative.id)
            ).all()
            if m.display_name.casefold() == wanted
        ]
    if len(matches) == 1:
        return matches[0]
    shown = mention.get("name") or "that person"
    if matches:
        raise Refusal(f"More than one member is called {shown}.", "Use a proper @mention.")
    raise Refusal(
        f"{shown} isn't a member of {collaborative.name} yet.",
        "People become members when they first use Concord in a linked channel.",
    )


def _coordinator_count(session: Session, collaborative: Collaborative) -> int:
    return session.exec(
        select(func.count())
        .select_from(Member)
        .where(Member.collaborative_id == collaborative.id, Member.role == "coordinator")
    ).one()


def _organisations(session: Session, collaborative: Collaborative) -> list[Organisation]:
    return list(
        session.exec(
            select(Organisation)
            .where(Organisation.collaborative_id == collaborative.id)
            .order_by(Organisation.name)
        ).all()
    )


def _organisation_named(
    session: Session, collaborative: Collaborative, name: str
) -> Organisation | None:
    return session.exec(
        select(Organisation).where(
            Organisation.collaborative_id == collaborative.id,
            Organisation.name_key == name.strip().casefold(),
        )
    ).first()


def _clean_name(value: str, what: str, limit: int) -> str:
    name = " ".join(value.split())
    if not name:
        raise Refusal(f"{what} can't be empty.")
    if len(name) > limit:
        raise Refusal(f"{what} is {len(name)} characters; the most is {limit}.", "Shorten it.")
    return name


def _hash(code: str, kind: str = CHANNEL_CODE) -> str:
    keyed = code if kind == CHANNEL_CODE else f"{kind}:{code}"
    return hashlib.sha256(keyed.encode()).hexdigest()
