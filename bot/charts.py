"""Trend charts as PNG, at `/charts/<token>.png`; the token is unguessable and per run."""

from __future__ import annotations

import asyncio
import io
import re
import textwrap

from aiohttp import web

from dialogs import checkins
from storage.database import Database

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


def add_routes(app: web.Application, database: Database) -> None:
    async def chart(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        if not TOKEN.fullmatch(token):
            raise web.HTTPNotFound(text="no such chart")
        data = await asyncio.to_thread(database.run, lambda s: checkins.trend(s, token))
        if data is None:
            raise web.HTTPNotFound(text="no such chart")
        png = await asyncio.to_thread(trend_png, *data)
        return web.Response(
            body=png, content_type="image/png", headers={"Cache-Control": "private, max-age=300"}
        )

    app.router.add_get("/charts/{token}.png", chart)
