"""The playground over HTTP, with the real engine, outbox dispatcher and a SQLite database."""

from __future__ import annotations

import asyncio
import json
import re
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import func, select

from adapters.playground.demo import PERSONAS
from adapters.playground.playground import Playground, shown_time
from bot.dispatcher import Dispatcher
from dialogs.engine import Engine
from dialogs.runner import EngineRunner
from storage.models import (
    AuditEntry,
    Ballot,
    Channel,
    CheckinSchedule,
    Collaborative,
    Identity,
    Member,
    Organisation,
    Poll,
)
from storage.playground import PlaygroundStore

RIVERSIDE = "riverside-partnership"
HILLVIEW = "hillview-partnership"
DEMO = "Northshire Provider Collaborative"


@asynccontextmanager
async def serving(database, clock, **server_options):
    """The playground as `concord serve` starts it, on `database`: a client of its HTTP API."""
    engine = Engine(database, clock=clock)
    dispatcher: Dispatcher | None = None

    async def deliver() -> None:
        assert dispatcher is not None
        await dispatcher.drain()

    playground = Playground(EngineRunner(engine), deliver, PlaygroundStore(database), clock=clock)
    dispatcher = Dispatcher(database, engine, {"playground": playground.port}, clock=clock)
    await playground.start()
    app = web.Application()
    playground.add_routes(app)
    server = TestServer(app)
    await server.start_server(**server_options)  # the runner's options, e.g. its access log
    async with TestClient(server) as client:
        yield client


@pytest.fixture
async def client(sqlite_database, clock):
    async with serving(sqlite_database, clock) as client:
        yield client


async def command(client, user, channel, text, **extra):
    response = await client.post(
        "/playground/api/command", json={"user": user, "channel": channel, "text": text, **extra}
    )
    assert response.status == 200, await response.text()
    return await response.json()


async def action(client, user, channel, action, values=None):
    response = await client.post(
        "/playground/api/action",
        json={"user": user, "channel": channel, "action": action, "values": values or {}},
    )
    assert response.status == 200, await response.text()
    return await response.json()


async def state(client, user="asha"):
    response = await client.get("/playground/api/state", params={"user": user})
    assert response.status == 200
    return await response.json()


def counts(message_html):
    return [int(n) for n in re.findall(r'data-count="(\d+)"', message_html)]


def count_rows(database, *models):
    with database.session() as session:
        return [session.exec(select(func.count()).select_from(m)).one() for m in models]


