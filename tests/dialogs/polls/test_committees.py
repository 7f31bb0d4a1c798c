"""Committees in common, counted: each organisation's own outcome and the agreement line,
and the export that lets `concord recount` give the same."""

from __future__ import annotations

import pytest

from dialogs.polls import ballot_csv, committees

ORGS = ["Hilltop Trust", "Riverside", "Valley"]
SETTINGS = {"mode": "committees-in-common", "organisations": ORGS}


def agreement(ballots: list[list[int]], organisations: list[str | None]) -> tuple[str, list[str]]:
    counted = committees.counted("single", ["A", "B"], ballots, SETTINGS, organisations)
    found = counted["committees"]
    lines = [
        committees.organisation_line(name, decided, consent=False, final=True)
        for name, decided in found["organisations"].items()
    ]
    return committees.agreement_line(found, consent=False), lines


def test_all_organisations_agree():
    said, _ = agreement([[0], [0], [0]], ORGS)
    assert said == "Agreed by all organisations: “A”."


def test_a_tie_within_an_organisation_is_no_decision_and_silence_is_no_votes():
    said, lines = agreement([[0], [0], [1]], ["Hilltop Trust", "Riverside", "Riverside"])
    assert lines == [
        "Hilltop Trust decided: “A”.",
        "Riverside: no decision (tied).",
        "Valley: no votes.",
    ]
    assert said == "Not agreed by the organisations."


def test_a_majority_of_organisations_agree_and_the_rest_are_named():
    said, _ = agreement(
        [[1], [0], [0], [1], [1]], ["Valley", "Hilltop Trust", "Riverside", None, None]
    )
    assert said == (
        "Agreed by 2 of 3 organisations: “A” (Hilltop Trust, Riverside); Valley did not agree."
    )


def test_voters_with_no_organisation_belong_to_no_committee():
    counted = committees.counted("single", ["A", "B"], [[1], [1]], SETTINGS, [None, None])
    assert counted["winner"] == "B"
    assert committees.agreement_line(counted["committees"], consent=False) == (
        "Not agreed by the organisations."
    )


def test_the_export_states_the_mode_and_organisations_and_reads_them_back():
    rows = [("b1", "Valley", [0]), ("b2", None, [1])]
    text = ballot_csv.write("single", "Q?", ["A", "B"], SETTINGS, rows)
    assert (
        "# mode: committees-in-common\r\n"
        '# organisations: ["Hilltop Trust", "Riverside", "Valley"]\r\n' in text
    )
    assert ballot_csv.read(text).settings == SETTINGS


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            "# mode: unanimous",
            "line 4: 'mode' can be advisory, delegated, committees-in-common, not 'unanimous'",
        ),
        (
            "# organisations: Valley",
            "line 4: 'organisations' is a list like [\"A\", \"B\"], not 'Valley'",
        ),
    ],
)
def test_a_bad_governance_line_is_refused_by_line(line, problem):
    text = (
        f"# concord-ballots v1\n# type: single\n# question: Q?\n{line}\nballot,organisation,A,B\n"
    )
    with pytest.raises(ValueError, match="^" + problem.replace("[", r"\[").replace("]", r"\]")):
        ballot_csv.read(text)
