"""`concord recount FILE`: anyone can recompute a published result from its ballots file."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.cli import main
from dialogs.polls import ballot_csv
from dialogs.polls.tally import TIE_BREAK, dumps, result

POLLS = {
    "single": (["Yes", "No"], {"balance": "orgs"}, [[0], [1], [0], [1]]),
    "multi": (["A", "B", "C"], {"max": 2}, [[0, 2], [1], [1, 2], [2]]),
    "ranked": (["A", "B", "C"], {"balance": "orgs"}, [[2, 0, 1], [1], [0, 2], [1, 0]]),
    "score": (["A", "B"], {"balance": "orgs"}, [[5, 1], [0, 3], [4, 4], [2, 2]]),
    "dots": (["A", "B", "C"], {"dots": 5}, [[5, 0, 0], [1, 1, 1], [0, 0, 2], [0, 4, 1]]),
    "consent": (
        [],
        {"objections": 1, "balance": "orgs"},
        [("agree", ""), ("object", "Too soon"), ("live-with-it", ""), ("agree", "Yes!")],
    ),
    "consent, reasoned": (
        [],
        {"objections": 1},
        [("agree", "", ""), ("object", "Too soon", "Wait"), ("block", "No", "Ask"), ("agree", "")],
    ),
}
ORGANISATIONS = ["North Trust", "North Trust", None, "South Trust"]


def export(tmp_path, poll_type, options, settings, ballots, organisations=ORGANISATIONS):
    rows = [
        (f"b{i}", org, b) for i, (org, b) in enumerate(zip(organisations, ballots, strict=True))
    ]
    path = tmp_path / f"{poll_type}.csv"
    path.write_bytes(ballot_csv.write(poll_type, "Q?", options, settings, rows).encode("utf-8"))
    return path


def run_recount(path, cwd):
    """`concord recount` as an operator runs it: its own process, no settings at all."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CONCORD_", "SLACK_"))}
    environment |= {"DATABASE_URL": "nonsense://", "CONCORD_PORT": "not a port"}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "recount", str(path)],
        capture_output=True,
        cwd=cwd,
        env=environment,
        timeout=60,
    )


def test_recount_prints_exactly_the_result_the_bot_announced(tmp_path):
    options = ['Leeds, "North"', "Hull — east", "Ünïcødé"]
    ballots = [[2, 0], [1], [0, 2, 1], [1, 2]]
    settings = {"balance": "orgs"}
    path = export(tmp_path, "ranked", options, settings, ballots)
    finished = run_recount(path, cwd=tmp_path)
    assert finished.returncode == 0, finished.stderr.decode()
    announced = dumps(result("ranked", options, ballots, settings, ORGANISATIONS))
    assert finished.stdout == (announced + "\n").encode("utf-8")
    assert finished.stderr == b""


def test_a_bad_ballots_file_gets_one_line_and_exit_status_2(tmp_path):
    path = tmp_path / "ballots.csv"
    path.write_text(
        f"# concord-ballots v1\n# type: ranked\n# question: Q\n# tie-break: {TIE_BREAK}\n"
        "ballot,organisation,A,B\n1,,1,3\n",
        encoding="utf-8",
    )
    finished = run_recount(path, cwd=tmp_path)
    assert finished.returncode == 2
    assert finished.stdout == b""
    problem = "line 6: rank 2 is missing (ranks run 1, 2, 3… with no gaps or repeats)"
    assert finished.stderr.decode() == f"concord: {path}: {problem}\n"


@pytest.mark.parametrize("poll_type", list(POLLS))
def test_recount_agrees_with_the_bot_for_every_poll_type(poll_type, tmp_path, capsysbinary):
    options, settings, ballots = POLLS[poll_type]
    poll_type = poll_type.split(",")[0]
    path = export(tmp_path, poll_type, options, settings, ballots)
    assert main(["recount", str(path)]) == 0
    announced = dumps(result(poll_type, options, ballots, settings, ORGANISATIONS))
    assert capsysbinary.readouterr().out.decode("utf-8") == announced + "\n"


def test_a_consent_file_from_before_the_resolve_column_recounts_as_announced(tmp_path, capsys):
    ballots = [("agree", ""), ("object", "Too soon"), ("block", "No")]
    path = tmp_path / "consent.csv"
    path.write_text(
        "# concord-ballots v1\n# type: consent\n# question: Q?\n"
        "ballot,organisation,agree,live-with-it,object,block,reason\n"
        "b0,,1,,,,\nb1,,,,1,,Too soon\nb2,,,,,1,No\n",
        encoding="utf-8",
    )
    assert main(["recount", str(path)]) == 0
    assert capsys.readouterr().out == dumps(result("consent", [], ballots, {})) + "\n"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "No such file or directory"),
        (b"\xff\xfe# concord", "not UTF-8 text (byte 1 is 0xff)"),
        (b"ballot,organisation,A\n",
         "line 1: a ballots file starts with '# concord-ballots v2' or '# concord-ballots v1'"),
        (b"# concord-ballots v1\n# type: single\n# question: Q\nballot,organisation,A\n1,,2\n",
         "line 5: the cell for 'A' must be 1 or empty, not '2'"),
    ],
)  # fmt: skip
def test_every_problem_with_the_file_is_one_line_naming_it(content, problem, tmp_path, capsys):
    path = tmp_path / "ballots.csv"
    if content is not None:
        path.write_bytes(content)
    assert main(["recount", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"concord: {path}: {problem}\n"
