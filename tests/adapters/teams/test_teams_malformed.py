"""Malformed activities on `/api/messages`: each a 400 (or an invoke's error) saying why, one
log line and no traceback, nothing stored; never a 500 (issue 16, item 3)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import func, select

from adapters.teams.package import MESSAGING_PATH
from storage.models import Ballot, Channel, Poll
from tests.stand_ins import teams_activities as teams

DEEP = "[" * 1000 + "]" * 1000
APP = {"app_id": "00000000-1111-2222-3333-444444444444", "app_password": "secret"}
Make = Callable[[str], Any]  # the serviceUrl → the body (a str is sent as it is)


def stored(database) -> int:
    with database.session() as session:
        return sum(
            session.exec(select(func.count()).select_from(model)).one()
            for model in (Channel, Poll, Ballot)
        )


def refusals_are_quiet(caplog) -> None:
    assert [record.getMessage() for record in caplog.records if record.exc_info] == []
    assert not [record for record in caplog.records if record.levelname == "ERROR"]


REFUSED: list[Any] = [
    pytest.param(lambda url: DEEP, "nested more than 64", id="nested 1000 deep"),
    pytest.param(
        lambda url: '{"type": "message", "text": "' + "[" * 100 + '"}', "", id="brackets in text"
    ),
    pytest.param(lambda url: '"hello"', "a string, not an object", id="a string"),
    pytest.param(lambda url: "[{}]", "a list, not an object", id="a list"),
    pytest.param(lambda url: "7", "a number, not an object", id="a number"),
    pytest.param(lambda url: b'{"type": "\xff"}', "not UTF-8", id="not UTF-8"),
    pytest.param(
        lambda url: json.dumps(teams.message(url, "poll")).replace("poll", "poll \\ud800"),
        "lone surrogate",
        id="lone surrogate in text",
    ),
    pytest.param(
        lambda url: {k: v for k, v in teams.message(url, "help").items() if k != "type"},
        "type",
        id="no type",
    ),
    pytest.param(lambda url: teams.message(url, "help", **{"from": "me"}), "", id="from a string"),
    pytest.param(lambda url: teams.message(url, "help", **{"from": {}}), "from.id", id="from {}"),
    pytest.param(lambda url: teams.message(url, "help", conversation="c"), "", id="conv string"),
    pytest.param(
        lambda url: {**teams.message(url, "help"), "entities": "x"}, "", id="entities string"
    ),
    pytest.param(lambda url: teams.message(url, "help", serviceUrl=7), "", id="serviceUrl number"),
    pytest.param(
        lambda url: {**teams.message(url, "help"), "entities": [None]},
        "entities without nulls",
        id="entities [null]",
    ),
    pytest.param(
        lambda url: {**teams.bot_added(url), "membersAdded": [None]},
        "membersAdded without nulls",
        id="membersAdded [null]",
    ),
]


@pytest.mark.parametrize(("make", "reason"), REFUSED)
async def test_a_malformed_activity_is_a_400_saying_why(
    teams_harness, database, stub, caplog, make, reason
):
    async with teams_harness() as app:
        body = make(stub.service_url)
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        response = await app.client.post(
            MESSAGING_PATH, data=data, headers={"Content-Type": "application/json"}
        )

        assert response.status == 400, await response.text()
        assert reason in (await response.json())["error"]
        assert stored(database) == 0
        refusals_are_quiet(caplog)


async def test_with_an_app_id_a_deep_body_is_refused_before_anything_parses_it(
    teams_harness, caplog
):
    async with teams_harness(**APP) as app:
        response = await app.client.post(
            MESSAGING_PATH, data=DEEP, headers={"Content-Type": "application/json"}
        )

        assert response.status == 400
        assert "nested more than 64" in (await response.json())["error"]
        refusals_are_quiet(caplog)


ODD_VALUES: list[Any] = [
    pytest.param(lambda url: teams.submit(url, "vote"), id="submit value a string"),
    pytest.param(lambda url: teams.submit(url, ["vote"]), id="submit value a list"),
    pytest.param(lambda url: teams.submit(url, {"action": 7}), id="submit action a number"),
    pytest.param(lambda url: teams.submit(url, {"action": "vote:1:1", "x": {"y": 1}}), id="nest"),
    pytest.param(lambda url: {**teams.execute(url, {}), "value": "x"}, id="invoke value string"),
    pytest.param(lambda url: {**teams.execute(url, {}), "value": [1]}, id="invoke value a list"),
    pytest.param(lambda url: {**teams.execute(url, {}), "value": {"action": "x"}}, id="action str"),
    pytest.param(
        lambda url: {**teams.execute(url, {}), "value": {"action": {"data": "x"}}}, id="data str"
    ),
    pytest.param(lambda url: teams.execute(url, {"action": ["vote"]}), id="execute action list"),
    pytest.param(lambda url: {**teams.execute(url, {}), "name": 7}, id="invoke name a number"),
    pytest.param(lambda url: {**teams.message(url, "help"), "type": ["message"]}, id="type a list"),
]


@pytest.mark.parametrize("make", ODD_VALUES)
async def test_odd_values_in_clicks_change_nothing_and_never_500(
    teams_harness, database, stub, caplog, make
):
    async with teams_harness() as app:
        response = await app.send(make(stub.service_url))

        assert response.status < 500, await response.text()
        assert stored(database) == 0
        refusals_are_quiet(caplog)
