"""What "support" means for each poll type, and the rule's verdict, from plain ballots (the
figures `tally.result` announces and `concord recount` prints)."""

from __future__ import annotations

import pytest

from dialogs.polls.agreement import passes
from dialogs.polls.tally import result

RULE = {"rule": "every-org", "rule-percent": 60}
TRUSTS = ["Hilltop", "Hilltop", "Riverside", "Riverside", "Riverside"]


@pytest.mark.parametrize(
    ("poll_type", "settings", "ballots", "support"),
    [
        # Dots: the share of the organisation's dots. Riverside put 2 of its 6 dots on A.
        (
            "dots",
            {"dots": 3},
            [[3, 0], [2, 1], [1, 1], [0, 2], [1, 1]],
            {"Hilltop": {"A": 83, "B": 16}, "Riverside": {"A": 33, "B": 66}},
        ),
        # Score: the share scoring it above the middle of 0 to 5 (3, 4 or 5).
        (
            "score",
            {},
            [[5, 0], [3, 2], [2, 5], [3, 3], [0, 4]],
            {"Hilltop": {"A": 100, "B": 0}, "Riverside": {"A": 33, "B": 100}},
        ),
        # Multi: the share ticking it.
        (
            "multi",
            {"max": 2},
            [[0, 1], [0], [0], [1], [0, 1]],
            {"Hilltop": {"A": 100, "B": 50}, "Riverside": {"A": 66, "B": 66}},
        ),
    ],
)
def test_support_by_type(poll_type, settings, ballots, support):
    outcome = result(poll_type, ["A", "B"], ballots, settings | RULE, TRUSTS)
    figures = outcome["agreement"]
    assert {name: o["support"] for name, o in figures["organisations"].items()} == support
    least = min(support, key=lambda name: support[name]["A"])
    assert figures["lowest"]["A"] == {"support": support[least]["A"], "in": [least]}


def test_consent_support_is_the_share_who_agree_or_can_live_with_it():
    ballots = [("agree", ""), ("live-with-it", ""), ("object", "No"), ("agree", ""), ("agree", "")]
    outcome = result("consent", [], ballots, {"objections": 1} | RULE, TRUSTS)
    assert outcome["winner"] == "adopted"
    assert outcome["agreement"]["rule"] == {
        "name": "every-org",
        "percent": 60,
        "option": "the proposal",
        "passes": True,
        "short": [],
    }
    assert passes(outcome)


def test_a_tie_overall_leaves_the_rule_nothing_to_pass():
    outcome = result("single", ["A", "B"], [[0], [1]], RULE, ["Hilltop", "Riverside"])
    assert outcome["agreement"]["rule"]["option"] is None
    assert not passes(outcome)


def test_one_organisation_and_no_rule_show_no_figures_and_ranked_never_does():
    assert "agreement" not in result("single", ["A", "B"], [[0], [1]], {}, ["Hilltop"] * 2)
    ranked = result("ranked", ["A", "B"], [[0, 1], [1]], {}, ["Hilltop", "Riverside"])
    assert "agreement" not in ranked and passes(ranked)


def test_a_share_just_under_the_rule_is_never_shown_as_meeting_it():
    ballots = [[0]] * 199 + [[1]] * 134  # Riverside: 199 of 333 is 59.76 %
    outcome = result("single", ["A", "B"], ballots, RULE, ["Riverside"] * 333)
    assert outcome["agreement"]["rule"]["short"] == [
        {"organisation": "Riverside", "support": 59, "points": 1}
    ]
