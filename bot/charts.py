"""Charts as PNG at `/charts/<token>.png`: a check-in's trend, or a poll's result.

Each token is unguessable and belongs to one check-in run or one poll; a poll's
chart exists only once everyone may see its results.
"""

from __future__ import annotations

import asyncio
import io
import re
import textwrap

from aiohttp import web

from dialogs.core.ports import Chart, Concord, TrendChart

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def trend_png(labels: list[str], series: dict[str, list[float | None]]) -> bytes:
    # Imported here: matplotlib costs ~1 s and ~40 MiB at start-up for a chart few will open.
    # A bare Figure renders with Agg: no display, no pyplot state.
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4), dpi=100)
    axes = figure.subplots()
    positions = range(len(labels))  # by position: two runs on one day keep two points
    for question, values in series.items():
        axes.plot(positions, values, marker="o", label=textwrap.shorten(question, 70))
    axes.set_xticks(positions, labels)
    axes.set_ylim(1, 5)
    axes.set_ylabel("average answer (1–5)")
    axes.grid(alpha=0.3)
    axes.legend(loc="lower left", fontsize="small")
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def result_png(title: str, labels: list[str], values: list[float]) -> bytes:
    from matplotlib.figure import Figure  # see trend_png

    figure = Figure(figsize=(8, max(2.5, 0.5 * len(labels) + 1.2)), dpi=100)
    axes = figure.subplots()
    positions = range(len(labels))
    axes.barh(positions, values, color="#1f5fa8")
    axes.set_yticks(positions, [textwrap.shorten(label, 45) for label in labels])
    axes.invert_yaxis()  # first option on top, as in the poll
    axes.set_title(textwrap.shorten(title, 90), fontsize="medium")
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _draw(chart: Chart) -> bytes:
    if isinstance(chart, TrendChart):
        return trend_png(chart.labels, chart.series)
    return result_png(chart.title, chart.labels, chart.values)


def add_routes(app: web.Application, concord: Concord) -> None:
    async def chart(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if not TOKEN.fullmatch(token):
            raise web.HTTPNotFound(text="no such chart")
        found = await concord.chart(token)  # read in the transaction; drawn after it ends
        if found is None:
            raise web.HTTPNotFound(text="no such chart")
        png = await asyncio.to_thread(_draw, found)
        return web.Response(
            body=png, content_type="image/png", headers={"Cache-Control": "private, max-age=300"}
        )

    app.router.add_get("/charts/{token}.png", chart)
