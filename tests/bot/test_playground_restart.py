"""The whole app, stopped and started again on the same SQLite file: the playground's
channels show what they showed, and the open poll's buttons still vote."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.settings import load_settings
from tests.adapters.playground.test_playground_http import (
    HILLVIEW,
    RIVERSIDE,
    action,
    command,
    counts,
    state,
)
from tests.bot.test_serve import clean_env  # noqa: F401  (the fixture: no developer settings)
from tests.support.fakes import FakeClock

POLL = 'poll "Which shared priority first?" "Discharge delays" "Mental health beds"'


def running(clock: FakeClock) -> TestClient:
    return TestClient(TestServer(create_app(load_settings(), clock=clock), host="127.0.0.1"))


async def test_a_restarted_app_shows_the_playground_as_it_was(clean_env, tmp_path, clock):  # noqa: F811
    clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'concord.db'}")
    async with running(clock) as client:
        await command(client, "asha", RIVERSIDE, POLL)
        poll = (await state(client))["transcripts"][RIVERSIDE][-1]["html"]
        buttons = re.findall(r'data-action="(vote:\d+:\d+)"', poll)
        clock.advance(seconds=1)  # the playground re-renders a message at most once a second
        await action(client, "ben", RIVERSIDE, buttons[0])
        before = await state(client, "ben")
    assert counts(before["transcripts"][HILLVIEW][-1]["html"]) == [1, 0]

    async with running(clock) as client:
        after = await state(client, "ben")
        assert after["transcripts"] == before["transcripts"]
        assert after["notes"] == before["notes"]
        clock.advance(seconds=2)
        await action(client, "carys", HILLVIEW, buttons[1])
        shown = (await state(client))["transcripts"]

    for channel in (RIVERSIDE, HILLVIEW):
        assert [counts(message["html"]) for message in shown[channel]] == [[1, 1]]
