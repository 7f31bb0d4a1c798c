"""Reactions: one feature says what happened; another, which it must not know, reacts.

Polls sit below purpose rounds, yet a round moves on when its poll closes. Rather
than polls calling into purpose rounds, `polls.lifecycle` announces `PollClosed` and
the engine's `REACTIONS` table (dialogs/engine.py) says who reacts. A reaction runs
at once, in the announcer's transaction, exactly where the direct call used to be:
the round moves on if and only if the close is committed, and what follows the
announcement sees the round already moved. The table is installed on each unit of
work's session by whoever starts it (the engine for a turn, the ticker for a timer).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from storage.models import Collaborative, Poll

Reaction = Callable[[Session, Any], None]
Reactions = Mapping[type, Sequence[Reaction]]
_INSTALLED = "concord.reactions"


@dataclass(frozen=True)
class PollClosed:
    """A poll has just closed (its deadline, `poll close`, or a purpose round moving on)."""

    poll: Poll
    collaborative: Collaborative
    now: datetime


@dataclass(frozen=True)
class PersonForgotten:
    """A person's members of `collaborative` are being forgotten (`me forget`, `member
    remove --forget`). A reaction clears what its feature holds of them; it adds any words
    it replaced that a poll's announced result quotes to `quoted` (by poll number), so the
    decision log's copy of that result is rewritten to match, and the number of each open
    poll whose count changed to `recounted`."""

    member_ids: frozenset[int]
    collaborative: Collaborative
    now: datetime
    quoted: dict[int, set[str]] = field(default_factory=dict)
    recounted: list[int] = field(default_factory=list)


def install(session: Session, reactions: Reactions) -> None:
    """Make `reactions` answer what is announced in this session's unit of work."""
    session.info[_INSTALLED] = reactions


def announce(session: Session, event: object) -> None:
    """Run every reaction to `event`, now, in this transaction."""
    for react in session.info.get(_INSTALLED, {}).get(type(event), ()):
        react(session, event)
