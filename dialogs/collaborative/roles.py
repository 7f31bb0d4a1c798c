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
from dialogs.core.turn import Refusal, Turn, with_article
from storage.models import Collaborative, Member

POWER = {"observer": 0, "member": 1, "coordinator": 2}
NEWCOMER_ROLES = ("member", "observer")


@dataclass(frozen=True)
class Held:
    """The role one account had, and how the person calls that account."""

    role: str
    chosen: bool
    account: str  # "this account", "your other account"


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
        Held(asked.role, asked.role_chosen, "your other account"),
        Held(typed.role, typed.role_chosen, "this account"),
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
        why = (
            f"{_capital(kept.account)} was made {with_article(kept.role)} on purpose, and "
            f"{lost.account} was {with_article(lost.role)} only because newcomers start so: "
            "a role set on purpose isn't changed by joining accounts."
        )
    else:
        kept, lost = low, high
        how = "set on purpose" if chosen else "given to newcomers"
        why = (
            f"Both accounts had roles {how} ({kept.account} {with_article(kept.role)}, "
            f"{lost.account} {with_article(lost.role)}), so the more restricted one stays."
        )
    if lost.role == "coordinator" and last_coordinator:
        return Merged(
            "coordinator",
            chosen,
            f"You stay a coordinator: you are the only coordinator of {name}, and someone "
            f"must stay one ({kept.account} was {with_article(kept.role)}).",
        )
    if POWER.get(kept.role, 0) < POWER.get(lost.role, 0):
        why += f" If you should be {with_article(lost.role)}, ask a coordinator to make you one."
    return Merged(kept.role, chosen, why)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def newcomers(turn: Turn, command: Command) -> None:
    """`settings newcomers [member|observer]`: the role people who join later start as."""
    collaborative, _ = turn.require_coordinator("change what newcomers start as")
    wanted = command.args.get("role")
    now = collaborative.newcomer_role
    if wanted is None:
        turn.say(
            f"Newcomers to {collaborative.name} start as {now}s.",
            f"Change it with `settings newcomers {_other(now)}`.",
        )
        return
    if wanted not in NEWCOMER_ROLES:
        raise Refusal(
            "Newcomers can start as members or observers, not as coordinators.",
            "Make a person a coordinator with `role coordinator @person`.",
        )
    if wanted == now:
        turn.say(f"Newcomers to {collaborative.name} already start as {now}s.")
        return
    collaborative.newcomer_role = wanted
    turn.audit(
        "settings",
        f"set newcomers to start as {wanted}s (was {now}s)",
        newcomer_role=wanted,
    )
    turn.say(
        f"People who join {collaborative.name} from now on start as {wanted}s.",
        "Everyone already here keeps their role. "
        + (
            "Observers see polls and results but do not vote; make one a member with "
            "`role member @person`."
            if wanted == "observer"
            else "Make someone an observer with `role observer @person`."
        ),
    )


def _other(role: str) -> str:
    return "observer" if role == "member" else "member"
