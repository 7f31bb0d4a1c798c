"""Agreement in every organisation, in words: each organisation's support, the lowest
support in any organisation, the verdict of `--rule every-org P`, and notes naming the
organisations the figures leave out (they did not vote, or an anonymous poll can't show
them). The figures are `dialogs.polls.agreement`'s; nothing here counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.collaborative.participation import SMALLEST_GROUP
from dialogs.core.cards import Context, FieldItem, Fields, Text
from dialogs.polls.agreement import PROPOSAL

Block = Text | Fields | Context


def blocks(
    result: Mapping[str, Any], voted: Mapping[str, int], *, anonymous: bool, final: bool
) -> list[Block]:
    """The result card's lines about agreement; `voted` holds every organisation of the
    collaborative with its number of voters (0 for none); an open poll's verdict is "so far"."""
    figures = result.get("agreement")
    if figures is None:
        return []
    shown: list[Block] = [
        Text(text="By organisation (the share of each organisation's support):"),
        Fields(items=[_organisation(name, o) for name, o in figures["organisations"].items()]),
    ]
    if figures["lowest"]:
        shown.append(Text(text=lowest(figures["lowest"])))
    if said := verdict(result):
        said = said if final else f"So far, {said[0].lower()}{said[1:]}"
        passed = figures["rule"]["passes"]
        shown.append(Text(text=said, tone="normal" if passed else "warning"))
    return shown + [Context(text=note) for note in notes(figures, voted, anonymous)]


def _organisation(name: str, figures: Mapping[str, Any]) -> FieldItem:
    voters = figures["voters"]
    support = figures["support"]
    if list(support) == [PROPOSAL]:
        value = f"{support[PROPOSAL]} % consent"
    else:
        value = " · ".join(f"{label} {share} %" for label, share in support.items())
    return FieldItem(label=f"{name} ({voters} voter{'s' * (voters != 1)})", value=value)


def lowest(least: Mapping[str, Any]) -> str:
    """ "Lowest support in any organisation: A 38 % (Hilltop Trust) · B 20 % (Riverside)."."""
    parts = [
        f"{'consent' if label == PROPOSAL else label} {low['support']} % ({', '.join(low['in'])})"
        for label, low in least.items()
    ]
    return f"Lowest support in any organisation: {' · '.join(parts)}."


def verdict(result: Mapping[str, Any]) -> str:
    """The rule's verdict in one or two sentences; empty when the poll has no rule."""
    rule = result.get("agreement", {}).get("rule")
    if rule is None:
        return ""
    needed = rule["percent"]
    if rule["passes"]:
        return f"Passes in every organisation (at least {needed} %)."
    if rule["option"] is None:
        return (
            f"Nothing leads, so nothing passes the rule "
            f"(at least {needed} % in every organisation)."
        )
    if not rule["short"]:
        return (
            f"Does not pass: no organisation's votes can be shown, so none can be checked "
            f"against the rule (at least {needed} % in every organisation)."
        )
    shortfalls = [
        f"in {s['organisation']} by {s['points']} point{'s' * (s['points'] != 1)} "
        f"({s['support']} % of {needed} %)"
        for s in rule["short"]
    ]
    return f"Does not pass: short {' and '.join(shortfalls)}."


def logged(result: Mapping[str, Any], voted: Mapping[str, int], anonymous: bool) -> str:
    """The verdict for the decision log, with the organisations an anonymous poll hid from it."""
    said = verdict(result)
    if said and anonymous:
        hidden = _hidden(result["agreement"], voted)
        said += f" Not checked, too few voters to show: {', '.join(hidden)}." if hidden else ""
    return said


def _hidden(figures: Mapping[str, Any], voted: Mapping[str, int]) -> dict[str, int]:
    """The organisations with voters that an anonymous poll does not show, and their voters."""
    return {
        name: count
        for name, count in voted.items()
        if 0 < count < SMALLEST_GROUP and name not in figures["organisations"]
    }


def notes(figures: Mapping[str, Any], voted: Mapping[str, int], anonymous: bool) -> list[str]:
    """Who the figures leave out, by name: never silently."""
    said = []
    ruled = "rule" in figures
    if silent := [name for name, count in voted.items() if not count]:
        said.append(
            f"Did not vote: {', '.join(silent)}. "
            + ("The rule leaves them out; " if ruled else "Left out; ")
            + "an organisation with no voters is never counted as 0 %."
        )
    hidden = _hidden(figures, voted) if anonymous else {}
    if hidden:
        said.append(
            f"Not shown by organisation: {', '.join(hidden)}. An anonymous poll shows an "
            f"organisation only with {SMALLEST_GROUP} or more voters; their votes count in "
            "the total only" + (", so the rule could not check them." if ruled else ".")
        )
    if (unnamed := figures.get("unplaced", 0) - sum(hidden.values())) > 0:
        said.append(
            f"{unnamed} voter{'s' * (unnamed != 1)} gave no organisation: counted in the total, "
            "not in any organisation."
        )
    return said
