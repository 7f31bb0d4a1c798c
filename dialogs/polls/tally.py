"""Pure tallies over plain ballots: one function per voting method.

Nothing here touches the database or a platform, so the bot (announcing a
result) and `concord recount` (auditing one from an exported ballots CSV) run
exactly the same code and print exactly the same JSON text (`dumps`).

An option is identified by its 0-based position in the poll. Ballot shapes:

- single: ``[pos]``; multi: ``[pos, …]`` (1 to ``settings["max"]`` distinct)
- ranked: ``[pos, …]`` in preference order, partial rankings allowed, no repeats
- score: ``[s0, s1, …]``, one whole number per option within
  ``settings["min-score"]``..``settings["max-score"]`` (default 0 to 5)
- dots: ``[d0, d1, …]``, one whole number ≥ 0 per option, 1 to ``settings["dots"]`` in all
- consent: ``(stance, harm, resolve)`` with stance agree, live-with-it, object or
  block (or ``(stance, reason)``, cast before the second question); object and block
  need a reason. The proposal is adopted with at least one
  ballot, no block and at most ``settings["objections"]`` objections (default
  0); its options are not used.

Results with no votes name no winner; a shared top names none either and lists
the leaders under ``"tied"`` (single, multi, dots; score after comparing medians).

Ranked polls use instant-runoff: an option wins a round with more than half of
the ballots that still rank a continuing option; otherwise the option with the
fewest votes is eliminated and its ballots pass to their next continuing
preference. Ballots with no continuing preference left are *exhausted*,
counted and shown per round. Elimination tie-break (`TIE_BREAK`): among the
options tied for fewest votes, the one with fewer votes in the previous round
is eliminated, then the round before that, and so on; if they are still tied,
the option listed later in the poll is eliminated.

Whenever a tie-break decides something, the result says so under ``"tie_break"``:
a list of ``{"round", "between", "eliminated", "rule"}`` for instant run-off (the
round whose fewest were tied, the options tied, the one eliminated and the rule
that chose it), and ``{"between", "winner", "rule"}`` for a score tie on the mean
that the median broke. No tie-break, no key.

With ``settings["balance"] == "orgs"`` the result also holds ``"balanced"``:
the same figures with each ballot weighted 1 / (voters from its organisation),
voters with no organisation forming one group of their own. Weights are kept
as exact integers (scaled by a common multiple), so totals never depend on the
order of the ballots; balanced counts are shown rounded to 3 decimals. Means,
medians and spreads are always shown rounded to 2 decimals. Every rounding is
half-up on the exact value.

Support by organisation, the lowest support in any organisation and the verdict of
``settings["rule"] == "every-org"`` are under ``"agreement"`` (`dialogs.polls.agreement`
says when, and how they are counted).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain
from typing import Any

from dialogs.core.poll_types import NEEDS_REASON, POLL_TYPES, STANCES
from dialogs.polls import agreement

DEFAULT_SCORES = (0, 5)
# A result's words are data: its JSON holds them (the recount prints them exactly, and a
# ballots file states the tie-break), and `dialogs.polls.outcome` says them in the reader's
# language.
TIE_BREAK = (
    "among options tied for fewest votes, "  # i18n: not for readers
    "the one with fewer votes in the previous round is eliminated, then the round before "
    "that, and so on; if still tied, the option listed later in the poll is eliminated"
)
LISTED_LATER = "listed later in the poll"  # i18n: not for readers
FEWER_IN_ROUND = "fewer votes in round {number}"  # i18n: not for readers
HIGHER_MEDIAN = "higher median"  # i18n: not for readers
NOT_ADOPTED = "not adopted"  # i18n: not for readers
BALANCED_PLACES = 3
STATISTIC_PLACES = 2


class InvalidBallot(ValueError):
    """A ballot that does not fit its poll; the message says why."""


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
        _check_choices(ballot, option_count, most)
        for position in ballot:
            counts[position] += 1
        voters += 1
    top = max(counts, default=0)
    winners = tuple(i for i, c in enumerate(counts) if c == top) if top else ()
    return ChoiceResult(tuple(counts), voters, winners)


# --- checking ballots -------------------------------------------------------


def check_ballot(
    poll_type: str, ballot: Any, option_count: int, settings: Mapping[str, Any]
) -> None:
    """Raise `InvalidBallot` (saying what is wrong) unless `ballot` fits the poll."""
    if poll_type in ("single", "multi"):
        most = 1 if poll_type == "single" else int(settings.get("max", option_count))
        _check_choices(ballot, option_count, most)
    elif poll_type == "ranked":
        _check_ranking(ballot, option_count)
    elif poll_type == "score":
        _check_scores(ballot, option_count, *_score_range(settings))
    elif poll_type == "dots":
        _check_dots(ballot, option_count, _dots(settings))
    elif poll_type == "consent":
        _check_consent(ballot)
    else:
        raise ValueError(f"unknown poll type {poll_type!r}: use one of {', '.join(POLL_TYPES)}")


def _check_choices(ballot: Any, option_count: int, most: int) -> None:
    _check_positions(ballot, option_count)
    if len(set(ballot)) != len(ballot):
        raise InvalidBallot("a ballot chooses an option more than once")
    if not 1 <= len(ballot) <= most:
        allowed = f"1 to {most} options"  # i18n: not for readers
        if most == 1:
            allowed = "exactly one option"  # i18n: not for readers
        raise InvalidBallot(f"a ballot chooses {allowed}, not {len(ballot)}")


def _check_ranking(ballot: Any, option_count: int) -> None:
    _check_positions(ballot, option_count)
    if not ballot:
        raise InvalidBallot("a ranked ballot must rank at least one option")
    if len(set(ballot)) != len(ballot):
        raise InvalidBallot("a ranked ballot ranks an option more than once")


def _check_positions(ballot: Any, option_count: int) -> None:
    _check_whole(ballot, "option numbers")  # i18n: not for readers
    if ballot and not (min(ballot) >= 0 and max(ballot) < option_count):
        wrong = next(p for p in ballot if not 0 <= p < option_count)
        raise InvalidBallot(f"no option {wrong + 1} in a poll of {option_count}")


def _check_scores(ballot: Any, option_count: int, low: int, high: int) -> None:
    _check_numbers(ballot, option_count, "score")
    for score in ballot:
        if not low <= score <= high:
            raise InvalidBallot(f"score {score} is outside {low} to {high}")


def _check_dots(ballot: Any, option_count: int, dots: int) -> None:
    _check_numbers(ballot, option_count, "number of dots")  # i18n: not for readers
    if any(d < 0 for d in ballot):
        raise InvalidBallot(f"dots cannot be negative: {list(ballot)}")
    if not 1 <= sum(ballot) <= dots:
        raise InvalidBallot(f"a ballot places 1 to {dots} dots, not {sum(ballot)}")


def _check_numbers(ballot: Any, option_count: int, what: str) -> None:
    _check_whole(ballot, "whole numbers")  # i18n: not for readers
    if len(ballot) != option_count:
        raise InvalidBallot(
            f"a ballot needs one {what} per option ({option_count}), not {len(ballot)}"
        )


def _check_consent(ballot: Any) -> None:
    if not isinstance(ballot, list | tuple) or len(ballot) not in (2, 3):
        raise InvalidBallot(f"a consent ballot is (stance, harm, resolve): {ballot!r}")
    stance, *reasons = ballot  # a ballot from before the second question: (stance, reason)
    if stance not in STANCES:
        raise InvalidBallot(f"unknown stance {stance!r}: use {', '.join(STANCES)}")
    if not all(isinstance(reason, str) for reason in reasons):
        raise InvalidBallot(f"a reason must be text: {ballot!r}")
    if stance in NEEDS_REASON and not reasons[0].strip():
        raise InvalidBallot(f"a ballot that says {stance!r} must give a reason")


def _check_whole(ballot: Any, what: str) -> None:
    """A list or tuple of ints (not bools); the set of types keeps this fast for big polls."""
    if not isinstance(ballot, list | tuple) or not set(map(type, ballot)) <= {int}:
        raise InvalidBallot(f"a ballot must be a list of {what}: {ballot!r}")


def _score_range(settings: Mapping[str, Any]) -> tuple[int, int]:
    low = int(settings.get("min-score", DEFAULT_SCORES[0]))
    high = int(settings.get("max-score", DEFAULT_SCORES[1]))
    if low > high:
        raise ValueError(f"the lowest score ({low}) is above the highest ({high})")
    return low, high


def _dots(settings: Mapping[str, Any]) -> int:
    if "dots" not in settings:
        raise ValueError("a dots poll needs settings['dots'], the dots each voter may place")
    return int(settings["dots"])


# --- organisation balance ---------------------------------------------------


@dataclass(frozen=True)
class _Weighing:
    """Ballot weights as integers over a common `scale`; `balanced` picks how totals show."""

    weights: tuple[int, ...]
    scale: int
    balanced: bool

    def shown(self, amount: int) -> int | float:
        """A total as the result shows it: a count, or a balanced figure to 3 decimals."""
        return _rounded(Fraction(amount, self.scale), BALANCED_PLACES) if self.balanced else amount


def _plain(voters: int) -> _Weighing:
    return _Weighing((1,) * voters, 1, balanced=False)


def _by_organisation(organisations: Sequence[str | None]) -> _Weighing:
    groups = [organisation or None for organisation in organisations]
    sizes = Counter(groups)
    scale = math.lcm(*sizes.values()) if sizes else 1
    return _Weighing(tuple(scale // sizes[group] for group in groups), scale, balanced=True)


def balance_weights(organisations: Sequence[str | None]) -> list[float]:
    """Each voter's weight, 1 / (voters from the same organisation); no organisation is a group."""
    weighing = _by_organisation(organisations)
    return [weight / weighing.scale for weight in weighing.weights]


