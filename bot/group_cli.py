"""`concord group FILE --max-groups N`: group a batch of statements, no database and no settings.

A partnership can try the purpose round's grouping on its own statements (or score it
against labelled ones): JSON lines in, each `{"text": "..."}`, and one JSON list out, the
groups as lists of line positions (0 for the first statement), exactly what
`group_proposals` returns: every statement once, largest group first. Every line is read
and checked before anything is grouped, so a bad line stops the run with its line number.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from dialogs.purpose.grouping import group_proposals


class BadLine(ValueError):
    """A line that is not a statement; the message names the line."""


def read(source: str) -> list[str]:
    """The statements in the JSON lines of `source` (blank lines skipped); BadLine if one is
    not an object with some "text"."""
    texts = []
    for number, line in enumerate(source.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row: Any = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadLine(
                f"line {number}: not JSON ({error.msg} at column {error.colno})"
            ) from None
        text = row.get("text") if isinstance(row, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise BadLine(f'line {number}: expected a JSON object with some "text"')
        texts.append(text)
    return texts


def main(path: str, max_groups: int) -> tuple[int, str]:
    """Group the statements in `path` ("-" for standard input): the exit code and any error."""
    if max_groups < 1:
        return 2, f"--max-groups must be at least 1, not {max_groups}"
    try:
        source = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        texts = read(source.decode("utf-8"))
    except OSError as error:
        return 2, f"{path}: {error.strerror or error}"
    except UnicodeDecodeError as error:
        return 2, f"{path}: not UTF-8 text (byte {error.start + 1})"
    except BadLine as error:
        return 2, f"{path}: {error}"
    print(json.dumps(group_proposals(texts, max_groups)), flush=True)
    return 0, ""
