"""Generated unsigned and malformed requests to every endpoint of the real app (SQLite and
PostgreSQL): no 5xx, no log record at ERROR or with a traceback, and a request refused with
a 4xx leaves every table exactly as it was.
"""

from __future__ import annotations

import secrets

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import bounded
from tests.fuzz.logs import described, faults
from tests.fuzz.requests import SERVICE_URLS, Request, activity, paths, requests
from tests.fuzz.served import Served
from tests.fuzz.snapshot import changed, snapshot
from tests.support.processes import SETTING_NAMES
from tests.support.schemas import postgres_url

# Tables a refused request may change (rate-limit counters would go here); none yet.
CHANGE_ON_REFUSAL: frozenset[str] = frozenset()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def served(request, monkeypatch, tmp_path, teams_sdk):
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env
    if request.param == "sqlite":
        app = Served(f"sqlite:///{tmp_path / 'concord.db'}", teams_sdk)
        yield app
        app.close()
        return
    schema = f"{request.getfixturevalue('postgres_schema')}_http_{secrets.token_hex(3)}"
    with postgres_url(schema) as url:
        app = Served(url, teams_sdk)
        yield app
        app.close()


def test_the_fuzz_reaches_every_route(served):
    routes = paths(served.app)
    for path in ("/slack/events", "/slack/install", "/slack/oauth_redirect", "/api/messages"):
        assert path in routes
    assert "/playground/api/command" in routes and "/metrics" in routes and "/healthz" in routes
    assert "/charts/{token}.png" in routes and "/exports/{token}" in routes


# What the attack in issue 16 sent, always sent again, whatever Hypothesis generates.
JSON = {"Content-Type": "application/json"}
KNOWN = [
    Request("POST", "/slack/events", {"X-Slack-Request-Timestamp": "soon"}, b"a=b"),
    Request("POST", "/slack/events", JSON, b"[]"),
    Request("POST", "/slack/events", JSON, b'{"a":' * 1000),
    Request("POST", "/slack/events", {}, b"\xff\xfe\x00"),
    Request("POST", "/api/messages", JSON, b"[" * 1000),
    Request("POST", "/api/messages", JSON, activity(SERVICE_URLS[0], "help")),
    Request("POST", "/playground/api/command", {}, b"[" * 1000 + b"]" * 1000),
    Request("POST", "/playground/api/action", {}, b'{"user": "\\ud800"}'),
    Request("HEAD", "/playground/api/events"),
    Request(
        "GET",
        "/slack/oauth_redirect?code=x&state=y",
        {"Content-Type": "text/plain; charset=utf-16"},
        b"{}!",
    ),
]


@pytest.mark.parametrize("request_", KNOWN, ids=lambda r: f"{r.method} {r.path} {r.body[:12]!r}")
def test_each_known_attack_is_answered_clearly(served, request_):
    answered_clearly(served, request_)


@bounded(max_examples=150)
@given(data=st.data())
def test_no_request_gets_a_5xx_a_traceback_or_a_change_when_refused(served, data):
    answered_clearly(served, data.draw(requests(served.app)))


def answered_clearly(served: Served, request: Request) -> None:
    before = snapshot(served.database.engine, CHANGE_ON_REFUSAL)
    with faults() as logged:
        status, body = served.send(request)
    answer = f"{request.method} {request.path} answered {status}: {body[:300]!r}"
    assert status < 500, answer
    assert not logged, answer + "; logged " + "; ".join(described(r) for r in logged)
    if 400 <= status < 500:
        after = snapshot(served.database.engine, CHANGE_ON_REFUSAL)
        assert not changed(before, after), f"{answer}; yet changed {changed(before, after)}"