# --- the methods ------------------------------------------------------------


@dataclass(frozen=True)
class _Poll:
    options: Sequence[str]
    ballots: Sequence[Any]
    settings: Mapping[str, Any]


def _choices(poll: _Poll, weighing: _Weighing) -> dict:
    totals = [0] * len(poll.options)
    for ballot, weight in zip(poll.ballots, weighing.weights, strict=True):
        for position in ballot:
            totals[position] += weight
    return _plurality(poll.options, totals, weighing)


def _dot_totals(poll: _Poll, weighing: _Weighing) -> dict:
    totals = [0] * len(poll.options)
    for ballot, weight in zip(poll.ballots, weighing.weights, strict=True):
        for position, dots in enumerate(ballot):
            totals[position] += dots * weight
    return _plurality(poll.options, totals, weighing)


def _plurality(options: Sequence[str], totals: list[int], weighing: _Weighing) -> dict:
    top = max(totals, default=0)
    leaders = [options[p] for p, total in enumerate(totals) if total == top] if top else []
    body: dict[str, Any] = {
        "winner": leaders[0] if len(leaders) == 1 else None,
        "counts": {label: weighing.shown(n) for label, n in zip(options, totals, strict=True)},
    }
    if len(leaders) > 1:
        body["tied"] = leaders
    return body


