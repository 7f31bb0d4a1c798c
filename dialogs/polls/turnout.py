"""Turnout by organisation on a poll's card: "Turnout: Riverside Trust 4 of 9 · …".

It follows the one small-group rule in `dialogs.collaborative.participation`. Who voted
is read from participation, never from ballots. In an anonymous poll a count under three,
none included, is "fewer than 3", as in its result's breakdown: the line then says no more
about who voted, or from where, than that breakdown and the per-organisation figures of
`poll results` already do. Observers are not expected to vote, so they are not counted.
"""

from __future__ import annotations

from sqlmodel import Session, select

from dialogs.collaborative.participation import turnout, turnout_line
from dialogs.core.cards import Context
from storage.models import Participation, Poll


def turnout_block(session: Session, poll: Poll) -> Context | None:
    """The poll card's turnout line (None in a collaborative with nobody who may vote)."""
    voters = select(Participation.member_id).where(Participation.poll_id == poll.id)
    groups = turnout(session, poll.collaborative_id, voters)
    line = turnout_line(groups, exact=not poll.settings.get("anonymous"))
    return Context(text=line) if line else None
