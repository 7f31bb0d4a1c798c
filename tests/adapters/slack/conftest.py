"""Slack end to end: a stand-in Web API, and Concord's Slack transport in front of it."""

from __future__ import annotations

import pytest

from tests.stand_ins.slack_api import running_slack_api
from tests.stand_ins.slack_app import SlackHarness


@pytest.fixture
def stub():
    with running_slack_api() as running:
        yield running


@pytest.fixture
async def slack_app(database, stub, clock):
    async with SlackHarness(database, stub, clock) as harness:
        yield harness