def _ranked(poll: _Poll, weighing: _Weighing) -> dict:
    groups: Counter[tuple[int, ...]] = Counter()
    if weighing.balanced:
        for ballot, weight in zip(poll.ballots, weighing.weights, strict=True):
            groups[tuple(ballot)] += weight
    else:
        groups.update(map(tuple, poll.ballots))
    rounds, winner, ties = _instant_runoff(len(poll.options), groups)
    options = poll.options

    def shown_round(counts: dict[int, int], exhausted: int, eliminated: int | None) -> dict:
        return {
            "counts": {options[p]: weighing.shown(n) for p, n in counts.items()},
            "exhausted": weighing.shown(exhausted),
            "eliminated": None if eliminated is None else options[eliminated],
        }

    body: dict[str, Any] = {
        "winner": None if winner is None else options[winner],
        "rounds": [shown_round(*r) for r in rounds],
    }
    if ties:
        body["tie_break"] = [
            {
                "round": tie.round,
                "between": [options[p] for p in tie.between],
                "eliminated": options[tie.eliminated],
                "rule": tie.rule,
            }
            for tie in ties
        ]
    return body


@dataclass(frozen=True)
class _Tie:
    """An elimination decided by `TIE_BREAK`: in `round` (from 1), `between` had the fewest."""

    round: int
    between: list[int]
    eliminated: int
    rule: str


_Round = tuple[dict[int, int], int, int | None]
_Pile = list[tuple[tuple[int, ...], int, int]]  # (ranking, place of its current option, weight)


def _instant_runoff(
    option_count: int, groups: Mapping[tuple[int, ...], int]
) -> tuple[list[_Round], int | None, list[_Tie]]:
    """Rounds of (votes per continuing option, exhausted, eliminated), the winner, and the
    eliminations a tie-break decided.

    Each distinct ranking sits on the pile of its top continuing option; only
    the eliminated option's pile moves, so the work is proportional to the
    transfers, not to rounds × ballots.
    """
    piles: dict[int, _Pile] = {p: [] for p in range(option_count)}
    totals = dict.fromkeys(range(option_count), 0)
    for ranking, weight in groups.items():
        piles[ranking[0]].append((ranking, 0, weight))
        totals[ranking[0]] += weight
    exhausted, rounds, history, ties = 0, [], [], []
    while groups:
        history.append(dict(totals))
        leader = max(totals, key=totals.__getitem__)
        if 2 * totals[leader] > sum(totals.values()):
            rounds.append((history[-1], exhausted, None))
            return rounds, leader, ties
        loser, tie = _loser(history)
        if tie is not None:
            ties.append(tie)
        rounds.append((history[-1], exhausted, loser))
        del totals[loser]
        exhausted += _transfer(piles.pop(loser), piles, totals)
    return rounds, None, ties


