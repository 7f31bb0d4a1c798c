"""What both Teams edges check of a request before any SDK reads it, and how they refuse.

A body that isn't JSON is a 415, malformed JSON or an activity lacking what Concord reads
(`inbound.missing`) a 400 with the reason; a `serviceUrl` Concord won't call
(`service_url.problem`) a 400; any failure to authenticate a 401, whatever the reason.
"""

from __future__ import annotations

import logging
from typing import NoReturn

from aiohttp import web

from adapters.request_json import MalformedJson, load_object
from adapters.teams import inbound, service_url
from adapters.teams.connector import Invoked, Json

log = logging.getLogger(__name__)


async def read_wire(request: web.Request) -> Json:
    """The request's activity as JSON, or a 400 (415 for a body that isn't JSON) saying why."""
    if "application/json" not in request.headers.get("Content-Type", ""):
        not_json = "send the activity as application/json"  # i18n: not for readers
        raise web.HTTPUnsupportedMediaType(text=not_json)
    try:
        body = load_object(await request.read())
    except MalformedJson as error:
        log.info("Teams request refused: %s", error)
        raise web.HTTPBadRequest(text=str(error)) from None
    problem = inbound.missing(body)
    if problem:
        raise web.HTTPBadRequest(text=f"the activity has no {problem}")  # i18n: not for readers
    return body


def check_service_url(wire: Json, *, local: bool) -> None:
    """A 400 unless the activity's `serviceUrl`, where answers go, is one Concord calls."""
    if refused := service_url.problem(wire["serviceUrl"], local=local):
        log.info("Teams serviceUrl refused", extra={"why": refused})
        why = f"the activity's serviceUrl is refused: {refused}"  # i18n: not for readers
        raise web.HTTPBadRequest(text=why)


def unauthorized(why: str) -> NoReturn:
    """Refuse a request that failed authentication, for any reason: never a 500."""
    log.info("Bot Framework request refused", extra={"why": why})
    raise web.HTTPUnauthorized(
        text="the Bot Framework token is missing or invalid"  # i18n: not for readers
    )


def turn_response(answer: Invoked | None) -> web.Response:
    """The HTTP answer to a turn: an invoke's status and body, else 201."""
    if answer is None:
        return web.Response(status=201)
    status, body = answer
    return web.json_response(body, status=status)
