"""How much one person or one collaborative may ask of Concord, in one home.

Every limit is counted from rows already stored (codes, polls), at the turn's
time, so every process agrees and nothing has to be remembered in memory. A
request over a limit is refused with what the limit is and when to try again,
one INFO log line, and nothing changed. Pacing deliveries to the platforms is
another matter (`bot.ratelimit`). The values are `dialogs.core.ports.Limits`, set by
the operator.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import col, select

from dialogs.core.language import _, ngettext
from dialogs.core.turn import Refusal, Turn
from storage.models import Collaborative, LinkCode, Member, Poll
from storage.numbering import lock_collaborative

log = logging.getLogger(__name__)

HOUR = timedelta(hours=1)


def check_new_code(turn: Turn, member: Member, command: str) -> None:
    """Refuse a new code while the person already holds as many usable ones as allowed
    (counted under their collaborative's lock, like polls)."""
    lock_collaborative(turn.session, member.collaborative_id)
    cap = turn.limits.codes_outstanding
    expiries = turn.session.exec(
        select(LinkCode.expires_at)
        .where(
            LinkCode.created_by == member.id,
            col(LinkCode.used_at).is_(None),
            LinkCode.expires_at > turn.now,
        )
        .order_by(col(LinkCode.expires_at))
    ).all()
    _refuse_beyond(
        turn,
        "codes",
        cap,
        expiries,
        _(
            "You already have {count} unused codes, and that is the most anyone can hold at once."
        ).format(count=cap),
        lambda minutes: ngettext(
            "Use one of them (codes last 15 minutes), or type `{command}` again in {count} minute.",
            "Use one of them (codes last 15 minutes), or type `{command}` again in {count} "
            "minutes.",
            minutes,
        ).format(command=command, count=minutes),
    )


def check_new_poll(turn: Turn, collaborative: Collaborative, member: Member) -> None:
    """Refuse a poll beyond the coordinator's, or the collaborative's, polls this hour.

    Counted under the collaborative's lock, so polls started at the same moment can't all
    see room for one more."""
    assert collaborative.id is not None
    lock_collaborative(turn.session, collaborative.id)
    limits = turn.limits
    mine = _poll_times(turn, col(Poll.created_by) == member.id)
    _refuse_beyond(
        turn,
        "polls per coordinator",  # i18n: not for readers
        limits.polls_per_coordinator_hour,
        mine,
        _(
            "You have started {count} polls in the last hour: "
            "the limit is {limit} an hour for each coordinator."
        ).format(count=len(mine), limit=limits.polls_per_coordinator_hour),
        _start_this_one,
    )
    everyone = _poll_times(turn, col(Poll.collaborative_id) == collaborative.id)
    _refuse_beyond(
        turn,
        "polls per collaborative",  # i18n: not for readers
        limits.polls_per_collaborative_hour,
        everyone,
        _(
            "{collaborative} has started {count} polls in the last hour: "
            "the limit is {limit} an hour for a collaborative."
        ).format(
            collaborative=collaborative.name,
            count=len(everyone),
            limit=limits.polls_per_collaborative_hour,
        ),
        _start_this_one,
    )


def _start_this_one(minutes: int) -> str:
    return ngettext(
        "Start this one in {count} minute.", "Start this one in {count} minutes.", minutes
    ).format(count=minutes)


def _poll_times(turn: Turn, whose: ColumnElement[bool]) -> Sequence[datetime]:
    """When each poll started in the last hour stops counting, soonest first."""
    started = turn.session.exec(
        select(Poll.created_at)
        .where(whose, col(Poll.created_at) > turn.now - HOUR)
        .order_by(col(Poll.created_at))
    ).all()
    return [at + HOUR for at in started]


def _refuse_beyond(
    turn: Turn,
    limit: str,
    cap: int,
    frees: Sequence[datetime],
    problem: str,
    retry: Callable[[int], str],
) -> None:
    """Refuse when `cap` or more things count, each until its time in `frees` (soonest
    first): the request may be made again once one fewer than `cap` is left, which `retry`
    says, given the minutes until then."""
    if len(frees) < cap:
        return
    minutes = max(1, math.ceil((frees[len(frees) - cap] - turn.now) / timedelta(minutes=1)))
    log.info(
        "limit reached",
        extra={"limit": limit, "cap": cap, "platform": turn.actor.platform, "minutes": minutes},
    )
    raise Refusal(problem, retry(minutes))
