"""A poll's outcome in words: who won or leads, a tie said as a tie, what a tie-break
decided, and whether a consent proposal was adopted. Every word comes from the result
`dialogs.polls.results` gives; nothing here counts.
"""

from __future__ import annotations

from functools import reduce
from typing import Any

from dialogs.core.language import _, ngettext
from dialogs.polls.tally import FEWER_IN_ROUND, LISTED_LATER


def outcome_text(result: dict[str, Any], *, final: bool = False) -> str:
    kind = result["type"]
    if kind == "consent":
        if not result.get("counts", {}) or not result.get("voters", 1):
            return _("Nobody has responded.")
        outcome = _consent_outcome(result)
        return outcome if final else _("So far: {outcome}").format(outcome=outcome)
    if result.get("tied"):
        return _("Tie between {names}.").format(names=_every(result["tied"]))
    winner = result.get("winner")
    if winner is None:
        return _("Nobody voted.")
    if kind in ("ranked", "score"):
        return _winner(kind, final).format(winner=winner) + _tie_breaks(result)
    count = result["counts"][winner]
    return _counted(kind, final, count).format(
        winner=winner, count=f"{count:g}", voters=result.get("voters")
    )


def _winner(kind: str, final: bool) -> str:
    if kind == "ranked":
        return (
            _("“{winner}” won after instant run-off.")
            if final
            else _("“{winner}” leads after instant run-off.")
        )
    return (
        _("“{winner}” won with the highest mean score.")
        if final
        else _("“{winner}” leads with the highest mean score.")
    )


def _counted(kind: str, final: bool, count: float) -> str:
    n = _plural_n(count)
    if kind == "dots":
        if final:
            return ngettext(
                "“{winner}” won with {count} dot.", "“{winner}” won with {count} dots.", n
            )
        return ngettext(
            "“{winner}” leads with {count} dot.", "“{winner}” leads with {count} dots.", n
        )
    if final:
        return ngettext(
            "“{winner}” won with {count} vote of {voters} voters.",
            "“{winner}” won with {count} votes of {voters} voters.",
            n,
        )
    return ngettext(
        "“{winner}” leads with {count} vote of {voters} voters.",
        "“{winner}” leads with {count} votes of {voters} voters.",
        n,
    )


def _plural_n(count: float) -> int:
    """The number that chooses a counted message's form (a weighted share takes "many")."""
    return int(count) if count == int(count) else 5


def _tie_breaks(result: dict[str, Any]) -> str:
    """What a tie-break decided, said out loud (empty when none did)."""
    said = []
    for tie in result.get("tie_break", []):
        names = _names(tie["between"])
        if "eliminated" in tie:
            said.append(_elimination(tie, names))
        else:
            said.append(
                _("{names} had the same mean score; the higher median decided.").format(names=names)
            )
    later = [line[0].upper() + line[1:] for line in said[1:]]
    if not said:
        return ""
    return " " + _("Decided by a tie-break: {decided}").format(
        decided=" ".join([*said[:1], *later])
    )


def _elimination(tie: dict[str, Any], names: str) -> str:
    """The sentence for one round's tie-break, by the rule the tally names."""
    said = {"round": tie["round"], "names": names, "eliminated": tie["eliminated"]}
    if tie["rule"] == LISTED_LATER:
        return _(
            "in round {round}, {names} had the fewest votes; “{eliminated}” was eliminated "
            "because it is listed later in the poll."
        ).format(**said)
    earlier = tie["rule"].removeprefix(FEWER_IN_ROUND.split("{", 1)[0])
    return _(
        "in round {round}, {names} had the fewest votes; “{eliminated}” was eliminated "
        "because it had fewer votes in round {earlier}."
    ).format(**said, earlier=earlier)


def _names(labels: list[str]) -> str:
    quoted = [f"“{label}”" for label in labels]
    if len(quoted) == 1:
        return quoted[0]
    return _and(", ".join(quoted[:-1]), quoted[-1])


def _every(labels: list[str]) -> str:
    """Each label in quotes, joined by “and” (“A” and “B” and “C”)."""
    return reduce(_and, (f"“{label}”" for label in labels))


def _and(items: str, last: str) -> str:
    return _("{items} and {last}").format(items=items, last=last)


def _consent_outcome(result: dict[str, Any]) -> str:
    counts = result["counts"]
    adopted = result["winner"] == "adopted"
    objections = counts.get("object", 0)
    blocks = counts.get("block", 0)
    if adopted:
        return ngettext(
            "Adopted: no blocks, {count} objection.",
            "Adopted: no blocks, {count} objections.",
            _plural_n(objections),
        ).format(count=f"{objections:g}")
    if blocks:
        return ngettext(
            "Not adopted: {count} block.", "Not adopted: {count} blocks.", _plural_n(blocks)
        ).format(count=f"{blocks:g}")
    return ngettext(
        "Not adopted: {count} objection, more than allowed.",
        "Not adopted: {count} objections, more than allowed.",
        _plural_n(objections),
    ).format(count=f"{objections:g}")
