"""HTTP under /playground: the page, its state, commands, actions and a live change stream.

There is no sign-in by design (it is a demo): every field is checked, every
card is escaped, and a bad request gets a JSON error saying what was wrong.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol

from aiohttp import web

from adapters.playground import page_words, render
from adapters.playground.inbound import (
    MAX_BODY_BYTES,
    ActionRequest,
    BadRequest,
    CommandRequest,
    action_request,
    command_request,
    parse_body,
    user_id,
)
from adapters.playground.outcome import Outcome
from adapters.playground.port import PlaygroundPort
from dialogs.core.language import DEFAULT, _, from_locale, speaking


class Playground(Protocol):
    """What the routes need of the playground (adapters/playground/playground.py)."""

    port: PlaygroundPort

    async def command(self, request: CommandRequest) -> Outcome: ...

    async def action(self, request: ActionRequest) -> Outcome: ...

    async def state(self, user_id: str | None) -> dict[str, Any]: ...

    async def reset(self) -> None: ...


STATIC = Path(__file__).parent / "static"
STATE_PATH = "/playground/api/state"
EVENTS_PATH = "/playground/api/events"
POLLING_PATHS = frozenset({STATE_PATH, EVENTS_PATH})  # what open pages ask again and again
LANGUAGE_COOKIE = "concord-playground-language"  # the page's language choice (words.js)
MAX_STREAMS = 100
KEEPALIVE_SECONDS = 15.0
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; "  # i18n: not for readers (a header's policy)
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' https: data:; connect-src 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def add_routes(app: web.Application, playground: Playground) -> None:
    routes = _Routes(playground)
    app.router.add_get("/playground", routes.page)
    app.router.add_get("/playground/api/words", _json_errors(routes.words))
    app.router.add_get(STATE_PATH, _json_errors(routes.state))
    app.router.add_post("/playground/api/command", _json_errors(routes.command))
    app.router.add_post("/playground/api/action", _json_errors(routes.action))
    app.router.add_post("/playground/api/reset", _json_errors(routes.reset))
    # GET only: a stream's body after a HEAD answer would be read as the next response.
    app.router.add_get(EVENTS_PATH, routes.events, allow_head=False)
    app.router.add_static("/playground/static", STATIC)
    app.on_shutdown.append(routes.close_streams)


def _json_errors(handler: Handler) -> Handler:
    """Bad input → 400/413 with a message, in the page's language (the page sends it as
    Accept-Language). Faults of ours are left to the app's error middleware, so every 500
    carries an id that is also in the log."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        with speaking(from_locale(request.headers.get("Accept-Language")) or DEFAULT):
            try:
                return await handler(request)
            except BadRequest as error:
                return _json({"error": error.message}, status=error.status)

    return guarded


class _Routes:
    def __init__(self, playground: Playground) -> None:
        self._playground = playground
        self._streams = 0

    async def page(self, request: web.Request) -> web.StreamResponse:
        """The page, its words in the language the person last chose."""
        language = page_words.page_language(request.cookies.get(LANGUAGE_COOKIE))
        return web.Response(
            text=page_words.page(language), content_type="text/html", headers=PAGE_HEADERS
        )

    async def words(self, request: web.Request) -> web.StreamResponse:
        """The page's words in another language, for words.js to put in place."""
        language = page_words.page_language(request.query.get("language"))
        return _json({"language": language, "words": page_words.words(language)})

    async def state(self, request: web.Request) -> web.StreamResponse:
        user = request.query.get("user")
        return _json(await self._playground.state(user_id(user) if user else None))

    async def command(self, request: web.Request) -> web.StreamResponse:
        outcome = await self._playground.command(command_request(await _read_body(request)))
        return _json(self._outcome(outcome))

    async def action(self, request: web.Request) -> web.StreamResponse:
        outcome = await self._playground.action(action_request(await _read_body(request)))
        return _json(self._outcome(outcome))

    async def reset(self, request: web.Request) -> web.StreamResponse:
        """Start the demo afresh; only a request that says it is sure (the page asks first)."""
        if (await _read_body(request)).get("confirm") is not True:
            raise BadRequest(_("Resetting the demo deletes everything in it: send confirm: true."))
        await self._playground.reset()
        return _json({"version": self._playground.port.feed.version})

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-Sent Events: a `change` event with the version whenever the transcript moves."""
        if self._streams >= MAX_STREAMS:
            return _json({"error": _("Too many open playground pages; close one.")}, status=503)
        feed = self._playground.port.feed
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-store",
                "X-Accel-Buffering": "no",
            }
        )
        self._streams += 1
        try:
            await response.prepare(request)
            await response.write(b"retry: 2000\n\n")
            seen = feed.version
            await response.write(_change_event(seen))
            while not feed.closed:
                if await feed.wait(seen, KEEPALIVE_SECONDS) and not feed.closed:
                    seen = feed.version
                    await response.write(_change_event(seen))
                else:
                    await response.write(b": keepalive\n\n")
        except ConnectionError:  # the page went away
            pass
        finally:
            self._streams -= 1
        return response

    async def close_streams(self, _app: web.Application) -> None:
        self._playground.port.feed.close()

    def _outcome(self, outcome: Outcome) -> dict[str, Any]:
        return {
            "actor": {"user": outcome.actor.user_id, "name": outcome.actor.display_name},
            "replies": [render.render_card(card, private=True) for card in outcome.replies],
            "form": render.render_form(outcome.form) if outcome.form else None,
            "refused": outcome.refused,
            "version": self._playground.port.feed.version,
        }


async def _read_body(request: web.Request) -> dict[str, Any]:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        too_large = _("The request is larger than {size} KB.").format(size=MAX_BODY_BYTES // 1024)
        raise BadRequest(too_large, 413)
    raw = bytearray()
    while chunk := await request.content.read(MAX_BODY_BYTES + 1):
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            break
    return parse_body(bytes(raw))


def _change_event(version: int) -> bytes:
    event = f"event: change\ndata: {json.dumps({'version': version})}\n\n"  # i18n: not for readers
    return event.encode()


def _json(body: dict[str, Any], *, status: int = 200) -> web.Response:
    return web.json_response(
        body,
        status=status,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
    )
