"""What a chart shows, as data: a poll's result, or a check-in's trend.

The engine builds these; `bot/charts.py` draws them. `alt_text` says the same figures
in words, for the Image block beside the picture: a screen reader reads it, and a
platform that can't show the picture shows it instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dialogs.core.language import DEFAULT, N_, _, current, ngettext

ANSWER_SCALE = (1, 5)  # a check-in's scale questions are answered 1–5


@dataclass(frozen=True)
class ResultChart:
    """A poll's result as bars, one per option; instant run-off gives one panel per round."""

    title: str
    labels: list[str]
    rounds: list[dict[str, float]]  # each round's value by label (one round unless ranked)
    unit: str  # what a value counts, singular: "vote", "dot", "person", "mean score"
    winner: str | None = None
    scale: tuple[int, int] | None = None  # the value axis's full range, where the poll fixes it


@dataclass(frozen=True)
class TrendChart:
    """A check-in's trend: one line of average answers per question, over its runs."""

    labels: list[str]
    series: dict[str, list[float | None]]


Chart = TrendChart | ResultChart

MEAN_SCORE = "mean score"  # i18n: not for readers (a unit's name, as `ResultChart.unit`)
# A figure with its unit, by unit ("vote": "5 votes"), and the unit alone in the plural.
_COUNTED: dict[str, Callable[[int], str]] = {
    "vote": lambda n: ngettext("{count} vote", "{count} votes", n),
    "dot": lambda n: ngettext("{count} dot", "{count} dots", n),
    "person": lambda n: ngettext("{count} person", "{count} people", n),
    MEAN_SCORE: lambda n: ngettext("{count} mean score", "{count} mean scores", n),
}
_UNITS = {
    "vote": N_("votes"),
    "dot": N_("dots"),
    "person": N_("people"),
    MEAN_SCORE: N_("mean scores"),
}


def chart_url(token: str) -> str:
    """Where the picture of the chart with `token` is drawn in the language of the work in
    hand (a path on our own server: each renderer makes it absolute for its platform)."""
    path = f"/charts/{token}.png"
    return path if current() == DEFAULT else f"{path}?lang={current()}"


def alt_text(chart: Chart) -> str:
    """The chart's figures in words: "Bar chart: A 5 votes (winner), B 3, C 1."."""
    if isinstance(chart, TrendChart):
        return _trend_words(chart)
    if len(chart.rounds) == 1:
        words = _round_words(chart, chart.rounds[0], final=True)
        if chart.scale:  # the unit is said once, with the scale
            low, high = chart.scale
            return _("Bar chart of {units} from {low} to {high}: {figures}.").format(
                units=_plural(chart.unit), low=low, high=high, figures=words
            )
        return _("Bar chart: {figures}.").format(figures=words)
    rounds = "; ".join(
        _("round {number}: {figures}").format(
            number=n, figures=_round_words(chart, counts, final=n == len(chart.rounds))
        )
        for n, counts in enumerate(chart.rounds, 1)
    )
    return ngettext(
        "Bar chart of {count} round of instant run-off: {rounds}.",
        "Bar charts of {count} rounds of instant run-off: {rounds}.",
        len(chart.rounds),
    ).format(count=len(chart.rounds), rounds=rounds)


def _round_words(chart: ResultChart, counts: dict[str, float], *, final: bool) -> str:
    said: list[str] = []
    for label in (label for label in chart.labels if label in counts):
        value = number(counts[label])
        if not said and not chart.scale:
            value = _counted(chart.unit, counts[label])
        if final and label == chart.winner:
            value = _("{figure} (winner)").format(figure=value)
        said.append(f"{label} {value}")
    return ", ".join(said) or _("nothing counted")


def _counted(unit: str, value: float) -> str:
    """`value` with its unit: "1 vote", "5 votes", "2.5 mean scores"."""
    if unit not in _COUNTED:
        return f"{number(value)} {unit if value == 1 else _plural(unit)}"
    whole = int(value) if float(value).is_integer() else 100  # a fraction reads as plural
    return _COUNTED[unit](whole).format(count=number(value))


def _trend_words(chart: TrendChart) -> str:
    low, high = ANSWER_SCALE
    if len(chart.labels) == 1:
        answers = ", ".join(
            f"“{question}” {_maybe(values[0])}" for question, values in chart.series.items()
        )
        return _("Bar chart of the average answers ({low} to {high}) on {date}: {answers}.").format(
            low=low, high=high, date=chart.labels[0], answers=answers
        )
    lines = "; ".join(
        f"“{question}” " + ", ".join(_maybe(v) for v in values)
        for question, values in chart.series.items()
    )
    return ngettext(
        "Line chart of the average answers ({low} to {high}) over {count} check-in ({dates}): "
        "{lines}.",
        "Line chart of the average answers ({low} to {high}) over {count} check-ins ({dates}): "
        "{lines}.",
        len(chart.labels),
    ).format(
        low=low, high=high, count=len(chart.labels), dates=", ".join(chart.labels), lines=lines
    )


def _plural(unit: str) -> str:
    return _(_UNITS[unit]) if unit in _UNITS else unit + "s"


def _maybe(value: float | None) -> str:
    return _("no answers") if value is None else number(value)


def number(value: float) -> str:
    """A figure as people write it: 5, 2.5, 3.67 (never 5.0 or 3.6666667)."""
    return f"{round(value, 2):g}"
