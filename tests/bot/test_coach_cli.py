"""`concord coach FILE|-`: a batch of survey questions reviewed with no database or settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bot.cli import main
from tests.support.coach_scores import DEV, rows

QUESTIONS = [
    {"kind": "checkin", "question": "Thoughts on the new rota?", "options": []},
    {"kind": "poll", "question": "Which site first?", "options": ["Riverside", "Kingsmead"]},
    {"kind": "poll", "question": "How long?", "options": ["0–5 days", "5–10 days", "Not sure"]},
]


def coach(arguments, cwd, stdin=b""):
    """`concord coach` as someone linting a survey runs it: its own process, no settings."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CONCORD_", "SLACK_"))}
    environment |= {"DATABASE_URL": "nonsense://", "CONCORD_PORT": "not a port"}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "coach", *arguments],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=environment,
        timeout=60,
    )


def lines(*questions):
    return "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions).encode("utf-8")


def test_one_line_out_per_question_in_order_without_settings(tmp_path):
    path = tmp_path / "questions.jsonl"
    path.write_bytes(lines(*QUESTIONS))
    done = coach([str(path)], cwd=os.getcwd())
    assert done.returncode == 0, done.stderr.decode()
    out = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [each["labels"] for each in out] == [["vague"], [], ["overlapping_options"]]
    assert all(set(each) == {"labels", "suggestions"} for each in out)
    assert "‘0–5 days’ and ‘5–10 days’ both include 5" in out[2]["suggestions"][0]


def test_standard_input_and_blank_lines(tmp_path):
    done = coach(["-"], cwd=os.getcwd(), stdin=lines(QUESTIONS[0]) + b"\n" + lines(QUESTIONS[1]))
    assert done.returncode == 0
    assert len(done.stdout.decode().splitlines()) == 2


def test_the_whole_dev_set_gives_its_labels(tmp_path, capsys):
    labelled = rows(DEV)
    path = tmp_path / "dev.jsonl"
    path.write_bytes(lines(*labelled))
    assert main(["coach", str(path)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(out) == len(labelled)
    pairs = zip(out, labelled, strict=True)
    agreed = sum(set(each["labels"]) == set(row["labels"]) for each, row in pairs)
    assert agreed / len(labelled) >= 0.8


def test_a_bad_line_is_named_and_nothing_is_printed(tmp_path, capsys):
    path = tmp_path / "questions.jsonl"
    cases = {
        b'{"question": "Which site?"\n': "line 2: not JSON",
        b'["Which site?"]\n': "line 2: expected a JSON object",
        b'{"kind": "survey", "question": "Which site?"}\n': 'line 2: "kind" must be',
        b'{"kind": "poll", "question": ""}\n': 'line 2: "question" must be some text',
        b'{"kind": "poll", "question": "Q?", "options": "Yes, No"}\n': 'line 2: "options"',
    }
    for bad, message in cases.items():
        path.write_bytes(lines(QUESTIONS[0]) + bad)
        assert main(["coach", str(path)]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.startswith(f"concord: {path}: {message}")


def test_a_missing_file_is_one_line(tmp_path, capsys):
    assert main(["coach", str(tmp_path / "nowhere.jsonl")]) == 2
    assert "No such file" in capsys.readouterr().err
