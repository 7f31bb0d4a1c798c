"""Members, their identities, organisations and roles: who is who in a collaborative.

A member is one person in one collaborative; an identity is one of their
accounts (platform, tenant, user). Whoever acts in a linked channel joins as a
member. Organisations (`org add|join|list`) and roles (`role`) are kept here; the
tenants an organisation counts, in `dialogs.collaborative.homes`.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from dialogs.collaborative import homes
from dialogs.commands.syntax import Command
from dialogs.core.events import Actor, Place
from dialogs.core.language import N_, _
from dialogs.core.turn import Refusal, Turn, with_article
from storage.database import insert_row
from storage.models import Channel, Collaborative, Identity, Member, Organisation

MAX_NAME = 120
MAX_ORG_NAME = 80
ROLE_NAMES = {"coordinator": N_("coordinator"), "member": N_("member"), "observer": N_("observer")}


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
    if found is None:
        found = add_member(turn, collaborative, actor, collaborative.newcomer_role, chosen=False)
    elif actor.display_name and found.display_name != actor.display_name[:MAX_NAME]:
        found.display_name = actor.display_name[:MAX_NAME]
    if found.organisation_id is None:
        homes.place(turn, collaborative, found, actor)
    return found


def add_member(
    turn: Turn, collaborative: Collaborative, actor: Actor, role: str, *, chosen: bool
) -> Member:
    """A new member with `role`: `chosen` on purpose (`setup`), or as newcomers start."""
    member = Member(
        collaborative_id=collaborative.id,
        display_name=actor.display_name[:MAX_NAME],
        role=role,
        role_chosen=chosen,
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


def org_add(turn: Turn, command: Command) -> None:
    """A new organisation, or (with `--teams-tenant`/`--slack-team`) the tenants whose
    people an organisation, new or not, counts (`dialogs.collaborative.homes`)."""
    collaborative, __ = turn.require_coordinator(N_("add an organisation"))
    name = clean_name(command.args["name"], _("The organisation's name"), MAX_ORG_NAME)
    named = homes.named(command.flags)
    organisation = _organisation_named(turn.session, collaborative, name)
    if organisation is not None and not named:
        raise Refusal(
            _("{name} is already an organisation here.").format(name=name),
            _(
                'Type `org list` to see them, or `org add "{name}" --teams-tenant ID` to count '
                "everyone from a Microsoft tenant as it."
            ).format(name=name),
        )
    heading = (
        _("Updated {name}").format(name=organisation.name)
        if organisation
        else _("Added {name}").format(name=name)
    )
    if organisation is None:
        organisation = Organisation(
            collaborative_id=collaborative.id,
            name=name,
            name_key=name.casefold(),
            created_at=turn.now,
        )
        turn.session.add(organisation)
        turn.session.flush()
        turn.audit("org.add", lambda: _("added the organisation {name}").format(name=name))
    lines = homes.recognise(turn, collaborative, organisation, named)
    turn.say(
        heading,
        *lines,
        _('Anyone else joins it by typing `org join "{name}"`.').format(name=organisation.name),
    )


def org_join(turn: Turn, command: Command) -> None:
    collaborative, member = turn.in_collaborative()
    name = command.args["name"]
    organisation = _organisation_named(turn.session, collaborative, name)
    if organisation is None:
        names = [o.name for o in _organisations(turn.session, collaborative)]
        hint = (
            _("The organisations are: {names}.").format(names=", ".join(names))
            if names
            else _('There are none yet: a coordinator adds them with `org add "Name"`.')
        )
        raise Refusal(_("There is no organisation called {name} here.").format(name=name), hint)
    if member.organisation_id == organisation.id:
        turn.say(_("You are already listed with {name}.").format(name=organisation.name))
        return
    member.organisation_id = organisation.id
    turn.audit("org.join", lambda: _("joined {name}").format(name=organisation.name))
    turn.say(
        _("You are now listed with {name}.").format(name=organisation.name),
        homes.join_hint(turn, collaborative, organisation),
    )


def org_list(turn: Turn, command: Command) -> None:
    collaborative, __ = turn.in_collaborative()
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
        title = organisation.name if organisation else _("Not yet in an organisation")
        lines.append(
            _("{title} ({count}): {people}").format(
                title=title, count=len(people), people=", ".join(people) or _("nobody yet")
            )
        )
        if organisation is not None and (counted := homes.shown(turn, organisation)):
            lines.append(counted)
    turn.say(
        _("Organisations in {name}").format(name=collaborative.name), *(lines or [_("None yet.")])
    )


def _listed(member: Member) -> str:
    if member.role == "member":
        return member.display_name
    role = _(ROLE_NAMES.get(member.role, member.role))
    return _("{name} ({role})").format(name=member.display_name, role=role)


def role(turn: Turn, command: Command) -> None:
    collaborative, coordinator = turn.require_coordinator(N_("change roles"))
    person = resolve_person(turn, collaborative, command.args["person"])
    new_role = command.args["role"]
    if person.role == new_role:
        person.role_chosen = True  # a coordinator confirmed it: no longer only a default
        turn.say(
            _("{name} is already {role}.").format(
                name=person.display_name, role=with_article(new_role)
            )
        )
        return
    if person.role == "coordinator" and _coordinator_count(turn.session, collaborative) == 1:
        raise Refusal(
            _("{name} is the only coordinator; someone must stay one.").format(
                name=person.display_name
            ),
            _("Make someone else a coordinator first."),
        )
    old_role, person.role, person.role_chosen = person.role, new_role, True
    turn.audit(
        "role",
        lambda: _("made {name} {role} (was {old_role})").format(
            name=person.display_name,
            role=with_article(new_role),
            old_role=_(ROLE_NAMES.get(old_role, old_role)),
        ),
        member_id=person.id,
        role=new_role,
    )
    turn.say(
        _("{name} is now {role}.").format(name=person.display_name, role=with_article(new_role)),
        _("Observers see everything but do not vote.") if new_role == "observer" else "",
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
    shown = mention.get("name")
    if matches:
        raise Refusal(
            _("More than one member is called {name}.").format(name=shown),
            _("Use a proper @mention."),
        )
    raise Refusal(
        _("{name} isn't a member of {collaborative} yet.").format(
            name=shown or _("that person"), collaborative=collaborative.name
        ),
        _("People become members when they first use Concord in a linked channel."),
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


def clean_name(value: str, what: str, limit: int) -> str:
    name = " ".join(value.split())
    if not name:
        raise Refusal(_("{what} can't be empty.").format(what=what))
    if len(name) > limit:
        raise Refusal(
            _("{what} is {length} characters; the most is {limit}.").format(
                what=what, length=len(name), limit=limit
            ),
            _("Shorten it."),
        )
    return name