async def test_the_demo_is_seeded_once_however_often_the_app_starts(sqlite_database, clock):
    engine = Engine(sqlite_database, clock=clock)

    async def nothing() -> None:
        return None

    for _ in range(3):
        store = PlaygroundStore(sqlite_database)
        await Playground(EngineRunner(engine), nothing, store, clock=clock).seed_demo()

    tables = (Collaborative, Organisation, Member, Identity, Channel, AuditEntry)
    assert count_rows(sqlite_database, *tables) == [1, 2, 5, 5, 2, 10]
    with sqlite_database.session() as session:
        collaborative = session.exec(select(Collaborative)).one()
        assert collaborative.name == "Northshire Provider Collaborative"
        assert collaborative.timezone == "Europe/London"
        assert collaborative.created_at.utcoffset() is not None
        asha = session.exec(select(Member).where(Member.display_name == "Asha Patel")).one()
        assert asha.role == "coordinator"
        actions = session.exec(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        joins = ["org.join"] * 3
        assert actions == ["setup", "org.add", "org.add", *joins[:2], "link", *joins, "role"]
        people = session.exec(
            select(Member.display_name, Member.role, Organisation.name).join(Organisation)
        ).all()
        assert sorted(people) == sorted((p.name, p.role, p.organisation) for p in PERSONAS)


async def test_the_page_lists_the_demo_people_and_channels(client):
    page = await client.get("/playground")
    assert page.status == 200
    assert "Concord playground" in await page.text()
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert (await client.get("/playground/static/playground.js")).status == 200

    shown = await state(client)

    assert [p["user_id"] for p in shown["people"]] == [p.user_id for p in PERSONAS]
    assert shown["people"][0] == {
        "user_id": "asha",
        "name": "Asha Patel",
        "role": "coordinator",
        "organisation": "Riverside Hospitals NHS Trust",
        "collaborative": "Northshire Provider Collaborative",
    }
    channels = {c["id"]: c["collaborative"] for c in shown["channels"]}
    assert channels == {
        RIVERSIDE: "Northshire Provider Collaborative",
        HILLVIEW: "Northshire Provider Collaborative",
        "sandbox": None,
    }


async def test_a_poll_started_in_one_channel_updates_live_in_both(client, clock):
    started = await command(
        client,
        "asha",
        RIVERSIDE,
        'poll "Which shared priority first?" "Discharge delays" "Mental health beds"',
    )
    assert started["refused"] is False
    polls = (await state(client))["transcripts"]
    assert "Which shared priority first?" in polls[RIVERSIDE][0]["html"]
    assert "Which shared priority first?" in polls[HILLVIEW][0]["html"]
    vote_first = re.search(r'data-action="(vote:\d+:\d+)"', polls[RIVERSIDE][0]["html"]).group(1)

    await action(client, "ben", RIVERSIDE, vote_first)
    clock.advance(seconds=1)  # the playground re-renders a message at most once a second
    await action(client, "carys", HILLVIEW, vote_first)

    after = (await state(client))["transcripts"]
    for channel in (RIVERSIDE, HILLVIEW):
        assert len(after[channel]) == 1  # updated in place, not posted again
        assert counts(after[channel][0]["html"]) == [2, 0]


async def test_a_refused_command_answers_only_the_person_who_typed_it(client):
    reply = await command(client, "ben", RIVERSIDE, 'poll "Lunch?" "Soup" "Salad"')

    assert reply["refused"] is True
    assert "Only a coordinator" in reply["replies"][0]
    assert "Only visible to you" in reply["replies"][0]
    ben, asha = await state(client, "ben"), await state(client, "asha")
    assert len(ben["notes"]) == 1 and ben["notes"][0]["channel"] == RIVERSIDE
    assert asha["notes"] == []
    assert ben["transcripts"][RIVERSIDE] == []


async def test_typed_mentions_of_demo_people_reach_the_engine_as_mentions(client):
    reply = await command(client, "asha", RIVERSIDE, "role observer @dev sharma")

    assert reply["refused"] is False
    dev = next(p for p in (await state(client))["people"] if p["user_id"] == "dev")
    assert dev["role"] == "observer"


async def test_a_bare_poll_opens_a_form_that_comes_back_with_its_error(client):
    opened = await command(client, "asha", RIVERSIDE, "poll")
    assert 'data-testid="form"' in opened["form"]
    form_action = re.search(r'data-form-action="([^"]+)"', opened["form"]).group(1)

    again = await action(
        client,
        "asha",
        RIVERSIDE,
        form_action,
        {"question": "Which first?", "options": "Only one", "type": "single"},
    )

    assert 'data-testid="form-error"' in again["form"]
    assert 'value="Which first?"' in again["form"]

    done = await action(
        client,
        "asha",
        RIVERSIDE,
        form_action,
        {"question": "Which first?", "options": "A\nB", "type": "single", "max": ""},
    )
    assert done["form"] is None
    assert "Which first?" in (await state(client))["transcripts"][HILLVIEW][0]["html"]


async def test_an_objection_form_asks_two_questions_and_keeps_both_on_a_mistake(
    client, sqlite_database, clock
):
    await command(client, "asha", RIVERSIDE, 'poll "Adopt the plan?" --type consent')
    html = (await state(client))["transcripts"][RIVERSIDE][-1]["html"]
    poll_object = re.search(r'data-action="(form:consent:\d+:object)"', html).group(1)
    opened = await action(client, "ben", RIVERSIDE, poll_object)
    assert "What harm would this do to our aim?" in opened["form"]
    assert "What would resolve it?" in opened["form"]
    form_action = re.search(r'data-form-action="([^"]+)"', opened["form"]).group(1)

    typed = {"harm": "Winter <is> close", "resolve": ""}
    again = await action(client, "ben", RIVERSIDE, form_action, typed)
    assert "Say what would resolve it" in again["form"]
    assert "Winter &lt;is&gt; close</textarea>" in again["form"]
    assert count_rows(sqlite_database, Ballot) == [0]

    clock.advance(seconds=1)  # the playground re-renders a message at most once a second
    done = await action(client, "ben", RIVERSIDE, form_action, {**typed, "resolve": "Spring"})
    assert done["form"] is None
    shown = (await state(client))["transcripts"][HILLVIEW][-1]["html"]
    assert "Object — harm: “Winter &lt;is&gt; close”; would resolve it: “Spring”" in shown


async def test_a_newcomer_acts_under_the_name_they_typed(client):
    reply = await command(client, None, RIVERSIDE, "help", name="Sam O'Neill")

    assert reply["actor"] == {"user": "guest-sam-o-neill", "name": "Sam O'Neill"}
    people = (await state(client))["people"]
    assert {"user_id": "guest-sam-o-neill", "name": "Sam O'Neill"}.items() <= people[-1].items()


async def test_a_visitor_sets_up_a_collaborative_in_the_sandbox(client):
    reply = await command(client, "ben", "sandbox", 'setup "My collaborative"')

    assert reply["refused"] is False
    channels = {c["id"]: c["collaborative"] for c in (await state(client))["channels"]}
    assert channels["sandbox"] == "My collaborative"


@pytest.mark.parametrize("zone", ["Europe", "Europe/", "../etc", "Europe/London/x", "x" * 3000])
async def test_a_time_zone_that_is_not_one_is_refused_by_name(client, caplog, zone):
    reply = await command(client, "ben", "sandbox", f'setup "Mine" --timezone {zone}')

    assert reply["refused"] is True
    assert f">{zone[:39]}" in json.dumps(reply)
    assert "is not a time zone" in json.dumps(reply)
    assert [record.getMessage() for record in caplog.records if record.exc_info] == []


async def test_people_cannot_pretend_to_be_a_demo_person_under_another_name(client):
    reply = await command(client, "asha", RIVERSIDE, "help", name="Mallory")

    assert reply["actor"]["name"] == "Asha Patel"


DEEP = b"[" * 1000 + b"]" * 1000  # the standard library's json.loads: RecursionError, a 500


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("command", b"{not json", "not valid JSON"),
        ("command", b"[1, 2]", "JSON is a list, not an object"),
        ("command", b'"help"', "JSON is a string, not an object"),
        ("command", DEEP, "nested more than 64 levels"),
        ("action", DEEP, "nested more than 64 levels"),
        ("command", b'{"user": "asha", "text": "poll \\ud800"}', "lone surrogate"),
        ("action", b'{"user": "asha", "action": "\\udfff"}', "lone surrogate"),
        ("command", b'{"user": "asha", "text": "\xff"}', "not UTF-8"),
        ("command", {"user": ["asha"], "channel": RIVERSIDE, "text": "help"}, "`user`"),
        ("command", {"user": "asha", "channel": {"id": 1}, "text": "help"}, "Unknown channel"),
        ("action", {"user": "asha", "channel": RIVERSIDE, "action": 7}, "`action`"),
        ("action", {"user": "asha", "channel": RIVERSIDE, "action": "x", "values": "v"}, "values"),
        ("command", {"user": "asha", "channel": "general", "text": "help"}, "Unknown channel"),
        ("command", {"user": "asha", "channel": None, "text": "help"}, "Unknown channel"),
        ("command", {"user": "Asha!", "channel": RIVERSIDE, "text": "help"}, "`user`"),
        ("command", {"user": 7, "channel": RIVERSIDE, "text": "help"}, "`user`"),
        ("command", {"channel": RIVERSIDE, "text": "help"}, "Say who"),
        ("command", {"name": "   ", "channel": RIVERSIDE, "text": "help"}, "`name`"),
        ("command", {"user": "asha", "channel": RIVERSIDE, "text": ["help"]}, "`text`"),
        ("command", {"user": "asha", "channel": RIVERSIDE, "text": "x" * 4001}, "at most"),
        ("action", {"user": "asha", "channel": RIVERSIDE}, "`action`"),
        (
            "action",
            {"user": "asha", "channel": RIVERSIDE, "action": "vote:1:1", "values": [1]},
            "`values`",
        ),
        (
            "action",
            {
                "user": "asha",
                "channel": RIVERSIDE,
                "action": "vote:1:1",
                "values": {"question": {"nested": True}},
            },
            "question",
        ),
    ],
)
async def test_bad_requests_get_a_clear_400(client, caplog, path, body, message):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()

    response = await client.post(
        f"/playground/api/{path}", data=data, headers={"Content-Type": "application/json"}
    )

    assert response.status == 400
    assert message in (await response.json())["error"]
    assert [record for record in caplog.records if record.exc_info] == []


