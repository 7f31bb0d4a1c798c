"""The short message each stage change posts in every linked channel: what happened, what
happens next, and by when.

The round's own message is re-rendered in place too, but platforms don't highlight an edit
far up a channel, so members learn that the round moved on from this fresh message, at the
bottom, beside the poll it asks them to vote in.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from dialogs.commands.when import moment
from dialogs.core.cards import Card, Text
from dialogs.polls.agreement import passes
from dialogs.polls.agreement_text import verdict
from dialogs.purpose import rounds
from storage.models import Poll, ProposalGroup, PurposeRound


def stage_news(session: Session, purpose_round: PurposeRound, timezone: str, happened: str) -> Card:
    """`happened`, then what the stage the round has just entered asks, and of whom."""
    following = _next(session, purpose_round, timezone)
    return Card(
        blocks=[Text(text=happened), Text(text=f"Next: {following}")],
        fallback=happened,
    )


def _next(session: Session, purpose_round: PurposeRound, timezone: str) -> str:
    stage = purpose_round.stage
    until = moment(purpose_round.stage_ends_at, timezone) if purpose_round.stage_ends_at else ""
    if stage == rounds.GROUPING:
        then = _after_grouping(session, purpose_round)
        return f"coordinators may adjust the themes until {until}; then {then}."
    if stage == rounds.DRAFTING:
        then = _after_drafting(session, purpose_round)
        return f"coordinators may edit the draft statements until {until}; then {then}."
    if stage == rounds.REVISING:
        return (
            f"coordinators revise the statement (revision {purpose_round.revisions + 1} of at "
            f"most {rounds.MAX_REVISIONS}) and ask for consent again."
        )
    poll = session.get(Poll, purpose_round.current_poll_id)
    assert poll is not None
    return f"{_POLL_ASKS[stage]} in poll #{poll.number} (just above) by {until}."


_POLL_ASKS = {
    rounds.SHORTLISTING: f"spread your {rounds.SHORTLIST_DOTS} dots over the themes you want",
    rounds.CHOOSING: "rank the drafts, favourite first,",
    rounds.CONSENTING: "say whether you can live with it",
}


def _after_grouping(session: Session, purpose_round: PurposeRound) -> str:
    most = purpose_round.settings["shortlist"]
    if len(rounds.groups_of(session, purpose_round)) <= most:
        return f"all of them go forward (the shortlist takes up to {most})"
    return f"you dot-vote for the {most} that go forward"


def _after_drafting(session: Session, purpose_round: PurposeRound) -> str:
    if sum(g.shortlisted for g in rounds.groups_of(session, purpose_round)) == 1:
        return "you say whether you can live with it"
    return "you rank them"


def gathering_closed(proposals: int, people: int, organisations: int, themes: int) -> str:
    """Proposals are closed: 8 statements from 5 people in 3 organisations, grouped into 4 …"""
    source = _count(people, "person", "people") + (
        f" in {_count(organisations, 'organisation')}" if organisations else ""
    )
    return (
        f"Proposals are closed: {_count(proposals, 'statement')} from {source}, grouped into "
        f"{_count(themes, 'theme')}, listed below."
    )


def shortlist_opened(themes: int, most: int) -> str:
    return f"The themes are settled: {themes} themes, of which the top {most} go forward."


def shortlist_skipped(themes: int) -> str:
    return f"The themes are settled: all {_count(themes, 'theme')} go forward, with no vote needed."


def shortlist_chosen(chosen: list[ProposalGroup], why: str) -> str:
    """The themes going forward, numbered as in the poll, and why, where that needs saying."""
    listed = "; ".join(f"{g.position}. {g.title}" for g in sorted(chosen, key=lambda g: g.position))
    said = f"The shortlist is chosen: {_count(len(chosen), 'theme')} go forward: {listed}."
    return f"{said} {why}" if why else said


def tie_explained(
    tied: list[ProposalGroup], dots: float, chosen: int, most: int, *, left_out: bool
) -> str:
    """Why more themes than asked for went forward: a tie for the last place (and, when even
    that was more than people can weigh, how it was cut)."""
    said = (
        f"{chosen} themes go forward, not {most}: themes {_listed(tied)} tied for the last "
        f"place on {dots:g} dot{'s' * (dots != 1)} each."
    )
    if left_out:
        said += (
            f" No more than {rounds.MAX_GROUPS} can go forward, so the tie went to the themes "
            "with the most statements."
        )
    return said


def ranking_chosen(draft: str, winner: str | None, voters: int) -> str:
    if winner:
        return f"The ranking chose “{draft}”."
    if not voters:
        return f"Nobody ranked the drafts, so the first listed goes forward: “{draft}”."
    return f"The ranking ended in a tie, so the first listed goes forward: “{draft}”."


def consent_missed(poll: Poll, purpose_round: PurposeRound, result: dict[str, Any]) -> str:
    if not result["voters"]:
        return (
            f"Nobody responded to poll #{poll.number}, so “{purpose_round.draft}” is not adopted."
        )
    missed = f"Poll #{poll.number} didn't reach consent on “{purpose_round.draft}”."
    return f"{missed} {verdict(result)}" if not passes(result) else missed


def _listed(groups: list[ProposalGroup]) -> str:
    numbers = [str(g.position) for g in sorted(groups, key=lambda g: g.position)]
    return ", ".join(numbers[:-1]) + f" and {numbers[-1]}" if len(numbers) > 1 else numbers[0]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"
