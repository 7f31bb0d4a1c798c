"""What a chart shows, as data: a poll's result, or a check-in's trend.

The engine builds these; `bot/charts.py` draws them. `alt_text` says the same figures
in words, for the Image block beside the picture: a screen reader reads it, and a
platform that can't show the picture shows it instead.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def alt_text(chart: Chart) -> str:
    """The chart's figures in words: "Bar chart: A 5 votes (winner), B 3, C 1."."""
    if isinstance(chart, TrendChart):
        return _trend_words(chart)
    if len(chart.rounds) == 1:
        words = _round_words(chart, chart.rounds[0], final=True)
        if chart.scale:  # the unit is said once, with the scale
            low, high = chart.scale
            return f"Bar chart of {_plural(chart.unit)} from {low} to {high}: {words}."
        return f"Bar chart: {words}."
    rounds = "; ".join(
        f"round {n}: {_round_words(chart, counts, final=n == len(chart.rounds))}"
        for n, counts in enumerate(chart.rounds, 1)
    )
    return f"Bar charts of {len(chart.rounds)} rounds of instant run-off: {rounds}."


def _round_words(chart: ResultChart, counts: dict[str, float], *, final: bool) -> str:
    said: list[str] = []
    for label in (label for label in chart.labels if label in counts):
        value = number(counts[label])
        if not said and not chart.scale:
            value += " " + (chart.unit if counts[label] == 1 else _plural(chart.unit))
        if final and label == chart.winner:
            value += " (winner)"
        said.append(f"{label} {value}")
    return ", ".join(said) or "nothing counted"


def _trend_words(chart: TrendChart) -> str:
    low, high = ANSWER_SCALE
    if len(chart.labels) == 1:
        answers = ", ".join(
            f"“{question}” {_maybe(values[0])}" for question, values in chart.series.items()
        )
        on = chart.labels[0]
        return f"Bar chart of the average answers ({low} to {high}) on {on}: {answers}."
    lines = "; ".join(
        f"“{question}” " + ", ".join(_maybe(v) for v in values)
        for question, values in chart.series.items()
    )
    dates = ", ".join(chart.labels)
    return (
        f"Line chart of the average answers ({low} to {high}) over {len(chart.labels)} "
        f"check-ins ({dates}): {lines}."
    )


def _plural(unit: str) -> str:
    return "people" if unit == "person" else unit + "s"


def _maybe(value: float | None) -> str:
    return "no answers" if value is None else number(value)


def number(value: float) -> str:
    """A figure as people write it: 5, 2.5, 3.67 (never 5.0 or 3.6666667)."""
    return f"{round(value, 2):g}"
