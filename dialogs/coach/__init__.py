"""The question coach: reviews a poll or check-in question before it is posted.

Specific questions get swifter, fuller answers than broad ones, and people answer a
short, clean list of options more readily than a long or muddled one. The coach looks
for five problems (see `findings.LABELS`), each with concrete suggestions, and never
blocks: the coordinator may always post the question as written. Plain rules, no model,
so it runs in the plain install in well under a millisecond a question.
"""

from dialogs.coach.findings import LABELS, Finding, Review
from dialogs.coach.review import review

__all__ = ["LABELS", "Finding", "Review", "review"]
