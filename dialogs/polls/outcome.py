"""A poll's outcome in words: who won or leads, a tie said as a tie, what a tie-break
decided, and whether a consent proposal was adopted. Every word comes from the result
`dialogs.polls.results` gives; nothing here counts.
"""

from __future__ import annotations

from typing import Any


def outcome_text(result: dict[str, Any], *, final: bool = False) -> str:
    kind = result["type"]
    if kind == "consent":
        if not result.get("counts", {}) or not result.get("voters", 1):
            return "Nobody has responded."
        verb = "" if final else "so far: "
        return f"{verb.capitalize() if verb else ''}{_consent_outcome(result)}"
    if result.get("tied"):
        names = " and ".join(f"“{t}”" for t in result["tied"])
        return f"Tie between {names}."
    winner = result.get("winner")
    if winner is None:
        return "Nobody voted."
    verb = "won" if final else "leads"
    if kind == "ranked":
        return f"“{winner}” {verb} after instant run-off.{_tie_breaks(result)}"
    if kind == "score":
        return f"“{winner}” {verb} with the highest mean score.{_tie_breaks(result)}"
    count = result["counts"][winner]
    noun = ("dot" if kind == "dots" else "vote") + ("" if count == 1 else "s")
    of = "" if kind == "dots" else f" of {result['voters']} voters"
    return f"“{winner}” {verb} with {count:g} {noun}{of}."


def _tie_breaks(result: dict[str, Any]) -> str:
    """What a tie-break decided, said out loud (empty when none did)."""
    said = []
    for tie in result.get("tie_break", []):
        names = _names(tie["between"])
        if "eliminated" in tie:
            why = {"listed later in the poll": "it is listed later in the poll"}.get(
                tie["rule"], f"it had {tie['rule']}"
            )
            said.append(
                f"in round {tie['round']}, {names} had the fewest votes; "
                f"“{tie['eliminated']}” was eliminated because {why}."
            )
        else:
            said.append(f"{names} had the same mean score; the higher median decided.")
    later = [line[0].upper() + line[1:] for line in said[1:]]
    return " Decided by a tie-break: " + " ".join([*said[:1], *later]) if said else ""


def _names(labels: list[str]) -> str:
    quoted = [f"“{label}”" for label in labels]
    return ", ".join(quoted[:-1]) + f" and {quoted[-1]}" if len(quoted) > 1 else quoted[0]


def _consent_outcome(result: dict[str, Any]) -> str:
    counts = result["counts"]
    adopted = result["winner"] == "adopted"
    objections = counts.get("object", 0)
    blocks = counts.get("block", 0)
    if adopted:
        return f"Adopted: no blocks, {objections:g} objection{'s' * (objections != 1)}."
    if blocks:
        return f"Not adopted: {blocks:g} block{'s' * (blocks != 1)}."
    return f"Not adopted: {objections:g} objection{'s' * (objections != 1)}, more than allowed."
