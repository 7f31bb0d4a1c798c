"""`concord coach FILE`: review a batch of survey questions, no database and no settings.

A partnership can lint its questions before it asks them: JSON lines in, each
`{"kind": "poll"|"checkin", "question": "...", "options": [...]}`, and one line out per
question, in order, `{"labels": [...], "suggestions": [...]}`. Every line is read and
checked before anything is printed, so a bad line stops the run with its line number and
no half-finished output.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from dialogs.polls.coach import review


class BadLine(ValueError):
    """A line that is not a question the coach can read; the message names the line."""


def run(source: str) -> list[str]:
    """The output lines for the JSON lines in `source`; raises BadLine on the first bad one."""
    out = []
    for number, line in enumerate(source.splitlines(), start=1):
        if not line.strip():
            continue
        kind, question, options = _read(line, number)
        found = review(kind, question, options)
        out.append(
            json.dumps(
                {"labels": found.labels, "suggestions": found.suggestions}, ensure_ascii=False
            )
        )
    return out


def _read(line: str, number: int) -> tuple[str, str, list[str]]:
    try:
        row: Any = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadLine(f"line {number}: not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(row, dict):
        raise BadLine(f"line {number}: expected a JSON object with a question")
    kind, question, options = row.get("kind", "poll"), row.get("question"), row.get("options", [])
    if kind not in ("poll", "checkin"):
        raise BadLine(f'line {number}: "kind" must be "poll" or "checkin", not {kind!r}')
    if not isinstance(question, str) or not question.strip():
        raise BadLine(f'line {number}: "question" must be some text')
    if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
        raise BadLine(f'line {number}: "options" must be a list of texts')
    return kind, question, options


def main(path: str) -> tuple[int, str]:
    """Run the coach over `path` ("-" for standard input): the exit code and any error."""
    try:
        source = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        lines = run(source.decode("utf-8"))
    except OSError as error:
        return 2, f"{path}: {error.strerror or error}"
    except UnicodeDecodeError as error:
        return 2, f"{path}: not UTF-8 text (byte {error.start + 1})"
    except BadLine as error:
        return 2, f"{path}: {error}"
    sys.stdout.buffer.write("".join(f"{line}\n" for line in lines).encode("utf-8"))
    sys.stdout.flush()
    return 0, ""
