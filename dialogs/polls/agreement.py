"""Agreement in every organisation: each organisation's support for each option, the lowest
support across the organisations that voted (the *bridging figure*), and the verdict of the
rule ``every-org P``. Pure: `dialogs.polls.tally.result` calls it, so the announced result,
`poll results`, the decision log and `concord recount` all hold the same figures.

*Support* for an option within one organisation, by poll type:

- single: the share of the organisation's voters who chose it;
- multi: the share who ticked it;
- dots: the share of the organisation's dots placed on it;
- score: the share who scored it above the middle of the scale (on 0 to 5: 3, 4 or 5),
  that is, who are for it rather than lukewarm or against;
- consent: the share who consent (agree or can live with it), for the one proposal;
- ranked: none. A ranking says which option someone prefers, not whether they support it,
  so there is no share to hold each organisation to: ranked polls show no figures by
  organisation and refuse the rule (`RULE_REFUSED`).

Shares are exact; they are shown as whole percents rounded *down*, so a figure shown as at
least P % always meets the rule. The rule ``every-org P`` holds the leading option (or the
consent proposal) to at least P % in every organisation with voters; an organisation with
no voters is left out (never counted as 0 %), and so are ballots whose organisation is not
shown (no organisation given, or, in an anonymous poll, an organisation under three voters:
`unplaced` counts them, and the wording says so). With no leader (a tie, or no votes) the
rule has nothing to pass.

The figures appear whenever the rule is set or two or more organisations voted::

    {"organisations": {name: {"voters": n, "support": {label: percent}}},   # by name
     "lowest": {label: {"support": percent, "in": [names]}},
     "unplaced": n,                                                         # when above 0
     "rule": {"name": "every-org", "percent": P, "option": label | null, "passes": bool,
              "short": [{"organisation": name, "support": percent, "points": P - support}]}}
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from dialogs.commands.values import RULE_DEFAULT, RULE_WORD
from dialogs.core.language import N_

RULE, DEFAULT_PERCENT = RULE_WORD, RULE_DEFAULT
PROPOSAL = "the proposal"  # i18n: not for readers (a consent poll's one "option", a key)
CONSENTING = ("agree", "live-with-it")
RULE_REFUSED = {
    "ranked": N_(
        "a ranking says which option people prefer, not whether they support it, "
        "so there is no share to hold each organisation to"
    ),
}


def figures(
    poll_type: str,
    options: Sequence[str],
    ballots: Sequence[Any],
    settings: Mapping[str, Any],
    organisations: Sequence[str | None] | None,
    *,
    winner: str | None,
    scale: tuple[int, int] | None = None,
) -> dict[str, Any] | None:
    """The figures the module docstring describes, or None when there are none to show.

    `scale` is a score poll's lowest and highest score; `winner` the result's leader."""
    if poll_type in RULE_REFUSED:
        return None
    ruled = settings.get("rule") == RULE
    groups = by_organisation(ballots, organisations or [None] * len(ballots))
    if not ruled and len(groups) < 2:
        return None
    labels = [PROPOSAL] if poll_type == "consent" else list(options)
    shares = {name: _shares(poll_type, len(labels), groups[name], scale) for name in sorted(groups)}
    body: dict[str, Any] = {
        "organisations": {
            name: {
                "voters": len(groups[name]),
                "support": {label: percent(s) for label, s in zip(labels, row, strict=True)},
            }
            for name, row in shares.items()
        },
        "lowest": _lowest(labels, shares),
    }
    if unplaced := len(ballots) - sum(map(len, groups.values())):
        body["unplaced"] = unplaced
    if ruled:
        held = (PROPOSAL if ballots else None) if poll_type == "consent" else winner
        body["rule"] = _verdict(labels, shares, held, rule_percent(settings))
    return body


def by_organisation(
    ballots: Sequence[Any], organisations: Sequence[str | None]
) -> dict[str, list[Any]]:
    """The ballots of each organisation, in one pass (ballots with none are left out)."""
    groups: dict[str, list[Any]] = {}
    for ballot, organisation in zip(ballots, organisations, strict=True):
        if organisation:
            groups.setdefault(organisation, []).append(ballot)
    return groups


def rule_percent(settings: Mapping[str, Any]) -> int:
    return int(settings.get("rule-percent", DEFAULT_PERCENT))


def passes(result: Mapping[str, Any]) -> bool:
    """Whether a result meets its rule; True when it has none."""
    rule = result.get("agreement", {}).get("rule")
    return rule is None or bool(rule["passes"])


def percent(share: Fraction) -> int:
    """A share as a whole percent, rounded down (see the module docstring)."""
    return math.floor(100 * share)


def _shares(
    poll_type: str, option_count: int, ballots: list[Any], scale: tuple[int, int] | None
) -> list[Fraction]:
    if poll_type == "consent":
        return [Fraction(sum(ballot[0] in CONSENTING for ballot in ballots), len(ballots))]
    if poll_type == "dots":
        placed = sum(map(sum, ballots))
        return [Fraction(sum(b[p] for b in ballots), placed) for p in range(option_count)]
    if poll_type == "score":
        assert scale is not None, "a score poll's support needs its scale"
        middle = sum(scale)  # twice the middle, so halves stay whole
        return [
            Fraction(sum(2 * b[p] > middle for b in ballots), len(ballots))
            for p in range(option_count)
        ]
    chosen = Counter(p for b in ballots for p in set(b))  # one pass, not one per option
    return [Fraction(chosen[p], len(ballots)) for p in range(option_count)]


def _lowest(labels: list[str], shares: dict[str, list[Fraction]]) -> dict[str, Any]:
    lowest: dict[str, Any] = {}
    for position, label in enumerate(labels):
        least = min((row[position] for row in shares.values()), default=None)
        if least is not None:
            names = [name for name, row in shares.items() if row[position] == least]
            lowest[label] = {"support": percent(least), "in": names}
    return lowest


def _verdict(
    labels: list[str], shares: dict[str, list[Fraction]], held: str | None, needed: int
) -> dict[str, Any]:
    verdict: dict[str, Any] = {"name": RULE, "percent": needed, "option": held}
    if held is None or not shares:
        return verdict | {"passes": False, "short": []}
    position = labels.index(held)
    short = [
        {
            "organisation": name,
            "support": percent(row[position]),
            "points": needed - percent(row[position]),
        }
        for name, row in shares.items()
        if 100 * row[position] < needed
    ]
    return verdict | {"passes": not short, "short": short}
