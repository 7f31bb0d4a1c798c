"""The Teams fixtures: the local Bot Connector stub, and Concord's Teams transport in front
of it in local mode (CONCORD_TEAMS_LOCAL)."""

from __future__ import annotations

import pytest

from tests.adapters.teams.test_teams_transport import TeamsHarness
from tests.stand_ins.teams_connector import running_teams_connector


@pytest.fixture
def stub():
    with running_teams_connector() as running:
        yield running


@pytest.fixture
async def teams_app(database, stub, clock):
    async with TeamsHarness(database, stub, clock) as harness:
        yield harness
