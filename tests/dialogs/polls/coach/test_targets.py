"""The coach's targets from issue 21, on the labelled dev set and on our own cases.

The dev set (tests/data/questions_dev.jsonl, a copy of shared/data/) is what the rules were
developed against; our own set (tests/data/questions_own.jsonl) was written by hand, in
batches each labelled before the rules saw it (from o047 on; see docs/benchmarks.md for how
they scored at first sight), so it is the nearer guide to questions nobody has seen. Its bar
is looser on purpose: the point is to catch a rule that only works for the dev set's wording.
"""

from __future__ import annotations

import pytest

from tests.support.coach_scores import DEV, OWN, rows, score

BARS = {DEV: (0.85, 0.10, 0.70), OWN: (0.80, 0.15, 0.65)}


@pytest.mark.parametrize("path", [DEV, OWN], ids=["dev", "own"])
def test_the_coach_meets_its_targets(path):
    flagged, wrongly_flagged, macro_f1 = BARS[path]
    scores = score(rows(path))
    shown = {each.label: round(each.f1, 2) for each in scores.per_label}
    assert scores.flagged >= flagged, shown
    assert scores.wrongly_flagged <= wrongly_flagged, shown
    assert scores.macro_f1 >= macro_f1, shown


def test_every_label_is_found_somewhere_in_the_dev_set():
    """Macro F1 could hide a label the coach never finds; each must earn its keep."""
    assert all(each.f1 >= 0.5 for each in score(rows(DEV)).per_label)
