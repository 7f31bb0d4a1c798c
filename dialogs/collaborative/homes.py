"""Organisations recognised by their people's own tenant: a Microsoft tenant, a workspace.

In a channel shared between tenants, people of several organisations meet; adapters
say which tenant each person is from (`Actor.home`). A coordinator says which
organisation a tenant belongs to (`org add "Name" --teams-tenant ID`, `--slack-team ID`;
`org unmap` undoes it), and a member with no organisation is then counted with it the
next time they vote or type a command, without `org join`. Only someone with no
organisation is ever placed: a choice made with `org join` stands. Placing a person is
recorded in the decision log, not said to them (a vote should not bring a message), and
`org list` shows who is where.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, cast

from sqlalchemy import Connection, bindparam, tuple_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select

from dialogs.commands.syntax import Command
from dialogs.core import audit
from dialogs.core.events import Actor
from dialogs.core.language import N_, _
from dialogs.core.turn import Refusal, Turn
from storage.models import Collaborative, Member, Organisation, OrganisationHome


@dataclass(frozen=True)
class HomeKind:
    """One kind of tenant, as the grammar names it (`--teams-tenant ID`)."""

    flag: str  # the option that names one
    label: str  # what its people call one (N_: translated where said)
    pattern: re.Pattern[str]  # what an id looks like, once `typed` has read it
    example: str
    any_case: bool = False  # whether ids are read in lower case

    @property
    def platform(self) -> str:
        """The platform whose people it names: the option's first word."""
        return self.flag.partition("-")[0]

    def typed(self, text: str) -> str:
        """`text` as an id would be stored (a GUID is often copied inside braces)."""
        text = text.strip().strip("{}")
        return text.lower() if self.any_case else text


KINDS = (
    HomeKind(
        "teams-tenant",
        N_("Microsoft tenant"),
        re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        "72f988bf-86f1-41af-91ab-2d7cd011db47",
        any_case=True,
    ),
    # A workspace (T…) or, for an Enterprise Grid organisation, the organisation (E…).
    HomeKind("slack-team", N_("workspace"), re.compile(r"[TE][A-Z0-9]{6,20}"), "T0123ABCD"),
)
_BY_FLAG = {kind.flag: kind for kind in KINDS}
_BY_PLATFORM = {kind.platform: kind for kind in KINDS}

Home = tuple[HomeKind, str]  # which kind, and the id


def named(flags: Mapping[str, Any]) -> list[Home]:
    """The tenants and workspaces a command's options name, each checked (or a refusal)."""
    homes = []
    for flag, kind in _BY_FLAG.items():
        if flag in flags:
            homes.append((kind, _checked(kind, str(flags[flag]))))
    return homes


def _checked(kind: HomeKind, typed: str) -> str:
    value = kind.typed(typed)
    if not kind.pattern.fullmatch(value):
        shown = typed if len(typed) <= 60 else typed[:59] + "…"
        raise Refusal(
            _("`{typed}` isn't a {kind} id.").format(typed=shown, kind=_(kind.label)),
            _(
                "A {kind} id looks like `{example}`. Concord tells you yours when you type "
                "`org join`."
            ).format(kind=_(kind.label), example=kind.example),
        )
    return value


