"""What forgetting a person does to polls (`reactions.PersonForgotten`).

Results already announced do not change: a closed poll keeps the person's ballot, counted,
its member an unnamed former member, and the words of an objection are replaced (a
consent tally needs an objection to give a reason, so they are never emptied). In an
open poll their vote is taken back and the poll's message redrawn with the new count, as
if they had never voted. An anonymous ballot was never linked to anyone: it stays.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col, select

from dialogs.core import effects
from dialogs.core.messages import poll_key
from dialogs.core.reactions import PersonForgotten
from storage.forget import MARKER
from storage.models import Ballot, Participation, Poll


def person_forgotten(session: Session, event: PersonForgotten) -> None:
    ids = event.member_ids
    rows = session.exec(
        select(Ballot, Poll)
        .join(Poll, col(Poll.id) == col(Ballot.poll_id))
        .where(col(Ballot.member_id).in_(ids), Poll.collaborative_id == event.collaborative.id)
    ).all()
    taken_back: dict[int, Poll] = {}
    for ballot, poll in rows:
        if poll.status == "open" and not poll.settings.get("anonymous"):
            taken_back[poll.id or 0] = poll
        elif poll.type == "consent" and (reasons := _forget_reasons(ballot)):
            event.quoted.setdefault(poll.number, set()).update(reasons)
    if not taken_back:
        return
    polls = list(taken_back)
    session.execute(
        delete(Ballot).where(col(Ballot.member_id).in_(ids), col(Ballot.poll_id).in_(polls))
    )
    session.execute(
        delete(Participation).where(
            col(Participation.member_id).in_(ids), col(Participation.poll_id).in_(polls)
        )
    )
    for poll in sorted(taken_back.values(), key=lambda p: p.number):
        effects.update_everywhere(session, event.now, event.collaborative, poll_key(poll))
        event.recounted.append(poll.number)


def _forget_reasons(ballot: Ballot) -> list[str]:
    """Replace the words of a consent ballot (`[stance, harm, resolve]`); the words as they were."""
    stance, *reasons = ballot.choices
    said = [reason for reason in reasons if reason]
    if said:
        ballot.choices = [stance, *(MARKER if reason else "" for reason in reasons)]
    return said
