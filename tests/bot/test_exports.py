"""Exported files behind `/exports/<token>`: the file as it was made, for 24 hours,
to whoever holds the link; nothing at all for a wrong, tampered or expired link."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.playground.render import render_card
from bot.app import DATABASE, create_app
from bot.settings import load_settings
from dialogs.core.cards import Card, Download
from dialogs.core.events import CommandIssued
from tests.support.conversation import ASHA, NORTH, Conversation, channel, person
from tests.support.fakes import FakeClock

EAST = channel("east")
EVE = person("eve", "Eve Evans")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 4, 9, 0, tzinfo=UTC))


@pytest.fixture
async def app_client(monkeypatch, tmp_path, clock):
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "MICROSOFT_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'concord.db'}")
    app = create_app(load_settings(), clock=clock)
    async with TestClient(TestServer(app)) as client:
        yield client, app[DATABASE]


def decision_log_offers(database, clock, *, setup: bool = True) -> dict[str, Card]:
    """Two collaboratives, each coordinator asking for their own decision log."""
    chat = Conversation(database, clock)
    if setup:
        chat.says(ASHA, NORTH, 'setup "Northshire"')
        chat.says(ASHA, NORTH, 'org add "Riverside"')
        chat.says(EVE, EAST, 'setup "Eastbrook"')
    offers = {}
    for who, where in ((ASHA, NORTH), (EVE, EAST)):
        [reply] = chat.engine.handle(CommandIssued(who, where, "decisions --export csv"))
        offers[where.channel_id] = reply.card
    chat.close()
    return offers


def link(card: Card) -> str:
    return next(b.url for b in card.blocks if isinstance(b, Download))


async def test_the_link_gives_the_file_as_made_and_only_that_collaboratives(app_client, clock):
    client, database = app_client
    offers = await asyncio.to_thread(decision_log_offers, database, clock)

    north = await client.get(link(offers["north"]))
    assert north.status == 200
    assert north.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert north.headers["Content-Disposition"] == 'attachment; filename="decisions.csv"'
    body = await north.text()
    assert "Asha Patel,org.add,added the organisation Riverside" in body
    assert "Eastbrook" not in body and "Eve Evans" not in body
    east = await (await client.get(link(offers["east"]))).text()
    assert "Eve Evans" in east and "Asha Patel" not in east


async def test_a_link_lasts_24_hours_then_says_it_has_expired(app_client, clock):
    client, database = app_client
    url = link((await asyncio.to_thread(decision_log_offers, database, clock))["north"])
    clock.advance(hours=23, minutes=59)
    assert (await client.get(url)).status == 200
    clock.advance(minutes=1)
    gone = await client.get(url)
    assert gone.status == 410
    assert await gone.json() == {
        "error": "This export has expired: ask Concord for the file again."
    }


async def test_a_tampered_unknown_or_malformed_link_gives_nothing(app_client, clock):
    client, database = app_client
    url = link((await asyncio.to_thread(decision_log_offers, database, clock))["north"])
    tampered = url[:-1] + ("A" if url[-1] != "A" else "B")
    for path in (tampered, "/exports/not-a-real-token-at-all", "/exports/x"):
        response = await client.get(path)
        assert response.status == 404, path
        assert await response.json() == {"error": "No such export: ask Concord for the file again."}
    assert (await client.get("/exports/%2e%2e%2fcharts")).status == 404


def test_the_reply_says_what_the_file_is_and_the_playground_links_it(sqlite_database, clock):
    chat = Conversation(sqlite_database, clock)
    chat.says(ASHA, NORTH, 'setup "Northshire"')
    said, file = chat.exports(ASHA, NORTH, "decisions --export csv")
    assert said.splitlines()[0] == "Decision log of Northshire: 1 entry, CSV, 304 bytes"
    assert len(file.content) == 304  # with the entry's number and hashes
    assert "The link expires in 24 hours; ask again for a new one." in said
    [reply] = chat.engine.handle(CommandIssued(ASHA, NORTH, "decisions --export md"))
    html = render_card(reply.card, private=True)
    assert f'<a href="{link(reply.card)}" download="decisions.md">Download decisions.md</a>' in html
    chat.close()


async def test_a_file_a_week_past_its_expiry_is_deleted_and_its_link_finds_nothing(
    app_client, clock
):
    client, database = app_client
    old = link((await asyncio.to_thread(decision_log_offers, database, clock))["north"])
    clock.advance(days=8, seconds=1)  # 24 hours, then a week
    again = await asyncio.to_thread(decision_log_offers, database, clock, setup=False)
    new = link(again["north"])
    assert (await client.get(old)).status == 404
    assert (await client.get(new)).status == 200
