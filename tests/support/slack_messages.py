"""Reading a poll message as Slack keeps it: the figures its result bars show."""

from __future__ import annotations

import itertools
import re
from typing import Any

BAR = re.compile(r"[▇▁]+ (\d+) · \d+%")
LEADING = " (leading)"


def vote_counts(message: dict[str, Any]) -> dict[str, int]:
    """Option → votes, as the result bars of a poll message read (`Soup` over `▇▇▁ 1 · 50%`;
    the option ahead says so in words, `Soup (leading)`, which is not part of its name)."""
    counts: dict[str, int] = {}
    for block in message.get("blocks", []):
        text = block.get("text", {}).get("text", "") if block["type"] == "section" else ""
        for above, line in itertools.pairwise(text.split("\n")):
            if bar := BAR.fullmatch(line):
                counts[above.replace(LEADING, "").strip("*")] = int(bar[1])
    return counts
