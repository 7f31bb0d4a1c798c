"""A local Slack Web API for tests: answers like Slack, records every call, checks blocks.

`running_slack_api()` starts an aiohttp server on 127.0.0.1 (a free port) in a
background thread with its own event loop, so sync tests and async tests (on their
own loop) can both call it; point a client at it with
`AsyncWebClient(token="xoxb-…", base_url=stub.url + "/api/")` (or `SLACK_API_URL`).

What it does, as Slack does:
- `Authorization: Bearer xoxb-…` is required (`not_authed` / `invalid_auth` otherwise);
- JSON and form bodies are accepted (in a form body, `blocks` and `view` are JSON text);
- messages and views are validated with tests/slack_blocks.py, answering
  `invalid_blocks` with the problems in `response_metadata.messages`;
- `chat.update` of a message it never posted is `message_not_found`;
- a file arrives as Slack's uploads do: `files.getUploadURLExternal` gives an upload
  URL (on this server), the bytes are POSTed there, and `files.completeUploadExternal`
  shares the uploaded files in a channel; shared files are kept in `.files`;
- `users.info` gives the `tz` set for a person in `.zones`, and (asked with
  `include_locale`) the `locale` set in `.locales`;
- `rate_limit(times, retry_after)` answers the next `times` calls with HTTP 429 and
  `Retry-After`, for retry tests.
Every request, refused or not, is kept in `.calls` in order.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.stand_ins.slack_blocks import message_problems, modal_problems

TEAM = "T0001"
BOT_USER = "U0LAN0Z89"
BOT_ID = "B0LAN0Z89"
JSON_FIELDS = ("blocks", "view", "attachments", "metadata", "files")
RESPONSE_PATH = "/hooks/"  # where the stub's response URLs point
UPLOAD_PATH = "/upload/"  # where the stub's upload URLs point
TOKENLESS = {"oauth.v2.access"}  # authenticated by the app's client id and secret instead
OAUTH_CODE = "4724469134.4644010458.f4d5ebaa5e0d"
INSTALLED_TOKEN = "xoxb-installed-17"

Args = dict[str, Any]
Answer = dict[str, Any]


class SlackError(Exception):
    """A refusal Slack would send as `{"ok": false, "error": …}`."""

    def __init__(self, error: str, messages: list[str] | None = None):
        super().__init__(error)
        self.error = error
        self.messages = messages or []

    def answer(self) -> Answer:
        answer: Answer = {"ok": False, "error": self.error}
        if self.messages:
            answer["response_metadata"] = {"messages": self.messages}
        return answer


@dataclass
class SharedFile:
    """A file as `files.completeUploadExternal` shared it."""

    filename: str
    title: str
    content: bytes
    channel_id: str | None
    initial_comment: str | None


@dataclass
class Call:
    """One request as the stub saw it, and what it answered."""

    method: str
    args: Args
    token: str | None
    status: int = 200
    response: Answer = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))


class SlackApiStub:
    """The server's state: calls, posted messages, opened views, the rate-limit switch."""

    def __init__(self) -> None:
        self.url = ""
        self.calls: list[Call] = []
        self.messages: dict[tuple[str, str], Args] = {}
        self.views: dict[str, Args] = {}
        self.pinned: set[tuple[str, str]] = set()
        self.files: dict[str, SharedFile] = {}
        self.zones: dict[str, str] = {}  # user id: the `tz` of their profile (users.info)
        self.locales: dict[str, str] = {}  # user id: the `locale` of their profile
        self._uploads: dict[str, tuple[str, int, bytes | None]] = {}  # id: name, length, bytes
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._limited = 0
        self._retry_after = 0
        self._methods: dict[str, Callable[[Args], Answer]] = {
            "chat.postMessage": self._post_message,
            "chat.update": self._update,
            "chat.postEphemeral": self._post_ephemeral,
            "pins.add": self._pin,
            "views.open": self._open_view,
            "views.update": self._update_view,
            "views.publish": self._publish_view,
            "auth.test": self._auth_test,
            "conversations.open": self._open_conversation,
            "users.info": self._user_info,
            "oauth.v2.access": self._oauth_access,
            "files.getUploadURLExternal": self._upload_url,
            "files.completeUploadExternal": self._complete_upload,
        }

    # For tests

    def rate_limit(self, times: int, retry_after: int = 0) -> None:
        """Answer the next `times` calls with HTTP 429 and `Retry-After: retry_after`."""
        with self._lock:
            self._limited, self._retry_after = times, retry_after

    def calls_to(self, method: str, ok_only: bool = True) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and (c.ok or not ok_only)]

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.messages.clear()
            self.views.clear()
            self.pinned.clear()
            self.files.clear()
            self.zones.clear()
            self.locales.clear()
            self._uploads.clear()
            self._limited = 0

    # HTTP

    def app(self) -> web.Application:
        app = web.Application(client_max_size=2 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._handle)
        app.router.add_post(RESPONSE_PATH + "{rest:.*}", self._respond)
        app.router.add_post(UPLOAD_PATH + "{file_id}", self._receive_upload)
        return app

    def response_url(self, name: str = "1") -> str:
        """A `response_url` for a payload; what is posted there is a `response_url` call."""
        return f"{self.url}{RESPONSE_PATH}{name}"

    async def _respond(self, request: web.Request) -> web.Response:
        """Slack's response URLs answer `ok` as plain text, or 400 with the problem."""
        call = Call("response_url", {}, None)
        try:
            call.args = await _arguments(request)
            _check_message(call.args)
            call.response = {"ok": True}
        except SlackError as refusal:
            call.status, call.response = 400, refusal.answer()
        with self._lock:
            self.calls.append(call)
        text = "ok" if call.ok else call.response["error"]
        return web.Response(text=text, status=call.status)

    async def _receive_upload(self, request: web.Request) -> web.Response:
        """An upload URL: the file's bytes, exactly as long as announced, once."""
        file_id = request.match_info["file_id"]
        content = await request.read()
        with self._lock:
            self.calls.append(Call("upload", {"file_id": file_id, "bytes": len(content)}, None))
            pending = self._uploads.get(file_id)
            if pending is None or pending[2] is not None or pending[1] != len(content):
                return web.Response(status=400, text="upload refused")
            self._uploads[file_id] = (pending[0], pending[1], content)
        return web.Response(text=f"OK - {len(content)}")

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        token = _bearer(request.headers.get("Authorization", ""))
        call = Call(method, {}, token)
        try:
            call.args = await _arguments(request)
            call.status, call.response, headers = self._answer(call)
        except SlackError as refusal:
            call.response, headers = refusal.answer(), {}
        with self._lock:
            self.calls.append(call)
        return web.json_response(call.response, status=call.status, headers=headers)

    def _answer(self, call: Call) -> tuple[int, Answer, dict[str, str]]:
        with self._lock:
            if self._limited > 0:
                self._limited -= 1
                retry = {"Retry-After": str(self._retry_after)}
                return 429, {"ok": False, "error": "ratelimited"}, retry
        if call.method not in TOKENLESS:
            if call.token is None:
                raise SlackError("not_authed")
            if not call.token.startswith("xoxb-"):
                raise SlackError("invalid_auth")
        handler = self._methods.get(call.method)
        if handler is None:
            raise SlackError("unknown_method")
        with self._lock:
            return 200, {"ok": True, **handler(call.args)}, {}

    # Methods (called under the lock)

    def _post_message(self, args: Args) -> Answer:
        channel = _required(args, "channel", "channel_not_found")
        _check_message(args)
        ts = self._next_ts()
        message = self._message(args, ts)
        self.messages[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "message": message}

    def _update(self, args: Args) -> Answer:
        channel = _required(args, "channel", "channel_not_found")
        ts = _required(args, "ts", "message_not_found")
        if (channel, ts) not in self.messages:
            raise SlackError("message_not_found")
        _check_message(args)
        message = self._message(args, ts)
        self.messages[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "text": message["text"], "message": message}

    def _pin(self, args: Args) -> Answer:
        channel = _required(args, "channel", "channel_not_found")
        ts = _required(args, "timestamp", "no_item_specified")
        if (channel, ts) not in self.messages:
            raise SlackError("message_not_found")
        self.pinned.add((channel, ts))
        return {}

    def _post_ephemeral(self, args: Args) -> Answer:
        _required(args, "channel", "channel_not_found")
        _required(args, "user", "user_not_in_channel")
        _check_message(args)
        return {"message_ts": self._next_ts()}

    def _open_view(self, args: Args) -> Answer:
        _required(args, "trigger_id", "invalid_trigger_id")
        return {"view": self._store_view(f"V{next(self._ids):08d}", _view(args))}

    def _update_view(self, args: Args) -> Answer:
        view_id = args.get("view_id")
        if not isinstance(view_id, str) or view_id not in self.views:
            raise SlackError("not_found")
        return {"view": self._store_view(view_id, _view(args))}

    def _publish_view(self, args: Args) -> Answer:
        user = _required(args, "user_id", "invalid_arguments")
        view = _view(args)
        if view.get("type") != "home":
            raise SlackError("invalid_arguments", ["views.publish takes a view of type home"])
        return {"view": self._store_view(f"VH{user}", view)}

    def _auth_test(self, args: Args) -> Answer:
        return {
            "url": "https://northshire.slack.com/",
            "team": "Northshire",
            "user": "concord",
            "team_id": TEAM,
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _oauth_access(self, args: Args) -> Answer:
        """Slack's answer to a bot install in workspace TEAM (of the Enterprise Grid org
        E0001, as tests/slack_payloads.py's commands say), for the one code it issued."""
        if args.get("code") != OAUTH_CODE:
            raise SlackError("invalid_code")
        return {
            "access_token": INSTALLED_TOKEN,
            "token_type": "bot",
            "scope": "commands,chat:write",
            "bot_user_id": BOT_USER,
            "app_id": "A0KRD7HC3",
            "team": {"id": TEAM, "name": "Northshire"},
            "enterprise": {"id": "E0001", "name": "Northshire Health"},
            "authed_user": {"id": "U2147483697"},
            "is_enterprise_install": False,
        }

    def _open_conversation(self, args: Args) -> Answer:
        users = _required(args, "users", "users_list_not_supplied")
        return {"channel": {"id": f"D{abs(hash(users)) % 10**8:08d}"}}

    def _user_info(self, args: Args) -> Answer:
        """A person's profile as Slack gives it, with `tz` only for someone whose zone is
        set in `.zones` (Slack leaves it out for a profile without one), and `locale` only
        when the call asks `include_locale` (as Slack does) and `.locales` has one."""
        user = _required(args, "user", "user_not_found")
        profile: Answer = {"id": user, "team_id": TEAM, "name": user}
        if user in self.zones:
            profile |= {"tz": self.zones[user], "tz_offset": 0}
        if str(args.get("include_locale", "")).lower() in ("true", "1") and user in self.locales:
            profile["locale"] = self.locales[user]
        return {"user": profile}

    def _upload_url(self, args: Args) -> Answer:
        filename = _required(args, "filename", "invalid_arguments")
        length = str(args.get("length", ""))
        if not length.isdigit() or int(length) == 0:
            raise SlackError("invalid_arguments", ["length must be a positive whole number"])
        file_id = f"F{next(self._ids):08d}"
        self._uploads[file_id] = (filename, int(length), None)
        return {"upload_url": f"{self.url}{UPLOAD_PATH}{file_id}", "file_id": file_id}

    def _complete_upload(self, args: Args) -> Answer:
        files = args.get("files")
        if not isinstance(files, list) or not files:
            raise SlackError("invalid_arguments", ["files must be a list"])
        shared = []
        for entry in files:
            pending = self._uploads.get(entry.get("id", "")) if isinstance(entry, dict) else None
            if pending is None or pending[2] is None:
                raise SlackError("file_not_found")
            filename, _, content = pending
            title = entry.get("title") or filename
            self.files[entry["id"]] = SharedFile(
                filename, title, content, args.get("channel_id"), args.get("initial_comment")
            )
            shared.append({"id": entry["id"], "name": filename, "title": title})
        return {"files": shared}

    def _message(self, args: Args, ts: str) -> Args:
        message = {"type": "message", "text": args.get("text", ""), "user": BOT_USER}
        return {**message, "bot_id": BOT_ID, "ts": ts, "blocks": args.get("blocks", [])}

    def _store_view(self, view_id: str, view: Args) -> Args:
        stored = {**view, "id": view_id, "team_id": TEAM, "state": {"values": {}}}
        self.views[view_id] = stored
        return stored

    def _next_ts(self) -> str:
        return f"1700000100.{next(self._ts):06d}"


def _bearer(header: str) -> str | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def _arguments(request: web.Request) -> Args:
    """The call's arguments from the query, a JSON body or a form body."""
    args: Args = dict(request.query)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as error:
            raise SlackError("invalid_json") from error
        if not isinstance(body, dict):
            raise SlackError("invalid_json")
        return {**args, **body}
    form = await request.post()
    args.update({key: value for key, value in form.items() if isinstance(value, str)})
    for key in JSON_FIELDS:
        if isinstance(args.get(key), str):
            try:
                args[key] = json.loads(args[key])
            except ValueError as error:
                raise SlackError(f"invalid_{key}_format") from error
    return args


def _required(args: Args, key: str, error: str) -> str:
    value = args.get(key)
    if not isinstance(value, str) or not value:
        raise SlackError(error)
    return value


def _check_message(args: Args) -> None:
    if not args.get("text") and not args.get("blocks"):
        raise SlackError("no_text")
    problems = _problems(message_problems, {"text": args.get("text"), **_blocks_of(args)})
    if problems:
        raise SlackError("invalid_blocks", problems)


def _blocks_of(args: Args) -> Args:
    blocks = args.get("blocks")
    if blocks is None:
        return {}
    if not isinstance(blocks, list):
        raise SlackError("invalid_blocks_format")
    return {"blocks": blocks}


def _view(args: Args) -> Args:
    view = args.get("view")
    if not isinstance(view, dict):
        raise SlackError("invalid_arguments", ["a view is required"])
    problems = _problems(modal_problems, view)
    if problems:
        raise SlackError("invalid_blocks", problems)
    return view


def _problems(check: Callable[[Args], list[str]], payload: Args) -> list[str]:
    """The checker's problems; a payload too malformed to check is one problem."""
    try:
        return check(payload)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        return [f"malformed: {type(error).__name__}: {error}"]


@contextmanager
def running_slack_api() -> Iterator[SlackApiStub]:
    """A stub serving on 127.0.0.1 from its own thread and loop until the block ends."""
    stub = SlackApiStub()
    with serving_in_thread(stub.app(), "slack-api-stub") as (port, _loop):
        stub.url = f"http://127.0.0.1:{port}"
        yield stub


@contextmanager
def serving_in_thread(
    app: web.Application, name: str, shutdown_timeout: float = 10
) -> Iterator[tuple[int, asyncio.AbstractEventLoop]]:
    """Serve `app` on 127.0.0.1 and a free port from a thread with its own event loop, so
    sync tests and async tests (on their own loop) can both talk to it."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name=name, daemon=True)
    thread.start()
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=shutdown_timeout)
    try:
        port = asyncio.run_coroutine_threadsafe(_serve(runner), loop).result(timeout=10)
        yield port, loop
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=15)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


async def _serve(runner: web.AppRunner) -> int:
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner.addresses[0][1]
