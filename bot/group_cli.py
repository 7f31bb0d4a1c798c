"""`concord group FILE --max-groups N`: group a batch of statements, no database and no settings.

A partnership can try the purpose round's grouping on its own statements (or score it
against labelled ones): JSON lines in, each `{"text": "..."}`, and one JSON list out, the
groups as lists of line positions (0 for the first statement), exactly what
`group_proposals` returns: every statement once, largest group first. Every line is read
and checked before anything is grouped (`bot.json_lines`), so a bad line stops the run
with its line number.
"""

from __future__ import annotations

import json
from typing import Any

from bot.json_lines import BadLine, load
from dialogs.purpose.grouping import group_proposals


def _statement(row: Any, number: int) -> str:
    """A line's statement; BadLine if it is not an object with some "text"."""
    text = row.get("text") if isinstance(row, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise BadLine(f'line {number}: expected a JSON object with some "text"')
    return text


def main(path: str, max_groups: int) -> tuple[int, str]:
    """Group the statements in `path` ("-" for standard input): the exit code and any error."""
    if max_groups < 1:
        return 2, f"--max-groups must be at least 1, not {max_groups}"
    texts, error = load(path, _statement)
    if error:
        return 2, error
    print(json.dumps(group_proposals(texts, max_groups)), flush=True)
    return 0, ""
