"""The baseline for bench/slack_votes.py: a bare slack-bolt app that only acknowledges.

One `AsyncApp` with request verification on (the `X-Slack-Signature` HMAC and the
timestamp window) and single-workspace token authorization (one `auth.test`, against
the Web API at `SLACK_API_URL`, then cached), one action listener for Concord's
`concord-*` buttons that calls `ack()` and nothing else, run before the response is
sent (`process_before_response`, as Concord runs it). It is served the way Concord
serves bolt: a plain aiohttp app, POST /slack/events, `to_bolt_request` and
`to_aiohttp_response` around `async_dispatch`. GET /healthz says when it listens.

With `--confirm` it also tells each clicker privately that the click arrived, as any app
that confirms votes must and as bolt documents it: `respond()` to the click's
`response_url` (slack_sdk's webhook client), sent once the click is acknowledged, so the
acknowledgement does not wait for it (as Concord's confirmations do not). That app is
the floor of per-click confirmations, measured beside the plain baseline.

    SLACK_SIGNING_SECRET=… SLACK_BOT_TOKEN=xoxb-… SLACK_API_URL=http://127.0.0.1:PORT/api/ \\
        .venv/bin/python -m bench.bare_slack_app [--confirm] PORT

It listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

BOLT = web.AppKey("bolt", AsyncApp)


def bolt_app(signing_secret: str, token: str, api_url: str, confirm: bool = False) -> AsyncApp:
    app = AsyncApp(
        signing_secret=signing_secret,
        client=AsyncWebClient(token=token, base_url=api_url),
        # As Concord runs bolt: the answer goes out when the listener returns. (bolt's
        # default polls every 10 ms for the listener's ack, a floor under every latency.)
        process_before_response=True,
    )

    confirmations: set[asyncio.Task[None]] = set()  # kept until sent

    @app.action(re.compile("concord-.*"))
    async def acknowledge(ack: AsyncAck, respond: AsyncRespond) -> None:
        await ack()
        if confirm:
            task = asyncio.create_task(
                respond(text="Your vote is in.", response_type="ephemeral", replace_original=False)
            )
            confirmations.add(task)
            task.add_done_callback(confirmations.discard)

    return app


async def slack_events(request: web.Request) -> web.Response:
    bolt = request.app[BOLT]
    return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def web_app(bolt: AsyncApp) -> web.Application:
    app = web.Application()
    app[BOLT] = bolt
    app.router.add_post("/slack/events", slack_events)
    app.router.add_get("/healthz", healthz)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--confirm", action="store_true")
    parser.add_argument("port", type=int)
    args = parser.parse_args()
    bolt = bolt_app(
        os.environ["SLACK_SIGNING_SECRET"],
        os.environ.pop("SLACK_BOT_TOKEN"),  # else bolt reads it too, and warns it is unused
        os.environ["SLACK_API_URL"],
        args.confirm,
    )
    web.run_app(web_app(bolt), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