def recognise(
    turn: Turn, collaborative: Collaborative, organisation: Organisation, homes: Sequence[Home]
) -> list[str]:
    """Count everyone from `homes` as `organisation`; what changed, in words. A tenant that
    another organisation here already holds is refused (nothing changes)."""
    lines = []
    for kind, tenant_id in homes:
        held = _held(turn, collaborative, kind, tenant_id)
        if held is not None and held[1].id != organisation.id:
            raise Refusal(
                _("The {kind} `{tenant}` already counts as {name} here.").format(
                    kind=_(kind.label), tenant=tenant_id, name=held[1].name
                ),
                _("To move it, first type `org unmap --{flag} {tenant}`.").format(
                    flag=kind.flag, tenant=tenant_id
                ),
            )
        if held is not None:
            lines.append(
                _("The {kind} `{tenant}` already counts as {name}.").format(
                    kind=_(kind.label), tenant=tenant_id, name=organisation.name
                )
            )
            continue
        turn.session.add(
            OrganisationHome(
                collaborative_id=cast(int, collaborative.id),
                organisation_id=cast(int, organisation.id),
                platform=kind.platform,
                tenant_id=tenant_id,
                created_at=turn.now,
            )
        )
        _logged(turn, "org.home", organisation, kind, tenant_id)
        lines.append(
            _(
                "Everyone from the {kind} `{tenant}` who has no organisation yet is counted "
                "as {name} from their next vote or command."
            ).format(kind=_(kind.label), tenant=tenant_id, name=organisation.name)
        )
    return lines


def org_unmap(turn: Turn, command: Command) -> None:
    collaborative, __ = turn.require_coordinator(N_("change which organisation a tenant counts as"))
    homes = named(command.flags)
    if not homes:
        raise Refusal(
            _("Say which tenant or workspace to stop counting."),
            _("Type `org unmap --teams-tenant ID` or `org unmap --slack-team ID`."),
        )
    lines = []
    for kind, tenant_id in homes:
        held = _held(turn, collaborative, kind, tenant_id)
        if held is None:
            raise Refusal(
                _("No organisation here counts the {kind} `{tenant}`.").format(
                    kind=_(kind.label), tenant=tenant_id
                ),
                _("Type `org list` to see which tenants and workspaces are counted."),
            )
        mapping, organisation = held
        turn.session.delete(mapping)
        _logged(turn, "org.unmap", organisation, kind, tenant_id)
        lines.append(
            _("The {kind} `{tenant}` no longer counts as {name}.").format(
                kind=_(kind.label), tenant=tenant_id, name=organisation.name
            )
        )
    turn.say(
        _("Stopped counting them") if len(lines) > 1 else _("Stopped counting it"),
        *lines,
        _(
            "People already counted with an organisation stay with it; anyone can change "
            'theirs with `org join "Name"`.'
        ),
    )


_DONE = {
    "org.home": N_("counted everyone from the {kind} {tenant} as {name}"),
    "org.unmap": N_("stopped counting everyone from the {kind} {tenant} as {name}"),
}


def _logged(
    turn: Turn, action: str, organisation: Organisation, kind: HomeKind, tenant_id: str
) -> None:
    """The decision log's entry for counting (`org.home`) or no longer counting a tenant."""
    turn.audit(
        action,
        lambda: _(_DONE[action]).format(
            kind=_(kind.label), tenant=tenant_id, name=organisation.name
        ),
        organisation_id=organisation.id,
        platform=kind.platform,
        tenant_id=tenant_id,
    )


def shown(turn: Turn, organisation: Organisation) -> str:
    """The line `org list` adds under an organisation that counts tenants, or ""."""
    homes = turn.session.exec(
        select(OrganisationHome)
        .where(OrganisationHome.organisation_id == organisation.id)
        .order_by(col(OrganisationHome.platform), col(OrganisationHome.tenant_id))
    ).all()
    named_homes = [
        _("the {kind} `{tenant}`").format(
            kind=_(_BY_PLATFORM[h.platform].label), tenant=h.tenant_id
        )
        for h in homes
    ]
    return (
        _("{name} counts everyone from {homes}").format(
            name=organisation.name, homes=", ".join(named_homes)
        )
        if homes
        else ""
    )


def join_hint(turn: Turn, collaborative: Collaborative, organisation: Organisation) -> str:
    """After `org join`: the command that would count everyone from this person's tenant
    too, when no organisation counts it yet (a coordinator may type it)."""
    home = home_of(turn.actor)
    if home is None or _held(turn, collaborative, *home) is not None:
        return ""
    kind, tenant_id = home
    return _(
        "Is everyone from your {kind} (`{tenant}`) in {name}? A coordinator can count them "
        'all by typing `org add "{name}" --{flag} {tenant}`.'
    ).format(kind=_(kind.label), tenant=tenant_id, name=organisation.name, flag=kind.flag)


