"""Recurring times, for check-ins and recurring polls: "every monday 09:00", "every weekday 16:30",
"every 2 weeks on friday 10:00", "first monday of the month 09:00".

APScheduler's CronTrigger decides on which days a rule fires, in the schedule's
timezone. Each occurrence is then keyed by its local date and the rule's wall
time, and its instant is computed here, because around a clock change the
triggers misbehave: on the spring-forward day CronTrigger returns a local time
that does not exist, and in the repeated autumn hour it fires twice. Keyed by
wall time, the autumn pair is one occurrence; a skipped time moves to just after
the gap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from babel.dates import format_date

from dialogs.commands.values import GrammarError, split_time
from dialogs.commands.when import WEEKDAYS, local_moment
from dialogs.core.language import DEFAULT, N_, _, babel_locale, current

_HINT = N_(
    'Write it like "every monday 09:00", "every weekday 16:30", '
    '"every 2 weeks on friday 10:00" or "first monday of the month 09:00".'
)
_DAY = {**{d: d[:3] for d in WEEKDAYS}, **{d[:3]: d[:3] for d in WEEKDAYS}}
_ORDINALS = {"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "last": "last"}
# How a rule reads, by the ordinal of its day in the month (`day` is a `_DAY_NAMES` name).
_IN_THE_MONTH = {
    "1st": N_("the 1st {day} of each month at {time}"),
    "2nd": N_("the 2nd {day} of each month at {time}"),
    "3rd": N_("the 3rd {day} of each month at {time}"),
    "4th": N_("the 4th {day} of each month at {time}"),
    "last": N_("the last {day} of each month at {time}"),
}
_DAY_NAMES = (
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"),
    N_("Friday"), N_("Saturday"), N_("Sunday"),
)  # fmt: skip


@dataclass(frozen=True)
class Occurrence:
    key: str  # local wall-clock time, e.g. "2026-11-30T09:00"
    due_at: datetime  # UTC
    local_date: date


def parse_recurrence(text: str, today: date) -> dict[str, Any]:
    """A storable rule for `text`; `today` (local) anchors "every 2 weeks" schedules."""
    words = " ".join(text.lower().replace(",", " ").split())
    days_part, at = split_time(words, text)
    if at is None:
        raise GrammarError(_("“{text}” needs a time of day.").format(text=text), _(_HINT))
    rule: dict[str, Any] = {"hour": at.hour, "minute": at.minute}
    if match := re.fullmatch(r"every (\d+) weeks? on (\w+)", days_part):  # i18n: not for readers
        weeks, day = int(match.group(1)), _weekday(match.group(2), text)
        if not 1 <= weeks <= 12:
            raise GrammarError(_("A check-in can repeat every 1 to 12 weeks."), _(_HINT))
        first = today + timedelta(days=(WEEKDAYS.index(_full(day)) - today.weekday()) % 7)
        return {**rule, "kind": "interval", "weeks": weeks, "start": first.isoformat()}
    if match := re.fullmatch(
        r"(first|second|third|fourth|last) (\w+) of (?:the|every) month",  # i18n: not for readers
        days_part,
    ):
        day = _weekday(match.group(2), text)
        return {**rule, "kind": "cron", "day": f"{_ORDINALS[match.group(1)]} {day}"}
    if match := re.fullmatch(r"(?:every|each) (.+)", days_part):  # i18n: not for readers
        return {**rule, "kind": "cron", "day_of_week": _days_of_week(match.group(1), text)}
    if days_part == "daily":
        return {**rule, "kind": "cron", "day_of_week": "*"}
    raise GrammarError(
        _("Concord can't read “{text}” as a repeating time.").format(text=text), _(_HINT)
    )


def describe_rule(rule: dict[str, Any]) -> str:
    at = f"{rule['hour']:02}:{rule['minute']:02}"
    if rule["kind"] == "interval":
        start = date.fromisoformat(rule["start"])
        return _("every {weeks} weeks on {day}s at {time}, from {start}").format(
            weeks=rule["weeks"], day=_day_name(start.weekday()), time=at, start=_short_date(start)
        )
    if "day" in rule:
        ordinal, day = rule["day"].split()
        return _(_IN_THE_MONTH[ordinal]).format(day=_day_name(_index(day)), time=at)
    days = rule["day_of_week"]
    if days == "*":
        return _("every day at {time}").format(time=at)
    if days == "mon-fri":
        return _("every weekday at {time}").format(time=at)
    names = [_day_name(_index(d)) for d in days.split(",")]
    listed = names[0]
    for name in names[1:]:
        listed = _("{days} and {day}").format(days=listed, day=name)
    return _("every {days} at {time}").format(days=listed, time=at)


def _short_date(day: date) -> str:
    """ "Fri 11 Dec" (Babel's names in another language: "Gwen 11 Rhag")."""
    if current() == DEFAULT:
        return f"{day:%a %d %b}"
    return format_date(day, "EEE dd MMM", locale=babel_locale())  # i18n: not for readers


def _day_name(index: int) -> str:
    """The day's name as a person reads it: "Monday" (0) to "Sunday" (6)."""
    return _(_DAY_NAMES[index])


def _index(short: str) -> int:
    return WEEKDAYS.index(_full(short))


def next_occurrence(rule: dict[str, Any], timezone: str, after: datetime) -> Occurrence:
    """The first occurrence due strictly after `after` (UTC)."""
    zone = ZoneInfo(timezone)
    wall = time(rule["hour"], rule["minute"])
    days = (
        _interval_days(rule, after.astimezone(zone).date())
        if rule["kind"] == "interval"
        else (_cron_days(rule, zone, after))
    )
    for day in days:
        due = local_moment(day, wall, zone).astimezone(UTC)
        if due > after:
            return Occurrence(f"{day.isoformat()}T{wall:%H:%M}", due, day)
    raise AssertionError("unreachable: both day sequences are endless")


def _cron_days(rule: dict[str, Any], zone: ZoneInfo, after: datetime) -> Iterator[date]:
    """The days CronTrigger fires on, from the day of `after`.

    Only the trigger's day is used: its time is wrong around clock changes (see
    the module docstring), and in the repeated autumn hour it yields a day twice.
    """
    fields = {k: rule[k] for k in ("day", "day_of_week") if k in rule}
    trigger = CronTrigger(hour=rule["hour"], minute=rule["minute"], timezone=zone, **fields)
    search = after.astimezone(zone) - timedelta(days=1)
    while True:
        fire = trigger.get_next_fire_time(None, search)
        assert fire is not None, "cron rules never end"
        yield fire.astimezone(zone).date()
        # Step in UTC: wall-clock arithmetic would drop `fold` and loop in the repeated hour.
        search = (fire.astimezone(UTC) + timedelta(minutes=1)).astimezone(zone)


def _interval_days(rule: dict[str, Any], today: date) -> Iterator[date]:
    """Every `weeks` weeks from the start day. (CalendarIntervalTrigger needs the
    previous fire time to step forward; plain date arithmetic does not.)"""
    start = date.fromisoformat(rule["start"])
    step = 7 * rule["weeks"]
    day = start + timedelta(days=max(0, (today - start).days // step * step))
    while True:
        yield day
        day += timedelta(days=step)


def _days_of_week(text: str, original: str) -> str:
    if text in ("day", "days"):
        return "*"
    if text in ("weekday", "weekdays", "working day", "working days"):  # i18n: not for readers
        return "mon-fri"
    names = [w for w in re.split(r"\s+(?:and\s+)?|\s*and\s+", text) if w]
    return ",".join(_weekday(name.removesuffix("s"), original) for name in names)


def _weekday(name: str, original: str) -> str:
    day = _DAY.get(name)
    if day is None:
        raise GrammarError(
            _("“{day}” in “{text}” isn't a day of the week.").format(day=name, text=original),
            _(_HINT),
        )
    return day


def _full(short: str) -> str:
    return next(d for d in WEEKDAYS if d.startswith(short))
