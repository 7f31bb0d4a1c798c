"""A local Bot Connector for tests: the REST routes botbuilder calls, recording every call.

`running_teams_connector()` serves on 127.0.0.1 (a free port) from its own thread and
event loop (`tests.stand_ins.slack_api.serving_in_thread`); put its `service_url` in an
activity's `serviceUrl` and Concord's replies, posts and updates come here.

Routes, as the Bot Connector API v3 has them:
- `POST /v3/conversations` — create (or find) a 1:1 chat: `{"id": …}`;
- `POST /v3/conversations/{id}/activities` — send: `{"id": <new activity id>}`;
- `POST /v3/conversations/{id}/activities/{activityId}` — reply: `{"id": …}`;
- `PUT /v3/conversations/{id}/activities/{activityId}` — update; 404 for an
  activity it never stored;
- `GET /v3/conversations/{id}/pagedmembers?pageSize=N` — one page of the members
  (`members[id]`, else the test user alone) and a `continuationToken` when more
  are left.
`rate_limit(times, retry_after, kind)` answers the next `times` calls (of that kind, if
given) with HTTP 429 and `Retry-After`; `fail(times, status, kind)` with another status.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.stand_ins.slack_api import serving_in_thread
from tests.stand_ins.teams_activities import USER_ID, USER_NAME

Json = dict[str, Any]


@dataclass
class ConnectorCall:
    kind: str  # create | send | reply | update | members
    conversation_id: str
    body: Json
    activity_id: str | None = None
    status: int = 200
    response: Json = field(default_factory=dict)
    authorization: str | None = None

    @property
    def ok(self) -> bool:
        return self.status < 300

    @property
    def card(self) -> Json | None:
        """The Adaptive Card this call carried, if any."""
        for attachment in self.body.get("attachments") or []:
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
                return attachment.get("content")
        return None


class TeamsConnectorStub:
    def __init__(self) -> None:
        self.url = ""
        self.calls: list[ConnectorCall] = []
        self.activities: dict[tuple[str, str], Json] = {}
        self.members: dict[str, list[str]] = {}  # conversation id → members' ids
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._failing: tuple[int, int, str | None, str | None] = (0, 0, None, None)

    @property
    def service_url(self) -> str:
        return self.url + "/"

    def rate_limit(self, times: int, retry_after: float | str = 0, kind: str | None = None) -> None:
        self.fail(times, 429, kind, retry_after)

    def fail(
        self,
        times: int,
        status: int,
        kind: str | None = None,
        retry_after: float | str | None = None,
    ) -> None:
        """Answer the next `times` calls (of `kind`, or any) with HTTP `status`."""
        after = None if retry_after is None else str(retry_after)
        with self._lock:
            self._failing = (times, status, kind, after)

    def calls_to(self, kind: str, ok_only: bool = True) -> list[ConnectorCall]:
        with self._lock:
            return [c for c in self.calls if c.kind == kind and (c.ok or not ok_only)]

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._reply)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        app.router.add_get("/v3/conversations/{conversation}/pagedmembers", self._members)
        return app

    async def _members(self, request: web.Request) -> web.Response:
        conversation = request.match_info["conversation"]
        size = int(request.query.get("pageSize", "200"))
        everyone = self.members.get(conversation, [USER_ID])
        page: Json = {"members": [{"id": i, "name": USER_NAME} for i in everyone[:size]]}
        if len(everyone) > size:
            page["continuationToken"] = f"after-{size}"
        call = ConnectorCall("members", conversation, dict(request.query))
        return self._answer(request, call, page)

    async def _create(self, request: web.Request) -> web.Response:
        body = await request.json()
        members = body.get("members") or [{}]
        member = members[0].get("id", "")
        return self._answer(request, ConnectorCall("create", "", body), {"id": f"a:chat-{member}"})

    async def _send(self, request: web.Request) -> web.Response:
        conversation = request.match_info["conversation"]
        call = ConnectorCall("send", conversation, await request.json())
        return self._answer(request, call, None)

    async def _reply(self, request: web.Request) -> web.Response:
        conversation = request.match_info["conversation"]
        call = ConnectorCall(
            "reply", conversation, await request.json(), request.match_info["activity"]
        )
        return self._answer(request, call, None)

    async def _update(self, request: web.Request) -> web.Response:
        conversation = request.match_info["conversation"]
        activity_id = request.match_info["activity"]
        call = ConnectorCall("update", conversation, await request.json(), activity_id)
        return self._answer(request, call, {"id": activity_id})

    def _answer(
        self, request: web.Request, call: ConnectorCall, answer: Json | None
    ) -> web.Response:
        call.authorization = request.headers.get("Authorization")
        headers: dict[str, str] = {}
        with self._lock:
            times, status, kind, retry_after = self._failing
            if times > 0 and kind in (None, call.kind):
                self._failing = (times - 1, status, kind, retry_after)
                call.status, call.response = status, {"error": {"code": f"HTTP{status}"}}
                if retry_after is not None:
                    headers["Retry-After"] = retry_after
            elif call.kind == "update" and (call.conversation_id, call.activity_id) not in (
                self.activities
            ):
                call.status, call.response = 404, {"error": {"code": "ActivityNotFound"}}
            else:
                if answer is None:  # a new message
                    answer = {"id": f"1700000{next(self._ids):06d}"}
                    self.activities[(call.conversation_id, answer["id"])] = call.body
                elif call.kind == "update":
                    self.activities[(call.conversation_id, answer["id"])] = call.body
                call.response = answer
            self.calls.append(call)
        return web.json_response(call.response, status=call.status, headers=headers)


@contextmanager
def running_teams_connector() -> Iterator[TeamsConnectorStub]:
    stub = TeamsConnectorStub()
    with serving_in_thread(stub.app(), "teams-connector-stub") as (port, _loop):
        stub.url = f"http://127.0.0.1:{port}"
        yield stub
