"""One turn of the conversation: everything a handler needs, inside one transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from dialogs.core import audit, effects
from dialogs.core.cards import (
    ActorModel,
    Block,
    Card,
    Context,
    Effect,
    Heading,
    Notify,
    PlaceModel,
    Text,
)
from dialogs.core.events import Actor, Place
from dialogs.core.language import N_, _, current
from dialogs.core.ports import DEFAULT_LIMITS, Limits
from storage.models import Channel, Collaborative, Member


class Problem(Exception):
    """What went wrong, said to the person who acted, and what to do instead.

    The engine answers every `Problem` the same way: privately, with `refusal_card`.
    """

    def __init__(self, problem: str, hint: str | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint


class Refusal(Problem):
    """The request can't be done. Raising it rolls the whole turn back."""


@dataclass
class Turn:
    session: Session
    now: datetime
    actor: Actor
    place: Place
    channel: Channel | None = None
    collaborative: Collaborative | None = None
    member: Member | None = None
    replies: list[Effect] = field(default_factory=list)
    votes: int = 0  # ballots this turn records; counted (for /metrics) once it commits
    limits: Limits = DEFAULT_LIMITS  # what a person may ask of Concord

    def in_collaborative(self) -> tuple[Collaborative, Member]:
        """The collaborative of this channel and the acting member, or a refusal."""
        if self.collaborative is None or self.member is None:
            raise Refusal(
                _("This channel isn't part of a collaborative yet."),
                _(
                    'Type `setup "Collaborative name"` to start one here, or `link CODE` '
                    "with a code from a coordinator to join one."
                ),
            )
        return self.collaborative, self.member

    def require_coordinator(self, doing: str) -> tuple[Collaborative, Member]:
        """The collaborative and the acting member, if a coordinator, or a refusal saying
        who may do it: `doing` is what was asked ("start a poll"), marked with `N_()`."""
        collaborative, member = self.in_collaborative()
        if member.role != "coordinator":
            raise Refusal(
                _("Only a coordinator can {doing}; you are {role} of {collaborative}.").format(
                    doing=_(doing), role=with_article(member.role), collaborative=collaborative.name
                ),
                _("Ask a coordinator to do it (type `org list` to see who they are)."),
            )
        return collaborative, member

    def reply(self, card: Card) -> None:
        self.replies.append(
            Notify(actor=ActorModel.of(self.actor), place=PlaceModel.of(self.place), card=card)
        )

    def say(self, heading: str, *lines: str) -> None:
        self.reply(said(heading, *lines))

    def post_everywhere(self, card: effects.CardFor, key: str | None = None) -> int:
        """Post `card` to every channel of this collaborative (through the outbox)."""
        collaborative, __ = self.in_collaborative()
        return effects.post_everywhere(self.session, self.now, collaborative, card, key)

    def audit(self, action: str, summary: audit.Wording, **detail: Any) -> None:
        """A decision-log entry by the acting member, in the collaborative's language."""
        collaborative, member = self.in_collaborative()
        audit.record(self.session, self.now, collaborative, member, action, summary, **detail)


# A form's two handlers: the button that opens it (with the id it names), and its submission.
FormRoute = tuple[Callable[[Turn, int], None], Callable[[Turn, int, dict], None]]


def said(heading: str, *lines: str) -> Card:
    """A short private answer: a heading and a line or two."""
    blocks: list[Block] = [Heading(text=heading), *(Text(text=line) for line in lines if line)]
    return Card(blocks=blocks, fallback=heading)


def refusal_card(problem: str, hint: str | None) -> Card:
    blocks: list[Any] = [Text(text=problem, tone="warning")]
    if hint:
        blocks.append(Context(text=hint))
    return Card(blocks=blocks, fallback=problem)


def stale_button() -> Refusal:
    """The refusal for a button whose action names nothing that can be done now."""
    return Refusal(
        _("That button doesn't do anything any more."), _("Type `help` to see what you can do.")
    )


def private_refusal(actor: Actor, place: Place, problem: Problem, echo: str | None) -> Notify:
    """`problem` said to the person alone, with what they typed (shortened) beneath it, in
    the language of the work in hand (marked, so a renderer's own words follow it)."""
    card = refusal_card(problem.problem, problem.hint).model_copy(update={"language": current()})
    if echo:
        shown = echo if len(echo) <= 300 else echo[:299] + "…"
        card = card.model_copy(
            update={
                "blocks": [*card.blocks, Context(text=_("You typed: {text}").format(text=shown))]
            }
        )
    return Notify(actor=ActorModel.of(actor), place=PlaceModel.of(place), card=card)


# Each role with its article, as said after "you are" or "is now" (in Welsh, after "yn").
_WITH_ARTICLE = {
    "coordinator": N_("a coordinator"),
    "member": N_("a member"),
    "observer": N_("an observer"),
}


def with_article(role: str) -> str:
    """The role with its article: "a coordinator", "a member", "an observer"."""
    if role in _WITH_ARTICLE:
        return _(_WITH_ARTICLE[role])
    return f"{'an' if role[:1] in 'aeiou' else 'a'} {role}"
