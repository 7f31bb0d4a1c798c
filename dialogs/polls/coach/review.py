"""`review`: every check on one question, in the order the findings are shown.

Specific questions get swifter, fuller answers than broad ones, and people answer a short,
clean list of options more readily than a long or muddled one; the checks are plain rules
(no model), so the plain install catches everything the coach knows, in well under a
millisecond a question, and the coordinator may always post the question as written.
"""

from __future__ import annotations

from dialogs.polls.coach import double, leading, options, scales, vague
from dialogs.polls.coach.findings import Finding, Review

KINDS = ("poll", "checkin")


def review(kind: str, question: str, choices: list[str] | None = None) -> Review:
    """What the coach finds in a poll or check-in question and its options.

    Options count only for polls; a check-in, like a purpose prompt, is answered in words
    (review a purpose prompt as "checkin"). Raises ValueError for
    a kind it does not know, so that a typo is not mistaken for a clean question.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be poll or checkin, not {kind!r}")
    choices = (
        [choice.strip() for choice in choices or [] if choice.strip()] if kind == "poll" else []
    )
    found: list[Finding | None] = [
        vague.check(question, open_answer=kind == "checkin"),
        double.check(question),
        leading.check(question),
        options.too_many(choices),
        options.overlapping(choices),
        scales.missing_abstain(choices),
    ]
    return Review(tuple(finding for finding in found if finding is not None))
