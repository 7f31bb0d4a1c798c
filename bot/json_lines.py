"""Reading JSON lines from a file or standard input, for the commands that need no database
or settings (`concord coach`, `concord group`).

Every line is read and checked before the caller does anything with them, so a bad line
stops the run with its line number and no half-finished output. Blank lines are skipped;
line numbers count them, as an editor does.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

Row = TypeVar("Row")


class BadLine(ValueError):
    """A line the command can't read; the message names the line."""


def load(path: str, read_row: Callable[[Any, int], Row]) -> tuple[list[Row], str]:
    """The lines of `path` ("-" for standard input), each parsed as JSON and read by
    `read_row(value, line_number)` (which raises BadLine), or the error to print ("" when
    every line was read)."""
    try:
        source = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        return read(source.decode("utf-8"), read_row), ""
    except OSError as error:
        return [], f"{path}: {error.strerror or error}"
    except UnicodeDecodeError as error:
        return [], f"{path}: not UTF-8 text (byte {error.start + 1})"
    except BadLine as error:
        return [], f"{path}: {error}"


def read(source: str, read_row: Callable[[Any, int], Row]) -> list[Row]:
    """Each non-blank line of `source` parsed as JSON and read by `read_row`."""
    rows = []
    for number, line in enumerate(source.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value: Any = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadLine(
                f"line {number}: not JSON ({error.msg} at column {error.colno})"
            ) from None
        rows.append(read_row(value, number))
    return rows
