"""Pure tallies over plain ballots: one function per voting method.

A ballot is the list of option positions (0-based) the voter chose. Nothing
here touches the database, so `concord recount` can recompute any published
result from an exported ballot file with exactly the same code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class InvalidBallot(ValueError):
    pass


@dataclass(frozen=True)
class ChoiceResult:
    """Votes per option; `winners` holds every option tied for the most (none if no votes)."""

    counts: tuple[int, ...]
    voters: int
    winners: tuple[int, ...]

    def percent(self, position: int) -> int:
        """Share of voters who chose the option, rounded to a whole percent."""
        return round(100 * self.counts[position] / self.voters) if self.voters else 0


def tally_single(ballots: Iterable[Sequence[int]], option_count: int) -> ChoiceResult:
    """One choice per ballot; the option with the most votes wins."""
    return _count(ballots, option_count, most=1)


def tally_multi(ballots: Iterable[Sequence[int]], option_count: int, most: int) -> ChoiceResult:
    """Up to `most` choices per ballot (approval-style); the most-chosen option wins."""
    return _count(ballots, option_count, most=most)


def _count(ballots: Iterable[Sequence[int]], option_count: int, most: int) -> ChoiceResult:
    counts = [0] * option_count
    voters = 0
    for ballot in ballots:
        if not 1 <= len(ballot) <= most or len(set(ballot)) != len(ballot):
            raise InvalidBallot(f"a ballot must hold 1 to {most} different options: {list(ballot)}")
        for position in ballot:
            if not 0 <= position < option_count:
                raise InvalidBallot(f"no option {position + 1} in a poll of {option_count}")
            counts[position] += 1
        voters += 1
    top = max(counts, default=0)
    winners = tuple(i for i, c in enumerate(counts) if c == top) if top else ()
    return ChoiceResult(tuple(counts), voters, winners)
