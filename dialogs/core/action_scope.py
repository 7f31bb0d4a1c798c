"""Which collaborative an action belongs to, found from what it names.

A button in a private place (a reminder, a form in someone's 1:1 chat with Concord)
comes from where no collaborative is linked, so the engine finds the collaborative
from the poll, check-in, round, theme or draft the action names (`Action.subject`), or
the collaborative itself (the new-poll form).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from dialogs.core.actions import Action, Subject
from storage.models import (
    CheckinRun,
    CheckinSchedule,
    Collaborative,
    Deputy,
    Poll,
    PollDraft,
    ProposalGroup,
    PurposeRound,
)


def collaborative_of(session: Session, action: Action) -> int | None:
    """The id of the collaborative whose poll, check-in or round `action` names, if any."""
    resolve = _RESOLVERS.get(action.subject)
    return resolve(session, action.subject_id) if resolve else None


def _collaborative(session: Session, ident: int) -> int | None:
    return ident if session.get(Collaborative, ident) else None


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


def _draft(session: Session, ident: int) -> int | None:
    draft = session.get(PollDraft, ident)
    return draft.collaborative_id if draft else None


def _deputy(session: Session, ident: int) -> int | None:
    deputy = session.get(Deputy, ident)
    return deputy.collaborative_id if deputy else None


_RESOLVERS: dict[Subject, Callable[[Session, int], int | None]] = {
    Subject.POLL: _poll,
    Subject.RUN: _run,
    Subject.SCHEDULE: _schedule,
    Subject.ROUND: _round,
    Subject.GROUP: _group,
    Subject.DRAFT: _draft,
    Subject.COLLABORATIVE: _collaborative,
    Subject.DEPUTY: _deputy,
}