def _transfer(pile: _Pile, piles: dict[int, _Pile], totals: dict[int, int]) -> int:
    """Move each ranking on `pile` to its next continuing option; return the weight exhausted."""
    exhausted = 0
    for ranking, place, weight in pile:
        for later in range(place + 1, len(ranking)):
            option = ranking[later]
            if option in totals:
                piles[option].append((ranking, later, weight))
                totals[option] += weight
                break
        else:
            exhausted += weight
    return exhausted


def _loser(history: list[dict[int, int]]) -> tuple[int, _Tie | None]:
    """The option to eliminate after the last round in `history` (see `TIE_BREAK`), and the
    tie-break that chose it, if one did."""
    current = history[-1]
    fewest = min(current.values())
    tied = [p for p, n in current.items() if n == fewest]
    if len(tied) == 1:
        return tied[0], None
    between = sorted(tied)
    for number in range(len(history) - 1, 0, -1):  # the rounds before, latest first
        earlier = history[number - 1]
        fewest = min(earlier[p] for p in tied)
        tied = [p for p in tied if earlier[p] == fewest]
        if len(tied) == 1:
            rule = FEWER_IN_ROUND.format(number=number)
            return tied[0], _Tie(len(history), between, tied[0], rule)
    return max(tied), _Tie(len(history), between, max(tied), LISTED_LATER)


def _scores(poll: _Poll, weighing: _Weighing) -> dict:
    """The highest mean wins; a tie goes to the higher median; still tied: no winner."""
    figures = [
        _statistics(sorted(zip((b[p] for b in poll.ballots), weighing.weights, strict=True)))
        for p in range(len(poll.options))
    ]
    ranks = {p: f[:2] for p, f in enumerate(figures) if f is not None}
    top = max(ranks.values(), default=None)
    leaders = [poll.options[p] for p, rank in ranks.items() if rank == top]
    on_mean = [poll.options[p] for p, rank in ranks.items() if top and rank[0] == top[0]]
    body: dict[str, Any] = {
        "winner": leaders[0] if len(leaders) == 1 else None,
        "scores": {
            label: _shown_statistics(f) for label, f in zip(poll.options, figures, strict=True)
        },
    }
    if len(leaders) > 1:
        body["tied"] = leaders
    elif len(on_mean) > 1:
        body["tie_break"] = [{"between": on_mean, "winner": leaders[0], "rule": HIGHER_MEDIAN}]
    return body


_Statistics = tuple[Fraction, Fraction, Fraction]


def _statistics(column: list[tuple[int, int]]) -> _Statistics | None:
    """Exact weighted mean, median and variance of sorted (score, weight) pairs; None if empty."""
    total = sum(weight for _, weight in column)
    if not total:
        return None
    first = sum(score * weight for score, weight in column)
    second = sum(score * score * weight for score, weight in column)
    variance = Fraction(second * total - first * first, total * total)
    return Fraction(first, total), _median(column, total), variance


def _median(column: list[tuple[int, int]], total: int) -> Fraction:
    below = 0
    for index, (score, weight) in enumerate(column):
        below += weight
        if 2 * below > total:
            return Fraction(score)
        if 2 * below == total:
            return Fraction(score + column[index + 1][0], 2)
    raise AssertionError("the weights of a column add up to its total")


def _shown_statistics(figures: _Statistics | None) -> dict[str, float | None]:
    if figures is None:
        return {"mean": None, "median": None, "spread": None}
    mean, median, variance = figures
    spread = Fraction(math.sqrt(variance))
    return {
        "mean": _rounded(mean, STATISTIC_PLACES),
        "median": _rounded(median, STATISTIC_PLACES),
        "spread": _rounded(spread, STATISTIC_PLACES),
    }


def _consent(poll: _Poll, weighing: _Weighing) -> dict:
    totals = dict.fromkeys(STANCES, 0)
    for ballot, weight in zip(poll.ballots, weighing.weights, strict=True):
        totals[ballot[0]] += weight
    allowed = int(poll.settings.get("objections", 0)) * weighing.scale
    adopted = bool(poll.ballots) and not totals["block"] and totals["object"] <= allowed
    return {
        "winner": "adopted" if adopted else NOT_ADOPTED,
        "counts": {stance: weighing.shown(n) for stance, n in totals.items()},
    }


