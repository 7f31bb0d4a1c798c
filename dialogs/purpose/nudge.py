"""One gentle nudge, halfway through gathering, to the quieter organisations.

An organisation whose members have proposed at less than half the rate of the
collaborative as a whole is under-represented; its members who haven't proposed
(and haven't muted reminders) get one private note with a Propose button. The
timer fires once per round, so nobody is nudged twice. A nudge hours late is
noise, so a missed one is dropped (see `dialogs.ticker`).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from sqlmodel import Session, select

from dialogs.commands.when import moment
from dialogs.core import effects
from dialogs.core.actions import Mute
from dialogs.core.cards import Actions, Button, Card, Context, Text
from dialogs.purpose import rounds
from dialogs.purpose.cards import propose_button
from storage.models import Collaborative, Member, Organisation, PurposeRound


def nudge_due(session: Session, now: datetime, timer: Any) -> None:
    """Halfway through gathering: one gentle nudge to members of organisations that have
    proposed far less than the rest and who haven't proposed themselves."""
    purpose_round = session.get(PurposeRound, timer.subject_id)
    if purpose_round is None or purpose_round.stage != rounds.GATHERING:
        return
    collaborative = session.get(Collaborative, purpose_round.collaborative_id)
    assert collaborative is not None
    members = session.exec(
        select(Member).where(
            Member.collaborative_id == collaborative.id,
            Member.role != "observer",
            Member.organisation_id.is_not(None),  # type: ignore[union-attr]
        )
    ).all()
    proposed = {p.member_id for p in rounds.proposals_of(session, purpose_round)}
    by_org: dict[int, list[Member]] = {}
    for member in members:
        by_org.setdefault(member.organisation_id or 0, []).append(member)
    overall = sum(m.id in proposed for m in members) / len(members) if members else 0
    if not overall:
        return  # nobody has proposed yet: no organisation is behind the others
    names = {
        o.id: o.name
        for o in session.exec(
            select(Organisation).where(Organisation.collaborative_id == collaborative.id)
        ).all()
    }
    nudged = 0
    for org_id, people in by_org.items():
        if sum(m.id in proposed for m in people) / len(people) >= overall / 2:
            continue
        card = partial(_nudge_card, purpose_round, collaborative, names[org_id])
        for member in people:
            if member.id in proposed or member.reminders_muted:
                continue
            if (actor := effects.actor_of(session, member)) is not None:
                effects.notify(session, now, collaborative, actor, card)
                nudged += 1
    history = dict(purpose_round.history)
    history[rounds.GATHERING] = {**history.get(rounds.GATHERING, {}), "nudged": nudged}
    purpose_round.history = history


def _nudge_card(
    purpose_round: PurposeRound, collaborative: Collaborative, organisation: str
) -> Card:
    until = (
        f" until {moment(purpose_round.stage_ends_at, collaborative.timezone)}"
        if purpose_round.stage_ends_at
        else ""
    )
    return Card(
        blocks=[
            Text(
                text=f"{collaborative.name} is gathering proposals for its shared purpose{until}. "
                f"Few have come from {organisation} so far, and the purpose should speak for "
                "every partner: would you add yours?"
            ),
            Context(text="This is the only nudge you'll get for this round."),
            Actions(
                elements=[
                    propose_button(purpose_round),
                    Button(
                        label="Stop reminding me",
                        action=Mute(collaborative.id).encode(),
                        spoken=f"Stop reminding me: all reminders from {collaborative.name}",
                    ),
                ]
            ),
        ],
        fallback=f"Would you add a proposal to {collaborative.name}'s shared purpose?",
    )
