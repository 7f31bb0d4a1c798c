"""Charts as PNG at `/charts/<token>.png`: a check-in's trend, or a poll's result.

Each token is unguessable and belongs to one check-in run or one poll; a poll's
chart exists only once everyone may see its results. Counts sit on whole-number
axes, scores on the poll's whole scale; each bar carries its value, the winner's
says so, and long titles and labels wrap rather than run off the picture. The words on
the picture are in the language the card asked for (`?lang=cy`, see
`dialogs.core.charts.chart_url`), and its dates too.
"""

from __future__ import annotations

import asyncio
import io
import math
import re
import textwrap
from typing import TYPE_CHECKING

from aiohttp import web

from dialogs.core.charts import ANSWER_SCALE, Chart, ResultChart, TrendChart, number
from dialogs.core.language import DEFAULT, _, from_locale, ngettext, speaking
from dialogs.core.ports import Concord

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
BAR, WINNER = "#8fb3de", "#1f5fa8"
PANELS_PER_ROW = 3
NO_SUCH_CHART = "no such chart"  # i18n: not for readers (a 404's body, for HTTP clients)
CACHING = "private, max-age=300"  # i18n: not for readers (a header)


def result_figure(chart: ResultChart) -> Figure:
    """Bars per option; for instant run-off, one panel per round, the last with the winner."""
    rows = math.ceil(len(chart.rounds) / PANELS_PER_ROW)
    columns = min(len(chart.rounds), PANELS_PER_ROW)
    height = max(2.5, (0.45 * len(chart.labels) + 0.8) * rows + 0.6)
    figure = _figure(height)
    grid = figure.subplots(rows, columns, squeeze=False, sharey=True)
    panels = [axes for row in grid for axes in row]
    top = max((v for counts in chart.rounds for v in counts.values()), default=0)
    for number_, (axes, counts) in enumerate(zip(panels, chart.rounds, strict=False), 1):
        final = number_ == len(chart.rounds)
        _bars(axes, chart, counts, final=final, top=top)
        if len(chart.rounds) > 1:
            axes.set_title(_round_title(number_, final=final), fontsize="small")
    for spare in panels[len(chart.rounds) :]:
        spare.set_visible(False)
    figure.suptitle(_wrapped(chart.title, 70, lines=3))
    return figure


def _bars(
    axes: Axes, chart: ResultChart, counts: dict[str, float], *, final: bool, top: float
) -> None:
    from matplotlib.ticker import MaxNLocator

    positions = range(len(chart.labels))
    values = [counts.get(label, 0) for label in chart.labels]
    winning = [final and label == chart.winner for label in chart.labels]
    bars = axes.barh(positions, values, color=[WINNER if w else BAR for w in winning])
    axes.bar_label(
        bars,
        labels=[
            _value_label(label, counts, won)
            for label, won in zip(chart.labels, winning, strict=True)
        ],
        padding=3,
        fontsize="small",
    )
    axes.set_yticks(positions, [_wrapped(label, 28, lines=2) for label in chart.labels])
    axes.set_ylim(len(chart.labels) - 0.5, -0.5)  # first option on top, as in the poll
    if chart.scale:
        low, high = chart.scale
        axes.set_xlim(low, high + 0.2 * (high - low))  # the whole scale, and room for labels
        axes.set_xticks(range(low, high + 1))
    else:
        axes.set_xlim(0, max(1, top) * 1.3)  # room for the value labels
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="x", alpha=0.3)


def _round_title(number_: int, *, final: bool) -> str:
    title = _("Round {number} (final)") if final else _("Round {number}")
    return title.format(number=number_)


def _value_label(label: str, counts: dict[str, float], winner: bool) -> str:
    if label not in counts:
        return _("out")
    value = number(counts[label])
    return _("{figure} (winner)").format(figure=value) if winner else value


def trend_figure(chart: TrendChart) -> Figure:
    """One line per question over the runs; with one run so far, its averages as bars."""
    low, high = ANSWER_SCALE
    figure = _figure(4)
    axes = figure.subplots()
    if len(chart.labels) == 1:
        _single_run(axes, chart)
        title = _("Average answers on {date} (the first check-in)")
        figure.suptitle(title.format(date=chart.labels[0]))
        return figure
    positions = range(len(chart.labels))  # by position: two runs on one day keep two points
    for question, values in chart.series.items():
        axes.plot(positions, values, marker="o", label=_wrapped(question, 60, lines=2))
    axes.set_xticks(positions, chart.labels)
    axes.set_ylim(low - 0.2, high + 0.2)
    axes.set_yticks(range(low, high + 1))
    axes.set_ylabel(_axis_label())
    axes.grid(alpha=0.3)
    axes.legend(loc="lower left", fontsize="small")  # i18n: not for readers (a place)
    count = len(chart.labels)
    title = ngettext(
        "Average answers over {count} check-in", "Average answers over {count} check-ins", count
    )
    figure.suptitle(title.format(count=count))
    return figure


def _single_run(axes: Axes, chart: TrendChart) -> None:
    low, high = ANSWER_SCALE
    questions = list(chart.series)
    values = [chart.series[q][0] for q in questions]
    positions = range(len(questions))
    bars = axes.barh(positions, [v or 0 for v in values], color=WINNER)
    axes.bar_label(
        bars, labels=[_("no answers") if v is None else number(v) for v in values], padding=3
    )
    axes.set_yticks(positions, [_wrapped(q, 34, lines=3) for q in questions])
    axes.invert_yaxis()
    axes.set_xlim(0, high * 1.2)  # room for the value labels
    axes.set_xticks(range(low, high + 1))
    axes.set_xlabel(_axis_label())


def _axis_label() -> str:
    low, high = ANSWER_SCALE
    return _("average answer ({low}–{high})").format(low=low, high=high)


def _wrapped(text: str, width: int, lines: int) -> str:
    """`text` on at most `lines` lines of `width`, the last ending in "…" if it had to stop."""
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder=" …"))


def _figure(height: float) -> Figure:
    # Imported here: matplotlib costs ~1 s and ~40 MiB at start-up for a chart few will open.
    # A bare Figure renders with Agg: no display, no pyplot state.
    from matplotlib.figure import Figure

    return Figure(figsize=(8, height), dpi=100, layout="constrained")


def draw(chart: Chart, language: str = DEFAULT) -> bytes:
    """The chart as a PNG, its words in `language`."""
    with speaking(language):
        figure = trend_figure(chart) if isinstance(chart, TrendChart) else result_figure(chart)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def add_routes(app: web.Application, concord: Concord) -> None:
    async def chart(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if not TOKEN.fullmatch(token):
            raise web.HTTPNotFound(text=NO_SUCH_CHART)
        language = from_locale(request.query.get("lang")) or DEFAULT
        with speaking(language):  # the dates in a trend's data, too
            found = await concord.chart(token)  # read in the transaction; drawn after it ends
        if found is None:
            raise web.HTTPNotFound(text=NO_SUCH_CHART)
        png = await asyncio.to_thread(draw, found, language)
        return web.Response(body=png, content_type="image/png", headers={"Cache-Control": CACHING})

    app.router.add_get("/charts/{token}.png", chart)
