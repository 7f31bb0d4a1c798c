"""The ballots export: what `poll export` writes is exactly what `concord recount` reads."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogs.polls import ballot_csv
from dialogs.polls.tally import TIE_BREAK, InvalidBallot

EXAMPLES = {
    "single": (["Yes", "No"], {"balance": "orgs"}, [[0], [1], [0]]),
    "multi": (["A", "B", "C"], {"max": 2}, [[0, 2], [1], [1, 2]]),
    "ranked": (["A", "B", "C"], {"balance": "orgs"}, [[2, 0, 1], [1], [0, 2]]),
    "score": (["A", "B"], {"min-score": -2, "max-score": 10}, [[10, -2], [0, 3], [5, 5]]),
    "dots": (["A", "B", "C"], {"dots": 5}, [[5, 0, 0], [1, 1, 1], [0, 0, 2]]),
    "consent": (
        [],
        {"objections": 2, "balance": "orgs"},
        [
            ("agree", "", ""),
            ("object", 'Too soon, "really"\nsecond line', "Wait a year"),
            ("block", "No", "=Ask the board"),
        ],
    ),
}
ORGANISATIONS = ["North Trust", None, 'South, "West" Trust']


def header(poll_type, *lines):
    return "\n".join(["# concord-ballots v1", f"# type: {poll_type}", "# question: Q?", *lines])


@pytest.mark.parametrize("poll_type", list(EXAMPLES))
def test_every_poll_type_reads_back_exactly_as_written(poll_type):
    options, settings, ballots = EXAMPLES[poll_type]
    rows = [
        (f"b{i}", org, b) for i, (org, b) in enumerate(zip(ORGANISATIONS, ballots, strict=True))
    ]
    export = ballot_csv.read(ballot_csv.write(poll_type, "Which way?", options, settings, rows))
    assert export == ballot_csv.Export(
        poll_type, "Which way?", options, settings, ballots, ORGANISATIONS
    )


def test_the_file_says_what_it_is_and_rows_look_like_the_spreadsheet_people_expect():
    text = ballot_csv.write(
        "ranked",
        "Where next?",
        ["Leeds", "York"],
        {"balance": "orgs", "anonymous": True},  # not a tally setting: not written
        [("7f3a", "North Trust", [1, 0]), ("c210", None, [0])],
    )
    assert text.split("\r\n") == [
        "# concord-ballots v1",
        "# type: ranked",
        "# question: Where next?",
        "# balance: orgs",
        f"# tie-break: {TIE_BREAK}",
        "ballot,organisation,Leeds,York",
        "7f3a,North Trust,2,1",
        "c210,,1,",
        "",
    ]


def test_rows_stay_in_the_order_given_so_the_caller_decides_the_shuffle():
    rows = [("z", None, [1]), ("a", None, [0]), ("m", None, [1])]
    text = ballot_csv.write("single", "Q", ["A", "B"], {}, rows)
    assert [line.split(",")[0] for line in text.splitlines()[4:]] == ["z", "a", "m"]


def test_consent_rows_mark_the_stance_and_carry_the_harm_and_what_would_resolve_it():
    rows = [("1", None, ("object", "Cost", "Share it")), ("2", None, ("block", "Too soon"))]
    text = ballot_csv.write("consent", "Adopt?", [], {}, rows)
    assert text.splitlines()[-3:] == [
        "ballot,organisation,agree,live-with-it,object,block,reason,resolve",
        "1,,,,1,,Cost,Share it",
        "2,,,,,1,Too soon,",  # a ballot from before the second question
    ]


def test_a_consent_file_from_before_the_resolve_column_still_reads():
    text = header(
        "consent",
        "ballot,organisation,agree,live-with-it,object,block,reason",
        "1,North,,,1,,Cost",
        "2,,1,,,,",
    )
    export = ballot_csv.read(text)
    assert export.ballots == [("object", "Cost"), ("agree", "")]
    assert export.organisations == ["North", None]


def test_a_question_on_several_lines_is_written_on_one():
    text = ballot_csv.write("single", "Shall we\nmerge?  ", ["A"], {}, [])
    assert ballot_csv.read(text).question == "Shall we merge?"


def test_unix_line_ends_and_a_byte_order_mark_are_accepted():
    text = ballot_csv.write("single", "Q", ["A", "B"], {}, [("1", "N", [1])])
    export = ballot_csv.read("\ufeff" + text.replace("\r\n", "\n"))
    assert export.ballots == [[1]]
    assert export.options == ["A", "B"]


labels = st.text(min_size=1, max_size=12).filter(lambda s: s.strip())
free_text = st.text(max_size=12)


@given(st.lists(labels, min_size=1, max_size=4, unique=True), st.data())
def test_any_labels_organisations_and_reasons_survive_the_round_trip(options, data):
    organisations = data.draw(st.lists(st.none() | labels, max_size=5))
    ranking = st.permutations(range(len(options))).flatmap(
        lambda order: st.integers(1, len(options)).map(lambda k: list(order[:k]))
    )
    ballots = data.draw(st.lists(ranking, min_size=len(organisations), max_size=len(organisations)))
    rows = [
        (f'id,{i}"', org, b) for i, (org, b) in enumerate(zip(organisations, ballots, strict=True))
    ]
    export = ballot_csv.read(ballot_csv.write("ranked", "Q", options, {}, rows))
    assert (export.options, export.ballots, export.organisations) == (
        options,
        ballots,
        organisations,
    )

    stances = st.sampled_from(["agree", "live-with-it", "object", "block"])
    reasons = data.draw(st.lists(st.tuples(stances, labels, free_text), max_size=4))
    rows = [(str(i), None, reason) for i, reason in enumerate(reasons)]
    assert ballot_csv.read(ballot_csv.write("consent", "Q", [], {}, rows)).ballots == reasons


def test_writing_refuses_what_could_not_be_read_back():
    with pytest.raises(InvalidBallot):
        ballot_csv.write("single", "Q", ["A", "B"], {}, [("1", None, [0, 1])])
    with pytest.raises(ValueError, match="'balance' can only be 'orgs'"):
        ballot_csv.write("single", "Q", ["A"], {"balance": "people"}, [])
    with pytest.raises(ValueError, match="unknown poll type"):
        ballot_csv.write("approval", "Q", ["A"], {}, [])


RANKED = header("ranked", f"# tie-break: {TIE_BREAK}", "ballot,organisation,A,B,C")
SINGLE = header("single", "ballot,organisation,A,B")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: a ballots file starts with '# concord-ballots v2' or '# concord-ballots v1'"),
        ("ballot,organisation,A\n1,,1\n", "line 1: a ballots file starts with"),
        (
            "# concord-ballots v3\n",
            "line 1: a ballots file starts with '# concord-ballots v2' or "
            "'# concord-ballots v1', not",
        ),
        (header("approval"), "line 2: unknown poll type 'approval'"),
        ("# concord-ballots v1\n# question: Q\n", "lack '# type: …'"),
        ("# concord-ballots v1\n# type: single\n", "lack '# question: …'"),
        (header("single", "# no colon here"), "line 4: expected '# name: value'"),
        (header("single", "# type: multi"), "line 4: 'type' is given twice (first on line 2)"),
        (header("single", "# colour: red"), "line 4: 'colour' is not a setting"),
        (header("ranked", "# dots: 5"), "line 4: 'dots' does not apply to a ranked poll"),
        (header("multi", "# max: two"), "line 4: 'max' must be a whole number, not 'two'"),
        (header("multi", "# max: 0"), "line 4: 'max' must be at least 1, not 0"),
        (header("single", "# balance: people"), "line 4: 'balance' can only be 'orgs'"),
        (header("dots", "ballot,organisation,A"), "lack '# dots: …'"),
        (header("ranked", "ballot,organisation,A"), "lack '# tie-break: …'"),
        (
            header("ranked", "# tie-break: coin toss"),
            "line 4: this file breaks ties by 'coin toss'",
        ),
        (header("score", "# min-score: 6"), "'min-score' (6) is above 'max-score' (5)"),
        (header("single"), "line 4: the header row is missing"),
        (header("single", "id,organisation,A"), "line 4: the header must be ballot,organisation,"),
        (header("single", "ballot,organisation"), "line 4: the header must be"),
        (header("single", "ballot,organisation,A,A"), "line 4: option 'A' appears twice"),
        (header("single", "ballot,organisation,A, "), "line 4: option 2 has no label"),
        (header("consent", "ballot,organisation,agree,object"), "line 4: the header must be"),
        (SINGLE + "\n1,,1\n", "line 5: expected 4 cells, found 3"),
        (SINGLE + "\n,,1,\n", "line 5: the ballot id is empty"),
        (SINGLE + "\n1,,1,\n\n1,,,1\n", "line 7: ballot '1' is already on line 5"),
        (SINGLE + "\n1,,x,\n", "line 5: the cell for 'A' must be 1 or empty, not 'x'"),
        (SINGLE + "\n1,,1,1\n", "line 5: a ballot chooses exactly one option, not 2"),
        (SINGLE + "\n1,,,\n", "line 5: a ballot chooses exactly one option, not 0"),
        (SINGLE + '\n1,,"1,\n', "line 5: not valid CSV"),
        (RANKED + "\n1,,1,3,\n", "line 6: rank 2 is missing"),
        (RANKED + "\n1,,1,1,2\n", "line 6: rank 1 is given twice"),
        (RANKED + "\n1,,0,1,\n", "line 6: rank 0 is below 1"),
        (RANKED + "\n1,,,,\n", "line 6: the ballot ranks no option"),
        (RANKED + "\n1,,first,,\n", "line 6: the rank for 'A' must be a whole number, not 'first'"),
        (header("score", "ballot,organisation,A\n1,,4.5"), "line 5: the score for 'A' must be"),
        (header("score", "ballot,organisation,A\n1,,9"), "line 5: score 9 is outside 0 to 5"),
        (header("dots", "# dots: 3", "ballot,organisation,A,B\n1,,2,2"), "1 to 3 dots, not 4"),
        (header("dots", "# dots: 3", "ballot,organisation,A,B\n1,,2,"), "must be a whole number"),
        (
            header(
                "consent", "ballot,organisation,agree,live-with-it,object,block,reason\n1,,,,1,,"
            ),
            "line 5: a ballot that says 'object' must give a reason",
        ),
        (
            header(
                "consent", "ballot,organisation,agree,live-with-it,object,block,reason\n1,,,,,1, "
            ),
            "line 5: a ballot that says 'block' must give a reason",
        ),
        (
            header(
                "consent", "ballot,organisation,agree,live-with-it,object,block,reason\n1,,1,1,,,"
            ),
            "line 5: mark exactly one of agree, live-with-it, object, block",
        ),
    ],
)
def test_a_malformed_file_is_refused_naming_the_line_and_the_problem(text, message):
    with pytest.raises(ValueError) as caught:
        ballot_csv.read(text)
    assert message in str(caught.value)


def test_text_a_spreadsheet_would_run_is_written_as_text_and_read_back_exactly():
    """OWASP's CSV-injection defence: formulas in labels, organisations and reasons."""
    labels = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "'quoted", "\tTab"]
    rows = [("b1", "=cmd|' /C calc'!A0", [0]), ("b2", "'Trust", [5])]
    text = ballot_csv.write("single", "Q?", labels, {}, rows)
    header_row, *ballot_rows = csv.reader(io.StringIO(text.split("\r\n", 3)[3]))
    assert header_row[2:] == ["'" + label for label in labels]
    assert [row[1] for row in ballot_rows] == ["'=cmd|' /C calc'!A0", "''Trust"]
    export = ballot_csv.read(text)
    assert export.options == labels
    assert export.organisations == ["=cmd|' /C calc'!A0", "'Trust"]
    ballot = ("object", "=1+1", "@SUM(A1)")
    consent = ballot_csv.write("consent", "Q?", [], {}, [("b1", None, ballot)])
    assert consent.endswith(",'=1+1,'@SUM(A1)\r\n")
    assert ballot_csv.read(consent).ballots == [ballot]
