"""The ballots export (`poll export`), read back by `concord recount` to audit a result.

UTF-8 CSV. Leading comment lines::

    # concord-ballots v2        (v1: no cast-by column; both are read)
    # type: single|multi|ranked|score|dots|consent
    # question: …
    # <setting>: <value>        one line per setting the tally needs

Any type may also state its governance mode (``mode: advisory|delegated|
committees-in-common``, absent for joint) and, for committees in common, the
organisations taking part (``organisations: ["A", "B"]``, a JSON list), so
recount gives each organisation's outcome as the bot announced it.

Settings by type: multi ``max``; score ``min-score`` and ``max-score``
(default 0 and 5); dots ``dots`` (required); consent ``objections``; any type
``balance: orgs``; any type but ranked ``rule: every-org`` with ``rule-percent: P``
(1 to 100; 50 when absent), the rule `dialogs.polls.agreement` judges; ranked
polls also state ``tie-break: <tally.TIE_BREAK>``, and a file stating any other
tie-break is refused rather than recounted by ours.

Then a header ``ballot,organisation,cast-by,<option 1>,<option 2>,…`` (consent:
``ballot,organisation,cast-by,agree,live-with-it,object,block,reason,resolve``) and one row per
ballot: an opaque id, the organisation (may be empty), the deputy who cast it for its
member (empty when the member voted; v2 only: anonymous polls are written as v1, as no
ballot of theirs is cast for anyone), and per option ``1`` or
empty (single, multi), the rank with 1 first and empty when unranked (ranked),
the score (score) or the number of dots (dots); consent rows put ``1`` under
the stance, then the harm the objection names (``reason``) and what would resolve it
(``resolve``). A file from before ``resolve`` (its header ending at ``reason``) reads
as ballots of (stance, reason), so it recounts exactly as it did. Lines end in CRLF
(RFC 4180); reading accepts LF too. Rows are written in the order given: the caller
shuffles them for anonymous polls. A question's line breaks become spaces (it is shown, never
counted); consent polls export no option labels; multi choices read back sorted.
Text cells (option labels, organisations, reasons) are written so that no spreadsheet
runs them as formulas, and read back exactly (`dialogs.core.spreadsheet`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from dialogs.core.modes import JOINT, MODES
from dialogs.core.poll_types import POLL_TYPES, STANCES
from dialogs.core.spreadsheet import neutral, original
from dialogs.polls import objections
from dialogs.polls.agreement import RULE
from dialogs.polls.tally import DEFAULT_SCORES, TIE_BREAK, InvalidBallot, check_ballot

VERSION_LINE = "# concord-ballots v1"  # i18n: not for readers (the file format)
VERSION_2_LINE = "# concord-ballots v2"  # i18n: not for readers
FIXED_COLUMNS = ("ballot", "organisation")
CONSENT_COLUMNS = (*STANCES, "reason", "resolve")
EARLIER_CONSENT_COLUMNS = (*STANCES, "reason")  # files from before "what would resolve it"
_RULE = ("rule", "rule-percent")  # `dialogs.polls.agreement`: not for ranked polls
CAST_BY = "cast-by"
SETTINGS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "single": ("balance", *_RULE),
    "multi": ("max", "balance", *_RULE),
    "ranked": ("balance",),
    "score": ("min-score", "max-score", "balance", *_RULE),
    "dots": ("dots", "balance", *_RULE),
    "consent": ("objections", "balance", *_RULE),
}
LEAST_VALUE = {
    "max": 1,
    "dots": 1,
    "objections": 0,
    "min-score": None,
    "max-score": None,
    "rule-percent": 1,
}
ANY_TYPE = ("mode", "organisations")  # governance: `dialogs.core.modes`, `committees`
REQUIRED = {"dots": ("dots",), "ranked": ("tie-break",)}
MARK = "1"
LINE_END = "\r\n"  # RFC 4180; with it the writer also quotes a cell holding a lone "\r"
WHOLE_NUMBER = re.compile(r"-?[0-9]+")

Row = tuple[str, str | None, Any]


@dataclass
class Export:
    """A ballots file, read: everything `tally.result` needs to recount it."""

    type: str
    question: str
    options: list[str]
    settings: dict[str, Any]
    ballots: list[Any] = field(default_factory=list)
    organisations: list[str | None] = field(default_factory=list)
    cast_by: list[str | None] | None = None  # a v2 file's deputies, by ballot

    @property
    def fixed(self) -> tuple[str, ...]:
        """The columns before the ballot's own."""
        return FIXED_COLUMNS if self.cast_by is None else (*FIXED_COLUMNS, CAST_BY)

    def add(self, ballot_id: str, organisation: str, cells: list[str]) -> None:
        """Add one row's ballot, checked; `ballot_id` must be new (the caller checks)."""
        if self.cast_by is not None:
            self.cast_by.append(original(cells[0]) or None)
            cells = cells[1:]
        ballot = _ballot(self.type, cells, self.options)
        check_ballot(self.type, ballot, len(self.options), self.settings)
        self.ballots.append(ballot)
        self.organisations.append(organisation or None)


