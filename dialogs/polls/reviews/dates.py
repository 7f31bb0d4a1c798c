"""Reading a review date: "6 months", "1 year", "3 weeks", "in 10 days" or a date.

Months and years count on the calendar, in the collaborative's time zone (six months
from 31 August is 28 February, at the same time of day); shorter lengths and dates are
read as deadlines are (`dialogs.commands.when`). A review is at most a year ahead, and
never in the past.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dialogs.commands.values import GrammarError, clip, parse_duration
from dialogs.commands.when import local_moment, parse_when
from dialogs.core.language import N_, _

REVIEW_HINT = N_(
    'A review comes later, within a year: write it like "6 months", "1 year", "3 weeks" '
    'or "1 Jun 2027".'
)
MOST_MONTHS = 12
_CALENDAR = re.compile(r"(\d{1,3}) ?(months?|mo|years?|yrs?|y)")
_SHORTER = re.compile(r"(?:\d+ ?(?:m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?) ?)+")


def review_date(text: str, now: datetime, timezone: str) -> datetime:
    """The UTC moment `text` names for a review, read in `timezone`: after `now`, within a
    year; a `GrammarError` saying what to type otherwise."""
    words = " ".join(text.lower().split()).removeprefix("in ")
    if not words:
        raise GrammarError(_("Say when the decision should be reviewed."), _(REVIEW_HINT))
    if found := _CALENDAR.fullmatch(words):
        return _months_ahead(now, int(found.group(1)), found.group(2), timezone, text)
    try:
        if _SHORTER.fullmatch(words):
            return now + timedelta(seconds=parse_duration(words, _("The review")))
        return parse_when(words, now, timezone)
    except GrammarError as problem:
        raise GrammarError(problem.problem, _(REVIEW_HINT)) from None


def _months_ahead(now: datetime, count: int, unit: str, timezone: str, text: str) -> datetime:
    months = count * (12 if unit.startswith("y") else 1)
    if months < 1:
        raise GrammarError(
            _("“{typed}” is no time at all.").format(typed=clip(text, 30)), _(REVIEW_HINT)
        )
    if months > MOST_MONTHS:
        raise GrammarError(
            _("A review {typed} ahead is too far: the most is a year.").format(
                typed=clip(text, 30)
            ),
            _(REVIEW_HINT),
        )
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local_moment(date(year, month, day), local.time(), zone).astimezone(UTC)
