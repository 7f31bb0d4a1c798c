"""Roles that hold: a role set on purpose survives a second account, and newcomers' role.

A role is *chosen* when it was set on purpose — by `setup` (its coordinator) or by a
coordinator's `role` — and a *default* when it is only what a newcomer starts as
(`settings newcomers member|observer`, member unless a coordinator changed it).

When `me link` joins two accounts into one member, `merged` decides the role:
a chosen role beats a default, and otherwise the more restricted of the two stays
(observer < member < coordinator), so a second account can never undo a role a
coordinator chose. The last coordinator of a collaborative stays one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from dialogs.commands.syntax import Command
from dialogs.core.language import N_, _
from dialogs.core.turn import Refusal, Turn, with_article
from storage.models import Collaborative, Member

POWER = {"observer": 0, "member": 1, "coordinator": 2}
NEWCOMER_ROLES = ("member", "observer")


@dataclass(frozen=True)
class Held:
    """The role one account had, and how the person calls that account."""

    role: str
    chosen: bool
    account: str  # "this account", "your other account" (N_: translated where said)


@dataclass(frozen=True)
class Merged:
    role: str
    chosen: bool
    why: str  # what to tell the person about their role; "" when both accounts had it


def merged(session: Session, collaborative: Collaborative, asked: Member, typed: Member) -> Merged:
    """The role of `asked` (whose account asked for the `me link` code) once `typed` (the
    account typing it) is joined to it."""
    others = session.exec(
        select(func.count())
        .select_from(Member)
        .where(
            Member.collaborative_id == collaborative.id,
            Member.role == "coordinator",
            col(Member.id).not_in([asked.id, typed.id]),
        )
    ).one()
    return merge_rule(
        Held(asked.role, asked.role_chosen, N_("your other account")),
        Held(typed.role, typed.role_chosen, N_("this account")),
        last_coordinator=others == 0,
        name=collaborative.name,
    )


def merge_rule(one: Held, other: Held, *, last_coordinator: bool, name: str) -> Merged:
    """A chosen role beats a default; else the more restricted stays; the collaborative's
    last coordinator stays a coordinator (`last_coordinator`: nobody else is one)."""
    chosen = one.chosen or other.chosen
    if one.role == other.role:
        return Merged(one.role, chosen, "")
    low, high = sorted((one, other), key=lambda held: POWER.get(held.role, 0))
    if one.chosen != other.chosen:
        kept, lost = (one, other) if one.chosen else (other, one)
        why = _(
            "{first_account} was made {kept_role} on purpose, and {lost_account} was "
            "{lost_role} only because newcomers start so: a role set on purpose isn't "
            "changed by joining accounts."
        )
    else:
        kept, lost = low, high
        why = (
            _(
                "Both accounts had roles set on purpose ({kept_account} {kept_role}, "
                "{lost_account} {lost_role}), so the more restricted one stays."
            )
            if chosen
            else _(
                "Both accounts had roles given to newcomers ({kept_account} {kept_role}, "
                "{lost_account} {lost_role}), so the more restricted one stays."
            )
        )
    if lost.role == "coordinator" and last_coordinator:
        return Merged(
            "coordinator",
            chosen,
            _(
                "You stay a coordinator: you are the only coordinator of {name}, and someone "
                "must stay one ({kept_account} was {kept_role})."
            ).format(name=name, **_roles(kept, lost)),
        )
    why = why.format(**_roles(kept, lost))
    if POWER.get(kept.role, 0) < POWER.get(lost.role, 0):
        why += " " + _("If you should be {role}, ask a coordinator to make you one.").format(
            role=with_article(lost.role)
        )
    return Merged(kept.role, chosen, why)


def _roles(kept: Held, lost: Held) -> dict[str, str]:
    """The placeholders of `merge_rule`'s sentences: each account, translated, and its role
    (`first_account`: the kept one, capitalised to begin a sentence)."""
    kept_account = _(kept.account)
    return {
        "first_account": kept_account[:1].upper() + kept_account[1:],
        "kept_account": kept_account,
        "kept_role": with_article(kept.role),
        "lost_account": _(lost.account),
        "lost_role": with_article(lost.role),
    }


def newcomers(turn: Turn, command: Command) -> None:
    """`settings newcomers [member|observer]`: the role people who join later start as."""
    collaborative, __ = turn.require_coordinator(N_("change what newcomers start as"))
    wanted = command.args.get("role")
    now = collaborative.newcomer_role
    if wanted is None:
        turn.say(
            _("Newcomers to {name} start as {roles}.").format(
                name=collaborative.name, roles=_plural(now)
            ),
            _("Change it with `settings newcomers {role}`.").format(role=_other(now)),
        )
        return
    if wanted not in NEWCOMER_ROLES:
        raise Refusal(
            _("Newcomers can start as members or observers, not as coordinators."),
            _("Make a person a coordinator with `role coordinator @person`."),
        )
    if wanted == now:
        turn.say(
            _("Newcomers to {name} already start as {roles}.").format(
                name=collaborative.name, roles=_plural(now)
            )
        )
        return
    collaborative.newcomer_role = wanted
    turn.audit(
        "settings",
        lambda: _("set newcomers to start as {roles} (was {old_roles})").format(
            roles=_plural(wanted), old_roles=_plural(now)
        ),
        newcomer_role=wanted,
    )
    turn.say(
        _("People who join {name} from now on start as {roles}.").format(
            name=collaborative.name, roles=_plural(wanted)
        ),
        _("Everyone already here keeps their role.")
        + " "
        + (
            _(
                "Observers see polls and results but do not vote; make one a member with "
                "`role member @person`."
            )
            if wanted == "observer"
            else _("Make someone an observer with `role observer @person`.")
        ),
    )


_PLURALS = {
    "member": N_("members"),
    "observer": N_("observers"),
    "coordinator": N_("coordinators"),
}


def _plural(role: str) -> str:
    """`role` as people starting so are called together: "members", "observers"."""
    return _(_PLURALS[role]) if role in _PLURALS else f"{role}s"


def _other(role: str) -> str:
    return "observer" if role == "member" else "member"
