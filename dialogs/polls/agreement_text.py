"""Agreement in every organisation, in words: each organisation's support, the lowest
support in any organisation, the verdict of `--rule every-org P`, and notes naming the
organisations the figures leave out (they did not vote, or an anonymous poll can't show
them). The figures are `dialogs.polls.agreement`'s; nothing here counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import reduce
from typing import Any

from dialogs.collaborative.participation import SMALLEST_GROUP
from dialogs.core.cards import Context, FieldItem, Fields, Text
from dialogs.core.language import _, ngettext
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
        Text(text=_("By organisation (the share of each organisation's support):")),
        Fields(items=[_organisation(name, o) for name, o in figures["organisations"].items()]),
    ]
    if figures["lowest"]:
        shown.append(Text(text=lowest(figures["lowest"])))
    if said := verdict(result):
        said = said if final else _("So far, {verdict}").format(verdict=said[0].lower() + said[1:])
        passed = figures["rule"]["passes"]
        shown.append(Text(text=said, tone="normal" if passed else "warning"))
    return shown + [Context(text=note) for note in notes(figures, voted, anonymous)]


def _organisation(name: str, figures: Mapping[str, Any]) -> FieldItem:
    voters = figures["voters"]
    support = figures["support"]
    if list(support) == [PROPOSAL]:
        value = _("{share} % consent").format(share=support[PROPOSAL])
    else:
        value = " · ".join(f"{label} {share} %" for label, share in support.items())
    label = ngettext("{name} ({count} voter)", "{name} ({count} voters)", voters)
    return FieldItem(label=label.format(name=name, count=voters), value=value)


def lowest(least: Mapping[str, Any]) -> str:
    """ "Lowest support in any organisation: A 38 % (Hilltop Trust) · B 20 % (Riverside)."."""
    parts = [
        f"{_shown(label)} {low['support']} % ({', '.join(low['in'])})"
        for label, low in least.items()
    ]
    return _("Lowest support in any organisation: {parts}.").format(parts=" · ".join(parts))


def _shown(label: str) -> str:
    return _("consent") if label == PROPOSAL else label


def verdict(result: Mapping[str, Any]) -> str:
    """The rule's verdict in one or two sentences; empty when the poll has no rule."""
    rule = result.get("agreement", {}).get("rule")
    if rule is None:
        return ""
    needed = rule["percent"]
    if rule["passes"]:
        return _("Passes in every organisation (at least {percent} %).").format(percent=needed)
    if rule["option"] is None:
        return _(
            "Nothing leads, so nothing passes the rule "
            "(at least {percent} % in every organisation)."
        ).format(percent=needed)
    if not rule["short"]:
        return _(
            "Does not pass: no organisation's votes can be shown, so none can be checked "
            "against the rule (at least {percent} % in every organisation)."
        ).format(percent=needed)
    shortfalls = [
        ngettext(
            "in {organisation} by {count} point ({support} % of {percent} %)",
            "in {organisation} by {count} points ({support} % of {percent} %)",
            s["points"],
        ).format(
            organisation=s["organisation"], count=s["points"], support=s["support"], percent=needed
        )
        for s in rule["short"]
    ]
    every = reduce(
        lambda short, more: _("{short} and {more}").format(short=short, more=more), shortfalls
    )
    return _("Does not pass: short {shortfalls}.").format(shortfalls=every)


def logged(result: Mapping[str, Any], voted: Mapping[str, int], anonymous: bool) -> str:
    """The verdict for the decision log, with the organisations an anonymous poll hid from it."""
    said = verdict(result)
    if said and anonymous:
        hidden = _hidden(result["agreement"], voted)
        if hidden:
            unchecked = _("Not checked, too few voters to show: {organisations}.")
            said += " " + unchecked.format(organisations=", ".join(hidden))
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
        absent = (
            _(
                "Did not vote: {organisations}. The rule leaves them out; an organisation with "
                "no voters is never counted as 0 %."
            )
            if ruled
            else _(
                "Did not vote: {organisations}. Left out; an organisation with no voters is "
                "never counted as 0 %."
            )
        )
        said.append(absent.format(organisations=", ".join(silent)))
    hidden = _hidden(figures, voted) if anonymous else {}
    if hidden:
        unshown = (
            _(
                "Not shown by organisation: {organisations}. An anonymous poll shows an "
                "organisation only with {smallest} or more voters; their votes count in the "
                "total only, so the rule could not check them."
            )
            if ruled
            else _(
                "Not shown by organisation: {organisations}. An anonymous poll shows an "
                "organisation only with {smallest} or more voters; their votes count in the "
                "total only."
            )
        )
        said.append(unshown.format(organisations=", ".join(hidden), smallest=SMALLEST_GROUP))
    if (unnamed := figures.get("unplaced", 0) - sum(hidden.values())) > 0:
        said.append(
            ngettext(
                "{count} voter gave no organisation: counted in the total, "
                "not in any organisation.",
                "{count} voters gave no organisation: counted in the total, "
                "not in any organisation.",
                unnamed,
            ).format(count=unnamed)
        )
    return said
