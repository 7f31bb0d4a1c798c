"""Generated unsigned and malformed requests to every endpoint of the real app (SQLite and
PostgreSQL): no 5xx, no log record at ERROR or with a traceback, and a request refused with
a 4xx leaves every table exactly as it was.
"""

from __future__ import annotations

import secrets

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from tests.fuzz import bounded
from tests.fuzz.logs import described, faults
from tests.fuzz.requests import Request, paths, requests
from tests.fuzz.served import Served
from tests.fuzz.snapshot import changed, snapshot
from tests.support.processes import SETTING_NAMES
from tests.support.schemas import postgres_url

# Tables a refused request may change (rate-limit counters would go here); none yet.
CHANGE_ON_REFUSAL: frozenset[str] = frozenset()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def served(request, monkeypatch, tmp_path):
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env
    if request.param == "sqlite":
        app = Served(f"sqlite:///{tmp_path / 'concord.db'}")
        yield app
        app.close()
        return
    schema = f"{request.getfixturevalue('postgres_schema')}_http_{secrets.token_hex(3)}"
    with postgres_url(schema) as url:
        app = Served(url)
        yield app
        app.close()


def test_the_fuzz_reaches_every_route(served):
    routes = paths(served.app)
    for path in ("/slack/events", "/slack/install", "/slack/oauth_redirect", "/api/messages"):
        assert path in routes
    assert "/playground/api/command" in routes and "/metrics" in routes and "/healthz" in routes
    assert "/charts/{token}.png" in routes and "/exports/{token}" in routes


@bounded(max_examples=150)
@given(data=st.data())
def test_no_request_gets_a_5xx_a_traceback_or_a_change_when_refused(served, data):
    request: Request = data.draw(requests(served.app))
    before = snapshot(served.database.engine, CHANGE_ON_REFUSAL)
    with faults() as logged:
        status, body = served.send(request)
    note(f"answered {status}: {body[:300]!r}")
    assert status < 500, f"{request.method} {request.path} answered {status}: {body[:300]!r}"
    assert not logged, "; ".join(described(record) for record in logged)
    if 400 <= status < 500:
        after = snapshot(served.database.engine, CHANGE_ON_REFUSAL)
        assert not changed(before, after), (
            f"refused with {status}, yet changed {changed(before, after)}"
        )
