"""Text cells a spreadsheet won't run as formulas: OWASP's CSV-injection defence, undone
exactly on reading.

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to
Excel and LibreOffice (`=HYPERLINK(…)` in an option label would run in the coordinator's
spreadsheet). Such a cell is written with a `'` before it, which spreadsheets show as text;
so is a cell that already begins with `'`, so that reading strips exactly one.
"""

from __future__ import annotations

QUOTE = "'"
_RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r", QUOTE)


def neutral(text: str) -> str:
    """`text` as a cell no spreadsheet will evaluate."""
    return QUOTE + text if text.startswith(_RISKY_STARTS) else text


def original(cell: str) -> str:
    """What `neutral` was given, from the cell it wrote."""
    return cell[1:] if cell.startswith(QUOTE) else cell
