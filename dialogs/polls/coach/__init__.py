"""The question coach: finds what makes a poll or check-in question hard to answer well
(`findings.LABELS`), with concrete suggestions; it never blocks, and `review` is its face."""

from dialogs.polls.coach.findings import LABELS, Finding, Review
from dialogs.polls.coach.review import review

__all__ = ["LABELS", "Finding", "Review", "review"]  # i18n: not for readers
