"""A review falling due: asked once in every linked channel, with the decision it is about.

The message shows the original decision (its question, outcome, figures and when it was
decided) and three buttons, Still right, Change it and Drop it; once a coordinator has
answered, it shows the answer instead (`outcomes`).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from sqlmodel import Session

from dialogs.commands.when import describe
from dialogs.core import audit, effects
from dialogs.core.actions import ReviewOutcome
from dialogs.core.cards import Actions, Button, Card, Context, Heading, Text
from dialogs.core.language import N_, _
from dialogs.core.messages import MessageKey, review_key
from dialogs.polls.confirm import poll_named
from dialogs.polls.render import balanced_decides, poll_outcome, result_blocks
from dialogs.polls.results import compute
from dialogs.polls.reviews.setting import OUTCOME_WORDS
from storage.models import Collaborative, Member, Poll, Review, Timer

ASKED = N_("Is this decision still right? A coordinator records the answer in the decision log.")


def _lapsed(poll: Poll | None) -> str:
    if poll:
        return _(
            "had nothing to review for poll #{number}: it was not decided by its review date"
        ).format(number=poll.number)
    return _("had nothing to review for the purpose round: it was not decided by its review date")


def review_due(session: Session, now: datetime, timer: Timer) -> None:
    """The review's timer: ask in every channel, or note that nothing was decided to review."""
    review = session.get(Review, timer.subject_id)
    if review is None or review.posted_at is not None or review.outcome is not None:
        return
    collaborative = session.get(Collaborative, review.collaborative_id)
    assert collaborative is not None
    poll = session.get(Poll, review.poll_id) if review.poll_id else None
    if poll is None or poll.status != "closed":
        review.outcome, review.decided_at = "lapsed", now
        audit.record(
            session,
            now,
            collaborative,
            None,
            "review.lapsed",
            partial(_lapsed, poll),
        )
        return
    review.posted_at = now
    audit.record(
        session,
        now,
        collaborative,
        None,
        "review.asked",
        lambda: _("asked every channel to review poll #{number}: {question}").format(
            number=poll.number, question=poll.question
        ),
        poll=poll.number,
    )
    card = partial(review_card, session, review, poll, collaborative)  # in the shared language
    effects.post_everywhere(session, now, collaborative, card, review_key(review))


def review_message(session: Session, key: MessageKey) -> Card | None:
    """The review's message as it stands now (the renderer of `review:<id>` keys)."""
    review = session.get(Review, key.ident)
    poll = session.get(Poll, review.poll_id) if review and review.poll_id else None
    if review is None or poll is None:
        return None
    collaborative = session.get(Collaborative, review.collaborative_id)
    assert collaborative is not None
    return review_card(session, review, poll, collaborative)


def review_card(session: Session, review: Review, poll: Poll, collaborative: Collaborative) -> Card:
    result = compute(session, poll)
    decided = describe(poll.closed_at, collaborative.timezone) if poll.closed_at else _("earlier")
    heading = _("Review of poll #{number}: still right?").format(number=poll.number)
    blocks: list[Any] = [
        Heading(text=heading),
        Text(text=poll.question),
        *result_blocks(result, session, poll),
    ]
    if not (balanced_decides(result, poll) and result["voters"]):  # else said in the blocks
        blocks.append(Text(text=poll_outcome(result, poll, final=True)))
    blocks.append(
        Context(
            text=_("Decided {when} · {count} voted · review date reached").format(
                when=decided, count=result["voters"]
            )
        )
    )
    if review.outcome is None:
        blocks += [Text(text=_(ASKED)), _buttons(review, poll)]
    else:
        blocks.append(Text(text=recorded(session, review, collaborative)))
    return Card(blocks=blocks, fallback=f"{heading} {poll.question}")


def recorded(session: Session, review: Review, collaborative: Collaborative) -> str:
    """What was answered, by whom and when: "Answer: Still right (Asha Patel, …)"."""
    member = session.get(Member, review.decided_by) if review.decided_by else None
    when = describe(review.decided_at, collaborative.timezone) if review.decided_at else ""
    answer = _(OUTCOME_WORDS[review.outcome or "lapsed"])
    if member:
        return _("Answer: {answer} ({name}, {when}).").format(
            answer=answer, name=member.display_name, when=when
        )
    return _("Answer: {answer} ({when}).").format(answer=answer, when=when)


def _buttons(review: Review, poll: Poll) -> Actions:
    assert review.id is not None
    return Actions(
        elements=[
            Button(
                label=_(OUTCOME_WORDS[outcome]),
                action=ReviewOutcome(review.id, outcome).encode(),
                style=style,
                spoken=_("{answer}: the decision of {poll}").format(
                    answer=_(OUTCOME_WORDS[outcome]), poll=poll_named(poll)
                ),
            )
            for outcome, style in (
                ("kept", "primary"),
                ("changed", "default"),
                ("dropped", "danger"),
            )
        ]
    )
