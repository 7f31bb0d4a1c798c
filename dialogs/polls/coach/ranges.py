"""Options read as intervals: numeric ranges with their units, clock times and parts of the day.

"0–5 days", "less than 5", "5 or more", "1 to 3 years", "about an hour", "9am–12pm",
"after 6pm", "mornings": each becomes an `Interval` on one scale (minutes for durations,
minutes after midnight for times of day), so that overlaps can be found by arithmetic
rather than by matching the wording. An option that says anything more ("Mon 12pm",
"1–5 June") is not read at all: better to miss an overlap than to invent one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

INF = math.inf
NUMBER = r"(\d+(?:[.,]\d+)?|an?|one|half an?|half)"
WORD_NUMBERS = {
    "a": 1.0,
    "an": 1.0,
    "one": 1.0,
    "half": 0.5,
    "half a": 0.5,  # i18n: not for readers
    "half an": 0.5,  # i18n: not for readers
}
# Each unit's scale and size on it; a bare number has the scale "" and compares with bare numbers.
UNITS = {
    "min": ("time", 1),
    "minute": ("time", 1),
    "hr": ("time", 60),
    "hour": ("time", 60),
    "h": ("time", 60),
    "day": ("time", 1440),
    "working day": ("time", 1440),  # i18n: not for readers
    "week": ("time", 10080),
    "wk": ("time", 10080),
    "month": ("time", 43200),
    "year": ("time", 525600),
    "yr": ("time", 525600),
    "mile": ("distance", 1.609),
    "km": ("distance", 1),
    "kilometre": ("distance", 1),
    "%": ("percent", 1),
    "percent": ("percent", 1),
}
UNIT = (
    r"(working days?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|wks?|months?|years?|yrs?|"
    r"miles?|km|kilometres?|%|percent)"
)
# Parts of the day, in minutes after midnight (a half-open interval each, as people mean them).
DAYPARTS = {
    "early morning": (300, 480),  # i18n: not for readers
    "morning": (360, 720),
    "lunchtime": (720, 840),
    "midday": (720, 720),
    "afternoon": (720, 1080),
    "evening": (1080, 1380),
    "night": (1320, 1800),
    "overnight": (1320, 1800),
}
CLOCK = r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)|(\d{2}):(\d{2})|(noon|midday|midnight)"
DASH = r"\s*(?:[-–—]|to)\s*"
CURRENCY = re.compile(r"[£$€]")
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
FILLER = {"about", "around", "approx", "approximately", "roughly", "pts", "patients", "people"}


@dataclass(frozen=True)
class Interval:
    """lo..hi on `scale`, each end included or not."""

    scale: str
    lo: float
    hi: float
    lo_in: bool = True
    hi_in: bool = True

    def overlap(self, other: Interval) -> tuple[float, float] | None:
        """Where the two meet, or None; a shared end counts only if both include it."""
        if self.scale != other.scale:
            return None
        lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
        if lo < hi:
            return (lo, hi)
        if lo == hi and self.includes(lo) and other.includes(lo):
            return (lo, lo)
        return None

    def includes(self, point: float) -> bool:
        above = self.lo < point or (self.lo == point and self.lo_in)
        below = point < self.hi or (point == self.hi and self.hi_in)
        return above and below


def interval(option: str, unit: str | None = None) -> Interval | None:
    """The option as an interval, or None when it is not purely a range, time or daypart.

    `unit` is for a bare number ("10–20" among "5–10 miles" and "20 miles +"), the unit its
    neighbours name: people write it once and mean it throughout.
    """
    text = option.lower().replace("’", "'").strip(" .")
    if stated := re.fullmatch(r"[\w ]+\(([^)]+)\)", text):
        text = stated.group(1).strip()  # "Morning (8am–12pm)": the stated range is meant
    text = CURRENCY.sub("", THOUSANDS.sub("", text))
    return _clock_interval(text) or _daypart(text) or _amount(text, unit)


def unit_named(options: list[str]) -> str | None:
    """The first unit any of the options names, as written."""
    for option in options:
        if found := re.search(rf"\d\s*{UNIT}(?![a-z])", option.lower()):
            return found.group(1)
    return None


def _number(text: str) -> float:
    text = text.strip()
    return WORD_NUMBERS.get(text) or float(text.replace(",", "."))


def _unit(text: str | None) -> tuple[str, float]:
    if not text:
        return ("", 1)
    singular = text.rstrip("s") if text not in ("hrs", "yrs", "wks", "mins") else text[:-1]
    return UNITS.get(singular, UNITS.get(text, ("", 1)))


AMOUNT_FORMS: list[tuple[str, str]] = [
    (rf"(?:between )?{NUMBER}\s*{UNIT}?{DASH}{NUMBER}\s*{UNIT}?", "range"),
    (rf"(?:between )?{NUMBER}\s*{UNIT}? and {NUMBER}\s*{UNIT}?", "range"),
    (
        rf"(?:under|less than|fewer than|below|<)\s*{NUMBER}\s*{UNIT}?",
        "below",
    ),
    (rf"(?:up to|at most|no more than|<=)\s*{NUMBER}\s*{UNIT}?", "upto"),
    (
        rf"(?:over|more than|above|greater than|longer than|>)\s*{NUMBER}\s*{UNIT}?",
        "above",
    ),
    (rf"(?:at least|>=)\s*{NUMBER}\s*{UNIT}?", "from"),
    (
        rf"{NUMBER}\s*{UNIT}?\s*(?:\+|or more|or over|or longer|and over|and above|plus)\s*{UNIT}?",
        "from",
    ),
    (rf"{NUMBER}\s*{UNIT}?\s*(?:or less|or fewer|or under)", "upto"),
    (
        rf"(?:about|around|roughly|approx\.?|approximately)\s*{NUMBER}\s*{UNIT}?",
        "about",
    ),
    (rf"{NUMBER}\s*{UNIT}?", "exact"),
]


def _amount(text: str, default_unit: str | None) -> Interval | None:
    for pattern, form in AMOUNT_FORMS:
        if found := re.fullmatch(rf"{pattern}((?:\s+\w+)?)", text):
            if _leftover(found.groups()[-1]):
                return None
            return _amount_interval(form, list(found.groups()[:-1]), default_unit)
    return None


def _leftover(rest: str) -> bool:
    """Whether words remain that make the option more than an amount ("days" is fine)."""
    rest = rest.strip()
    return bool(rest) and rest not in FILLER and _unit(rest)[0] == ""


def _amount_interval(
    form: str, groups: list[str | None], default_unit: str | None
) -> Interval | None:
    if form == "range":
        lo, lo_unit, hi, hi_unit = groups
        scale, size = _unit(hi_unit or lo_unit or default_unit)
        lo_scale, lo_size = _unit(lo_unit) if lo_unit else (scale, size)
        if lo is None or hi is None or lo_scale != scale:
            return None
        return Interval(scale, _number(lo) * lo_size, _number(hi) * size)
    number = next(g for g in groups if g is not None)
    unit = next((g for g in groups[1:] if g), None) or default_unit
    scale, size = _unit(unit)
    value = _number(number) * size
    if form == "below":
        return Interval(scale, -INF, value, hi_in=False)
    if form == "upto":
        return Interval(scale, -INF, value)
    if form == "above":
        return Interval(scale, value, INF, lo_in=False)
    if form == "from":
        return Interval(scale, value, INF)
    if form == "about":
        return Interval(scale, value * 0.75, value * 1.25)
    return Interval(scale, value, value)


def _minutes(found: re.Match[str]) -> float:
    hour, minute, half, hour24, minute24, word = found.groups()
    if word:
        return 0 if word == "midnight" else 720
    if hour24 is not None:
        return int(hour24) * 60 + int(minute24)
    base = int(hour) % 12 + (12 if half == "pm" else 0)
    return base * 60 + int(minute or 0)


def _clock_interval(text: str) -> Interval | None:
    clock = rf"(?:{CLOCK})"
    forms = [
        (rf"({clock}){DASH}({clock})", "range"),
        (rf"(?:before|until|up to)(?:\s+|(?=\d))({clock})", "below"),
        (rf"(?:after|from)(?:\s+|(?=\d))({clock})(?: onwards)?", "above"),
        (rf"({clock})\s*(?:or later|onwards|and later)", "from"),
        (rf"({clock})\s*(?:or earlier)", "upto"),
        (rf"({clock})", "exact"),
    ]
    for pattern, form in forms:
        if re.fullmatch(pattern, text):
            times = [_minutes(m) for m in re.finditer(CLOCK, text)]
            return _clock_form(form, times)
    return None


def _clock_form(form: str, times: list[float]) -> Interval:
    first = times[0]
    if form == "range":
        return Interval("clock", first, times[1])
    if form == "below":
        return Interval("clock", -INF, first, hi_in=False)
    if form == "above":
        return Interval("clock", first, INF, lo_in=False)
    if form == "from":
        return Interval("clock", first, INF)
    if form == "upto":
        return Interval("clock", -INF, first)
    return Interval("clock", first, first)


DAYPART_LEAD = re.compile(r"^(?:in the |the |early )?")


def _daypart(text: str) -> Interval | None:
    text = DAYPART_LEAD.sub(lambda m: m.group(0) if "early" in m.group(0) else "", text)
    singular = text[:-1] if text.endswith("s") else text
    if singular in DAYPARTS:
        lo, hi = DAYPARTS[singular]
        return Interval("clock", lo, hi, hi_in=False)
    return None


def shown(value: float, scale: str) -> str:
    """A point on a scale as people write it (clock minutes as a time, amounts as numbers)."""
    if scale == "clock":
        hour, minute = divmod(int(value), 60)
        suffix = "am" if hour % 24 < 12 else "pm"
        twelve = hour % 12 or 12
        return f"{twelve}:{minute:02d}{suffix}" if minute else f"{twelve}{suffix}"
    return f"{value:g}"
