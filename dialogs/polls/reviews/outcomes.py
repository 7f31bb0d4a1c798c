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
from dialogs.core.language import N_, _, ngettext
from dialogs.core.messages import review_key
from dialogs.core.turn import Refusal, Turn, stale_button
from dialogs.polls.reviews.asking import recorded
from dialogs.polls.reviews.setting import OUTCOME_WORDS
from storage.models import Collaborative, Poll, PurposeRound, Review

# What each answer means, said to the coordinator who gave it.
NEXT = {
    "kept": N_("The decision stands as it is."),
    "changed": N_("Start a poll to agree the change."),
    "dropped": N_("The decision no longer stands."),
}
# The decision log's headline for each answer.
_LOGGED = {
    "kept": N_("confirmed at review poll #{number}: {question}"),
    "changed": N_("decided at review to change poll #{number}: {question}"),
    "dropped": N_("dropped at review poll #{number}: {question}"),
}
REVIEWED = ("kept", "changed", "dropped")


def answer(turn: Turn, review_id: int, outcome: str) -> None:
    """A review's Still right, Change it or Drop it button."""
    collaborative, unused = turn.in_collaborative()
    review = turn.session.get(Review, review_id)
    poll = turn.session.get(Poll, review.poll_id) if review and review.poll_id else None
    if review is None or poll is None or review.collaborative_id != collaborative.id:
        raise stale_button()
    if review.outcome is not None:
        raise _already(turn, review, collaborative)
    unused, member = turn.require_coordinator(N_("answer a review"))
    answering = turn.session.execute(
        update(Review)
        .where(col(Review.id) == review.id, col(Review.outcome).is_(None))
        .values(outcome=outcome, decided_by=member.id, decided_at=turn.now)
    )
    if answering.rowcount != 1:  # type: ignore[attr-defined]
        turn.session.refresh(review)
        raise _already(turn, review, collaborative)
    review.outcome, review.decided_by, review.decided_at = outcome, member.id, turn.now
    closed_at = poll.closed_at
    turn.audit(
        "review",
        lambda: _(_LOGGED[outcome]).format(number=poll.number, question=poll.question),
        details=lambda: _("{answer}. Decided {when}; review due {due}.").format(
            answer=_(OUTCOME_WORDS[outcome]),
            when=describe(closed_at, collaborative.timezone) if closed_at else _("earlier"),
            due=describe(review.due_at, collaborative.timezone),
        ),
        poll=poll.number,
        outcome=outcome,
    )
    effects.update_everywhere(turn.session, turn.now, collaborative, review_key(review))
    turn.say(_("Recorded: {answer}").format(answer=_(OUTCOME_WORDS[outcome])), _(NEXT[outcome]))


def _already(turn: Turn, review: Review, collaborative: Collaborative) -> Refusal:
    return Refusal(
        _("This review has already been answered. {answer}").format(
            answer=recorded(turn.session, review, collaborative)
        ),
        _("Type `decisions reviews` to see every review."),
    )


def list_reviews(turn: Turn, command: Command) -> None:
    """`decisions reviews`: what is due and when, what was answered, and promises kept."""
    collaborative, unused = turn.in_collaborative()
    reviews = list(
        turn.session.exec(
            select(Review)
            .where(Review.collaborative_id == collaborative.id)
            .order_by(col(Review.due_at), col(Review.id))
        ).all()
    )
    lines = [_line(turn, review, collaborative) for review in reviews]
    title = _("Reviews in {collaborative}").format(collaborative=collaborative.name)
    blocks: list[Text | Context | Heading] = [
        Heading(text=title),
        *(Text(text=line) for line in lines),
    ]
    if not reviews:
        blocks.append(Text(text=_("No review dates set yet.")))
    blocks += [
        Text(text=promises_kept([r.outcome for r in reviews])),
        Context(
            text=_(
                "Times in {zone}. A coordinator sets a review with "
                "`decisions review ID --in 6 months`, or `--review` when starting a poll."
            ).format(zone=collaborative.timezone)
        ),
    ]
    turn.reply(Card(blocks=blocks, fallback=title))


def _line(turn: Turn, review: Review, collaborative: Collaborative) -> str:
    poll = turn.session.get(Poll, review.poll_id) if review.poll_id else None
    if poll is not None:
        what = _("Poll #{number} “{question}”").format(number=poll.number, question=poll.question)
    else:
        purpose_round = turn.session.get(PurposeRound, review.round_id)
        what = _("The purpose from round #{number}").format(
            number=purpose_round.number if purpose_round else "?"
        )
    said = {"what": what, "due": describe(review.due_at, collaborative.timezone)}
    if review.outcome == "lapsed":
        return _("{what} · its review date {due} came with nothing decided to review").format(
            **said
        )
    if review.outcome is None and review.posted_at:
        return _("{what} · review asked, awaiting an answer {due}").format(**said)
    if review.outcome is None:
        return _("{what} · review due {due}").format(**said)
    answer = recorded(turn.session, review, collaborative)
    return _("{what} · reviewed {due}: {answer}").format(**said, answer=answer)


def promises_kept(outcomes: list[str | None]) -> str:
    """ "Promises kept: 3 of 4 decisions reviewed were confirmed (75 %).", or that none
    has been reviewed yet (never a percentage of nothing)."""
    reviewed = sum(outcome in REVIEWED for outcome in outcomes)
    if not reviewed:
        return _("Promises kept: no decision has been reviewed yet.")
    kept = outcomes.count("kept")
    return ngettext(
        "Promises kept: {kept} of {count} decision reviewed was confirmed ({percent} %).",
        "Promises kept: {kept} of {count} decisions reviewed were confirmed ({percent} %).",
        reviewed,
    ).format(kept=kept, count=reviewed, percent=round(100 * kept / reviewed))
