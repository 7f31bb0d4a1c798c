"""A review answered, and the reviews listed with the collaborative's promises-kept figure.

A coordinator answers for the partnership (after whatever conversation it needs); anyone
else's click is refused. The first answer is recorded by one conditional update, so of
two clicks at once exactly one counts; later clicks are told what was recorded.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col, select

from dialogs.commands.syntax import Command
from dialogs.commands.when import describe
from dialogs.core import effects
from dialogs.core.cards import Card, Context, Heading, Text
from dialogs.core.messages import review_key
from dialogs.core.turn import Refusal, Turn, stale_button
from dialogs.polls.reviews.asking import recorded
from dialogs.polls.reviews.setting import OUTCOME_WORDS
from storage.models import Collaborative, Poll, PurposeRound, Review

# What each answer means, said to the coordinator who gave it.
NEXT = {
    "kept": "The decision stands as it is.",
    "changed": "Start a poll to agree the change.",
    "dropped": "The decision no longer stands.",
}
# The decision log's headline for each answer.
_LOGGED = {
    "kept": "confirmed at review poll #{n}: {q}",
    "changed": "decided at review to change poll #{n}: {q}",
    "dropped": "dropped at review poll #{n}: {q}",
}
REVIEWED = ("kept", "changed", "dropped")


def answer(turn: Turn, review_id: int, outcome: str) -> None:
    """A review's Still right, Change it or Drop it button."""
    collaborative, _ = turn.in_collaborative()
    review = turn.session.get(Review, review_id)
    poll = turn.session.get(Poll, review.poll_id) if review and review.poll_id else None
    if review is None or poll is None or review.collaborative_id != collaborative.id:
        raise stale_button()
    if review.outcome is not None:
        raise _already(turn, review, collaborative)
    _, member = turn.require_coordinator("answer a review")
    answering = turn.session.execute(
        update(Review)
        .where(col(Review.id) == review.id, col(Review.outcome).is_(None))
        .values(outcome=outcome, decided_by=member.id, decided_at=turn.now)
    )
    if answering.rowcount != 1:  # type: ignore[attr-defined]
        turn.session.refresh(review)
        raise _already(turn, review, collaborative)
    review.outcome, review.decided_by, review.decided_at = outcome, member.id, turn.now
    decided = describe(poll.closed_at, collaborative.timezone) if poll.closed_at else "earlier"
    turn.audit(
        "review",
        _LOGGED[outcome].format(n=poll.number, q=poll.question),
        details=f"{OUTCOME_WORDS[outcome]}. Decided {decided}; review due "
        f"{describe(review.due_at, collaborative.timezone)}.",
        poll=poll.number,
        outcome=outcome,
    )
    effects.update_everywhere(turn.session, turn.now, collaborative, review_key(review))
    turn.say(f"Recorded: {OUTCOME_WORDS[outcome]}", NEXT[outcome])


def _already(turn: Turn, review: Review, collaborative: Collaborative) -> Refusal:
    return Refusal(
        "This review has already been answered. " + recorded(turn.session, review, collaborative),
        "Type `decisions reviews` to see every review.",
    )


def list_reviews(turn: Turn, command: Command) -> None:
    """`decisions reviews`: what is due and when, what was answered, and promises kept."""
    collaborative, _ = turn.in_collaborative()
    reviews = list(
        turn.session.exec(
            select(Review)
            .where(Review.collaborative_id == collaborative.id)
            .order_by(col(Review.due_at), col(Review.id))
        ).all()
    )
    lines = [_line(turn, review, collaborative) for review in reviews]
    title = f"Reviews in {collaborative.name}"
    blocks: list[Text | Context | Heading] = [
        Heading(text=title),
        *(Text(text=line) for line in lines),
    ]
    if not reviews:
        blocks.append(Text(text="No review dates set yet."))
    blocks += [
        Text(text=promises_kept([r.outcome for r in reviews])),
        Context(
            text=f"Times in {collaborative.timezone}. A coordinator sets a review with "
            "`decisions review ID --in 6 months`, or `--review` when starting a poll."
        ),
    ]
    turn.reply(Card(blocks=blocks, fallback=title))


def _line(turn: Turn, review: Review, collaborative: Collaborative) -> str:
    poll = turn.session.get(Poll, review.poll_id) if review.poll_id else None
    if poll is not None:
        what = f"Poll #{poll.number} “{poll.question}”"
    else:
        purpose_round = turn.session.get(PurposeRound, review.round_id)
        what = f"The purpose from round #{purpose_round.number if purpose_round else '?'}"
    due = describe(review.due_at, collaborative.timezone)
    if review.outcome == "lapsed":
        return f"{what} · its review date {due} came with nothing decided to review"
    if review.outcome is None:
        state = "asked, awaiting an answer" if review.posted_at else "due"
        return f"{what} · review {state} {due}"
    return f"{what} · reviewed {due}: {recorded(turn.session, review, collaborative)}"


def promises_kept(outcomes: list[str | None]) -> str:
    """ "Promises kept: 3 of 4 decisions reviewed were confirmed (75 %).", or that none
    has been reviewed yet (never a percentage of nothing)."""
    reviewed = sum(outcome in REVIEWED for outcome in outcomes)
    if not reviewed:
        return "Promises kept: no decision has been reviewed yet."
    kept = outcomes.count("kept")
    were = "decision reviewed was" if reviewed == 1 else "decisions reviewed were"
    return (
        f"Promises kept: {kept} of {reviewed} {were} confirmed ({round(100 * kept / reviewed)} %)."
    )