def _reasons(ballots: Sequence[Any]) -> list[dict[str, str]]:
    """Every reason given (the harm, and what would resolve it if the ballot says), sorted
    by stance then text, so the order reveals no voter."""
    given = sorted(
        (STANCES.index(b[0]), b[1].strip(), b[2].strip() if len(b) > 2 else "") for b in ballots
    )
    return [
        {"stance": STANCES[stance], "reason": harm, **({"resolve": resolve} if resolve else {})}
        for stance, harm, resolve in given
        if harm
    ]


def _rounded(value: Fraction, places: int) -> float:
    """`value` rounded half-up to `places` decimals, from its exact value."""
    return math.floor(value * 10**places + Fraction(1, 2)) / 10**places


_Method = Callable[[_Poll, _Weighing], dict]
_METHODS: dict[str, _Method] = {
    "single": _choices,
    "multi": _choices,
    "ranked": _ranked,
    "score": _scores,
    "dots": _dot_totals,
    "consent": _consent,
}


# --- the result -------------------------------------------------------------


def result(
    poll_type: str,
    options: list[str],
    ballots: list[Any],
    settings: dict[str, Any],
    organisations: list[str | None] | None = None,
) -> dict[str, Any]:
    """The poll's result as a JSON-able dict, the same for the bot and `concord recount`.

    Raises `InvalidBallot` for a malformed ballot and `ValueError` for a bad poll.
    """
    _check_poll(poll_type, options, ballots, organisations)
    _check_ballots(poll_type, ballots, len(options), settings)
    method, poll = _METHODS[poll_type], _Poll(options, ballots, settings)
    outcome: dict[str, Any] = {"type": poll_type, **method(poll, _plain(len(ballots)))}
    if poll_type == "consent":
        outcome["reasons"] = _reasons(ballots)
    outcome["voters"] = len(ballots)
    if settings.get("balance") == "orgs":
        groups = organisations if organisations is not None else [None] * len(ballots)
        outcome["balanced"] = method(poll, _by_organisation(groups))
    scale = _score_range(settings) if poll_type == "score" else None
    winner = outcome.get("winner")
    if found := agreement.figures(
        poll_type, options, ballots, settings, organisations, winner=winner, scale=scale
    ):
        outcome["agreement"] = found  # by organisation, the bridging figure, the rule's verdict
    return outcome


def dumps(outcome: dict[str, Any]) -> str:
    """The canonical JSON text of a result: what the bot stores and `concord recount` prints."""
    return json.dumps(outcome, ensure_ascii=False, separators=(", ", ": "), allow_nan=False)


def _check_poll(
    poll_type: str, options: Sequence[str], ballots: Sequence[Any], organisations: Any
) -> None:
    if poll_type not in POLL_TYPES:
        raise ValueError(f"unknown poll type {poll_type!r}: use one of {', '.join(POLL_TYPES)}")
    if poll_type != "consent" and (not options or len(set(options)) != len(options)):
        raise ValueError(f"a poll needs one or more options with different labels: {options}")
    if organisations is not None and len(organisations) != len(ballots):
        raise ValueError(f"{len(organisations)} organisations given for {len(ballots)} ballots")


def _check_ballots(
    poll_type: str, ballots: Sequence[Any], option_count: int, settings: Mapping[str, Any]
) -> None:
    """Check every ballot, each different one once, rankings in bulk when they are all fine.

    Checking 100,000 ranked ballots one by one would cost as much as counting them.
    """
    if poll_type == "consent" or not _lists_of_ints(ballots):
        distinct: Collection[Any] = ballots  # check one by one: the odd ballot is named
    else:
        distinct = {tuple(ballot): ballot for ballot in ballots}.values()
        if poll_type == "ranked" and _plainly_valid_rankings(distinct, option_count):
            return
    for ballot in distinct:
        check_ballot(poll_type, ballot, option_count, settings)


def _lists_of_ints(ballots: Sequence[Any]) -> bool:
    return set(map(type, ballots)) <= {list, tuple} and set(
        map(type, chain.from_iterable(ballots))
    ) <= {int}


def _plainly_valid_rankings(rankings: Collection[Sequence[int]], option_count: int) -> bool:
    """True if no ranking is empty, out of range or repeats an option, in passes that run in C."""
    positions = list(chain.from_iterable(rankings))
    return (
        all(map(len, rankings))
        and set(positions) <= set(range(option_count))
        and len(positions) == sum(map(len, map(set, rankings)))
    )
