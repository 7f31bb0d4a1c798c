"""Reading a moment the way people write it: "friday 17:00", "in 3 days", "tomorrow noon".

Everything is read in the collaborative's timezone and returned as UTC. A wall
time that does not exist (the hour skipped when clocks go forward) moves to
the first valid minute after it; a wall time that happens twice (the hour
repeated when clocks go back) means the first of the two.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dialogs.commands.values import WHEN_HINT, GrammarError, parse_duration, split_time
from dialogs.core.language import _
from dialogs.core.moments import describe, moment

__all__ = ["describe", "moment", "local_moment", "parse_picked", "parse_when", "read_picked"]

DEFAULT_TIME = time(17, 0)
LATEST = timedelta(days=366)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_NAMES = {
    **{day: i for i, day in enumerate(WEEKDAYS)},
    **{day[:3]: i for i, day in enumerate(WEEKDAYS)},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTH_NAMES = {
    **{month: i for i, month in enumerate(MONTHS, 1)},
    **{month[:3]: i for i, month in enumerate(MONTHS, 1)},
    "sept": 9,
}
# UK order: 31/12/2026, 31/12, 1 Jan 2027, 1 January (a year left out means the next one).
_NUMERIC_DATE = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?")
_NAMED_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)(?: (\d{4}))?")


def parse_when(text: str, now: datetime, timezone: str) -> datetime:
    """The UTC moment `text` names, read in `timezone`; it must be in the future."""
    zone = ZoneInfo(timezone)
    words = " ".join(text.lower().replace(",", " ").split())
    if not words:
        raise GrammarError(_("Say when."), _(WHEN_HINT))
    if words.startswith("in "):
        moment = now + timedelta(seconds=parse_duration(words[3:], _("That")))
    else:
        moment = _day_and_time(words, now.astimezone(zone), zone, text)
    return _ahead(moment, now, timezone, f"“{text}”", _(WHEN_HINT))


def parse_picked(text: str, now: datetime, timezone: str) -> datetime:
    """The UTC moment a date and time picker gave (`read_picked`), in the future; text
    that no picker gives is read as typed (`parse_when`)."""
    moment = read_picked(text, timezone)
    if moment is None:
        return parse_when(text, now, timezone)
    return _ahead(moment, now, timezone, _("The moment picked"), _("Pick a later one."))


def read_picked(text: str, timezone: str) -> datetime | None:
    """ISO 8601 from a picker as a UTC moment: with an offset, that instant; without, the
    wall-clock time in `timezone` (a day alone means 17:00). None for anything else."""
    try:
        picked = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if picked.tzinfo is not None:
        return picked.astimezone(UTC)
    at = picked.time() if len(text.strip()) > len("2026-12-31") else DEFAULT_TIME
    return local_moment(picked.date(), at, ZoneInfo(timezone)).astimezone(UTC)


def _ahead(moment: datetime, now: datetime, timezone: str, said: str, hint: str) -> datetime:
    if moment <= now:
        raise GrammarError(
            _("{what} is already past ({moment}).").format(
                what=said, moment=describe(moment, timezone)
            ),
            hint,
        )
    if moment - now > LATEST:
        raise GrammarError(
            _("{what} is more than a year away.").format(what=said), _("Choose a nearer date.")
        )
    return moment.astimezone(UTC)


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day` at wall time `at` in `zone`, moved past a skipped hour if it falls in one."""
    candidate = datetime.combine(day, at, tzinfo=zone)
    round_trip = candidate.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != candidate.replace(tzinfo=None):
        # Inside the spring-forward gap: the same instant reads later on the clock.
        return round_trip
    return candidate


def _day_and_time(words: str, now: datetime, zone: ZoneInfo, original: str) -> datetime:
    day_words, at = split_time(words, original)
    today = now.date()
    if day_words in ("", "today", "end of day", "eod"):  # i18n: not for readers
        day = today
    elif day_words == "tomorrow":
        day = today + timedelta(days=1)
    elif day_words == "yesterday":
        day = today - timedelta(days=1)  # refused as past, with the moment it named
    elif (found := _uk_date(day_words, today, original)) is not None:
        day = found
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", day_words):
        try:
            day = date.fromisoformat(day_words)
        except ValueError:
            raise GrammarError(
                _("“{text}” is not a real date.").format(text=original), _(WHEN_HINT)
            ) from None
    else:
        day = _next_weekday(day_words, now, at, zone, original)
    return local_moment(day, at or DEFAULT_TIME, zone)


def _uk_date(words: str, today: date, original: str) -> date | None:
    """31/12/2026, 31/12, 1 Jan 2027 or 1 January; None for anything else."""
    if numeric := _NUMERIC_DATE.fullmatch(words):
        day, month, year = numeric.groups()
    elif (named := _NAMED_DATE.fullmatch(words)) and named.group(2) in _MONTH_NAMES:
        day, month, year = named.group(1), str(_MONTH_NAMES[named.group(2)]), named.group(3)
    else:
        return None
    try:
        found = date(int(year or today.year), int(month), int(day))
        if year is None and found < today:
            found = date(today.year + 1, int(month), int(day))
    except ValueError:
        raise GrammarError(
            _("“{text}” is not a real date.").format(text=original), _(WHEN_HINT)
        ) from None
    return found


def _next_weekday(
    words: str, now: datetime, at: time | None, zone: ZoneInfo, original: str
) -> date:
    strictly_next = words.startswith("next ")
    index = _DAY_NAMES.get(words.removeprefix("next ").strip())
    if index is None:
        raise GrammarError(
            _("Concord can't read “{text}” as a date and time.").format(text=original),
            _(WHEN_HINT),
        )
    ahead = (index - now.weekday()) % 7
    day = now.date() + timedelta(days=ahead)
    if ahead == 0 and (strictly_next or local_moment(day, at or DEFAULT_TIME, zone) <= now):
        day += timedelta(days=7)
    return day
