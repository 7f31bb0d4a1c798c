"""Exported files at `/exports/<token>`: the file exactly as it was made for one person.

The token is the chart links' kind (`charts.TOKEN`): unguessable, stored beside the
one file it names, so it can't be forged or turned to another collaborative's file.
An unknown or malformed token is a 404, an expired one a 410; neither gives any data.
"""

from __future__ import annotations

from aiohttp import web

from bot.charts import TOKEN
from dialogs.core.ports import EXPIRED, Concord


def add_routes(app: web.Application, concord: Concord) -> None:
    async def download(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        found = await concord.export_file(token) if TOKEN.fullmatch(token) else None
        if found is None:
            raise web.HTTPNotFound(text="No such export: ask Concord for the file again.")
        if found == EXPIRED:
            raise web.HTTPGone(text="This export has expired: ask Concord for the file again.")
        return web.Response(
            body=found.content,
            content_type=found.media_type,
            charset="utf-8" if found.media_type.startswith("text/") else None,
            headers={
                "Content-Disposition": f'attachment; filename="{found.filename}"',
                "Cache-Control": "private, no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    app.router.add_get("/exports/{token}", download)
