"""Trend charts: a PNG behind an unguessable link, shown with the check-in summary."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from adapters.playground.render import render_card
from bot.app import DATABASE, create_app
from bot.charts import draw
from bot.settings import load_settings
from dialogs.core.cards import Image
from dialogs.core.charts import TrendChart
from dialogs.ticker import Ticker
from storage.models import Poll
from tests.support.conversation import ASHA, BEN, NORTH, Conversation, text_of
from tests.support.fakes import FakeClock

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


@pytest.fixture
async def app_client(monkeypatch, tmp_path):
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID", "MICROSOFT_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'concord.db'}")
    # The app's own scheduler reads a clock stopped where the test begins: on the real clock
    # it found the test's check-in long overdue and closed it before anyone answered.
    app = create_app(load_settings(), clock=FakeClock(START))
    async with TestClient(TestServer(app)) as client:
        yield client, app[DATABASE]


def closed_check_in_summary(database):
    clock = FakeClock(START)
    chat = Conversation(database, clock)
    chat.says(ASHA, NORTH, 'setup "Charts"')
    chat.says(ASHA, NORTH, 'checkin add "every monday 09:00"')
    ticker = Ticker(database, clock)
    clock.advance(hours=1)
    ticker.tick()
    chat.deliver()
    answer = next(
        e.action for b in chat.last_message(NORTH).blocks for e in getattr(b, "elements", [])
    )
    chat.clicks(BEN, NORTH, answer)
    clock.advance(days=1)
    ticker.tick()
    chat.deliver()
    summary = chat.last_message(NORTH)
    chat.close()
    assert "the summary" in text_of(summary)
    return summary


async def test_the_summary_links_a_trend_chart_that_serves_a_png(app_client):
    client, database = app_client
    summary = await asyncio.to_thread(closed_check_in_summary, database)  # it runs its own loop
    image = next(b for b in summary.blocks if isinstance(b, Image))
    response = await client.get(image.url)
    assert response.status == 200
    assert response.content_type == "image/png"
    assert (await response.read()).startswith(PNG_SIGNATURE)
    assert f'<img class="block-image" src="{image.url}"' in render_card(summary)


@pytest.mark.parametrize(
    "path", ["/charts/not-a-real-token-at-all.png", "/charts/x.png", "/charts/%2e%2e%2fetc.png"]
)
async def test_unknown_or_malformed_chart_links_are_not_found(app_client, path):
    client, _ = app_client
    response = await client.get(path)
    assert response.status == 404


def test_chart_tokens_are_long_and_random(sqlite_database):
    first = closed_check_in_summary(sqlite_database)
    url = next(b for b in first.blocks if isinstance(b, Image)).url
    token = url.removeprefix("/charts/").removesuffix(".png")
    assert len(token) >= 32


def test_the_trend_chart_shows_each_run_even_on_the_same_day():
    png = draw(TrendChart(["30 Nov", "30 Nov"], {"How are we doing?": [2.0, 4.0]}))
    assert png.startswith(PNG_SIGNATURE)


def closed_poll_chart(database, results: str, close: bool) -> str:
    clock = FakeClock(START)
    chat = Conversation(database, clock)
    chat.says(ASHA, NORTH, 'setup "Charts"')
    chat.says(ASHA, NORTH, f'poll "Which?" "A" "B" --results {results}')
    chat.clicks(BEN, NORTH, "vote:1:1")
    if close:
        chat.says(ASHA, NORTH, "poll close 1")
    with database.session() as session:
        token = session.exec(select(Poll.chart_token)).one()
    chat.close()
    return f"/charts/{token}.png"


async def test_a_closed_polls_result_chart_is_a_png(app_client):
    client, database = app_client
    url = await asyncio.to_thread(closed_poll_chart, database, "live", True)
    response = await client.get(url)
    assert response.status == 200
    assert (await response.read()).startswith(PNG_SIGNATURE)


async def test_a_hidden_polls_chart_does_not_exist_until_the_close(app_client):
    client, database = app_client
    url = await asyncio.to_thread(closed_poll_chart, database, "after-close", False)
    assert (await client.get(url)).status == 404
