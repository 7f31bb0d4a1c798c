"""`concord coach FILE`: review a batch of survey questions, no database and no settings.

A partnership can lint its questions before it asks them: JSON lines in, each
`{"kind": "poll"|"checkin", "question": "...", "options": [...]}`, and one line out per
question, in order, `{"labels": [...], "suggestions": [...]}`. Every line is read and
checked before anything is printed (`bot.json_lines`), so a bad line stops the run with
its line number and no half-finished output.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from bot.json_lines import BadLine, load
from dialogs.polls.coach import review


def _question(row: Any, number: int) -> tuple[str, str, list[str]]:
    """A line's kind, question and options; BadLine if it is not a question to review."""
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
    questions, error = load(path, _question)
    if error:
        return 2, error
    for kind, question, options in questions:
        found = review(kind, question, options)
        said = {"labels": found.labels, "suggestions": found.suggestions}
        sys.stdout.buffer.write((json.dumps(said, ensure_ascii=False) + "\n").encode("utf-8"))
    sys.stdout.flush()
    return 0, ""