# --- writing ----------------------------------------------------------------


def write(
    poll_type: str,
    question: str,
    options: list[str],
    settings: dict[str, Any],
    rows: list[Row],
    cast_by: Sequence[str | None] | None = None,
) -> str:
    """The CSV text for `rows` of (ballot id, organisation or None, ballot), in the order given;
    with `cast_by` (who cast each row's ballot for its member, or None), a v2 file.

    Raises `ValueError` (or `InvalidBallot`) for an unknown type, a bad setting or ballot.
    """
    if poll_type not in POLL_TYPES:
        raise ValueError(f"unknown poll type {poll_type!r}: use one of {', '.join(POLL_TYPES)}")
    version = VERSION_LINE if cast_by is None else VERSION_2_LINE
    comments = [version, f"# type: {poll_type}", f"# question: {' '.join(question.split())}"]
    for key in SETTINGS_BY_TYPE[poll_type]:
        if key in settings:
            _parse_setting(key, str(settings[key]))
            comments.append(f"# {key}: {settings[key]}")
    given = [key for key in ANY_TYPE if key in settings]
    comments += [f"# {key}: {_governance(key, settings[key])}" for key in given]
    if poll_type == "ranked":
        comments.append(f"# tie-break: {TIE_BREAK}")  # i18n: not for readers
    buffer = io.StringIO(newline="")
    buffer.write("".join(comment + LINE_END for comment in comments))
    writer = csv.writer(buffer, lineterminator=LINE_END)
    columns = CONSENT_COLUMNS if poll_type == "consent" else options
    fixed = FIXED_COLUMNS if cast_by is None else (*FIXED_COLUMNS, CAST_BY)
    writer.writerow([*fixed, *(neutral(column) for column in columns)])
    for n, (ballot_id, organisation, ballot) in enumerate(rows):
        check_ballot(poll_type, ballot, len(options), settings)
        cells = _cells(poll_type, ballot, len(options))
        signed = [] if cast_by is None else [neutral(cast_by[n] or "")]
        writer.writerow([ballot_id, neutral(organisation or ""), *signed, *cells])
    return buffer.getvalue()


def _cells(poll_type: str, ballot: Any, option_count: int) -> list[str]:
    if poll_type in ("single", "multi"):
        return [MARK if p in ballot else "" for p in range(option_count)]
    if poll_type == "ranked":
        rank = {position: str(place) for place, position in enumerate(ballot, start=1)}
        return [rank.get(p, "") for p in range(option_count)]
    if poll_type == "consent":
        harm, resolve = objections.parts(ballot)
        return [*(MARK if s == ballot[0] else "" for s in STANCES), neutral(harm), neutral(resolve)]
    return [str(number) for number in ballot]


# --- reading ----------------------------------------------------------------


def read(text: str) -> Export:
    """Parse a ballots file; a `ValueError` names the line and what is wrong with it."""
    comments, body = _split_comments(text.removeprefix("\ufeff"))
    export = _preamble(comments)
    rows = _rows(body, first_line=len(comments) + 1)
    line, header = next(rows, (len(comments) + 1, []))
    export.options = _options(export.type, header, line, export.fixed)
    seen: dict[str, int] = {}
    for line, row in rows:
        try:
            _check_row(row, len(header), seen)
            export.add(row[0], original(row[1]), row[2:])
        except ValueError as error:  # InvalidBallot included: say where
            raise ValueError(f"line {line}: {error}") from None
        seen[row[0]] = line
    return export


