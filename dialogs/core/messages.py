"""Message keys: the names under which a channel message is kept current.

A poll, a check-in run and a purpose round each post a message in every linked
channel and update it in place as people vote, answer or propose. The outbox keeps
each posted copy under a key, and the dispatcher asks the engine to re-render a key
from the latest state. Keys are stored with posted messages, so their spelling is
a contract with the database: `poll:7`, `checkin:12`, `purpose:3`, `review:4`, and the round's
second and third messages `purpose:3:groups` and `purpose:3:adopted`. They are
built and read here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storage.models import CheckinRun, Poll, PurposeRound, Review

Kind = Literal["poll", "checkin", "purpose", "review"]
KINDS: tuple[Kind, ...] = ("poll", "checkin", "purpose", "review")
RoundPart = Literal["", "groups", "adopted"]
ROUND_PARTS: tuple[RoundPart, ...] = ("", "groups", "adopted")


@dataclass(frozen=True)
class MessageKey:
    """A parsed key: what kind of message, whose id, and which of a round's messages."""

    kind: Kind
    ident: int
    part: RoundPart = ""

    def __str__(self) -> str:
        return f"{self.kind}:{self.ident}" + (f":{self.part}" if self.part else "")


def poll_key(poll: Poll) -> str:
    """The key of a poll's message."""
    return str(MessageKey("poll", _ident(poll.id)))


def checkin_key(run: CheckinRun) -> str:
    """The key of a check-in run's message."""
    return str(MessageKey("checkin", _ident(run.id)))


def round_key(purpose_round: PurposeRound, part: RoundPart = "") -> str:
    """The key of a purpose round's own message (updated at every stage), or of its
    themes (`groups`) or adopted-purpose (`adopted`) message."""
    return str(MessageKey("purpose", _ident(purpose_round.id), part))


def review_key(review: Review) -> str:
    """The key of a review's message (its buttons give way to the outcome once recorded)."""
    return str(MessageKey("review", _ident(review.id)))


def parse_key(key: str) -> MessageKey | None:
    """The key `key` spells, or None for anything that is not one of ours."""
    kind, _, rest = key.partition(":")
    ident, _, part = rest.partition(":")
    if kind not in KINDS or not ident.isdigit() or not ident.isascii():
        return None
    if part not in ROUND_PARTS or (part and kind != "purpose"):
        return None
    return MessageKey(kind, int(ident), part)


def _ident(ident: int | None) -> int:
    if ident is None:
        raise ValueError("a message key needs a stored row (flush it first)")
    return ident
