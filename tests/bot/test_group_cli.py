"""`concord group FILE|- --max-groups N`: statements grouped with no database or settings."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from bot.cli import main
from dialogs.purpose.grouping import group_proposals
from tests.support.paths import DATA

STATEMENTS = [
    "Recruit nurses together rather than poaching from each other",
    "Share theatre capacity so fewer people wait",
    "Recruit nurses together, not poach them from each other",
    "One shared patient record across every trust",
]


def group(arguments, stdin=b""):
    """`concord group` as an analyst runs it: its own process, no settings, no database."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("CONCORD_", "SLACK_"))}
    environment |= {"DATABASE_URL": "nonsense://", "CONCORD_PORT": "not a port"}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "group", *arguments],
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=300,
    )


def lines(texts):
    return "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts).encode()


def test_groups_from_a_file_without_settings(tmp_path):
    path = tmp_path / "statements.jsonl"
    path.write_bytes(lines(STATEMENTS))
    done = group([str(path), "--max-groups", "3"])
    assert done.returncode == 0, done.stderr.decode()
    groups = json.loads(done.stdout)
    assert sorted(i for g in groups for i in g) == [0, 1, 2, 3]
    assert [0, 2] in groups


def test_the_same_groups_as_group_proposals_every_index_once(tmp_path, capsys):
    texts = [json.loads(line)["text"] for line in (DATA / "purpose_statements_dev2.jsonl").open()]
    path = tmp_path / "dev2.jsonl"
    path.write_bytes(lines(texts).replace(b"\n", b"\n\n", 3))  # blank lines are skipped
    assert main(["group", str(path), "--max-groups", "8"]) == 0
    groups = json.loads(capsys.readouterr().out)
    assert sorted(i for g in groups for i in g) == list(range(len(texts)))
    assert groups == group_proposals(texts, 8)


def test_standard_input(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(lines(STATEMENTS[:2]))))
    assert main(["group", "-", "--max-groups", "5"]) == 0
    assert json.loads(capsys.readouterr().out) == [[0], [1]]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"text": "Share beds"}\n{"text": "Buy together"\n', "line 2: not JSON"),
        (
            b'{"text": "Share beds"}\n\n["Buy together"]\n',
            'line 3: expected a JSON object with some "text"',
        ),
        (b'{"text": "   "}\n', 'line 1: expected a JSON object with some "text"'),
        (b'{"words": "Share beds"}\n', 'line 1: expected a JSON object with some "text"'),
        (b"\xff\xfe", "not UTF-8 text"),
    ],
)
def test_a_bad_line_is_named_and_nothing_is_printed(tmp_path, capsys, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(content)
    assert main(["group", str(path), "--max-groups", "3"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err and str(path) in err


def test_a_missing_file_and_a_bad_count(tmp_path, capsys):
    assert main(["group", str(tmp_path / "none.jsonl"), "--max-groups", "3"]) == 2
    assert "No such file" in capsys.readouterr().err
    assert main(["group", "-", "--max-groups", "0"]) == 2
    assert "--max-groups must be at least 1, not 0" in capsys.readouterr().err