def _split_comments(text: str) -> tuple[list[str], str]:
    """The leading `#` lines (without line ends) and the CSV text after them."""
    comments, start = [], 0
    while text.startswith("#", start):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        comments.append(text[start:end].rstrip("\r"))
        start = end + 1
    return comments, text[start:]


def _preamble(comments: list[str]) -> Export:
    version = comments[0].strip() if comments else ""
    if version not in (VERSION_LINE, VERSION_2_LINE):
        found = f", not {comments[0]!r}" if comments else ""
        raise ValueError(
            f"line 1: a ballots file starts with {VERSION_2_LINE!r} or {VERSION_LINE!r}{found}"
        )
    given: dict[str, tuple[int, str]] = {}
    for line, comment in enumerate(comments[1:], start=2):
        key, colon, value = comment.removeprefix("#").partition(":")
        key = key.strip()
        if not colon or not key:
            raise ValueError(f"line {line}: expected '# name: value', found {comment!r}")
        if key in given:
            raise ValueError(f"line {line}: {key!r} is given twice (first on line {given[key][0]})")
        given[key] = (line, value.strip())
    poll_type = _poll_type(given)
    export = Export(poll_type, _required(given, "question")[1], [], _settings(poll_type, given))
    export.cast_by = [] if version == VERSION_2_LINE else None
    return export


def _poll_type(given: dict[str, tuple[int, str]]) -> str:
    line, poll_type = _required(given, "type")
    if poll_type not in POLL_TYPES:
        raise ValueError(
            f"line {line}: unknown poll type {poll_type!r}: use one of {', '.join(POLL_TYPES)}"
        )
    return poll_type


def _required(given: dict[str, tuple[int, str]], key: str) -> tuple[int, str]:
    if key not in given:
        raise ValueError(f"the comment lines lack '# {key}: …'")
    return given[key]