async def test_an_oversized_request_is_refused_with_413(client):
    body = json.dumps({"user": "asha", "channel": RIVERSIDE, "text": "x" * 70_000})

    response = await client.post("/playground/api/command", data=body)

    assert response.status == 413
    assert "64 KB" in (await response.json())["error"]


async def test_state_for_a_malformed_user_is_a_400(client):
    response = await client.get("/playground/api/state", params={"user": "<script>"})

    assert response.status == 400
    assert "user" in (await response.json())["error"]


async def test_an_unknown_button_is_answered_not_crashed(client):
    reply = await action(client, "ben", RIVERSIDE, "vote:999999:1")

    assert reply["refused"] is True


async def test_open_pages_hear_about_every_change(client):
    response = await client.get("/playground/api/events")
    assert response.headers["Content-Type"].startswith("text/event-stream")

    first = await read_event(response)
    await command(client, "asha", RIVERSIDE, 'poll "Q?" "A" "B"')
    later = await read_event(response)

    assert first["version"] < later["version"]
    response.close()


async def test_a_head_request_for_the_change_stream_is_refused_not_streamed(client):
    """A stream's body after a HEAD answer would be read as the next response on the
    connection (by this client, or by a reverse proxy reusing it for someone else)."""
    response = await client.head("/playground/api/events")

    assert response.status == 405
    assert (await client.get("/playground/api/state")).status == 200


