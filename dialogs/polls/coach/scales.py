"""A hint, never a problem: a scale with no way to say "don't know".

Someone who cannot answer a scale honestly picks a point on it anyway, and the result
looks surer than it is. The coach suggests an abstain option but does not hold the
question back for want of one.
"""

from __future__ import annotations

import re

from dialogs.core.language import _
from dialogs.polls.coach import categories, ranges
from dialogs.polls.coach.findings import Finding
from dialogs.polls.coach.words import words

ABSTAIN = re.compile(
    r"\b(?:don'?t know|do not know|not sure|unsure|no view|no opinion|n/?a|not applicable|"
    r"prefer not to say|can'?t say|no preference|don'?t mind|none of these|other|not relevant|"
    r"no idea|can'?t remember)\b"
)
ORDINAL = {
    "good",
    "ok",
    "okay",
    "poor",
    "well",
    "badly",
    "average",
    "better",
    "same",
    "worse",
    "very",
    "fairly",
    "quite",
    "not",
    "at",
    "all",
    "agree",
    "disagree",
    "strongly",
    "neither",
    "nor",
    "great",
    "bad",
    "excellent",
    "fine",
    "much",
    "a",
    "bit",
    "little",
    "about",
    "the",
    "more",
    "less",
    "sort",
    "of",
    "somewhat",
    "slightly",
    "satisfied",
    "dissatisfied",
    "likely",
    "unlikely",
    "easy",
    "hard",
    "difficult",
    "useful",
    "helpful",
}


def missing_abstain(options: list[str]) -> Finding | None:
    if len(options) < 2 or any(
        ABSTAIN.search(option.lower().replace("’", "'")) for option in options
    ):
        return None
    if not _is_scale(options):
        return None
    return Finding(
        None,
        _("There is no way to say ‘don’t know’."),
        (_("Consider adding ‘Don’t know’, so that people who cannot answer needn’t guess."),),
    )


def _is_scale(options: list[str]) -> bool:
    unit = ranges.unit_named(options)
    if sum(ranges.interval(option, unit) is not None for option in options) >= 2:
        return not _clock_choice(options, unit)
    if sum(categories.frequency_kind(option) is not None for option in options) >= 2:
        return True
    return all(set(words(option)) <= ORDINAL and words(option) for option in options)


def _clock_choice(options: list[str], unit: str | None) -> bool:
    """Times offered as choices ("08:00", "08:30") are a choice, not a scale to estimate on."""
    read = [ranges.interval(option, unit) for option in options]
    return all(
        found is not None and found.scale == "clock" and found.lo == found.hi for found in read
    )
