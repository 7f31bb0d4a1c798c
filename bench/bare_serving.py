"""How the bare Teams bots (bench/bare_teams_bot.py, bench/bare_agents_bot.py) are served:
`PORT` from the command line, 127.0.0.1 only, no access log, and GET /healthz saying when
they listen."""

from __future__ import annotations

import sys

from aiohttp import web


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def serve(app: web.Application) -> None:
    """Serve `app`, with /healthz, on 127.0.0.1 and the port named by the command line."""
    app.router.add_get("/healthz", healthz)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
