"""Which collaborative a button or form belongs to, when it is used outside its channels.

Private messages carry buttons and forms too: a nudge's Propose, the
coordinators' group editor, a form Teams opens in the person's 1:1 chat with
Concord. Those come from a place no collaborative is linked to, so the engine
finds the collaborative from what the action names instead, and then only for
someone already its member. Buttons of channel messages (votes, answers) are
not scoped this way: they count only from a linked channel.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlmodel import Session

from storage.models import CheckinRun, CheckinSchedule, Poll, ProposalGroup, PurposeRound

_N = r"(\d{1,12})"


def _poll(session: Session, ident: int) -> int | None:
    poll = session.get(Poll, ident)
    return poll.collaborative_id if poll else None


def _run(session: Session, ident: int) -> int | None:
    run = session.get(CheckinRun, ident)
    return _schedule(session, run.schedule_id) if run else None


def _schedule(session: Session, ident: int) -> int | None:
    schedule = session.get(CheckinSchedule, ident)
    return schedule.collaborative_id if schedule else None


def _round(session: Session, ident: int) -> int | None:
    purpose_round = session.get(PurposeRound, ident)
    return purpose_round.collaborative_id if purpose_round else None


def _group(session: Session, ident: int) -> int | None:
    group = session.get(ProposalGroup, ident)
    return _round(session, group.round_id) if group else None


_SUBJECTS: list[tuple[re.Pattern[str], Callable[[Session, int], int | None]]] = [
    (re.compile(rf"(?:form|submit):(?:consent|ballot|option):{_N}(?::.*)?"), _poll),
    (re.compile(rf"(?:form|submit):checkin-answer:{_N}"), _run),
    (re.compile(rf"(?:form|submit):checkin:{_N}"), _schedule),
    (re.compile(rf"(?:form|submit):(?:proposal|proposals|prompts|revision):{_N}"), _round),
    (re.compile(rf"edit-groups:{_N}"), _round),
    (re.compile(rf"(?:form|submit):group:{_N}|merge:{_N}:\d{{1,12}}"), _group),
]


def collaborative_of(session: Session, action: str) -> int | None:
    """The id of the collaborative whose poll, check-in or round `action` names, if any."""
    for pattern, resolve in _SUBJECTS:
        if match := pattern.fullmatch(action):
            ident = next(g for g in match.groups() if g is not None)
            return resolve(session, int(ident))
    return None