def home_of(actor: Actor) -> Home | None:
    """The kind and id of the tenant `actor` is from, if it is one an organisation can count."""
    kind = _BY_PLATFORM.get(actor.platform)
    tenant_id = kind.typed(actor.home) if kind else ""
    return (kind, tenant_id) if kind and kind.pattern.fullmatch(tenant_id) else None


def place(turn: Turn, collaborative: Collaborative, member: Member, actor: Actor) -> None:
    """Count `member` (with no organisation yet) with the organisation their tenant is in."""
    placed = place_all(turn.session.connection(), turn.now, [(collaborative, member, actor)])
    if member.id in placed:  # as the database now holds it, not a change to write again
        set_committed_value(member, "organisation_id", placed[member.id])


Voter = tuple[Collaborative, Member, Actor]

_HOMES = (
    select(
        OrganisationHome.collaborative_id,
        OrganisationHome.platform,
        OrganisationHome.tenant_id,
        Organisation.id,
        Organisation.name,
    )
    .join(Organisation, col(Organisation.id) == OrganisationHome.organisation_id)
    .where(
        tuple_(
            col(OrganisationHome.collaborative_id),
            col(OrganisationHome.platform),
            col(OrganisationHome.tenant_id),
        ).in_(bindparam("homes", expanding=True))
    )
)
_PLACE = (
    update(Member)
    .where(col(Member.id) == bindparam("member_id"), col(Member.organisation_id).is_(None))
    .values(organisation_id=bindparam("organisation_id"))
)


def place_all(connection: Connection, now: datetime, voters: Sequence[Voter]) -> dict[int, int]:
    """`place` for many people at once (a batch of votes): one query finds their
    organisations, and those placed are updated and logged in a statement each. Returns
    the organisation of each member placed, by member id (the `Member`s are not changed)."""
    waiting = [
        (collaborative, member, home)
        for collaborative, member, actor in voters
        if member.organisation_id is None and (home := home_of(actor))
    ]
    if not waiting:
        return {}
    keys = {(c.id, kind.platform, tenant_id) for c, __, (kind, tenant_id) in waiting}
    found = {
        (row[0], row[1], row[2]): (row[3], row[4])
        for row in connection.execute(_HOMES, {"homes": list(keys)})
    }
    placed, entries = [], []
    for collaborative, member, (kind, tenant_id) in waiting:
        hit = found.get((collaborative.id, kind.platform, tenant_id))
        if hit is None:
            continue
        organisation_id, name = hit
        placed.append({"member_id": member.id, "organisation_id": organisation_id})
        entries.append(
            audit.entry_row(
                now,
                collaborative,
                member,
                action="org.counted",
                summary=partial(_counted, name, kind, tenant_id),
                detail={"organisation_id": organisation_id},
            )
        )
    if placed:
        connection.execute(_PLACE, placed)
        audit.write(connection, entries)
    return {row["member_id"]: row["organisation_id"] for row in placed}


def _counted(name: str, kind: HomeKind, tenant_id: str) -> str:
    return _("was counted as {name} (their {kind} is {tenant})").format(
        name=name, kind=_(kind.label), tenant=tenant_id
    )


def _held(
    turn: Turn, collaborative: Collaborative, kind: HomeKind, tenant_id: str
) -> tuple[OrganisationHome, Organisation] | None:
    found = turn.session.exec(
        select(OrganisationHome, Organisation)
        .join(Organisation, col(Organisation.id) == OrganisationHome.organisation_id)
        .where(
            OrganisationHome.collaborative_id == collaborative.id,
            OrganisationHome.platform == kind.platform,
            OrganisationHome.tenant_id == tenant_id,
        )
    ).first()
    return (found[0], found[1]) if found else None
