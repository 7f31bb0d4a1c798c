"""Generated HTTP requests: unsigned, malformed or hostile, for every route of the app.

Paths come from the app's own router (a `{token}` filled with generated text), plus paths
nobody serves. Headers play with what the endpoints read: Slack's timestamp and signature,
a Bearer token, content types. Bodies are what breaks parsers: JSON nested deep, the wrong
JSON type, lone surrogates, bytes that are not UTF-8, Slack-shaped forms, Bot Framework
activities pointing elsewhere, and bodies past the size limit.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from aiohttp import web
from hypothesis import strategies as st

from tests.fuzz.commands import action_ids, commands
from tests.fuzz.text import NUMBERS, mixed
from tests.stand_ins import slack_payloads

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")
OTHER_PATHS = (
    "/",
    "/slack/events/",
    "/playground/static/../../../etc/passwd",
    "/playground/static/%2e%2e/%2e%2e/bot/settings.py",
    "/api/messages/..%2f",
    "/charts/.png",
    "/exports/",
)
CONTENT_TYPES = (
    "application/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/plain; charset=latin-1",
    "application/json; charset=utf-16",
    "*/*",
    "",
)
DEPTH = 1000
# Where an activity asks for its replies to go: elsewhere, dressed up as this machine.
SERVICE_URLS = ("http://other-host:9\\@127.0.0.1:9/", "http://user@127.0.0.1:9/", "file:///etc/")
HEADER_LIMIT = 8190  # aiohttp's longest header line


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def paths(app: web.Application) -> list[str]:
    """Every route's path, a `{name}` left in to be filled."""
    found = []
    for resource in app.router.resources():
        info = resource.get_info()
        found.append(info.get("path") or info.get("formatter") or info.get("prefix", "/") + "/x")
    return sorted(set(found))


def filled(path: str) -> st.SearchStrategy[str]:
    if "{" not in path:
        return st.just(path)
    head, _, rest = path.partition("{")
    tail = rest.partition("}")[2]
    tokens = st.one_of(st.sampled_from(("x", "A" * 32, "a" * 5000, "..", "%00")), mixed())
    return tokens.map(lambda t: head + quote(t, safe="", errors="surrogatepass") + tail)


def deep_json() -> st.SearchStrategy[bytes]:
    def nest(kind: str, depth: int) -> bytes:
        opened, closed = ("[", "]") if kind == "list" else ('{"a":', "}")
        return (opened * depth + "1" + closed * depth).encode()

    return st.builds(nest, st.sampled_from(("list", "object")), st.sampled_from((50, DEPTH, 5000)))


def json_bodies() -> st.SearchStrategy[bytes]:
    wrong_types = st.sampled_from(("[]", '""', "1", "null", "true", '["a"]', '"\\ud800"', "{"))
    text_field = st.fixed_dictionaries(
        {"user": mixed(), "text": commands(), "channel": mixed(), "action": action_ids()},
        optional={
            "values": st.dictionaries(mixed(), mixed(), max_size=3),
            "confirm": st.just(True),
        },
    )
    return st.one_of(
        wrong_types.map(str.encode),
        text_field.map(lambda d: json.dumps(d).encode()),
        st.builds(activity, st.one_of(st.sampled_from(SERVICE_URLS), mixed()), commands()),
        deep_json(),
    )


def activity(service_url: str, text: str) -> bytes:
    """A Bot Framework message activity, its `serviceUrl` as given."""
    return json.dumps(
        {
            "type": "message",
            "id": "1",
            "serviceUrl": service_url,
            "channelId": "msteams",
            "from": {"id": "29:x", "name": "X"},
            "conversation": {"id": "19:x", "tenantId": "t"},
            "recipient": {"id": "28:bot"},
            "text": text,
        }
    ).encode()


def form_bodies() -> st.SearchStrategy[bytes]:
    slash = st.builds(
        lambda t: urlencode(slack_payloads.slash_command(t), errors="surrogatepass"), commands()
    )
    click = st.builds(
        lambda v: urlencode({"payload": json.dumps(slack_payloads.button_click(v))}), action_ids()
    )
    garbage = st.sampled_from(("payload=%7B", "payload=[]", "payload=%FF%FE", "a=b&a=c", "=&&="))
    return st.one_of(slash, click, garbage).map(str.encode)


def bodies() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.just(b""),
        json_bodies(),
        form_bodies(),
        st.sampled_from((b"\xff\xfe\x00", b'{"text": "\xc3\x28"}', "é".encode("latin-1"))),
        st.binary(max_size=64),
        st.just(b"x" * (1024 * 1024 + 1)),
    )


def headers() -> st.SearchStrategy[dict[str, str]]:
    now = str(int(time.time()))
    stamps = st.one_of(
        st.sampled_from((now, "", " 1", "1.5", "-1", "1e9")), st.sampled_from(NUMBERS)
    )
    return st.fixed_dictionaries(
        {},
        optional={
            "Content-Type": st.sampled_from(CONTENT_TYPES),
            "X-Slack-Request-Timestamp": stamps,
            "X-Slack-Signature": st.sampled_from(("", "v0=", "v0=" + "0" * 64, "v1=x", "x" * 9000)),
            "X-Slack-Retry-Num": st.sampled_from(("1", "x")),
            "Authorization": st.sampled_from(("Bearer x", "Bearer a.b.c", "Basic Og==", "")),
            "X-Forwarded-For": st.just("127.0.0.1"),
        },
    )


def requests(app: web.Application) -> st.SearchStrategy[Request]:
    path = st.sampled_from(paths(app) + list(OTHER_PATHS)).flatmap(filled)
    query = st.sampled_from(("", "?user=%00", "?user=" + "x" * 3000, "?code=x&state=y", "?a"))
    return st.builds(
        Request,
        method=st.sampled_from(("POST", "POST", "GET", *METHODS)),
        path=st.builds(str.__add__, path, query),
        headers=headers(),
        body=bodies(),
    ).filter(_reaches_http)


def _reaches_http(request: Request) -> bool:
    """Not a HEAD with a header past aiohttp's limit: aiohttp's parser answers that itself,
    before Concord sees it, with a 400 whose body the client then refuses to read."""
    return request.method != "HEAD" or all(len(v) <= HEADER_LIMIT for v in request.headers.values())
