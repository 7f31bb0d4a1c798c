"""`concord recount` reproduces agreement in every organisation byte for byte: support by
organisation, the lowest support in any organisation and the verdict of `--rule every-org P`,
for many random polls of every type; and files exported before the rule existed still read."""

from __future__ import annotations

import json
import random

import pytest

from bot.cli import main
from dialogs.core.poll_types import NEEDS_REASON, POLL_TYPES, STANCES
from dialogs.polls import ballot_csv
from dialogs.polls.tally import dumps, result

TRUSTS = ["Hilltop Trust", "Riverside Trust", 'Seaside, "East"', "=Quay Trust", None]
POLLS_PER_TYPE = 40


def random_ballot(draw: random.Random, poll_type: str, options: int, settings: dict) -> object:
    if poll_type == "single":
        return [draw.randrange(options)]
    if poll_type == "multi":
        return sorted(draw.sample(range(options), draw.randint(1, settings["max"])))
    if poll_type == "ranked":
        return draw.sample(range(options), draw.randint(1, options))
    if poll_type == "score":
        return [draw.randint(0, 5) for _ in range(options)]
    if poll_type == "dots":
        dots = [0] * options
        for _ in range(draw.randint(1, settings["dots"])):
            dots[draw.randrange(options)] += 1
        return dots
    stance = draw.choice(STANCES)
    return (stance, "Because" if stance in NEEDS_REASON else draw.choice(["", "Fine"]))


def random_poll(draw: random.Random, poll_type: str) -> tuple[list[str], dict, list, list]:
    options = [] if poll_type == "consent" else [f"Option {n}" for n in range(draw.randint(2, 5))]
    settings: dict = {}
    if poll_type == "multi":
        settings["max"] = draw.randint(1, len(options))
    if poll_type == "dots":
        settings["dots"] = draw.randint(1, 6)
    if poll_type != "ranked" and draw.random() < 0.7:
        settings |= {"rule": "every-org", "rule-percent": draw.randint(1, 100)}
    if draw.random() < 0.3:
        settings["balance"] = "orgs"
    voters = draw.randint(0, 25)
    ballots = [random_ballot(draw, poll_type, len(options), settings) for _ in range(voters)]
    trusts = [draw.choice(TRUSTS) for _ in range(voters)]
    return options, settings, ballots, trusts


@pytest.mark.parametrize("poll_type", list(POLL_TYPES))
def test_recount_reproduces_agreement_for_random_polls(poll_type, tmp_path, capsysbinary):
    draw = random.Random(f"agreement-{poll_type}")  # seeded: a failure repeats
    judged = 0
    for number in range(POLLS_PER_TYPE):
        options, settings, ballots, trusts = random_poll(draw, poll_type)
        announced = dumps(result(poll_type, options, ballots, settings, trusts))
        rows = [(f"b{i}", t, b) for i, (t, b) in enumerate(zip(trusts, ballots, strict=True))]
        path = tmp_path / f"{poll_type}-{number}.csv"
        text = ballot_csv.write(poll_type, "Q?", options, settings, rows)
        path.write_bytes(text.encode("utf-8"))
        assert main(["recount", str(path)]) == 0
        assert capsysbinary.readouterr().out.decode("utf-8") == announced + "\n"
        judged += "rule" in json.loads(announced).get("agreement", {})
    assert judged > 0 or poll_type == "ranked"


def test_a_file_exported_before_the_rule_still_reads_and_recounts(tmp_path, capsysbinary):
    path = tmp_path / "old.csv"
    path.write_bytes(
        b"# concord-ballots v1\r\n# type: single\r\n# question: Q?\r\n"
        b"ballot,organisation,A,B\r\nb1,North,1,\r\nb2,South,,1\r\nb3,South,1,\r\n"
    )
    assert main(["recount", str(path)]) == 0
    printed = json.loads(capsysbinary.readouterr().out)
    assert printed["agreement"]["lowest"] == {
        "A": {"support": 50, "in": ["South"]},
        "B": {"support": 0, "in": ["North"]},
    }
    assert "rule" not in printed["agreement"]


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        ("# type: ranked\n# rule: every-org\n", "line 3: 'rule' does not apply to a ranked poll"),
        ("# type: single\n# rule: most-orgs\n", "line 3: 'rule' can only be 'every-org'"),
        ("# type: single\n# rule: every-org\n# rule-percent: 101\n", "at most 100, not 101"),
    ],
)
def test_a_file_with_a_rule_recount_cannot_judge_is_refused(lines, problem, tmp_path, capsys):
    path = tmp_path / "ruled.csv"
    path.write_text(f"# concord-ballots v1\n{lines}# question: Q?\nballot,organisation,A\n")
    assert main(["recount", str(path)]) == 2
    assert problem in capsys.readouterr().err