async def read_event(response):
    while True:
        line = (await asyncio.wait_for(response.content.readline(), 5)).decode()
        if line.startswith("data: "):
            return json.loads(line.removeprefix("data: "))


def vote_buttons(message_html):
    return re.findall(r'data-action="(vote:\d+:\d+)"', message_html)


POLL = 'poll "Which shared priority first?" "Discharge delays" "Mental health beds"'


async def test_after_a_restart_every_channel_shows_its_messages_and_the_poll_still_votes(
    sqlite_database, clock
):
    async with serving(sqlite_database, clock) as before:
        await command(before, "asha", RIVERSIDE, POLL)
        poll = (await state(before))["transcripts"][RIVERSIDE][0]["html"]
        await action(before, "ben", RIVERSIDE, vote_buttons(poll)[0])
        shown = await state(before, "ben")
    clock.advance(seconds=5)

    async with serving(sqlite_database, clock) as after:
        again = await state(after, "ben")
        assert again["transcripts"] == shown["transcripts"]
        assert [n["html"] for n in again["notes"]] == [n["html"] for n in shown["notes"]]
        assert "You voted “Discharge delays”" in again["notes"][-1]["html"]

        await action(after, "carys", HILLVIEW, vote_buttons(poll)[1])

        transcripts = (await state(after))["transcripts"]
    for channel in (RIVERSIDE, HILLVIEW):
        assert len(transcripts[channel]) == 1  # the same message, updated, not posted again
        assert counts(transcripts[channel][0]["html"]) == [1, 1]


async def test_resetting_the_demo_starts_it_afresh_and_frees_the_sandbox(database, clock):
    async with serving(database, clock) as client:
        await command(client, "asha", RIVERSIDE, POLL)
        poll = (await state(client))["transcripts"][RIVERSIDE][0]["html"]
        await action(client, "ben", RIVERSIDE, vote_buttons(poll)[0])
        await command(client, "asha", RIVERSIDE, 'checkin add "every monday 09:00"')
        await command(client, "asha", RIVERSIDE, "role observer @dev sharma")
        await command(client, "ben", "sandbox", 'setup "My collaborative"')

        response = await client.post("/playground/api/reset", json={"confirm": True})

        assert response.status == 200
        shown = await state(client, "asha")
        assert shown["transcripts"] == {RIVERSIDE: [], HILLVIEW: [], "sandbox": []}
        assert shown["notes"] == []
        channels = {c["id"]: c["collaborative"] for c in shown["channels"]}
        assert channels == {RIVERSIDE: DEMO, HILLVIEW: DEMO, "sandbox": None}
        assert {p["user_id"]: p["role"] for p in shown["people"]}["dev"] == "member"
        tables = (Collaborative, Poll, Ballot, CheckinSchedule, Member)
        assert count_rows(database, *tables) == [1, 0, 0, 0, 5]
        again = await command(client, "ben", "sandbox", 'setup "My collaborative"')
        assert again["refused"] is False


async def test_the_demo_is_reset_only_when_the_request_says_it_is_sure(client, sqlite_database):
    await command(client, "asha", RIVERSIDE, POLL)

    response = await client.post("/playground/api/reset", json={})

    assert response.status == 400
    assert "confirm" in (await response.json())["error"]
    assert count_rows(sqlite_database, Poll) == [1]


async def test_messages_show_their_time_as_the_uk_writes_it(client, clock):
    await command(client, "asha", RIVERSIDE, POLL)  # at 09:00 UTC on 26 Nov: 09:00 GMT

    assert (await state(client))["transcripts"][RIVERSIDE][0]["time"] == "09:00"
    clock.advance(days=1)
    assert (await state(client))["transcripts"][RIVERSIDE][0]["time"] == "09:00, 26 Nov"


@pytest.mark.parametrize(
    ("at", "now", "shown"),
    [
        (datetime(2026, 7, 3, 13, 5, tzinfo=UTC), datetime(2026, 7, 3, 20, 0, tzinfo=UTC), "14:05"),
        (
            datetime(2026, 12, 3, 14, 5, tzinfo=UTC),
            datetime(2026, 12, 4, 9, tzinfo=UTC),
            "14:05, 3 Dec",
        ),
        (
            datetime(2026, 3, 28, 23, 30, tzinfo=UTC),
            datetime(2026, 3, 29, 9, tzinfo=UTC),
            "23:30, 28 Mar",
        ),
        (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), datetime(2026, 7, 1, 9, tzinfo=UTC), "00:30"),
    ],
)
def test_times_are_british_clock_times_with_the_date_when_it_is_not_today(at, now, shown):
    assert shown_time(at, now) == shown
