"""Checks on a poll's options: too many to weigh, and options that overlap."""

from __future__ import annotations

from dialogs.core.language import _
from dialogs.polls.coach import categories, ranges
from dialogs.polls.coach.findings import OVERLAPPING_OPTIONS, TOO_MANY_OPTIONS, Finding
from dialogs.polls.coach.words import quote, tidy

# People compare about seven things at once; past that, a shortlist first is kinder.
MAX_OPTIONS = 7
SHORTLIST = 5


def too_many(options: list[str]) -> Finding | None:
    if len(options) <= MAX_OPTIONS:
        return None
    return Finding(
        TOO_MANY_OPTIONS,
        _("{count} options are more than people can weigh at once.").format(count=len(options)),
        (
            _(
                "Shortlist first: a dot vote on all {count} (three dots each), then a "
                "poll on the top {shortlist}, as the purpose round does."
            ).format(count=len(options), shortlist=SHORTLIST),
        ),
    )


def overlapping(options: list[str]) -> Finding | None:
    """The first pair of options one answer could fit both of, named, with a fix."""
    return _numeric_overlap(options) or _frequency_overlap(options) or _broader(options)


def _numeric_overlap(options: list[str]) -> Finding | None:
    unit = ranges.unit_named(options)
    read = [(option, ranges.interval(option, unit)) for option in options]
    known = [(option, found) for option, found in read if found is not None]
    for i, (first, a) in enumerate(known):
        for second, b in known[i + 1 :]:
            assert a is not None and b is not None
            if (where := a.overlap(b)) is not None:
                return _numeric_finding(first, second, a, where, unit)
    return None


def _numeric_finding(
    first: str, second: str, a: ranges.Interval, where: tuple[float, float], unit: str | None
) -> Finding:
    size = ranges.UNITS.get(_singular_unit(unit), ("", 1))[1] if a.scale != "clock" else 1
    lo, hi = (ranges.shown(value / size, a.scale) for value in where)
    said = {"first": quote(first), "second": quote(second), "value": lo}
    if lo == hi:
        return Finding(
            OVERLAPPING_OPTIONS,
            _("{first} and {second} both include {value}.").format(**said),
            (
                _(
                    "{first} and {second} both include {value}: let each range end just "
                    "before the next begins, so that {value} fits one option only."
                ).format(**said),
            ),
        )
    said["span"] = _span(where, lo, hi)
    return Finding(
        OVERLAPPING_OPTIONS,
        _("{first} and {second} overlap, {span}.").format(**said),
        (
            _(
                "{first} and {second} overlap, {span}: redraw the ranges so that they meet "
                "without overlapping and every answer fits exactly one."
            ).format(**said),
        ),
    )


def _span(where: tuple[float, float], lo: str, hi: str) -> str:
    if where[0] == -ranges.INF:
        return _("up to {value}").format(value=hi)
    if where[1] == ranges.INF:
        return _("from {value} up").format(value=lo)
    return _("from {low} to {high}").format(low=lo, high=hi)


def _singular_unit(unit: str | None) -> str:
    if not unit:
        return ""
    return unit[:-1] if unit.endswith("s") and unit not in ("%",) else unit


def _frequency_overlap(options: list[str]) -> Finding | None:
    if (clash := categories.frequency_clash(options)) is None:
        return None
    said = {"first": quote(clash[0]), "second": quote(clash[1])}
    return Finding(
        OVERLAPPING_OPTIONS,
        _("{first} and {second} could both be true of the same person.").format(**said),
        (
            _(
                "{first} and {second} could both be true: count in one way only, for example "
                "‘Daily’, ‘Weekly’, ‘Monthly’, ‘Less often’, ‘Never’."
            ).format(**said),
        ),
    )


def _broader(options: list[str]) -> Finding | None:
    if (pair := categories.containing(options)) is None:
        return None
    broad, narrow = (quote(option) for option in pair)
    exclusive = quote(_("{broad} (not {narrow})").format(broad=tidy(pair[0]), narrow=tidy(pair[1])))
    return Finding(
        OVERLAPPING_OPTIONS,
        _("{broad} includes {narrow}.").format(broad=broad, narrow=narrow),
        (
            _(
                "{broad} includes {narrow}: make them exclusive (for example {exclusive}) "
                "or let people choose more than one."
            ).format(broad=broad, narrow=narrow, exclusive=exclusive),
        ),
    )
