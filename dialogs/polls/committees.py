"""Committees in common: each organisation's own outcome, and whether they agree.

Pure, like `dialogs.polls.tally`, so the bot (announcing) and `concord recount` (auditing
an export) compute the same figures. Each organisation's outcome is the poll type's
normal count (`tally.result`) over that organisation's ballots alone; a shared top is
"no decision (tied)" and an organisation nobody from voted has no decision either.
Ballots with no organisation belong to no committee and count in none.

The organisations agree on an outcome when more than half of them reached it: all of
them ("agreed by all"), or some ("agreed by N of M"); otherwise they did not agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from dialogs.core.language import N_, _
from dialogs.core.modes import COMMITTEES, JOINT, mode_of
from dialogs.polls import tally
from dialogs.polls.agreement import by_organisation

TIED = N_("no decision (tied)")
NO_VOTES = N_("no votes")
CONSENT = {"adopted": N_("adopted"), tally.NOT_ADOPTED: N_("not adopted")}  # the tally's words


def counted(
    poll_type: str,
    options: list[str],
    ballots: list[Any],
    settings: dict[str, Any],
    organisations: list[str | None],
) -> dict[str, Any]:
    """`tally.result`, with the poll's mode when it isn't joint and, for committees in
    common, each organisation's outcome (``"committees"``): what the bot announces and
    `concord recount` prints."""
    outcome = tally.result(poll_type, options, ballots, settings, organisations)
    mode = mode_of(settings)
    if mode != JOINT:
        outcome["mode"] = mode
    if mode == COMMITTEES:
        everyone = settings.get("organisations", ())
        outcome["committees"] = outcomes(
            poll_type, options, ballots, settings, organisations, everyone
        )
    return outcome


def outcomes(
    poll_type: str,
    options: list[str],
    ballots: Sequence[Any],
    settings: dict[str, Any],
    organisations: Sequence[str | None],
    everyone: Sequence[str] = (),
) -> dict[str, Any]:
    """Each organisation's outcome (its winner, or None) and the agreement between them.

    `everyone` names the organisations that take part even if none of their people voted;
    organisations named on ballots always do. JSON-able, for `tally.dumps`.
    """
    own = {key: value for key, value in settings.items() if key != "balance"}
    names = sorted({*everyone, *(o for o in organisations if o)})
    groups = by_organisation(ballots, organisations)
    decided: dict[str, dict[str, Any]] = {}
    for name in names:
        theirs = groups.get(name, [])
        counted = tally.result(poll_type, options, theirs, own)
        decided[name] = {"winner": counted["winner"] if theirs else None, "voters": len(theirs)}
    reached = Counter(d["winner"] for d in decided.values() if d["winner"] is not None)
    agreed, count = reached.most_common(1)[0] if reached else (None, 0)
    if 2 * count <= len(names):
        agreed = None
    return {
        "organisations": decided,
        "agreed": agreed,
        "agreed_by": [n for n in names if agreed is not None and decided[n]["winner"] == agreed],
    }


def decision_of(decided: dict[str, Any], *, consent: bool) -> str:
    """One organisation's outcome in words: “A”, adopted, no decision (tied) or no votes."""
    if decided["winner"] is None:
        return _(TIED) if decided["voters"] else _(NO_VOTES)
    return _shown(decided["winner"], consent)


def organisation_line(name: str, decided: dict[str, Any], *, consent: bool, final: bool) -> str:
    """“Hilltop Trust decided: “A”.”, or “Hilltop Trust so far: “A”.” while the poll is open."""
    said = decision_of(decided, consent=consent)
    if decided["winner"] is None:
        return f"{name}: {said}."
    line = _("{name} decided: {outcome}.") if final else _("{name} so far: {outcome}.")
    return line.format(name=name, outcome=said)


def agreement_line(committees: dict[str, Any], *, consent: bool) -> str:
    """The combined outcome of the organisations' decisions."""
    agreed = committees["agreed"]
    everyone = list(committees["organisations"])
    if agreed is None:
        return _("Not agreed by the organisations.")
    by = committees["agreed_by"]
    if len(by) == len(everyone):
        return _("Agreed by all organisations: {outcome}.").format(outcome=_shown(agreed, consent))
    others = [n for n in everyone if n not in by]
    return _(
        "Agreed by {count} of {total} organisations: {outcome} ({organisations}); "
        "{others} did not agree."
    ).format(
        count=len(by),
        total=len(everyone),
        outcome=_shown(agreed, consent),
        organisations=", ".join(by),
        others=_listed(others),
    )


def _listed(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("{items} and {last}").format(items=", ".join(names[:-1]), last=names[-1])


def _shown(winner: str, consent: bool) -> str:
    """An option in quotes; a consent outcome (adopted, not adopted) in words."""
    return _(CONSENT.get(winner, winner)) if consent else f"“{winner}”"