def _settings(poll_type: str, given: dict[str, tuple[int, str]]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for key, (line, value) in given.items():
        if key in ("type", "question"):
            continue
        if key == "tie-break" and poll_type == "ranked":
            _check_tie_break(value, line)
        elif key in ANY_TYPE:
            settings[key] = _read_governance(key, value, line)
        elif key not in SETTINGS_BY_TYPE[poll_type]:
            known = key in LEAST_VALUE or key in ("balance", "tie-break", "rule")
            raise ValueError(
                f"line {line}: {key!r} "
                + (f"does not apply to a {poll_type} poll" if known else "is not a setting")
            )
        else:
            settings[key] = _parse_setting(key, value, line)
    for key in REQUIRED.get(poll_type, ()):
        _required(given, key)
    low = settings.get("min-score", DEFAULT_SCORES[0])
    high = settings.get("max-score", DEFAULT_SCORES[1])
    if low > high:
        raise ValueError(f"'min-score' ({low}) is above 'max-score' ({high})")
    return settings


def _governance(key: str, value: Any) -> str:
    if key == "organisations":
        return json.dumps(sorted(value), ensure_ascii=False)
    if value not in MODES or value == JOINT:
        raise ValueError(f"unknown mode {value!r}")
    return str(value)


def _read_governance(key: str, value: str, line: int) -> Any:
    if key == "mode":
        if value not in MODES or value == JOINT:
            shown = ", ".join(m for m in MODES if m != JOINT)
            raise ValueError(f"line {line}: 'mode' can be {shown}, not {value!r}")
        return value
    try:
        names = json.loads(value)
    except json.JSONDecodeError:
        names = None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValueError(f'line {line}: \'organisations\' is a list like ["A", "B"], not {value!r}')
    return names


def _check_tie_break(rule: str, line: int) -> None:
    if rule != TIE_BREAK:
        raise ValueError(
            f"line {line}: this file breaks ties by {rule!r}, "
            f"but recount knows only the rule {TIE_BREAK!r}"
        )


def _parse_setting(key: str, value: str, line: int | None = None) -> Any:
    where = f"line {line}: " if line else ""
    if key in ("balance", "rule"):
        only = {"balance": "orgs", "rule": RULE}[key]
        if value != only:
            raise ValueError(f"{where}{key!r} can only be {only!r}, not {value!r}")
        return value
    number = _whole(value, repr(key), where=where)
    least = LEAST_VALUE[key]
    if least is not None and number < least:
        raise ValueError(f"{where}{key!r} must be at least {least}, not {number}")
    if key == "rule-percent" and number > 100:
        raise ValueError(f"{where}'rule-percent' must be at most 100, not {number}")
    return number


def _whole(text: str, what: str, label: str | None = None, where: str = "") -> int:
    """`text` as an int; else a `ValueError` about `what` (of the option `label`)."""
    if WHOLE_NUMBER.fullmatch(text.strip()):
        return int(text)
    subject = what if label is None else f"the {what} for {label!r}"  # i18n: not for readers
    raise ValueError(f"{where}{subject} must be a whole number, not {text!r}")


def _rows(body: str, first_line: int) -> Iterator[tuple[int, list[str]]]:
    """Non-blank CSV records with the file line each one starts on."""
    reader = csv.reader(io.StringIO(body, newline=""), strict=True)
    start = 0
    try:
        for row in reader:
            if row:
                yield first_line + start, row
            start = reader.line_num
    except csv.Error as error:
        raise ValueError(f"line {first_line + start}: not valid CSV: {error}") from None


def _options(poll_type: str, header: list[str], line: int, fixed: tuple[str, ...]) -> list[str]:
    if not header:
        raise ValueError(f"line {line}: the header row is missing")
    expected = CONSENT_COLUMNS if poll_type == "consent" else ()
    shown = ",".join(fixed + expected) + ("" if expected else ",<option 1>,…")
    columns = [original(column) for column in header[len(fixed) :]]
    if tuple(header[: len(fixed)]) != fixed or not columns:
        raise ValueError(f"line {line}: the header must be {shown}")
    if poll_type == "consent":
        if tuple(columns) not in (CONSENT_COLUMNS, EARLIER_CONSENT_COLUMNS):
            raise ValueError(f"line {line}: the header must be {shown}")
        return []
    for number, label in enumerate(columns, start=1):
        if not label.strip():
            raise ValueError(f"line {line}: option {number} has no label")
        if columns.index(label) != number - 1:
            raise ValueError(f"line {line}: option {label!r} appears twice")
    return columns


def _check_row(row: list[str], width: int, seen: dict[str, int]) -> None:
    if len(row) != width:
        raise ValueError(f"expected {width} cells, found {len(row)}")
    if not row[0]:
        raise ValueError("the ballot id is empty")
    if row[0] in seen:
        raise ValueError(f"ballot {row[0]!r} is already on line {seen[row[0]]}")


def _ballot(poll_type: str, cells: list[str], options: Sequence[str]) -> Any:
    if poll_type in ("single", "multi"):
        return [p for p, cell in enumerate(cells) if _marked(cell, options[p])]
    if poll_type == "ranked":
        return _ranking(cells, options)
    if poll_type == "consent":
        stances = [s for s, cell in zip(STANCES, cells, strict=False) if _marked(cell, s)]
        if len(stances) != 1:
            raise InvalidBallot(f"mark exactly one of {', '.join(STANCES)} with {MARK}")
        return (stances[0], *(original(cell) for cell in cells[len(STANCES) :]))
    what = "score" if poll_type == "score" else "number of dots"  # i18n: not for readers
    return [_whole(cell, what, label) for cell, label in zip(cells, options, strict=True)]


def _marked(cell: str, column: str) -> bool:
    if cell not in (MARK, ""):
        raise InvalidBallot(f"the cell for {column!r} must be {MARK} or empty, not {cell!r}")
    return cell == MARK


def _ranking(cells: list[str], options: Sequence[str]) -> list[int]:
    ranks = {p: _whole(cell, "rank", options[p]) for p, cell in enumerate(cells) if cell}
    if not ranks:
        raise InvalidBallot("the ballot ranks no option")
    if problem := _rank_problem(sorted(ranks.values())):
        raise InvalidBallot(f"{problem} (ranks run 1, 2, 3… with no gaps or repeats)")
    return sorted(ranks, key=ranks.__getitem__)


def _rank_problem(ranks: list[int]) -> str | None:
    if ranks[0] < 1:
        return f"rank {ranks[0]} is below 1"  # i18n: not for readers
    if repeated := [r for r, after in pairwise(ranks) if r == after]:
        return f"rank {repeated[0]} is given twice"  # i18n: not for readers
    if ranks[-1] != len(ranks):
        missing = min(set(range(1, len(ranks) + 1)) - set(ranks))
        return f"rank {missing} is missing"  # i18n: not for readers
    return None
